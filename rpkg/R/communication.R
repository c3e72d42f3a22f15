# HTTP transport: H2O's REST protocol over httr, JSON decoded with jsonlite.
#
# Parameters go in the query string for GET/DELETE and as a form body for POST, every value
# as a string in H2O's spelling (TRUE/FALSE, lists as [a,b], string lists quoted, Inf as
# "Infinity").  Error replies (H2OErrorV3 / H2OModelBuilderErrorV3) become R errors carrying
# the backend's own message.

.pkg.env <- new.env(parent = emptyenv())

.user_agent <- function()
  paste0("R ", R.version$major, ".", R.version$minor, " h2olite/", utils::packageVersion("h2olite"))

# One value in H2O's wire form.
.h2o.encode <- function(v) {
  if (is.null(v)) return(NULL)
  if (inherits(v, "H2OFrame")) return(h2o.getId(v))
  if (is(v, "H2OModel")) return(v@model_id)
  if (is.list(v)) return(paste0("[", paste(vapply(v, .h2o.encode_elt, ""), collapse = ","), "]"))
  if (length(v) == 1L && !inherits(v, "AsIs")) return(.h2o.encode_elt(v))
  paste0("[", paste(vapply(as.list(v), .h2o.encode_elt, ""), collapse = ","), "]")
}

.h2o.encode_elt <- function(x) {
  if (is.list(x) || (length(x) > 1L)) return(.h2o.encode(if (is.list(x)) x else I(x)))
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "TRUE" else "FALSE")
  if (is.numeric(x)) {
    if (is.na(x)) return("NaN")
    if (is.infinite(x)) return(if (x > 0) "Infinity" else "-Infinity")
    if (is.integer(x)) return(as.character(x))
    s <- trimws(formatC(x, digits = 15, format = "g"))
    if (as.numeric(s) != x) s <- trimws(formatC(x, digits = 17, format = "g"))
    return(s)
  }
  as.character(x)
}

# A character vector as a quoted list: ["a","b"].
.h2o.quoted_list <- function(x)
  paste0("[", paste(vapply(as.character(x), function(s) jsonlite::toJSON(s, auto_unbox = TRUE), ""),
                    collapse = ","), "]")

.h2o.base_url <- function(conn = h2o.getConnection()) {
  scheme <- if (isTRUE(conn@https)) "https" else "http"
  ctx <- if (is.na(conn@context_path) || !nzchar(conn@context_path)) "" else paste0("/", conn@context_path)
  paste0(scheme, "://", conn@ip, ":", conn@port, ctx)
}

# Send METHOD path with params; return decoded JSON (a list) or, with raw = TRUE, the text
# (binary = TRUE: the bytes, e.g. a model file).
.h2o.request <- function(method, path, params = list(), body = NULL, raw = FALSE, binary = FALSE,
                         conn = h2o.getConnection(), timeout_secs = 3600) {
  params <- params[!vapply(params, is.null, TRUE)]
  params <- lapply(params, function(v) if (is.character(v) && length(v) == 1L) v else .h2o.encode(v))
  url <- paste0(.h2o.base_url(conn), path)
  headers <- .h2o.request_config(conn)
  resp <- tryCatch({
    switch(method,
      GET = httr::GET(url, query = params, headers, httr::timeout(timeout_secs)),
      DELETE = httr::DELETE(url, query = params, headers, httr::timeout(timeout_secs)),
      POST = if (is.null(body)) httr::POST(url, body = params, encode = "form", headers, httr::timeout(timeout_secs))
             else httr::POST(url, query = params, body = body, encode = "multipart", headers, httr::timeout(timeout_secs)),
      stop("unsupported HTTP method ", method))
  }, error = function(e) {
    stop(sprintf("Cannot connect to the h2olite backend at %s (%s %s): %s",
                 .h2o.base_url(conn), method, path, conditionMessage(e)), call. = FALSE)
  })
  status <- httr::status_code(resp)
  if (binary && status < 400L) return(httr::content(resp, as = "raw"))
  text <- httr::content(resp, as = "text", encoding = "UTF-8")
  if (status >= 400L) .h2o.stop_for_reply(method, path, status, text)
  if (raw) return(text)
  if (is.null(text) || !nzchar(text)) return(list())
  jsonlite::fromJSON(text, simplifyVector = FALSE)
}

# Headers and curl options of every request: user agent (the backend names R's models
# "..._R_..." from it), basic authentication, proxy and cookies when h2o.init() was given them.
# A backend on this machine is never reached through the environment's http_proxy (curl would
# send localhost there unless no_proxy lists it): an empty proxy option turns it off.
.h2o.request_config <- function(conn) {
  hdr <- c(`User-Agent` = .user_agent())
  cookies <- conn@mutable$cookies
  if (length(cookies) && !all(is.na(cookies))) hdr <- c(hdr, Cookie = paste(cookies, collapse = "; "))
  cfg <- httr::add_headers(.headers = hdr)
  if (!is.na(conn@username)) cfg <- c(cfg, httr::authenticate(conn@username, conn@password))
  if (!is.na(conn@proxy)) cfg <- c(cfg, httr::use_proxy(conn@proxy))
  else if (conn@ip %in% c("localhost", "127.0.0.1", "::1", "0.0.0.0")) cfg <- c(cfg, httr::config(proxy = ""))
  cfg
}

# Turn an error reply into an R error whose message is the backend's `msg`.
.h2o.stop_for_reply <- function(method, path, status, text) {
  js <- tryCatch(jsonlite::fromJSON(text, simplifyVector = FALSE), error = function(e) NULL)
  msg <- NULL
  if (is.list(js)) {
    msg <- js$msg %||% js$exception_msg %||% js$error
    details <- js$messages
    if (length(details)) {
      errs <- Filter(function(m) identical(m$message_type, "ERRR"), details)
      if (length(errs))
        msg <- paste(c(msg, vapply(errs, function(m)
          paste0("ERRR on field: ", m$field_name, ": ", m$message), "")), collapse = "\n")
    }
    if (is.null(msg) && !is.null(js$parameters$messages)) msg <- "model builder error"
  }
  if (is.null(msg)) msg <- if (is.null(text) || !nzchar(text)) "no reply body" else substr(text, 1L, 500L)
  cond <- structure(class = c("H2OResponseError", "error", "condition"),
                    list(message = paste0("\nERROR: Unexpected HTTP Status code: ", status,
                                          " (", method, " ", path, ")\n\n", msg, "\n"),
                         call = NULL, status = status, msg = msg, body = js))
  stop(cond)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

.h2o.GET <- function(.endpoint, ...) .h2o.request("GET", .endpoint, list(...))
.h2o.POST <- function(.endpoint, ...) .h2o.request("POST", .endpoint, list(...))
.h2o.DELETE <- function(.endpoint, ...) .h2o.request("DELETE", .endpoint, list(...))

.url_escape <- function(x) utils::URLencode(x, reserved = TRUE)

# NULLs (JSON null) inside a list become NA so the list can be unlisted.
.null_to_na <- function(x) lapply(x, function(v) if (is.null(v)) NA else v)

.as_vector <- function(x) {
  if (is.null(x)) return(NULL)
  if (!is.list(x)) return(x)
  x <- .null_to_na(x)
  x <- lapply(x, function(v) if (identical(v, "NaN")) NaN else if (identical(v, "Infinity")) Inf
                            else if (identical(v, "-Infinity")) -Inf else v)
  unlist(x)
}
