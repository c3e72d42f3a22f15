# Saving and loading models on the backend's file system (GET/POST /99/Models.bin).

h2o.saveModel <- function(object, path = "", force = FALSE, export_cross_validation_predictions = FALSE,
                          filename = "") {
  if (!is(object, "H2OModel")) stop("`object` must be an H2OModel")
  if (!is.character(path) || length(path) != 1L) stop("`path` must be a directory path")
  if (!is.character(filename) || length(filename) != 1L) stop("`filename` must be a file name")
  name <- if (nzchar(filename)) filename else object@model_id
  dir <- file.path(path, name)
  res <- .h2o.request("GET", paste0("/99/Models.bin/", .url_escape(object@model_id)),
                      list(dir = dir, force = if (isTRUE(force)) "TRUE" else "FALSE",
                           export_cross_validation_predictions =
                             if (isTRUE(export_cross_validation_predictions)) "TRUE" else "FALSE"))
  res$dir %||% dir
}

h2o.loadModel <- function(path) {
  if (!is.character(path) || length(path) != 1L || !nzchar(path)) stop("`path` must be the path of a saved model")
  res <- .h2o.request("POST", "/99/Models.bin/", list(dir = path))
  h2o.getModel(res$models[[1]]$model_id$name)
}
