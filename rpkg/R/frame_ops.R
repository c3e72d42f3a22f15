# Frame operations as Rapids expressions (POST /99/Rapids), the subset h2o's R client emits:
# (cols fr [..]), (rows fr [..] | mask), (:= fr value col rows), (append fr value "name"),
# (as.factor fr), (as.numeric fr), binary operators, (cbind ..), (rbind ..), (h2o.runif fr seed),
# reductions (mean/sd/min/max/sum) and (tmp= key expr) to name results.

.rid <- function(x) {
  if (is.H2OFrame(x)) return(h2o.getId(x))
  if (is.character(x)) return(paste0("\"", gsub("\"", "\\\\\"", x), "\""))
  if (is.logical(x)) return(if (is.na(x)) "NaN" else if (x) "1" else "0")
  if (is.numeric(x)) {
    if (is.na(x)) return("NaN")
    if (is.infinite(x)) return(if (x > 0) "Inf" else "-Inf")
    return(.h2o.encode_elt(x))
  }
  stop("cannot use a value of class ", class(x)[1], " in a frame expression")
}

.rlist <- function(v) paste0("[", paste(vapply(as.list(v), .rid, ""), collapse = " "), "]")
.h2o.quoted_list_rapids <- function(v) .rlist(as.character(v))

.h2o.rapids <- function(ast) {
  conn <- h2o.getConnection()
  send <- function() .h2o.request("POST", "/99/Rapids", list(ast = ast, session_id = conn@mutable$session_id))
  # H2O-3 marks a parse DONE a moment before it deletes the source file's key; a Rapids call in
  # that moment fails its reference-count check, so it is retried once.
  tryCatch(send(), H2OResponseError = function(e) {
    if (!grepl("REFCNTs contains an extra vec", e$msg, fixed = TRUE)) stop(e)
    Sys.sleep(0.5)
    send()
  })
}

# Keys made by this session, named as h2o's R client names them: <prefix>_sid_<session>_<n>.
.h2o.key_make <- function(prefix) {
  conn <- h2o.getConnection()
  n <- (conn@mutable$tmp_counter %||% 0L) + 1L
  conn@mutable$tmp_counter <- n
  sid <- gsub("[^A-Za-z0-9]", "", sub("^_sid_", "", conn@mutable$session_id %||% "r"))
  paste0(prefix, "_sid_", sid, "_", n)
}
.h2o.tmp_key <- function() .h2o.key_make("RTMP")

# Evaluate a frame-valued expression into a new temporary key and return it as an H2OFrame.
.h2o.frame_expr <- function(expr, key = .h2o.tmp_key(), assign = FALSE) {
  res <- .h2o.rapids(sprintf("(%s %s %s)", if (assign) "assign" else "tmp=", key, expr))
  .newH2OFrame(res$key$name %||% key)
}

# Evaluate an expression whose value is a scalar, a string or a small frame; return R values.
.h2o.value_expr <- function(expr) {
  res <- .h2o.rapids(expr)
  if (!is.null(res$scalar)) return(.as_vector(res$scalar))
  if (!is.null(res$string)) return(.as_vector(res$string))
  if (!is.null(res$key)) {
    df <- .h2o.result_df(expr, res)
    return(if (nrow(df) == 1L) unlist(df[1, ], use.names = TRUE) else df)
  }
  res
}

# A frame-valued expression's result as a data.frame.  Results that the backend did not store
# (no key name, or a name not in the store) are evaluated again into a temporary.
.h2o.result_df <- function(expr, res = NULL) {
  key <- .h2o.tmp_key()
  .h2o.rapids(sprintf("(tmp= %s %s)", key, expr))
  on.exit(.h2o.remove_key(key))
  as.data.frame(.newH2OFrame(key))
}

# ---- Column and row selection ---------------------------------------------------------------

# 0-based column indices for a selector given as names, 1-based numbers (negative drops) or logicals.
.col_index <- function(x, j) {
  nms <- names(x)
  if (is.character(j)) {
    bad <- setdiff(j, nms)
    if (length(bad)) stop("Column(s) not found in frame ", h2o.getId(x), ": ", paste(bad, collapse = ", "),
                          call. = FALSE)
    return(match(j, nms) - 1L)
  }
  if (is.logical(j)) j <- which(rep_len(j, length(nms)))
  if (!is.numeric(j)) stop("columns must be selected by name, number or logical vector")
  if (all(j < 0)) j <- setdiff(seq_along(nms), -j)
  if (any(j < 1 | j > length(nms)))
    stop("Column index out of range: frame ", h2o.getId(x), " has ", length(nms), " columns", call. = FALSE)
  as.integer(j) - 1L
}

.row_selector <- function(x, i) {
  if (is.H2OFrame(i)) return(h2o.getId(i))
  if (is.logical(i)) i <- which(rep_len(i, nrow(x)))
  if (!is.numeric(i)) stop("rows must be selected by number, logical vector or an H2OFrame mask")
  if (all(i < 0)) i <- setdiff(seq_len(nrow(x)), -i)
  if (any(i < 1 | i > nrow(x))) stop("Row index out of range: frame has ", nrow(x), " rows", call. = FALSE)
  .rlist(i - 1)
}

`[.H2OFrame` <- function(x, i, j, ..., drop = TRUE) {
  nargs_ <- nargs() - !missing(drop)
  if (nargs_ == 2L && !missing(i)) { j <- i; i <- NULL }       # fr["col"] selects columns
  else if (missing(i)) i <- NULL
  if (missing(j)) j <- NULL
  if (!is.null(i) && !is.null(j) && !is.H2OFrame(i) && length(i) == 1L && length(j) == 1L &&
      is.numeric(i) && i > 0) {
    cols <- .col_index(x, j)
    tmp <- .h2o.frame_expr(sprintf("(rows (cols %s %s) %s)", .rid(x), .rlist(cols), .rlist(i - 1)))
    on.exit(.h2o.remove_key(h2o.getId(tmp)))
    return(as.data.frame(tmp)[[1]][1])
  }
  expr <- .rid(x)
  if (!is.null(j)) expr <- sprintf("(cols %s %s)", expr, .rlist(.col_index(x, j)))
  if (!is.null(i)) expr <- sprintf("(rows %s %s)", expr, .row_selector(x, i))
  if (is.null(i) && is.null(j)) return(x)
  .h2o.frame_expr(expr)
}

`$.H2OFrame` <- function(x, name) {
  if (!(name %in% names(x))) return(NULL)
  x[, name]
}

`[[.H2OFrame` <- function(x, i, exact = TRUE) {
  if (length(i) != 1L) stop("`[[` selects exactly one column")
  if (is.character(i) && !(i %in% names(x))) return(NULL)
  x[, i]
}

`[<-.H2OFrame` <- function(x, i, j, value) {
  if (missing(i)) i <- NULL
  if (missing(j)) j <- NULL
  if (nargs() == 3L && !is.null(i) && is.null(j)) { j <- i; i <- NULL }
  if (is.null(j)) j <- names(x)
  nms <- names(x)
  if (is.null(value)) {                                             # fr[, "x"] <- NULL deletes
    keep <- setdiff(seq_along(nms), .col_index(x, j) + 1L)
    return(.h2o.frame_expr(sprintf("(cols %s %s)", .rid(x), .rlist(keep - 1L))))
  }
  if (is.H2OFrame(value)) val <- .rid(value)
  else if (length(value) == 1L && (is.numeric(value) || is.character(value) || is.logical(value))) val <- .rid(value)
  else stop("can only assign an H2OFrame or a single number/string to an H2OFrame column")
  rows <- if (is.null(i)) "[]" else .row_selector(x, i)
  if (is.character(j) && length(j) == 1L && !(j %in% nms)) {     # an unknown name appends
    if (!is.null(i)) stop("cannot assign to selected rows of a new column \"", j, "\"")
    return(.h2o.frame_expr(sprintf("(append %s %s %s)", .rid(x), val, .rid(j))))
  }
  cols <- .col_index(x, j)
  .h2o.frame_expr(sprintf("(:= %s %s %s %s)", .rid(x), val, .rlist(cols), rows))
}

`$<-.H2OFrame` <- function(x, name, value) { x[, name] <- value; x }
`[[<-.H2OFrame` <- function(x, i, value) { x[, i] <- value; x }

# ---- Types ----------------------------------------------------------------------------------

# h2o masks base::as.factor/is.factor/as.numeric so that they dispatch on H2OFrame.
as.factor <- function(x) if (is.H2OFrame(x)) h2o.asfactor(x) else base::as.factor(x)
is.factor <- function(x) if (is.H2OFrame(x)) h2o.isfactor(x) else base::is.factor(x)
as.numeric <- function(x, ...) if (is.H2OFrame(x)) h2o.asnumeric(x) else base::as.numeric(x, ...)

h2o.asfactor <- function(x) {
  if (!is.H2OFrame(x)) stop("`x` must be an H2OFrame")
  .h2o.frame_expr(sprintf("(as.factor %s)", .rid(x)))
}
h2o.asnumeric <- function(x) {
  if (!is.H2OFrame(x)) stop("`x` must be an H2OFrame")
  .h2o.frame_expr(sprintf("(as.numeric %s)", .rid(x)))
}
h2o.isfactor <- function(x) unname(.fr_meta(x)$types == "enum")
h2o.isnumeric <- function(x) unname(.fr_meta(x)$types %in% c("int", "real"))
h2o.ischaracter <- function(x) unname(.fr_meta(x)$types == "string")

h2o.levels <- function(x, i) {
  m <- .fr_meta(x)
  if (missing(i)) {
    if (m$ncol == 1L) return(m$domains[[1]])
    return(setNames(m$domains, m$names))
  }
  idx <- .col_index(x, i) + 1L
  if (length(idx) == 1L) return(m$domains[[idx]])
  m$domains[idx]
}
h2o.nlevels <- function(x) {
  d <- .fr_meta(x)$domains
  vapply(d, function(v) length(v), 0L)
}

# ---- Arithmetic and comparisons -------------------------------------------------------------

.rapids_op <- c("+" = "+", "-" = "-", "*" = "*", "/" = "/", "^" = "^", "%%" = "%%", "%/%" = "%/%",
                "==" = "==", "!=" = "!=", "<" = "<", "<=" = "<=", ">" = ">", ">=" = ">=",
                "&" = "&", "|" = "|")

Ops.H2OFrame <- function(e1, e2) {
  op <- .Generic
  if (nargs() == 1L) {
    if (op == "!") return(.h2o.frame_expr(sprintf("(not %s)", .rid(e1))))
    if (op == "-") return(.h2o.frame_expr(sprintf("(* %s -1)", .rid(e1))))
    if (op == "+") return(e1)
  }
  for (e in list(e1, e2))
    if (!is.H2OFrame(e) && length(e) != 1L) stop("an H2OFrame can only be combined with another H2OFrame or a single value")
  .h2o.frame_expr(sprintf("(%s %s %s)", .rapids_op[[op]], .rid(e1), .rid(e2)))
}

Math.H2OFrame <- function(x, ...) {
  fun <- switch(.Generic, abs = "abs", sqrt = "sqrt", exp = "exp", log = "log", floor = "floor",
                ceiling = "ceiling", round = "round", trunc = "trunc", sign = "sign", cos = "cos",
                sin = "sin", tan = "tan", log10 = "log10", log2 = "log2", log1p = "log1p", expm1 = "expm1",
                stop("`", .Generic, "` is not supported on H2OFrame"))
  .h2o.frame_expr(sprintf("(%s %s)", fun, .rid(x)))
}

# ---- Reductions -----------------------------------------------------------------------------

mean.H2OFrame <- function(x, na.rm = FALSE, ...) h2o.mean(x, na.rm = na.rm)
h2o.mean <- function(x, na.rm = FALSE, axis = 0, return_frame = FALSE, ...) {
  v <- .h2o.value_expr(sprintf("(mean %s %s %d)", .rid(x), .rid(na.rm), as.integer(axis)))
  v <- as.numeric(unlist(v))
  if (length(v) == ncol(x)) names(v) <- names(x)
  v
}

sd <- function(x, na.rm = FALSE) if (is.H2OFrame(x)) h2o.sd(x, na.rm) else stats::sd(x, na.rm)
h2o.sd <- function(x, na.rm = FALSE) {
  v <- as.numeric(unlist(.h2o.value_expr(sprintf("(sd %s %s)", .rid(x), .rid(na.rm)))))
  v
}

Summary.H2OFrame <- function(..., na.rm = FALSE) {
  args <- list(...)
  x <- args[[1]]
  fun <- switch(.Generic, min = "min", max = "max", sum = "sum", all = "all", any = "any",
                range = NA, stop("`", .Generic, "` is not supported on H2OFrame"))
  if (is.na(fun)) return(c(.h2o.reduce(x, "min", na.rm), .h2o.reduce(x, "max", na.rm)))
  .h2o.reduce(x, fun, na.rm)
}
.h2o.reduce <- function(x, fun, na.rm) {
  if (na.rm && fun %in% c("min", "max", "sum")) fun <- paste0(fun, "NA")
  as.numeric(unlist(.h2o.value_expr(sprintf("(%s %s)", fun, .rid(x)))))
}
h2o.min <- function(x, na.rm = FALSE) .h2o.reduce(x, "min", na.rm)
h2o.max <- function(x, na.rm = FALSE) .h2o.reduce(x, "max", na.rm)
h2o.sum <- function(x, na.rm = FALSE) .h2o.reduce(x, "sum", na.rm)
h2o.nacnt <- function(x) as.numeric(unlist(.h2o.value_expr(sprintf("(naCnt %s)", .rid(x)))))

# As h2o: a named vector ("25%" ...) for one column, else a matrix with a row per column.
h2o.quantile <- function(x, probs = c(0.001, 0.01, 0.1, 0.25, 0.333, 0.5, 0.667, 0.75, 0.9, 0.99, 0.999),
                         combine_method = c("interpolate", "average", "avg", "low", "high"),
                         weights_column = NULL, ...) {
  if (!is.H2OFrame(x)) stop("`x` must be an H2OFrame object")
  if (!is.numeric(probs) || length(probs) == 0L || any(!is.finite(probs) | probs < 0 | probs > 1))
    stop("`probs` must be between 0 and 1 exclusive")
  if (!is.null(weights_column)) stop("`weights_column` is not supported by h2olite's quantile")
  combine_method <- match.arg(combine_method)
  if (combine_method == "avg") combine_method <- "average"
  res <- as.data.frame(.h2o.frame_expr(sprintf("(quantile %s %s %s _)", .rid(x), .rlist(probs),
                                               .rid(combine_method))))
  tr <- as.matrix(t(res))
  colnames(tr) <- paste0(100 * tr[1, ], "%")
  tr[-1, ]
}
quantile.H2OFrame <- h2o.quantile

# ---- Combining and splitting ----------------------------------------------------------------

h2o.cbind <- function(...) {
  frs <- list(...)
  if (!length(frs) || !all(vapply(frs, is.H2OFrame, TRUE))) stop("h2o.cbind takes H2OFrames")
  .h2o.frame_expr(sprintf("(cbind %s)", paste(vapply(frs, .rid, ""), collapse = " ")))
}
h2o.rbind <- function(...) {
  frs <- list(...)
  if (!length(frs) || !all(vapply(frs, is.H2OFrame, TRUE))) stop("h2o.rbind takes H2OFrames")
  .h2o.frame_expr(sprintf("(rbind %s)", paste(vapply(frs, .rid, ""), collapse = " ")))
}
cbind.H2OFrame <- function(..., deparse.level = 1) h2o.cbind(...)
rbind.H2OFrame <- function(..., deparse.level = 1) h2o.rbind(...)

h2o.runif <- function(x, seed = -1) .h2o.frame_expr(sprintf("(h2o.runif %s %s)", .rid(x), .rid(seed)))

h2o.splitFrame <- function(data, ratios = 0.75, destination_frames, seed = -1) {
  if (!is.H2OFrame(data)) stop("`data` must be an H2OFrame")
  if (!is.numeric(ratios) || any(ratios <= 0) || sum(ratios) >= 1)
    stop("`ratios` must be positive and sum to less than 1, got ", paste(ratios, collapse = ", "))
  n <- length(ratios) + 1L
  if (!missing(destination_frames) && length(destination_frames) != n)
    stop("`destination_frames` must name ", n, " frames (one per split)")
  dests <- if (missing(destination_frames)) NULL else as.character(destination_frames)
  u <- h2o.runif(data, seed = seed)
  on.exit(.h2o.remove_key(h2o.getId(u)))
  bounds <- c(0, cumsum(ratios), 1)
  lapply(seq_len(n), function(k) {
    lo <- bounds[k]; hi <- bounds[k + 1L]
    mask <- if (k == 1L) sprintf("(< %s %s)", .rid(u), .rid(hi))
            else if (k == n) sprintf("(>= %s %s)", .rid(u), .rid(lo))
            else sprintf("(& (>= %s %s) (< %s %s))", .rid(u), .rid(lo), .rid(u), .rid(hi))
    expr <- sprintf("(rows %s %s)", .rid(data), mask)
    if (is.null(dests)) .h2o.frame_expr(expr)
    else .h2o.frame_expr(expr, key = dests[[k]], assign = TRUE)
  })
}

h2o.unique <- function(x, include_nas = FALSE)
  .h2o.frame_expr(sprintf("(unique %s %s)", .rid(x), .rid(include_nas)))
h2o.table <- function(x, y = NULL, dense = TRUE) {
  if (is.null(y)) .h2o.frame_expr(sprintf("(table %s %s)", .rid(x), .rid(dense)))
  else .h2o.frame_expr(sprintf("(table %s %s %s)", .rid(x), .rid(y), .rid(dense)))
}
