# Sending a model build: x/y -> response_column + ignored_columns, every supplied argument
# checked against the backend's parameter table (GET /3/ModelBuilders/{algo}) and encoded in
# H2O's wire form, then POST /3/ModelBuilders/{algo} and a wait for the job.

.h2o.builder_params <- function(algo) {
  conn <- h2o.getConnection()
  cache_key <- paste0("builder_", algo)
  meta <- conn@mutable[[cache_key]]
  if (is.null(meta)) {
    res <- .h2o.GET(paste0("/3/ModelBuilders/", algo))
    ps <- res$model_builders[[algo]]$parameters
    meta <- setNames(ps, vapply(ps, function(p) p$name, ""))
    conn@mutable[[cache_key]] <- meta
  }
  meta
}

# x, y -> list(y, x_ignore) as h2o's .verify_dataxy: names or 1-based indices; y may be
# missing for autoencoders; a response listed in x is dropped with a warning.
.h2o.verify_dataxy <- function(data, x, y, autoencoder = FALSE) {
  cc <- names(data)
  to_names <- function(v, what) {
    if (is.numeric(v)) {
      if (any(v < 1 | v > length(cc))) stop("`", what, "` index out of range: the frame has ", length(cc), " columns")
      return(cc[v])
    }
    if (!is.character(v)) stop("`", what, "` must be column names or 1-based column numbers")
    bad <- setdiff(v, cc)
    if (length(bad)) stop("Invalid column names in `", what, "`: ", paste(bad, collapse = ", "), call. = FALSE)
    v
  }
  if (is.null(y) || (length(y) == 1L && is.na(y))) {
    if (!autoencoder) stop("`y` (the response column) is missing", call. = FALSE)
    y <- NULL
  } else {
    if (length(y) != 1L) stop("`y` must be a single column")
    y <- to_names(y, "y")
  }
  x <- if (is.null(x)) setdiff(cc, y) else to_names(x, "x")
  if (!is.null(y) && y %in% x) {
    if (!autoencoder) warning("removing response variable from the explanatory variables", call. = FALSE)
    x <- setdiff(x, y)
  }
  list(y = y, x = x, x_ignore = setdiff(cc, c(x, y)))
}

.h2o.frame_key <- function(v, what) {
  if (is.null(v)) return(NULL)
  if (is.H2OFrame(v)) return(h2o.getId(v))
  if (is.character(v) && length(v) == 1L) return(h2o.getId(h2o.getFrame(v)))
  stop("argument \"", what, "\" must be a valid H2OFrame or key", call. = FALSE)
}

# One supplied argument checked against its parameter record and encoded for the wire.
.h2o.check_param <- function(name, value, meta) {
  p <- meta[[name]]
  if (is.null(p)) stop("The backend does not know the parameter \"", name, "\"", call. = FALSE)
  type <- p$type
  if (is.null(value)) return(NULL)
  if (identical(type, "enum")) {
    allowed <- unlist(p$values)
    if (!is.character(value) || length(value) != 1L)
      stop("\"", name, "\" must be one of ", paste0("\"", allowed, "\"", collapse = ", "), call. = FALSE)
    hit <- allowed[tolower(allowed) == tolower(value)]
    if (!length(hit))
      stop(sprintf("\"%s\" must be in %s, but got %s", name, paste0("\"", allowed, "\"", collapse = ", "), value),
           call. = FALSE)
    return(hit[1])
  }
  if (type %in% c("int", "long", "double", "float")) {
    if (!is.numeric(value) || length(value) != 1L || is.na(value))
      stop("\"", name, "\" must be a single number, got ", deparse(value)[1], call. = FALSE)
    return(.h2o.encode_elt(value))
  }
  if (identical(type, "boolean")) {
    if (!is.logical(value) || length(value) != 1L || is.na(value))
      stop("\"", name, "\" must be TRUE or FALSE, got ", deparse(value)[1], call. = FALSE)
    return(if (value) "TRUE" else "FALSE")
  }
  if (type %in% c("int[]", "long[]", "double[]", "float[]")) {
    if (!is.numeric(value) || anyNA(value)) stop("\"", name, "\" must be a numeric vector, got ", deparse(value)[1], call. = FALSE)
    return(paste0("[", paste(vapply(as.list(value), .h2o.encode_elt, ""), collapse = ","), "]"))
  }
  if (identical(type, "string[]")) return(.h2o.quoted_list(value))
  if (identical(type, "Key<Frame>")) return(.h2o.frame_key(value, name))
  if (identical(type, "Key<Frame>[]")) {
    if (is.H2OFrame(value)) value <- list(value)
    return(paste0("[", paste(vapply(value, function(v) .h2o.frame_key(v, name), ""), collapse = ","), "]"))
  }
  if (identical(type, "Key<Model>")) {
    if (is(value, "H2OModel")) value <- value@model_id
    if (!is.character(value) || length(value) != 1L) stop("\"", name, "\" must be a model id (a string)", call. = FALSE)
    return(value)
  }
  if (identical(type, "VecSpecifier") || identical(type, "string")) {
    if (!is.character(value) || length(value) != 1L) stop("\"", name, "\" must be a single string", call. = FALSE)
    return(value)
  }
  .h2o.encode(value)
}

# The supplied arguments of a builder call -> the form fields to POST.
.h2o.model_form <- function(algo, parms, training_frame, x, y, autoencoder = FALSE) {
  meta <- .h2o.builder_params(algo)
  if (missing(training_frame) || is.null(training_frame)) stop("argument \"training_frame\" is missing", call. = FALSE)
  if (!is.H2OFrame(training_frame)) training_frame <- tryCatch(h2o.getFrame(training_frame), error = function(e)
    stop("argument \"training_frame\" must be a valid H2OFrame or key", call. = FALSE))
  args <- .h2o.verify_dataxy(training_frame, x, y, autoencoder)
  special <- unlist(parms[intersect(c("weights_column", "offset_column", "fold_column"), names(parms))])
  form <- list(training_frame = h2o.getId(training_frame))
  if (!is.null(args$y)) form$response_column <- args$y
  ignored <- setdiff(args$x_ignore, special)
  if (length(ignored)) form$ignored_columns <- .h2o.quoted_list(ignored)
  for (nm in names(parms)) {
    v <- .h2o.check_param(nm, parms[[nm]], meta)
    if (!is.null(v)) form[[nm]] <- v
  }
  form
}

.h2o.train_model <- function(algo, form, verbose = FALSE) {
  res <- .h2o.request("POST", paste0("/3/ModelBuilders/", algo), form)
  warns <- Filter(function(m) identical(m$message_type, "WARN"), res$messages %||% list())
  for (w in warns) warning(w$message, call. = FALSE)
  job <- .h2o.wait_job(.h2o.job_key(res))
  model <- h2o.getModel(job$dest$name)
  if (isTRUE(verbose) && !is.null(model@model$scoring_history)) {
    cat("\nScoring History: \n")
    print(model@model$scoring_history, header = FALSE)
  }
  model
}

# Body of the generated h2o.deeplearning(): `parms` holds only the arguments the caller supplied.
.h2o.deeplearning_build <- function(x, y, training_frame, parms, verbose = FALSE) {
  form <- .h2o.model_form("deeplearning", parms, training_frame, x, y,
                          autoencoder = isTRUE(parms$autoencoder))
  .h2o.train_model("deeplearning", form, verbose = verbose)
}
