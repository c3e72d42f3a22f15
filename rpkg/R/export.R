# Writing frames out: to a file on the backend's machine (POST /3/Frames/{id}/export, a job) or
# to a CSV file here (GET /3/DownloadDataset).

h2o.exportFile <- function(data, path, force = FALSE, sep = ",", compression = NULL, parts = 1,
                           header = TRUE, quote_header = TRUE, format = "csv", write_checksum = TRUE) {
  if (!is.H2OFrame(data)) stop("`data` must be an H2OFrame object")
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path))
    stop("`path` must be a non-empty character string")
  for (flag in c("force", "header", "quote_header", "write_checksum")) {
    v <- get(flag)
    if (!is.logical(v) || length(v) != 1L || is.na(v)) stop("`", flag, "` must be TRUE or FALSE")
  }
  if (!is.numeric(parts) || length(parts) != 1L || is.na(parts) || parts != as.integer(parts))
    stop("`parts` must be -1, 1 or any other positive integer number")
  if (!is.character(sep) || length(sep) != 1L || nchar(sep) != 1L) stop("`sep` must be a single character")
  # a relative path is taken from R's working directory, as in the Python client
  res <- .h2o.request("POST", paste0("/3/Frames/", .url_escape(h2o.getId(data)), "/export"),
                      list(path = normalizePath(path.expand(path), mustWork = FALSE), num_parts = as.integer(parts),
                           force = force, separator = utf8ToInt(sep), compression = compression,
                           header = header, quote_header = quote_header, format = format,
                           write_checksum = write_checksum))
  invisible(.h2o.wait_job(.h2o.job_key(res)))
}

h2o.downloadCSV <- function(data, filename) {
  if (!is.H2OFrame(data)) stop("`data` must be an H2OFrame object")
  if (missing(filename) || !is.character(filename) || length(filename) != 1L || !nzchar(filename))
    stop("`filename` must be the path of the CSV file to write")
  text <- .h2o.request("GET", "/3/DownloadDataset", list(frame_id = h2o.getId(data)), raw = TRUE)
  writeLines(text, filename, sep = "", useBytes = TRUE)
  invisible(filename)
}
