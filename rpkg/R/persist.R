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

# Copying a model's file between the backend and this machine (GET /3/Models.fetch.bin, then
# POST /3/PostFile.bin + /99/Models.upload.bin to bring it back).

h2o.download_model <- function(model, path = NULL, export_cross_validation_predictions = FALSE, filename = NULL) {
  if (!is(model, "H2OModel")) stop("`model` must be an H2OModel")
  if (!is.null(path) && (!is.character(path) || length(path) != 1L)) stop("The 'path' variable should be of type character")
  if (!is.null(path) && !dir.exists(path)) stop("'path', ", path, ", to save model is not valid.")
  file_path <- file.path(path %||% getwd(), filename %||% model@model_id)
  bytes <- .h2o.request("GET", paste0("/3/Models.fetch.bin/", .url_escape(model@model_id)),
                        list(export_cross_validation_predictions = isTRUE(export_cross_validation_predictions)),
                        binary = TRUE)
  writeBin(bytes, file_path)
  file_path
}

h2o.upload_model <- function(path) {
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path))
    stop("`path` must be a non-empty character string")
  if (!file.exists(path) || dir.exists(path)) stop("File ", path, " does not exist")
  up <- .h2o.request("POST", "/3/PostFile.bin", list(), body = list(file = httr::upload_file(normalizePath(path))))
  res <- .h2o.request("POST", "/99/Models.upload.bin/", list(dir = up$destination_frame))
  h2o.getModel(res$models[[1]]$model_id$name)
}
