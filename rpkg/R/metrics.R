# Metrics objects (ModelMetrics*V3 JSON wrapped in S4), h2o.performance and the metric getters.

.h2o.new_metrics <- function(js, algorithm = "deeplearning", on_train = FALSE, on_valid = FALSE, on_xval = FALSE) {
  if (is.null(js)) return(NULL)
  cat_ <- js$model_category %||% sub("^ModelMetrics", "", js$`__meta`$schema_type %||% "")
  cls <- switch(cat_, Binomial = "H2OBinomialMetrics", Multinomial = "H2OMultinomialMetrics",
                Regression = "H2ORegressionMetrics", AutoEncoder = "H2OAutoEncoderMetrics", "H2OUnknownMetrics")
  m <- js
  for (nm in names(m)) if (.is_two_dim_table(m[[nm]])) m[[nm]] <- .h2o.table(m[[nm]])
  if (!is.null(m$cm) && .is_two_dim_table(js$cm$table)) m$cm$table <- .h2o.cm_table(js$cm$table)
  for (nm in c("MSE", "RMSE", "logloss", "mean_per_class_error", "AUC", "pr_auc", "Gini", "mae", "rmsle",
               "r2", "mean_residual_deviance", "residual_deviance"))
    if (!is.null(m[[nm]]) && is.character(m[[nm]])) m[[nm]] <- .as_vector(list(m[[nm]]))
  new(cls, algorithm = algorithm, on_train = on_train, on_valid = on_valid, on_xval = on_xval, metrics = m)
}

.fmt_num <- function(v) if (is.null(v)) "NaN" else format(v, digits = 7)

setMethod("show", "H2OModelMetrics", function(object) {
  m <- object@metrics
  cat(class(object), ": ", object@algorithm, "\n", sep = "")
  where <- if (object@on_train) "training" else if (object@on_valid) "validation" else if (object@on_xval)
    "cross-validation" else "test"
  cat("** Reported on ", where, " data. **\n", sep = "")
  if (!is.null(m$description)) cat("** ", m$description, " **\n", sep = "")
  cat("\n")
  set <- if (object@on_train) "Training" else if (object@on_valid) "Validation" else if (object@on_xval)
    "Cross-Validation" else "Test"
  flag <- if (object@on_train) "train" else if (object@on_valid) "valid" else "xval"
  cat(set, " Set Metrics: \n", strrep("=", nchar(set) + 14), "\n", sep = "")
  if (!is.null(m$frame$name)) cat("\nExtract ", tolower(set), " frame with `h2o.getFrame(\"", m$frame$name, "\")`\n", sep = "")
  cat("MSE: (Extract with `h2o.mse`)", .fmt_num(m$MSE), "\n")
  cat("RMSE: (Extract with `h2o.rmse`)", .fmt_num(m$RMSE), "\n")
  if (is(object, "H2ORegressionMetrics")) {
    cat("MAE: (Extract with `h2o.mae`)", .fmt_num(m$mae), "\n")
    cat("RMSLE: (Extract with `h2o.rmsle`)", .fmt_num(m$rmsle), "\n")
    cat("Mean Residual Deviance : (Extract with `h2o.mean_residual_deviance`)", .fmt_num(m$mean_residual_deviance), "\n")
    if (!is.null(m$r2)) cat("R^2 : (Extract with `h2o.r2`)", .fmt_num(m$r2), "\n")
  }
  if (is(object, "H2OBinomialMetrics") || is(object, "H2OMultinomialMetrics")) {
    cat("Logloss: (Extract with `h2o.logloss`)", .fmt_num(m$logloss), "\n")
    cat("Mean Per-Class Error:", .fmt_num(m$mean_per_class_error), "\n")
  }
  if (is(object, "H2OBinomialMetrics")) {
    cat("AUC: (Extract with `h2o.auc`)", .fmt_num(m$AUC), "\n")
    cat("AUCPR: (Extract with `h2o.aucpr`)", .fmt_num(m$pr_auc), "\n")
    cat("Gini: (Extract with `h2o.gini`)", .fmt_num(m$Gini), "\n")
  }
  if (!is.null(m$cm$table) && (is(object, "H2OBinomialMetrics") || is(object, "H2OMultinomialMetrics"))) {
    hint <- if (set == "Test") "Confusion Matrix: Extract with `h2o.confusionMatrix(<model>, <data>)`"
            else sprintf("Confusion Matrix: Extract with `h2o.confusionMatrix(<model>,%s = TRUE)`)", flag)
    cat(hint, "\n", strrep("=", nchar(hint)), "\n", sep = "")
    print(m$cm$table)
  }
  if (!is.null(m$hit_ratio_table) && is(object, "H2OMultinomialMetrics")) {
    hint <- if (set == "Test") "Hit Ratio Table: Extract with `h2o.hit_ratio_table(<model>, <data>)`"
            else sprintf("Hit Ratio Table: Extract with `h2o.hit_ratio_table(<model>,%s = TRUE)`", flag)
    cat("\n", hint, "\n", strrep("=", nchar(hint)), "\n", sep = "")
    print(m$hit_ratio_table)
  }
  cat("\n")
  invisible(object)
})

h2o.performance <- function(model, newdata = NULL, train = FALSE, valid = FALSE, xval = FALSE,
                            data = NULL, auc_type = "NONE") {
  if (!is(model, "H2OModel")) stop("`model` must be an H2OModel")
  if (!is.null(data) && is.null(newdata)) newdata <- data
  if (sum(isTRUE(train), isTRUE(valid), isTRUE(xval)) > 1L)
    stop("only one of train, valid and xval may be TRUE")
  if (!is.null(newdata)) {
    if (!is.H2OFrame(newdata)) stop("`newdata` must be an H2OFrame")
    y <- model@allparameters$y %||% model@parameters$y
    if (!is.null(y) && !(y %in% names(newdata))) {
      warning("Response column \"", y, "\" is missing from newdata: no performance metrics can be computed")
      return(NULL)
    }
    args <- list()
    if (!identical(toupper(auc_type), "NONE")) args$auc_type <- auc_type
    res <- .h2o.request("POST", sprintf("/3/ModelMetrics/models/%s/frames/%s", .url_escape(model@model_id),
                                        .url_escape(h2o.getId(newdata))), args)
    mm <- res$model_metrics
    pick <- Filter(function(m) identical(m$frame$name, h2o.getId(newdata)), mm)
    return(.h2o.new_metrics(if (length(pick)) pick[[1]] else mm[[1]], model@algorithm))
  }
  out <- model@model
  if (isTRUE(valid)) return(out$validation_metrics)
  if (isTRUE(xval)) return(out$cross_validation_metrics)
  out$training_metrics
}

# One flag -> a scalar, several -> a named vector; a model without any flag -> training value.
.h2o.metric <- function(object, field, train, valid, xval, fun = NULL) {
  get1 <- function(m) {
    if (is.null(m)) return(NULL)
    v <- if (is.null(fun)) m@metrics[[field]] else fun(m)
    if (is.null(v)) NaN else if (is.list(v)) .as_vector(v) else v
  }
  if (is(object, "H2OModelMetrics")) return(get1(object))
  if (!is(object, "H2OModel")) stop("`object` must be an H2OModel or H2OModelMetrics object")
  flags <- c(train = isTRUE(train), valid = isTRUE(valid), xval = isTRUE(xval))
  if (!any(flags)) flags["train"] <- TRUE
  slot_of <- c(train = "training_metrics", valid = "validation_metrics", xval = "cross_validation_metrics")
  out <- list()
  for (k in names(flags)[flags]) {
    m <- object@model[[slot_of[[k]]]]
    if (is.null(m)) {
      warning(switch(k, train = "No training metrics available.", valid = "No validation metrics available.",
                     xval = "No cross-validation metrics available."), call. = FALSE)
      next
    }
    out[[k]] <- get1(m)
  }
  if (!length(out)) return(invisible(NULL))
  if (sum(flags) == 1L) return(out[[1]])
  unlist(out)
}

h2o.mse <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "MSE", train, valid, xval)
h2o.rmse <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "RMSE", train, valid, xval)
h2o.logloss <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "logloss", train, valid, xval)
h2o.auc <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "AUC", train, valid, xval)
h2o.aucpr <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "pr_auc", train, valid, xval)
h2o.r2 <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "r2", train, valid, xval)
h2o.mae <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "mae", train, valid, xval)
h2o.rmsle <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "rmsle", train, valid, xval)
h2o.giniCoef <- function(object, train = FALSE, valid = FALSE, xval = FALSE) .h2o.metric(object, "Gini", train, valid, xval)
h2o.mean_residual_deviance <- function(object, train = FALSE, valid = FALSE, xval = FALSE)
  .h2o.metric(object, "mean_residual_deviance", train, valid, xval)
h2o.mean_per_class_error <- function(object, train = FALSE, valid = FALSE, xval = FALSE)
  .h2o.metric(object, "mean_per_class_error", train, valid, xval)

h2o.hit_ratio_table <- function(object, train = FALSE, valid = FALSE, xval = FALSE) {
  if (is(object, "H2OModelMetrics")) return(object@metrics$hit_ratio_table)
  flags <- c(train = isTRUE(train), valid = isTRUE(valid), xval = isTRUE(xval))
  if (!any(flags)) flags["train"] <- TRUE
  slot_of <- c(train = "training_metrics", valid = "validation_metrics", xval = "cross_validation_metrics")
  out <- lapply(names(flags)[flags], function(k) {
    m <- object@model[[slot_of[[k]]]]
    if (is.null(m)) NULL else m@metrics$hit_ratio_table
  })
  names(out) <- names(flags)[flags]
  if (length(out) == 1L) out[[1]] else out
}

h2o.confusionMatrix <- function(object, newdata, valid = FALSE, xval = FALSE, ...) {
  if (is(object, "H2OModelMetrics")) return(object@metrics$cm$table)
  if (!is(object, "H2OModel")) stop("`object` must be an H2OModel or H2OModelMetrics object")
  if (!missing(newdata)) {
    m <- h2o.performance(object, newdata = newdata)
    return(if (is.null(m)) NULL else m@metrics$cm$table)
  }
  m <- if (isTRUE(valid)) object@model$validation_metrics else if (isTRUE(xval))
    object@model$cross_validation_metrics else object@model$training_metrics
  if (is.null(m)) {
    warning(if (isTRUE(valid)) "No validation metrics available." else if (isTRUE(xval))
      "No cross-validation metrics available." else "No training metrics available.", call. = FALSE)
    return(invisible(NULL))
  }
  m@metrics$cm$table
}

# Confusion matrices print with the actual classes as row names and a "Totals" row, as h2o's R does.
.h2o.cm_table <- function(t) {
  cm <- .h2o.table(t)
  k <- ncol(cm) - 2L
  if (k >= 1L && nrow(cm) == k + 1L && identical(rownames(cm), as.character(seq_len(nrow(cm)))))
    rownames(cm) <- c(names(cm)[seq_len(k)], "Totals")
  cm
}
