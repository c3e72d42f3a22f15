# S4 classes with h2o's names and slots: models, metrics, grids; and H2OTable (a data.frame
# made from a TwoDimTableV3, printed with its title).

setClass("Keyed", representation("VIRTUAL"))

setClass("H2OModel", contains = c("Keyed", "VIRTUAL"),
         representation(model_id = "character", algorithm = "character", parameters = "list",
                        allparameters = "list", params = "list", have_pojo = "logical",
                        have_mojo = "logical", model = "list"))
setClass("H2OBinomialModel", contains = "H2OModel")
setClass("H2OMultinomialModel", contains = "H2OModel")
setClass("H2ORegressionModel", contains = "H2OModel")
setClass("H2OAutoEncoderModel", contains = "H2OModel")
setClass("H2OUnknownModel", contains = "H2OModel")

setClassUnion("listOrNULL", c("list", "NULL"))
setClass("H2OModelMetrics", contains = "VIRTUAL",
         representation(algorithm = "character", on_train = "logical", on_valid = "logical",
                        on_xval = "logical", metrics = "listOrNULL"))
setClass("H2OBinomialMetrics", contains = "H2OModelMetrics")
setClass("H2OMultinomialMetrics", contains = "H2OModelMetrics")
setClass("H2ORegressionMetrics", contains = "H2OModelMetrics")
setClass("H2OAutoEncoderMetrics", contains = "H2OModelMetrics")
setClass("H2OUnknownMetrics", contains = "H2OModelMetrics")

setClass("H2OGrid", contains = "Keyed",
         representation(grid_id = "character", model_ids = "list", hyper_names = "list",
                        failed_params = "list", failure_details = "list", failure_stack_traces = "list",
                        failed_raw_params = "matrix", summary_table = "ANY"))

# ---- TwoDimTableV3 -> H2OTable --------------------------------------------------------------

.is_two_dim_table <- function(x)
  is.list(x) && !is.null(names(x)) &&
    ((is.list(x[["__meta"]]) && identical(x[["__meta"]][["schema_type"]], "TwoDimTable")) ||
     (!is.null(x[["columns"]]) && !is.null(x[["data"]]) && !is.null(x[["rowcount"]])))

.h2o.table <- function(t) {
  if (is.null(t)) return(NULL)
  cols <- t$columns
  nrow_ <- as.integer(t$rowcount %||% 0L)
  cnms <- vapply(cols, function(c) as.character(c$name %||% ""), "")
  types <- vapply(cols, function(c) as.character(c$type %||% "string"), "")
  fmts <- vapply(cols, function(c) as.character(c$format %||% "%s"), "")
  data <- lapply(seq_along(cols), function(j) {
    v <- t$data[[j]]
    if (is.null(v)) v <- rep(list(NULL), nrow_)
    v <- .null_to_na(v)
    switch(types[j],
      int = as.integer(.as_vector(v)),
      long = , float = , double = as.numeric(.as_vector(v)),
      vapply(v, function(e) if (length(e) == 1L && is.na(e)) "" else toString(e), ""))
  })
  names(data) <- make.unique(cnms)
  df <- as.data.frame(data, stringsAsFactors = FALSE, check.names = FALSE)
  if (identical(t$name, "Confusion Matrix") && length(cnms) > 2L) {
    rownames(df) <- make.unique(c(cnms[seq_len(length(cnms) - 2L)], "Totals"))[seq_len(nrow(df))]
  } else if (length(cnms) && !nzchar(cnms[1L])) {
    rnms <- df[[1L]]
    df <- df[-1L]
    fmts <- fmts[-1L]
    if (length(rnms) > 0 && all(nzchar(rnms))) rownames(df) <- make.unique(rnms)
  }
  attr(df, "header") <- t$name
  attr(df, "formats") <- fmts
  attr(df, "description") <- t$description
  class(df) <- c("H2OTable", "data.frame")
  df
}

.format_cells <- function(x, format) {
  tryCatch(vapply(x, function(i) if (is.na(i)) "" else sprintf(format, i), ""),
           error = function(e) ifelse(is.na(x), "", as.character(x)))
}

# As h2o prints tables: cells through their formats ("%.2f %%" shows 20.00 %), empty columns
# and rows dropped, "name: description" above, long tables as first 5 / --- / last 6 rows.
print.H2OTable <- function(x, header = TRUE, ...) {
  formats <- attr(x, "formats")
  xx <- as.list(x)
  if (!is.null(formats) && length(formats) == length(xx)) {
    for (j in seq_along(xx)) {
      f <- if (formats[j] == "%d") "%.f" else formats[j]
      xx[[j]] <- .format_cells(x[[j]], f)
    }
  }
  xx <- data.frame(xx, check.names = FALSE, stringsAsFactors = FALSE, row.names = rownames(x))
  keep_cols <- vapply(xx, function(y) any(nzchar(as.character(y))), TRUE)
  xx <- xx[keep_cols]
  if (ncol(xx)) xx <- xx[apply(xx, 1L, function(y) any(nzchar(as.character(y)))), , drop = FALSE]
  if (header && !is.null(attr(x, "header"))) {
    cat(attr(x, "header"), ":", sep = "")
    if (!is.null(attr(x, "description"))) cat(" ", attr(x, "description"), sep = "")
    cat("\n")
  }
  nr <- nrow(xx)
  if (nr > 20L) {
    print(xx[1L:5L, , drop = FALSE], ...)
    cat("\n---\n")
    print(xx[(nr - 5L):nr, , drop = FALSE], ...)
  } else {
    print(xx, ...)
  }
  invisible(x)
}
