# One backend for the whole testthat run, started through h2o.init() on a free port and shut
# down at the end.  The repository's Python (.venv/bin/python) and its shipped data are found
# relative to this directory unless H2OLITE_PYTHON / H2OLITE_DATA say otherwise.

repo_root <- normalizePath(file.path(testthat::test_path(), "..", "..", ".."), mustWork = FALSE)
if (!nzchar(Sys.getenv("H2OLITE_PYTHON"))) {
  venv_python <- file.path(repo_root, ".venv", "bin", "python")
  if (file.exists(venv_python)) Sys.setenv(H2OLITE_PYTHON = venv_python)
}
data_dir <- Sys.getenv("H2OLITE_DATA", file.path(repo_root, "h2olite", "datasets", "data"))
data_file <- function(rel) {
  path <- file.path(data_dir, rel)
  if (!file.exists(path)) testthat::skip(paste0("shipped data not found: ", path, " (set H2OLITE_DATA)"))
  path
}

free_port <- function() {
  for (i in 1:50) {
    p <- sample(20000:40000, 1)
    con <- tryCatch(suppressWarnings(socketConnection("127.0.0.1", p, open = "r", timeout = 0.2)),
                    error = function(e) NULL)
    if (is.null(con)) return(p)
    close(con)
  }
  stop("no free port found")
}

h2o.no_progress()
test_port <- as.integer(Sys.getenv("H2OLITE_TEST_PORT", free_port()))
invisible(capture.output(h2o.init(port = test_port, nthreads = 2)))
if (!is.null(h2o.getConnection()@mutable$process))          # only a backend these tests started
  withr::defer(try(h2o.shutdown(prompt = FALSE), silent = TRUE), testthat::teardown_env())

# Endpoints the backend serves (from its OpenAPI document); tests of parts that are not served
# yet are skipped, naming the missing endpoint.
served_paths <- tryCatch(names(h2olite:::.h2o.GET("/3/openapi.json")$paths), error = function(e) NULL)
skip_without <- function(path) {
  if (!is.null(served_paths) && !(path %in% served_paths))
    testthat::skip(paste0("the backend does not serve ", path, " yet"))
}
