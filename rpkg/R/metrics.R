# Metrics objects (ModelMetrics*V3 JSON wrapped in S4), h2o.performance and the metric getters.

.h2o.new_metrics <- function(js, algorithm = "deeplearning", on_train = FALSE, on_valid = FALSE, on_xval = FALSE) {
  if (is.null(js)) return(NULL)
  cat_ <- js$model_category %||% sub("^ModelMetrics", "", js$`__meta`$schema_type %||% "")
  cls <- switch(cat_, Binomial = "H2OBinomialMetrics", Multinomial = "H2OMultinomialMetrics",
                Regression = "H2ORegressionMetrics", AutoEncoder = "H2OAutoEncoderMetrics", "H2OUnknownMetrics")
  m <- js
  for (nm in names(m)) if (.is_two_dim_table(m[[nm]])) m[[nm]] <- .h2o.table(m[[nm]])
  if (!is.null(m$cm) && .is_two_dim_table(js$cm$table)) m$cm$table <- .h2o.table(js$cm$table)
  for (nm in c("MSE", "RMSE", "logloss", "mean_per_class_error", "AUC", "pr_auc", "Gini", "mae", "rmsle",
               "r2", "mean_residual_deviance", "residual_deviance"))
    if (!is.null(m[[nm]]) && is.character(m[[nm]])) m[[nm]] <- .as_vector(list(m[[nm]]))
  new(cls, algorithm = algorithm, on_train = on_train, on_valid = on_valid, on_xval = on_xval, metrics = m)
}

# show() as h2o's R client prints metrics: a common head, then per category.
setMethod("show", "H2OModelMetrics", function(object) {
  cat(class(object), ": ", object@algorithm, "\n", sep = "")
  if (object@on_train) cat("** Reported on training data. **\n")
  if (object@on_valid) cat("** Reported on validation data. **\n")
  if (object@on_xval) cat("** Reported on cross-validation data. **\n")
  if (!is.null(object@metrics$description)) cat("** ", object@metrics$description, " **\n\n", sep = "")
  else cat("\n")
})

.h2o.metrics_set <- function(object) {
  if (object@on_train) "Training" else if (object@on_valid) "Validation" else if (object@on_xval)
    "Cross-Validation" else if (!is.null(object@metrics$frame$name)) "Test" else NULL
}

.h2o.show_multi_metrics <- function(o, which = "Training") {
  arg <- if (is.null(which)) "train" else switch(which, Validation = "valid", `Cross-Validation` = "xval",
                                                 Test = "test", "train")
  tm <- o@metrics
  if (!is.null(which)) cat(which, "Set Metrics: \n=====================\n")
  if (arg != "test" && !is.null(tm$frame$name))
    cat("\nExtract", tolower(which), "frame with", paste0("`h2o.getFrame(\"", tm$frame$name, "\")`"))
  if (!is.null(tm$MSE)) cat("\nMSE: (Extract with `h2o.mse`)", tm$MSE)
  if (!is.null(tm$RMSE)) cat("\nRMSE: (Extract with `h2o.rmse`)", tm$RMSE)
  if (!is.null(tm$mae)) cat("\nMAE: (Extract with `h2o.mae`)", tm$mae)
  if (!is.null(tm$rmsle)) cat("\nRMSLE: (Extract with `h2o.rmsle`)", tm$rmsle)
  if (!is.null(tm$logloss)) cat("\nLogloss: (Extract with `h2o.logloss`)", tm$logloss)
  if (!is.null(tm$mean_per_class_error)) cat("\nMean Per-Class Error:", tm$mean_per_class_error)
  if (!is.null(tm$AUC)) cat("\nAUC: (Extract with `h2o.auc`)", tm$AUC)
  if (!is.null(tm$pr_auc)) cat("\nAUCPR: (Extract with `h2o.aucpr`)", tm$pr_auc)
  if (!is.null(tm$cm) && arg != "xval") {
    if (arg != "test") cat(paste0("\nConfusion Matrix: Extract with `h2o.confusionMatrix(<model>,", arg, " = TRUE)`)\n"))
    else cat("\nConfusion Matrix: Extract with `h2o.confusionMatrix(<model>, <data>)`)\n")
    cat("=========================================================================\n")
    print(tm$cm$table)
  }
  if (!is.null(tm$hit_ratio_table)) {
    if (arg != "test") cat(paste0("\nHit Ratio Table: Extract with `h2o.hit_ratio_table(<model>,", arg, " = TRUE)`\n"))
    else cat("\nHit Ratio Table: Extract with `h2o.hit_ratio_table(<model>, <data>)`\n")
    cat("=======================================================================\n")
    print(tm$hit_ratio_table)
  }
  cat("\n")
  invisible(tm)
}

setMethod("show", "H2OMultinomialMetrics", function(object) {
  if (is.null(object@metrics)) return(print(NULL))
  callNextMethod(object)
  .h2o.show_multi_metrics(object, .h2o.metrics_set(object))
})

setMethod("show", "H2OBinomialMetrics", function(object) {
  callNextMethod(object)
  m <- object@metrics
  cat("MSE:  ", m$MSE, "\n", sep = "")
  cat("RMSE:  ", m$RMSE, "\n", sep = "")
  cat("LogLoss:  ", m$logloss, "\n", sep = "")
  cat("Mean Per-Class Error:  ", m$mean_per_class_error, "\n", sep = "")
  cat("AUC:  ", m$AUC, "\n", sep = "")
  cat("AUCPR:  ", m$pr_auc, "\n", sep = "")
  cat("Gini:  ", m$Gini, "\n", sep = "")
  cat("\n")
  cm <- h2o.confusionMatrix(object)
  if (is.null(cm)) print(NULL)
  else {
    attr(cm, "header") <- "Confusion Matrix (vertical: actual; across: predicted) for F1-optimal threshold"
    print(cm)
    cat("\n")
  }
  if (!is.null(m$max_criteria_and_metric_scores)) print(m$max_criteria_and_metric_scores)
  cat("\nGains/Lift Table: Extract with `h2o.gainsLift(<model>, <data>)` or `h2o.gainsLift(<model>, valid=<T/F>, xval=<T/F>)`")
})

setMethod("show", "H2ORegressionMetrics", function(object) {
  callNextMethod(object)
  m <- object@metrics
  cat("MSE:  ", m$MSE, "\n", sep = "")
  cat("RMSE:  ", m$RMSE, "\n", sep = "")
  cat("MAE:  ", m$mae, "\n", sep = "")
  cat("RMSLE:  ", m$rmsle, "\n", sep = "")
  cat("Mean Residual Deviance :  ", h2o.mean_residual_deviance(object), "\n", sep = "")
  cat("\n")
})

setMethod("show", "H2OAutoEncoderMetrics", function(object) {
  if (is.null(object@metrics)) return(print(NULL))
  callNextMethod(object)
  object@metrics$frame$name <- NULL
  if (object@on_train) .h2o.show_multi_metrics(object, "Training")
  if (object@on_valid) .h2o.show_multi_metrics(object, "Validation")
  if (object@on_xval) .h2o.show_multi_metrics(object, "Cross-Validation")
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

