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
  names_ <- vapply(cols, function(c) as.character(c$name %||% ""), "")
  types <- vapply(cols, function(c) as.character(c$type %||% "string"), "")
  data <- lapply(seq_along(cols), function(j) {
    v <- t$data[[j]]
    if (is.null(v)) v <- rep(list(NULL), nrow_)
    v <- .null_to_na(v)
    if (types[j] %in% c("int", "long", "float", "double", "integer", "number")) {
      as.numeric(vapply(v, function(e) if (is.character(e)) suppressWarnings(as.numeric(
        switch(e, "NaN" = NaN, "Infinity" = Inf, "-Infinity" = -Inf, e))) else as.numeric(e), 0))
    } else {
      vapply(v, function(e) if (is.na(e)) "" else as.character(e), "")
    }
  })
  df <- as.data.frame(setNames(data, make.unique(ifelse(nzchar(names_), names_, "V"))),
                      stringsAsFactors = FALSE, check.names = FALSE)
  if (length(names_) && !nzchar(names_[1]) && nrow(df) && !anyDuplicated(df[[1]])) {
    rownames(df) <- df[[1]]
    df <- df[-1]
  } else if (length(names_) && !nzchar(names_[1])) {
    names(df)[1] <- ""
  }
  attr(df, "header") <- t$name %||% ""
  attr(df, "description") <- t$description %||% ""
  attr(df, "formats") <- vapply(cols, function(c) as.character(c$format %||% ""), "")
  class(df) <- c("H2OTable", "data.frame")
  df
}

print.H2OTable <- function(x, header = TRUE, ...) {
  if (header) {
    h <- attr(x, "header"); d <- attr(x, "description")
    if (!is.null(h) && nzchar(h)) cat(h, ": ", if (!is.null(d) && nzchar(d)) d else "", "\n", sep = "")
  }
  df <- x
  class(df) <- "data.frame"
  attr(df, "header") <- NULL; attr(df, "description") <- NULL; attr(df, "formats") <- NULL
  print(df, ...)
  invisible(x)
}
