# Getting data into the backend: import (server-side path), upload (multipart POST), as.h2o.
# All three end in the same two calls: POST /3/ParseSetup (guess) then POST /3/Parse (a job).

h2o.importFile <- function(path, destination_frame = "", parse = TRUE, header = NA, sep = "",
                           col.names = NULL, col.types = NULL, na.strings = NULL, decrypt_tool = NULL,
                           skipped_columns = NULL, force_col_types = FALSE,
                           custom_non_data_line_markers = NULL, partition_by = NULL, quotechar = NULL,
                           escapechar = "") {
  if (!is.character(path) || length(path) != 1L || !nzchar(path)) stop("`path` must be a single file or directory path")
  abs <- if (.h2o.is_url(path)) .h2o.resolve_url(path) else normalizePath(path, mustWork = FALSE)
  res <- .h2o.GET("/3/ImportFiles", path = abs)
  keys <- unlist(res$destination_frames)
  if (length(res$fails)) {
    message("ImportFiles of '", path, "' failed on: ", paste(unlist(res$fails), collapse = ", "))
    if (!length(keys)) stop("all files failed to import", call. = FALSE)
  }
  if (!length(keys)) stop("No files were found at '", path, "'", call. = FALSE)
  if (!parse) return(lapply(keys, .newH2OFrame))
  .h2o.parse(keys, destination_frame, header, sep, col.names, col.types, na.strings, skipped_columns,
             force_col_types, quotechar, escapechar)
}

# ---- URLs ------------------------------------------------------------------------------------
# The backend reads files, not URLs. H2O's examples (and the booklet) import from H2O's public
# test-data bucket; h2olite ships copies of those files in the same layout, so such URLs resolve
# to the bundled copy (said once per session). Any other http(s) URL -- or a bucket file that is
# not bundled -- is downloaded once into a local cache and imported from there.

.h2o.public_bucket_prefixes <- c(
  "https://h2o-public-test-data.s3.amazonaws.com/", "http://h2o-public-test-data.s3.amazonaws.com/",
  "https://s3.amazonaws.com/h2o-public-test-data/", "http://s3.amazonaws.com/h2o-public-test-data/",
  "s3://h2o-public-test-data/", "s3n://h2o-public-test-data/", "s3a://h2o-public-test-data/")

.h2o.is_url <- function(path) grepl("^[a-zA-Z][a-zA-Z0-9+.-]*://", path)

# The file's path inside H2O's public bucket ("bigdata/laptop/mnist/train.csv.gz"), or NULL.
.h2o.bucket_path <- function(url) {
  for (prefix in .h2o.public_bucket_prefixes)
    if (startsWith(url, prefix)) return(sub("[?#].*$", "", substring(url, nchar(prefix) + 1L)))
  NULL
}

# Root of the data shipped with h2olite (same layout as the bucket): $H2OLITE_DATA, else the
# directory of the Python package h2olite (asked once of the backend's Python), else NA.
.h2o.bundled_data_dir <- function() {
  env <- Sys.getenv("H2OLITE_DATA", "")
  if (nzchar(env)) return(normalizePath(env, mustWork = FALSE))
  if (!is.null(.pkg.env$bundled_data_dir)) return(.pkg.env$bundled_data_dir)
  conn <- tryCatch(h2o.getConnection(), error = function(e) NULL)
  py <- if (!is.null(conn) && !is.null(conn@mutable$process)) conn@mutable$process$python
        else tryCatch(.h2o.find_python(), error = function(e) NULL)
  dir <- NA_character_
  if (!is.null(py)) {
    out <- tryCatch(suppressWarnings(system2(py, c("-c", shQuote("from h2olite.datasets import DATA_DIR; print(DATA_DIR)")),
                                              stdout = TRUE, stderr = FALSE, env = .h2o.python_env())),
                    error = function(e) character(0))
    if (length(out) && is.null(attr(out, "status")) && dir.exists(out[length(out)])) dir <- out[length(out)]
  }
  .pkg.env$bundled_data_dir <- dir
  dir
}

# Where downloaded files are kept: $H2OLITE_CACHE, else $XDG_CACHE_HOME/h2olite (~/.cache/h2olite).
.h2o.download_cache_dir <- function() {
  env <- Sys.getenv("H2OLITE_CACHE", "")
  if (nzchar(env)) return(env)
  file.path(Sys.getenv("XDG_CACHE_HOME", file.path(path.expand("~"), ".cache")), "h2olite")
}

# A local file for `url`: the bundled copy of a public-bucket file, else a cached download.
.h2o.resolve_url <- function(url) {
  rel <- .h2o.bucket_path(url)
  if (!is.null(rel)) {
    root <- .h2o.bundled_data_dir()
    local <- if (is.na(root)) NA_character_ else file.path(root, rel)
    if (!is.na(local) && file.exists(local) && !dir.exists(local)) {
      if (!isTRUE(.pkg.env$said_bundled)) {
        message("h2o.importFile: files of H2O's public test-data bucket are read from the copies bundled with h2olite\n",
                "  (", root, "); nothing is downloaded")
        .pkg.env$said_bundled <- TRUE
      }
      return(normalizePath(local))
    }
    url <- paste0("https://h2o-public-test-data.s3.amazonaws.com/", rel)   # s3:// spellings too
  } else if (!grepl("^https?://", url, ignore.case = TRUE)) {
    stop("h2o.importFile cannot read '", url, "': h2olite imports local files and http(s) URLs ",
         "(files of H2O's public bucket s3://h2o-public-test-data/ are bundled or downloaded)", call. = FALSE)
  }
  key <- rel %||% sub("^https?://", "", sub("[?#].*$", "", url), ignore.case = TRUE)
  cached <- file.path(.h2o.download_cache_dir(), key)
  if (file.exists(cached) && !dir.exists(cached)) return(normalizePath(cached))
  made <- NULL                                   # the topmost directory this call creates
  d <- dirname(cached)
  while (!dir.exists(d)) { made <- d; d <- dirname(d) }
  dir.create(dirname(cached), recursive = TRUE, showWarnings = FALSE)
  message("h2o.importFile: downloading ", url, " to ", cached)
  tmp <- paste0(cached, ".part")
  why <- tryCatch({ utils::download.file(url, tmp, mode = "wb", quiet = TRUE); NULL },
                  error = function(e) conditionMessage(e), warning = function(w) conditionMessage(w))
  if (!is.null(why) || !file.exists(tmp)) {
    unlink(tmp)
    if (!is.null(made)) unlink(made, recursive = TRUE)   # leave no empty cache directories behind
    stop("h2o.importFile could not download '", url, "': ", why %||% "no file written",
         " (no bundled copy of it either)", call. = FALSE)
  }
  file.rename(tmp, cached)
  normalizePath(cached)
}

h2o.importFolder <- function(path, pattern = "", destination_frame = "", parse = TRUE, header = NA,
                             sep = "", col.names = NULL, col.types = NULL, na.strings = NULL, ...) {
  res <- .h2o.GET("/3/ImportFiles", path = normalizePath(path, mustWork = FALSE), pattern = pattern)
  keys <- unlist(res$destination_frames)
  if (!length(keys)) stop("all files failed to import", call. = FALSE)
  if (!parse) return(lapply(keys, .newH2OFrame))
  .h2o.parse(keys, destination_frame, header, sep, col.names, col.types, na.strings)
}

h2o.uploadFile <- function(path, destination_frame = "", parse = TRUE, header = NA, sep = "",
                           col.names = NULL, col.types = NULL, na.strings = NULL, progressBar = FALSE,
                           parse_type = NULL, decrypt_tool = NULL, skipped_columns = NULL,
                           force_col_types = FALSE, quotechar = NULL, escapechar = "") {
  if (!is.character(path) || length(path) != 1L) stop("`path` must be a single file path")
  if (!file.exists(path)) stop("File not found: ", path, call. = FALSE)
  if (dir.exists(path)) stop("h2o.uploadFile takes a file, not a directory: ", path, " (use h2o.importFolder)")
  res <- .h2o.request("POST", "/3/PostFile", list(),
                      body = list(file = httr::upload_file(normalizePath(path))))
  key <- res$destination_frame
  if (!parse) return(.newH2OFrame(key))
  # as h2o's R client names uploads: the file name up to its first dot plus a session key
  if (!nzchar(destination_frame)) destination_frame <- .h2o.key_make(strsplit(basename(path), ".", fixed = TRUE)[[1]][1])
  .h2o.parse(key, destination_frame, header, sep, col.names, col.types, na.strings, skipped_columns,
             force_col_types, quotechar, escapechar, source_name = basename(path))
}

.h2o.header_code <- function(header) {
  if (length(header) != 1L) stop("`header` must be NA, TRUE or FALSE")
  if (is.na(header)) 0L else if (isTRUE(header)) 1L else -1L
}

.h2o.parse <- function(keys, destination_frame = "", header = NA, sep = "", col.names = NULL,
                       col.types = NULL, na.strings = NULL, skipped_columns = NULL,
                       force_col_types = FALSE, quotechar = NULL, escapechar = "", source_name = NULL) {
  setup_args <- list(source_frames = .h2o.quoted_list(keys), check_header = .h2o.header_code(header))
  if (nzchar(sep)) {
    if (nchar(sep) != 1L) stop("`sep` must be a single character, got \"", sep, "\"")
    setup_args$separator <- utf8ToInt(sep)
  }
  if (!is.null(na.strings) && !is.list(na.strings)) setup_args$na_strings <- .h2o.quoted_list(na.strings)
  setup <- .h2o.request("POST", "/3/ParseSetup", setup_args)
  ncol <- as.integer(setup$number_columns)
  names_ <- if (is.null(setup$column_names)) paste0("C", seq_len(ncol)) else unlist(.null_to_na(setup$column_names))
  types <- unlist(.null_to_na(setup$column_types))
  if (!is.null(col.names)) {
    if (is.H2OFrame(col.names)) col.names <- names(col.names)
    if (length(col.names) != ncol)
      stop("length of col.names (", length(col.names), ") must equal the number of columns in the file (", ncol, ")")
    names_ <- as.character(col.names)
  }
  if (!is.null(col.types)) types <- .h2o.apply_col_types(col.types, types, names_)
  dest <- if (nzchar(destination_frame)) destination_frame else setup$destination_frame
  parse_args <- list(
    destination_frame = dest,
    source_frames = .h2o.quoted_list(keys),
    parse_type = setup$parse_type,
    separator = setup$separator,
    number_columns = ncol,
    single_quotes = setup$single_quotes,
    column_names = .h2o.quoted_list(names_),
    column_types = .h2o.quoted_list(types),
    check_header = setup$check_header,
    chunk_size = setup$chunk_size,
    delete_on_done = TRUE,
    blocking = FALSE)
  nas <- na.strings %||% setup$na_strings
  if (!is.null(nas)) {
    if (is.list(nas)) parse_args$na_strings <- paste0("[", paste(vapply(nas, function(v)
      if (is.null(v) || !length(v)) "[]" else .h2o.quoted_list(unlist(v)), ""), collapse = ","), "]")
    else parse_args$na_strings <- paste0("[", paste(rep(.h2o.quoted_list(nas), ncol), collapse = ","), "]")
  }
  if (!is.null(skipped_columns)) parse_args$skipped_columns <- .h2o.encode(I(as.integer(skipped_columns) - 1L))
  res <- .h2o.request("POST", "/3/Parse", parse_args)
  job <- .h2o.wait_job(.h2o.job_key(res))
  id <- job$dest$name %||% res$destination_frame$name %||% dest
  h2o.getFrame(id)
}

.h2o.type_names <- c(numeric = "Numeric", real = "Numeric", double = "Numeric", int = "Numeric",
                     integer = "Numeric", float = "Numeric", enum = "Enum", factor = "Enum",
                     categorical = "Enum", character = "String", string = "String", time = "Time",
                     date = "Time", uuid = "UUID", bad = "BAD")

.h2o.apply_col_types <- function(col.types, types, names_) {
  canon <- function(t) {
    v <- .h2o.type_names[tolower(t)]
    if (anyNA(v)) stop("unknown column type(s) in col.types: ", paste(t[is.na(v)], collapse = ", "),
                       " (use numeric, enum, string, time or uuid)", call. = FALSE)
    unname(v)
  }
  if (is.list(col.types) && !is.null(col.types$by.col.name)) {
    idx <- match(col.types$by.col.name, names_)
    if (anyNA(idx)) stop("col.types names unknown columns: ", paste(col.types$by.col.name[is.na(idx)], collapse = ", "))
    types[idx] <- canon(col.types$types)
  } else if (is.list(col.types) && !is.null(col.types$by.col.idx)) {
    types[col.types$by.col.idx] <- canon(col.types$types)
  } else if (!is.null(names(col.types))) {
    idx <- match(names(col.types), names_)
    if (anyNA(idx)) stop("col.types names unknown columns: ", paste(names(col.types)[is.na(idx)], collapse = ", "))
    types[idx] <- canon(unlist(col.types))
  } else {
    if (length(col.types) != length(types))
      stop("length of col.types (", length(col.types), ") must equal the number of columns (", length(types), ")")
    types <- canon(unlist(col.types))
  }
  types
}

# ---- as.h2o ---------------------------------------------------------------------------------

as.h2o <- function(x, destination_frame = "", ...) {
  if (is.H2OFrame(x)) {
    key <- if (nzchar(destination_frame)) destination_frame else .h2o.tmp_key()
    return(.h2o.frame_expr(h2o.getId(x), key = key, assign = nzchar(destination_frame)))
  }
  if (!nzchar(destination_frame)) {
    expr <- deparse(substitute(x), width.cutoff = 500L)[1]
    destination_frame <- if (grepl("^[A-Za-z.][A-Za-z0-9._]*$", expr)) expr
                         else .h2o.key_make(if (is.data.frame(x)) "data.frame" else class(x)[1])
  }
  if (is.matrix(x) || is.vector(x) || is.factor(x)) x <- as.data.frame(x)
  if (!is.data.frame(x)) stop("as.h2o takes a data.frame, matrix, vector or H2OFrame, not ", class(x)[1])
  types <- vapply(x, function(col) {
    if (base::is.factor(col) || is.logical(col)) "Enum"
    else if (is.character(col)) "String"
    else if (inherits(col, c("Date", "POSIXt"))) "Time"
    else if (is.numeric(col)) "Numeric"
    else stop("as.h2o cannot send a column of class ", class(col)[1])
  }, "")
  out <- x
  for (j in seq_along(out)) {          # times as text the parser reads as Time columns
    if (inherits(out[[j]], "Date")) out[[j]] <- format(out[[j]], "%Y-%m-%d")
    else if (inherits(out[[j]], "POSIXt")) out[[j]] <- format(out[[j]], "%Y-%m-%d %H:%M:%OS3", tz = "UTC")
  }
  tmp <- tempfile(fileext = ".csv")
  on.exit(unlink(tmp))
  utils::write.csv(out, tmp, row.names = FALSE, na = "NA_h2o", fileEncoding = "UTF-8")
  fr <- h2o.uploadFile(tmp, destination_frame = destination_frame, header = TRUE, sep = ",",
                       col.names = names(x), col.types = unname(types), na.strings = "NA_h2o")
  fr
}
