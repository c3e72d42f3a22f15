# The H2OFrame: as in h2o's R client, an environment (so copies share state) with class
# "H2OFrame" that holds the key of a frame stored in the backend plus cached metadata.
# Every operation is sent to the backend as a Rapids expression and evaluated at once into a
# new temporary key (h2o evaluates lazily; eager evaluation keeps this client simple).

setOldClass("H2OFrame")

.newH2OFrame <- function(id) {
  fr <- new.env(parent = emptyenv())
  assign("id", id, envir = fr)
  class(fr) <- "H2OFrame"
  fr
}

is.H2OFrame <- function(x) inherits(x, "H2OFrame")

h2o.getId <- function(x) {
  if (!is.H2OFrame(x)) stop("`x` must be an H2OFrame")
  get("id", envir = x, inherits = FALSE)
}

.fr_cache <- function(fr, name) get0(name, envir = fr, inherits = FALSE)

# Column metadata (names, types, domains, nrow) from GET /3/Frames/{id}, cached in the frame.
.fr_meta <- function(fr, refresh = FALSE) {
  meta <- .fr_cache(fr, "meta")
  if (!is.null(meta) && !refresh) return(meta)
  res <- .h2o.GET(paste0("/3/Frames/", .url_escape(h2o.getId(fr))), row_count = 0L, column_count = -1L,
                  full_column_count = -1L)
  f <- res$frames[[1]]
  cols <- f$columns
  meta <- list(
    nrow = as.numeric(f$rows),
    ncol = as.integer(f$total_column_count %||% f$num_columns %||% length(cols)),
    names = vapply(cols, function(c) as.character(c$label), ""),
    types = vapply(cols, function(c) as.character(c$type), ""),
    domains = lapply(cols, function(c) if (is.null(c$domain)) NULL else unlist(.null_to_na(c$domain))),
    columns = cols)
  assign("meta", meta, envir = fr)
  meta
}

dim.H2OFrame <- function(x) { m <- .fr_meta(x); c(m$nrow, m$ncol) }
dimnames.H2OFrame <- function(x) list(NULL, .fr_meta(x)$names)
names.H2OFrame <- function(x) .fr_meta(x)$names
length.H2OFrame <- function(x) .fr_meta(x)$ncol
h2o.nrow <- function(x) .fr_meta(x)$nrow
h2o.ncol <- function(x) .fr_meta(x)$ncol
h2o.names <- function(x) .fr_meta(x)$names
h2o.colnames <- function(x) .fr_meta(x)$names

`names<-.H2OFrame` <- function(x, value) {
  if (length(value) != ncol(x)) stop("`value` must give one name per column (", ncol(x), ")")
  .h2o.frame_expr(sprintf("(colnames= %s %s %s)", .rid(x), .rlist(seq_len(ncol(x)) - 1L),
                          .h2o.quoted_list_rapids(value)))
}
`colnames<-.H2OFrame` <- `names<-.H2OFrame`

h2o.getFrame <- function(id) {
  if (!is.character(id) || length(id) != 1L) stop("`id` must be a frame id (a single string)")
  fr <- .newH2OFrame(id)
  .fr_meta(fr)      # fails with the backend's 404 message for an unknown id
  fr
}

# ---- Download to R --------------------------------------------------------------------------

as.data.frame.H2OFrame <- function(x, ...) {
  meta <- .fr_meta(x)
  if (meta$ncol == 0L) return(data.frame())
  text <- .h2o.request("GET", "/3/DownloadDataset", list(frame_id = h2o.getId(x), hex_string = "false"),
                       raw = TRUE)
  classes <- ifelse(meta$types %in% c("int", "real"), "numeric", "character")
  df <- utils::read.csv(text = text, header = TRUE, colClasses = classes, na.strings = c("", "NA"),
                        check.names = FALSE, stringsAsFactors = FALSE, nrows = max(meta$nrow, 1))
  if (nrow(df) == 0L && meta$nrow == 0) df <- df[0, , drop = FALSE]
  for (j in seq_along(meta$types)) {
    if (meta$types[j] == "enum") df[[j]] <- factor(df[[j]], levels = meta$domains[[j]])
    else if (meta$types[j] == "time") {
      v <- suppressWarnings(as.numeric(df[[j]]))
      df[[j]] <- if (all(is.na(v) == is.na(df[[j]]))) as.POSIXct(v / 1000, origin = "1970-01-01")
                 else as.POSIXct(df[[j]])
    }
  }
  names(df) <- meta$names
  df
}

as.matrix.H2OFrame <- function(x, ...) as.matrix(as.data.frame(x, ...))
as.vector.H2OFrame <- function(x, mode = "any") {
  df <- as.data.frame(x)
  if (ncol(df) == 1L) as.vector(df[[1]], mode) else as.vector(as.matrix(df), mode)
}
as.character.H2OFrame <- function(x, ...) .h2o.frame_expr(sprintf("(as.character %s)", .rid(x)))

head.H2OFrame <- function(x, n = 6L, ...) {
  nr <- nrow(x)
  n <- if (n >= 0) min(n, nr) else max(nr + n, 0)
  if (n == 0) return(as.data.frame(x)[0, , drop = FALSE])
  .download_rows(x, 0, n)
}

tail.H2OFrame <- function(x, n = 6L, ...) {
  nr <- nrow(x)
  n <- if (n >= 0) min(n, nr) else max(nr + n, 0)
  if (n == 0) return(as.data.frame(x)[0, , drop = FALSE])
  df <- .download_rows(x, nr - n, n)
  rownames(df) <- seq(nr - n + 1, nr)
  df
}

# Rows [start, start + n) as a data.frame, from the frame preview (GET /3/Frames/{id} with
# row_offset/row_count): numbers as numbers, enum level indices mapped to factor levels.
.download_rows <- function(x, start, n) {
  res <- .h2o.GET(paste0("/3/Frames/", .url_escape(h2o.getId(x))), row_offset = as.integer(start),
                  row_count = as.integer(n), column_count = -1L, full_column_count = -1L)
  cols <- res$frames[[1]]$columns
  out <- lapply(cols, function(col) {
    type <- col$type
    if (type %in% c("string", "uuid")) {
      v <- vapply(.null_to_na(col$string_data), as.character, "")
      return(v[seq_len(min(length(v), n))])
    }
    v <- .as_vector(col$data)
    if (is.null(v)) v <- numeric(0)
    v <- as.numeric(v)[seq_len(min(length(v), n))]
    if (identical(type, "enum")) {
      dom <- unlist(.null_to_na(col$domain))
      return(factor(dom[v + 1], levels = dom))
    }
    if (identical(type, "time")) return(as.POSIXct(v / 1000, origin = "1970-01-01"))
    v
  })
  df <- as.data.frame(setNames(out, vapply(cols, function(c) as.character(c$label), "")),
                      stringsAsFactors = FALSE, check.names = FALSE)
  if (nrow(df)) rownames(df) <- seq_len(nrow(df))
  df
}

print.H2OFrame <- function(x, n = 6L, ...) {
  print(head(x, n = n))
  cat(sprintf("\n[%s rows x %d columns] \n", format(nrow(x), big.mark = "", scientific = FALSE), ncol(x)))
  invisible(x)
}

setMethod("show", "H2OFrame", function(object) print.H2OFrame(object))

str.H2OFrame <- function(object, ...) {
  m <- .fr_meta(object)
  cat(sprintf("Class 'H2OFrame' <id: %s> %s obs. of %d variables:\n", h2o.getId(object), m$nrow, m$ncol))
  for (j in seq_len(min(m$ncol, 20L))) cat(" $", m$names[j], ":", m$types[j], "\n")
  invisible(NULL)
}
