# Model objects built from GET /3/Models/{id}, their printing, and what can be asked of them
# (predict, varimp, scoring history, anomaly, deep features, weights/biases, CV models).

# A parameter record's value as R sees it: keys -> names, column specifiers -> column names.
.h2o.param_value <- function(v) {
  if (is.null(v)) return(NULL)
  if (is.list(v) && !is.null(v$column_name)) return(v$column_name)
  if (is.list(v) && !is.null(v$name) && !is.null(v$type)) return(v$name)
  if (is.list(v) && length(v) && all(vapply(v, function(e) is.list(e) && !is.null(e$name), TRUE)))
    return(vapply(v, function(e) e$name, ""))
  if (is.list(v)) { if (!length(v)) return(NULL); return(.as_vector(v)) }
  if (identical(v, "Infinity")) return(Inf)
  if (identical(v, "-Infinity")) return(-Inf)
  v
}

.h2o.new_model <- function(js) {
  out <- js$output
  category <- out$model_category %||% "Unknown"
  cls <- switch(category, Binomial = "H2OBinomialModel", Multinomial = "H2OMultinomialModel",
                Regression = "H2ORegressionModel", AutoEncoder = "H2OAutoEncoderModel", "H2OUnknownModel")
  algo <- js$algo %||% "deeplearning"
  params <- list(); allparams <- list(); parameters <- list()
  for (p in js$parameters) {
    actual <- .h2o.param_value(p$actual_value)
    default <- .h2o.param_value(p$default_value)
    input <- .h2o.param_value(p$input_value)
    params$actual[p$name] <- list(actual)
    params$default[p$name] <- list(default)
    params$input[p$name] <- list(input)
    allparams[p$name] <- list(actual)
    if (isTRUE(p$required) || (!is.null(actual) && !identical(actual, default) &&
                               !isTRUE(all.equal(actual, default, check.attributes = FALSE))))
      parameters[p$name] <- list(actual)
  }
  y <- .h2o.param_value(js$response_column_name) %||% allparams$response_column
  names_ <- unlist(out$names)
  # As h2o's R client: x = the training frame's columns minus the ignored ones and y (constant
  # columns the model dropped included); the model's own names when the frame is gone.
  cols <- tryCatch(.fr_meta(.newH2OFrame(allparams$training_frame))$names, error = function(e) NULL)
  if (is.null(cols) || is.null(allparams$training_frame)) cols <- names_
  x <- setdiff(cols, c(allparams$ignored_columns, y, allparams$weights_column, allparams$offset_column,
                       allparams$fold_column))
  parameters$response_column <- NULL; allparameters <- allparams; allparameters$response_column <- NULL
  parameters$ignored_columns <- NULL
  parameters$x <- x; allparameters$x <- x
  if (!identical(category, "AutoEncoder") && !is.null(y)) { parameters$y <- y; allparameters$y <- y }
  model <- out
  model$`__meta` <- NULL
  model$model_category <- NULL
  for (nm in names(model)) {
    v <- model[[nm]]
    if (nm %in% c("training_metrics", "validation_metrics", "cross_validation_metrics")) {
      model[nm] <- list(.h2o.new_metrics(v, algo, on_train = nm == "training_metrics",
                                          on_valid = nm == "validation_metrics",
                                          on_xval = nm == "cross_validation_metrics"))
    } else if (.is_two_dim_table(v)) {
      model[[nm]] <- .h2o.table(v)
    }
  }
  model$names <- names_
  model$domains <- lapply(out$domains, function(d) if (is.null(d)) NULL else unlist(d))
  model$model_category <- category
  new(cls, model_id = js$model_id$name, algorithm = algo, parameters = parameters,
      allparameters = allparameters, params = params, have_pojo = isTRUE(js$have_pojo),
      have_mojo = isTRUE(js$have_mojo), model = model)
}

# show()/summary() as h2o's R client prints models.
.h2o.show_model <- function(object, key_label) {
  m <- object@model
  cat("Model Details:\n")
  cat("==============\n\n")
  cat(class(object), ": ", object@algorithm, "\n", sep = "")
  cat(key_label, object@model_id, "\n")
  print(m$model_summary)
  cat("\n")
  cat("\n")
  if (!is.null(m$training_metrics)) print(m$training_metrics)
  cat("\n")
  if (!is.null(m$validation_metrics)) print(m$validation_metrics)
  cat("\n")
  if (!is.null(m$cross_validation_metrics)) print(m$cross_validation_metrics)
  cat("\n")
  if (!is.null(m$cross_validation_metrics_summary)) print(m$cross_validation_metrics_summary)
}

setMethod("show", "H2OModel", function(object) .h2o.show_model(object, "Model ID: "))

summary.H2OModel <- function(object, ...) {
  .h2o.show_model(object, "Model Key: ")
  cat("\n")
  print(h2o.scoreHistory(object))
  cat("\n")
  if (!is.null(object@model$variable_importances)) {
    cat("Variable Importances: (Extract with `h2o.varimp`) \n")
    cat("=================================================\n\n")
    print(h2o.varimp(object))
  }
  invisible(object)
}
setMethod("summary", "H2OModel", function(object, ...) summary.H2OModel(object, ...))

# ---- Scoring --------------------------------------------------------------------------------

h2o.predict <- function(object, newdata, ...) {
  if (!is(object, "H2OModel")) stop("`object` must be an H2OModel")
  if (missing(newdata) || !is.H2OFrame(newdata)) stop("`newdata` must be an H2OFrame")
  res <- .h2o.request("POST", sprintf("/4/Predictions/models/%s/frames/%s", .url_escape(object@model_id),
                                      .url_escape(h2o.getId(newdata))), list())
  job <- .h2o.wait_job(.h2o.job_key(res))
  h2o.getFrame(job$dest$name)
}
predict.H2OModel <- function(object, newdata, ...) h2o.predict(object, newdata, ...)
setMethod("predict", "H2OModel", function(object, ...) h2o.predict(object, ...))

h2o.anomaly <- function(object, data, per_feature = FALSE) {
  if (!is(object, "H2OAutoEncoderModel")) stop("h2o.anomaly needs an autoencoder model (autoencoder = TRUE)")
  if (!is.H2OFrame(data)) stop("`data` must be an H2OFrame")
  res <- .h2o.request("POST", sprintf("/3/Predictions/models/%s/frames/%s", .url_escape(object@model_id),
                                      .url_escape(h2o.getId(data))),
                      list(reconstruction_error = TRUE, reconstruction_error_per_feature = isTRUE(per_feature)))
  key <- res$model_metrics[[1]]$predictions$frame_id$name
  h2o.getFrame(key)
}

h2o.deepfeatures <- function(object, data, layer = NULL) {
  if (!is(object, "H2OModel")) stop("`object` must be an H2OModel")
  if (!is.H2OFrame(data)) stop("`data` must be an H2OFrame")
  args <- list()
  if (is.null(layer)) layer <- 1L
  if (is.character(layer)) args$deep_features_hidden_layer_name <- layer
  else {
    nh <- length(object@allparameters$hidden)
    if (layer < 1 || (nh && layer > nh)) stop("`layer` must be between 1 and ", nh, " (1-based), got ", layer)
    args$deep_features_hidden_layer <- as.integer(layer) - 1L
  }
  res <- .h2o.request("POST", sprintf("/4/Predictions/models/%s/frames/%s", .url_escape(object@model_id),
                                      .url_escape(h2o.getId(data))), args)
  job <- .h2o.wait_job(.h2o.job_key(res))
  h2o.getFrame(job$dest$name)
}

.h2o.wb_frame <- function(object, what, i) {
  keys <- object@model[[what]]
  if (!length(keys))
    stop("No ", what, " stored in the model: train it with export_weights_and_biases = TRUE")
  if (i < 1 || i > length(keys)) stop("index must be between 1 and ", length(keys), " (1-based), got ", i)
  k <- keys[[i]]
  h2o.getFrame(if (is.list(k)) k$name else k)
}
h2o.weights <- function(object, matrix_id = 1) .h2o.wb_frame(object, "weights", matrix_id)
h2o.biases <- function(object, vector_id = 1) .h2o.wb_frame(object, "biases", vector_id)

h2o.varimp <- function(object, ...) {
  vi <- object@model$variable_importances
  if (is.null(vi)) { warning("This model doesn't have variable importances", call. = FALSE); return(invisible(NULL)) }
  vi
}

# A horizontal bar chart of the scaled importances, the most important on top (the first
# `num_of_features`, 10 by default), drawn with base graphics as h2o does.
h2o.varimp_plot <- function(model, num_of_features = NULL) {
  vi <- h2o.varimp(model)
  if (is.null(vi)) return(invisible(NULL))
  if (!is.null(num_of_features) && (!is.numeric(num_of_features) || length(num_of_features) != 1L ||
                                    num_of_features < 1))
    stop("`num_of_features` must be a positive number")
  n <- min(nrow(vi), if (is.null(num_of_features)) 10L else as.integer(num_of_features))
  labels <- as.character(vi$variable[seq_len(n)])
  op <- graphics::par(mai = c(1.02, max(graphics::strwidth(labels, "inch") + 0.4, na.rm = TRUE), 0.82, 0.42))
  on.exit(graphics::par(op))
  graphics::barplot(rev(vi$scaled_importance[seq_len(n)]), names.arg = rev(labels), space = 1, las = 2,
                    horiz = TRUE, col = "#1F77B4", xlim = c(0, 1), main = "Variable Importance: Deep Learning")
}

h2o.scoreHistory <- function(object, ...) object@model$scoring_history
h2o.scoring_history <- h2o.scoreHistory

h2o.cross_validation_models <- function(object) {
  keys <- object@model$cross_validation_models
  if (!length(keys)) return(NULL)
  lapply(keys, function(k) h2o.getModel(if (is.list(k)) k$name else k))
}
h2o.cross_validation_predictions <- function(object) {
  keys <- object@model$cross_validation_predictions
  if (!length(keys)) return(NULL)
  lapply(keys, function(k) h2o.getFrame(if (is.list(k)) k$name else k))
}
h2o.cross_validation_holdout_predictions <- function(object) {
  k <- object@model$cross_validation_holdout_predictions_frame_id
  if (is.null(k)) NULL else h2o.getFrame(if (is.list(k)) k$name else k)
}
h2o.cross_validation_fold_assignment <- function(object) {
  k <- object@model$cross_validation_fold_assignment_frame_id
  if (is.null(k)) NULL else h2o.getFrame(if (is.list(k)) k$name else k)
}
