# Grid search: POST /99/Grid/{algo} with fixed params + hyper_parameters/search_criteria as JSON,
# then GET /99/Grids/{id} into an H2OGrid.

# Hyper-parameter values as JSON; array-typed parameters keep one array per candidate (hidden).
.h2o.hyper_json <- function(hyper_params, meta) {
  parts <- vapply(names(hyper_params), function(nm) {
    p <- meta[[nm]]
    if (is.null(p)) stop("The backend does not know the hyper-parameter \"", nm, "\"", call. = FALSE)
    vals <- hyper_params[[nm]]
    if (!is.list(vals)) vals <- as.list(vals)
    enc <- vapply(vals, function(v) {
      if (grepl("\\[\\]$", p$type)) paste0("[", paste(vapply(as.list(v), .h2o.encode_elt, ""), collapse = ","), "]")
      else if (identical(p$type, "enum")) jsonlite::toJSON(.h2o.check_param(nm, v, meta), auto_unbox = TRUE)
      else if (is.character(v)) jsonlite::toJSON(v, auto_unbox = TRUE)
      else .h2o.check_param(nm, v, meta)
    }, "")
    paste0(jsonlite::toJSON(nm, auto_unbox = TRUE), ":[", paste(enc, collapse = ","), "]")
  }, "")
  paste0("{", paste(parts, collapse = ","), "}")
}

h2o.grid <- function(algorithm, grid_id, x, y, training_frame, ..., hyper_params = list(),
                     is_supervised = NULL, do_hyper_params_check = FALSE, search_criteria = NULL,
                     export_checkpoints_dir = NULL, recovery_dir = NULL, parallelism = 1) {
  algo <- tolower(algorithm)
  if (!identical(algo, "deeplearning"))
    stop("h2olite builds only Deep Learning models: algorithm must be \"deeplearning\", got \"", algorithm, "\"")
  if (!is.list(hyper_params) || (length(hyper_params) && is.null(names(hyper_params))))
    stop("`hyper_params` must be a named list, e.g. list(hidden = list(c(32, 32), c(64)), l1 = c(1e-4, 1e-3))")
  meta <- .h2o.builder_params(algo)
  parms <- list(...)
  dup <- intersect(names(parms), names(hyper_params))
  if (length(dup)) stop("parameters given both as fixed and as hyper parameters: ", paste(dup, collapse = ", "))
  if (missing(x)) x <- NULL
  if (missing(y)) y <- NULL
  form <- .h2o.model_form(algo, parms, training_frame, x, y, autoencoder = isTRUE(parms$autoencoder))
  form$hyper_parameters <- .h2o.hyper_json(hyper_params, meta)
  if (!missing(grid_id) && !is.null(grid_id)) form$grid_id <- grid_id
  if (!is.null(search_criteria)) {
    if (!is.list(search_criteria)) stop("`search_criteria` must be a list, e.g. list(strategy = \"RandomDiscrete\", max_models = 10)")
    form$search_criteria <- as.character(jsonlite::toJSON(search_criteria, auto_unbox = TRUE, digits = NA))
  }
  if (!is.null(export_checkpoints_dir)) form$export_checkpoints_dir <- export_checkpoints_dir
  if (!is.null(recovery_dir)) form$recovery_dir <- recovery_dir
  if (!missing(parallelism)) form$parallelism <- .h2o.encode_elt(parallelism)
  res <- .h2o.request("POST", paste0("/99/Grid/", algo), form)
  job <- .h2o.wait_job(.h2o.job_key(res))
  h2o.getGrid(job$dest$name %||% grid_id)
}

h2o.getGrid <- function(grid_id, sort_by, decreasing, verbose = FALSE) {
  args <- list()
  if (!missing(sort_by)) args$sort_by <- sort_by
  if (!missing(decreasing)) args$decreasing <- if (isTRUE(decreasing)) "TRUE" else "FALSE"
  res <- .h2o.request("GET", paste0("/99/Grids/", .url_escape(grid_id)), args)
  model_ids <- lapply(res$model_ids, function(k) k$name)
  failed_raw <- res$failed_raw_params
  raw <- if (length(failed_raw)) do.call(rbind, lapply(failed_raw, function(r) unlist(.null_to_na(r))))
         else matrix(nrow = 0, ncol = 0)
  if (!is.matrix(raw)) raw <- matrix(raw, nrow = 1)
  new("H2OGrid", grid_id = res$grid_id$name %||% grid_id, model_ids = model_ids,
      hyper_names = as.list(unlist(res$hyper_names)),
      failed_params = lapply(res$failed_params %||% list(), function(p) p),
      failure_details = as.list(unlist(.null_to_na(res$failure_details))),
      failure_stack_traces = as.list(unlist(.null_to_na(res$failure_stack_traces))),
      failed_raw_params = raw,
      summary_table = .h2o.table(res$summary_table))
}

setMethod("show", "H2OGrid", function(object) {
  cat("H2O Grid Details\n")
  cat("================\n\n")
  cat("Grid ID:", object@grid_id, "\n")
  cat("Used hyper parameters: \n")
  for (h in object@hyper_names) cat("  - ", h, "\n")
  cat("Number of models:", length(object@model_ids), "\n")
  cat("Number of failed models:", length(object@failed_params), "\n\n")
  if (!is.null(object@summary_table)) print(object@summary_table)
  if (length(object@failed_params) > 0) {
    cat("Failed models\n")
    cat("-------------\n")
    failed <- data.frame(object@failed_raw_params, status_failed = rep("FAIL", length(object@failed_params)),
                         msgs_failed = vapply(object@failure_details, function(m) paste0("\"", m, "\""), ""),
                         check.names = FALSE, stringsAsFactors = FALSE)
    if (ncol(object@failed_raw_params) == length(object@hyper_names))
      names(failed)[seq_along(object@hyper_names)] <- unlist(object@hyper_names)
    print(failed, row.names = FALSE)
  }
  invisible(object)
})

summary.H2OGrid <- function(object, show_stack_traces = FALSE, ...) {
  show(object)
  cat("H2O Grid Summary\n")
  cat("================\n\n")
  cat("Grid ID:", object@grid_id, "\n")
  cat("Used hyper parameters: \n")
  for (h in object@hyper_names) cat("  - ", h, "\n")
  cat("Number of models:", length(object@model_ids), "\n")
  for (id in object@model_ids) cat("  - ", id, "\n")
  cat("\nNumber of failed models:", length(object@failed_params), "\n")
  for (i in seq_along(object@failed_params)) {
    cat("  - ", object@failure_details[[i]])
    if (show_stack_traces && i <= length(object@failure_stack_traces)) cat(object@failure_stack_traces[[i]], "\n")
  }
  if (!show_stack_traces && length(object@failed_params) > 0)
    cat("\nNote: To see exception stack traces please pass parameter `show_stack_traces = T` to this function.\n")
  invisible(object)
}
setMethod("summary", "H2OGrid", function(object, ...) summary.H2OGrid(object, ...))
