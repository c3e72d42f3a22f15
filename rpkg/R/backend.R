# Starting a local backend: the Python package h2olite_server, run as
# `python -m h2olite_server --port P --nthreads N --parent-pid <R's pid>` so that the backend
# exits when this R session ends.

.h2o.find_python <- function() {
  env <- Sys.getenv("H2OLITE_PYTHON", "")
  candidates <- if (nzchar(env)) env else unname(Sys.which(c("python3", "python")))
  candidates <- candidates[nzchar(candidates)]
  for (py in candidates) {
    if (!file.exists(py) && !nzchar(Sys.which(py))) next
    ok <- suppressWarnings(system2(py, c("-c", shQuote("import h2olite_server")),
                                   stdout = FALSE, stderr = FALSE, env = .h2o.python_env()))
    if (identical(ok, 0L)) return(py)
  }
  stop(paste0(
    "Cannot start the h2olite backend: no Python with the 'h2olite_server' package was found",
    if (nzchar(env)) paste0(" (H2OLITE_PYTHON=", env, " cannot import h2olite_server)")
    else " (python3 on the PATH cannot import h2olite_server)", ".\n",
    "Install it with `pip install h2olite` (or `make install` in the h2olite repository) and/or ",
    "point the environment variable H2OLITE_PYTHON at that Python, e.g. ",
    "Sys.setenv(H2OLITE_PYTHON = \"/path/to/venv/bin/python\")."), call. = FALSE)
}

.h2o.mem_bytes <- function(x) {
  if (is.null(x)) return(NULL)
  if (is.numeric(x)) return(as.numeric(x))
  m <- regmatches(x, regexec("^([0-9.]+)\\s*([kKmMgGtT]?)[bB]?$", x))[[1]]
  if (!length(m)) stop("`max_mem_size` must look like \"4g\", \"512m\" or a number of bytes, got \"", x, "\"")
  mult <- c(k = 1024, m = 1024^2, g = 1024^3, t = 1024^4)[tolower(m[3])]
  as.numeric(m[2]) * (if (is.na(mult)) 1 else mult)
}

.h2o.start_backend <- function(port, nthreads = -1, max_mem_size = NULL, name = NA) {
  py <- .h2o.find_python()
  log <- tempfile("h2olite_backend_", fileext = ".log")
  args <- c("-m", "h2olite_server", "--port", as.integer(port), "--nthreads", as.integer(nthreads),
            "--parent-pid", Sys.getpid())
  mem <- .h2o.mem_bytes(max_mem_size)
  if (!is.null(mem)) args <- c(args, "--max-mem-size", format(mem, scientific = FALSE))
  if (!is.na(name)) args <- c(args, "--name", shQuote(name))
  system2(py, args, stdout = log, stderr = log, wait = FALSE, env = .h2o.python_env())
  list(python = py, log = log, port = port)
}

# R puts its own and the system's library directories first on LD_LIBRARY_PATH; a Python built
# elsewhere (pyenv, conda) would then load the system's libpython instead of its own and fail.
# Start Python with R's additions removed (the system directories are searched anyway).
.h2o.python_env <- function() {
  parts <- strsplit(Sys.getenv("LD_LIBRARY_PATH"), ":", fixed = TRUE)[[1]]
  r_lib <- normalizePath(file.path(R.home(), "lib"), mustWork = FALSE)
  drop <- parts == "" | normalizePath(parts, mustWork = FALSE) == r_lib | grepl("/jvm/", parts) |
    grepl("^/(usr/)?lib(64)?(/[^/]*-linux-gnu)?/?$", parts)
  c(paste0("LD_LIBRARY_PATH=", shQuote(paste(parts[!drop], collapse = ":"))),
    paste0("R_LIBS_USER=", shQuote(Sys.getenv("R_LIBS_USER"))))
}

.h2o.wait_until_up <- function(conn, process, timeout_secs = 60) {
  t0 <- Sys.time()
  repeat {
    if (.h2o.is_running(conn)) return(invisible(TRUE))
    loglines <- if (file.exists(process$log)) readLines(process$log, warn = FALSE) else character(0)
    logtext <- paste(utils::tail(loglines, 12L), collapse = "\n")      # the end says why
    if (grepl("cannot listen|Traceback|Error", logtext))
      stop("The h2olite backend failed to start:\n", logtext, call. = FALSE)
    if (as.numeric(difftime(Sys.time(), t0, units = "secs")) > timeout_secs)
      stop("The h2olite backend did not answer within ", timeout_secs, " s. Its log (", process$log, "):\n",
           logtext, call. = FALSE)
    cat(".")
    Sys.sleep(0.25)
  }
}
