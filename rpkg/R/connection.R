# Connecting to a backend, cluster status and shutdown (h2o's connection.R surface).

#' @export
setClass("H2OConnection",
         representation(ip = "character", port = "numeric", name = "character", proxy = "character",
                        https = "logical", insecure = "logical", username = "character",
                        password = "character", context_path = "character", mutable = "environment"),
         prototype(ip = NA_character_, port = NA_real_, name = NA_character_, proxy = NA_character_,
                   https = FALSE, insecure = FALSE, username = NA_character_, password = NA_character_,
                   context_path = NA_character_, mutable = new.env()))

setMethod("show", "H2OConnection", function(object) {
  cat("IP Address:", object@ip, "\n")
  cat("Port      :", object@port, "\n")
  cat("Name      :", object@name, "\n")
  cat("Session ID:", object@mutable$session_id %||% NA, "\n")
})

h2o.getConnection <- function() {
  conn <- .pkg.env$conn
  if (is.null(conn)) stop("No active connection to an h2olite backend! Call h2o.init() first.", call. = FALSE)
  conn
}

.h2o.is_running <- function(conn) {
  res <- tryCatch(httr::GET(paste0(.h2o.base_url(conn), "/3/Cloud"), query = list(skip_ticks = "true"),
                            .h2o.request_config(conn), httr::timeout(3)), error = function(e) NULL)
  !is.null(res) && httr::status_code(res) == 200L
}

h2o.init <- function(ip = "localhost", port = 54321, name = NA_character_, startH2O = TRUE,
                     forceDL = FALSE, enable_assertions = TRUE, license = NULL, nthreads = -1,
                     max_mem_size = NULL, min_mem_size = NULL, ice_root = tempdir(), log_dir = NA_character_,
                     log_level = NA_character_, strict_version_check = TRUE, proxy = NA_character_,
                     https = FALSE, cacert = NA_character_, insecure = FALSE, username = NA_character_,
                     password = NA_character_, use_spnego = FALSE, cookies = NA_character_,
                     context_path = NA_character_, ignore_config = FALSE, extra_classpath = NULL,
                     jvm_custom_args = NULL, bind_to_localhost = TRUE) {
  if (!is.character(ip) || length(ip) != 1L) stop("`ip` must be a single host name or address")
  if (!is.numeric(port) || length(port) != 1L || port < 1 || port > 65535)
    stop("`port` must be a number between 1 and 65535")
  if (!is.numeric(nthreads) || length(nthreads) != 1L || nthreads == 0 || nthreads < -1)
    stop("`nthreads` must be -1 (all cores) or a positive number")
  if (isTRUE(https)) stop("`https = TRUE` is not supported: the h2olite backend serves plain HTTP")
  if (isTRUE(use_spnego)) stop("`use_spnego = TRUE` is not supported: the h2olite backend has no Kerberos login")
  if (!is.na(username) && is.na(password)) stop("`password` is required with `username`")
  conn <- new("H2OConnection", ip = ip, port = port, name = as.character(name), proxy = as.character(proxy),
              https = FALSE, insecure = insecure, username = as.character(username),
              password = as.character(password), context_path = as.character(context_path),
              mutable = new.env())
  conn@mutable$cookies <- cookies
  # Settings of H2O-3's Java process have no counterpart in the Python backend: say so.
  jvm_only <- c("forceDL", "enable_assertions", "license", "min_mem_size", "ice_root", "log_dir", "log_level",
                "extra_classpath", "jvm_custom_args", "bind_to_localhost", "strict_version_check",
                "ignore_config", "cacert")
  given <- intersect(jvm_only, names(match.call())[-1L])
  if (length(given))
    warning("ignored by the h2olite backend (H2O-3 Java settings): ", paste(given, collapse = ", "), call. = FALSE)
  if (!.h2o.is_running(conn)) {
    local <- ip %in% c("localhost", "127.0.0.1", "::1")
    if (!startH2O || !local)
      stop(sprintf("Cannot connect to an h2olite backend at %s:%d%s", ip, as.integer(port),
                   if (!local) " (a backend is only started automatically on localhost)" else ""), call. = FALSE)
    cat("\nH2O is not running yet, starting it now...\n")
    conn@mutable$process <- .h2o.start_backend(port = port, nthreads = nthreads,
                                               max_mem_size = max_mem_size, name = name)
    cat("Starting h2olite backend and connecting: ")
    .h2o.wait_until_up(conn, conn@mutable$process)
    cat(" Connection successful!\n\n")
  } else {
    cat(" Connection successful!\n\n")
  }
  .pkg.env$conn <- conn
  conn@mutable$session_id <- .h2o.init_session(conn)
  h2o.clusterInfo()
  invisible(conn)
}

h2o.connect <- function(ip = "localhost", port = 54321, https = FALSE, insecure = FALSE,
                        username = NA_character_, password = NA_character_, cookies = NA_character_,
                        context_path = NA_character_, config = NULL) {
  if (!is.null(config$connection)) {
    for (nm in names(config$connection)) assign(nm, config$connection[[nm]])
  }
  h2o.init(ip = ip, port = port, startH2O = FALSE, https = https, insecure = insecure,
           username = username, password = password, context_path = context_path)
}

# R asks the server for a session key (GET /3/InitID); Rapids temporaries live in it.
.h2o.init_session <- function(conn) {
  key <- tryCatch(.h2o.request("GET", "/3/InitID", conn = conn)$session_key, error = function(e) NULL)
  if (is.null(key)) key <- paste0("_sid_", paste(sample(c(letters, 0:9), 8, TRUE), collapse = ""))
  key
}

h2o.clusterInfo <- function() {
  conn <- h2o.getConnection()
  res <- .h2o.GET("/3/Cloud", skip_ticks = "true")
  nodes <- res$nodes
  sum_nodes <- function(f) sum(vapply(nodes, function(n) as.numeric(n[[f]] %||% 0), 0))
  free_mem <- sum_nodes("free_mem")
  cores <- sum_nodes("num_cpus")
  allowed <- sum_nodes("cpus_allowed")
  nthreads <- sum_nodes("nthreads")
  healthy <- all(vapply(nodes, function(n) isTRUE(n$healthy), TRUE))
  too_old <- isTRUE(res$build_too_old)
  extensions <- tryCatch(vapply(.h2o.GET("/3/Capabilities/API")$capabilities, function(x) x$name, ""),
                         error = function(e) character(0))
  cat("R is connected to the H2O cluster: \n")
  cat("    H2O cluster uptime:        ", .h2o.readable_time(as.numeric(res$cloud_uptime_millis %||% 0)), "\n")
  cat("    H2O cluster timezone:      ", res$cloud_internal_timezone %||% "UTC", "\n")
  cat("    H2O data parsing timezone: ", res$datafile_parser_timezone %||% "UTC", "\n")
  cat("    H2O cluster version:       ", res$version, "\n")
  cat("    H2O cluster version age:   ", res$build_age %||% "", if (too_old) "!!!" else "", "\n")
  cat("    H2O cluster name:          ", res$cloud_name, "\n")
  cat("    H2O cluster total nodes:   ", res$cloud_size, "\n")
  cat("    H2O cluster total memory:  ", sprintf("%.2f GB", free_mem / 1024^3), "\n")
  cat("    H2O cluster total cores:   ", cores, "\n")
  cat("    H2O cluster allowed cores: ", allowed, "\n")
  cat("    H2O cluster healthy:       ", healthy, "\n")
  cat("    H2O Connection ip:         ", conn@ip, "\n")
  cat("    H2O Connection port:       ", conn@port, "\n")
  cat("    H2O Connection proxy:      ", conn@proxy, "\n")
  cat("    H2O Internal Security:     ", isTRUE(res$internal_security_enabled), "\n")
  cat("    H2O API Extensions:        ", paste(extensions, collapse = ", "), "\n")
  cat("    R Version:                 ", R.version.string, "\n")
  cat("\n")
  invisible(res)
}

h2o.clusterStatus <- function() {
  res <- .h2o.GET("/3/Cloud", skip_ticks = "true")
  cat("Version:", res$version, "\n")
  cat("Cloud name:", res$cloud_name, "\n")
  cat("Cloud size:", res$cloud_size, "\n")
  if (isTRUE(res$locked)) cat("Cloud is locked\n\n") else cat("Accepting new members\n\n")
  nodes <- res$nodes
  df <- data.frame(h2o = vapply(nodes, function(n) as.character(n$h2o), ""),
                   healthy = vapply(nodes, function(n) isTRUE(n$healthy), TRUE),
                   num_cpus = vapply(nodes, function(n) as.numeric(n$num_cpus %||% NA), 0),
                   nthreads = vapply(nodes, function(n) as.numeric(n$nthreads %||% NA), 0),
                   free_mem = vapply(nodes, function(n) as.numeric(n$free_mem %||% NA), 0),
                   max_mem = vapply(nodes, function(n) as.numeric(n$max_mem %||% NA), 0),
                   stringsAsFactors = FALSE)
  print(df)
  invisible(df)
}

# "2 minutes 5 seconds": the two largest non-zero units, as h2o prints the uptime.
.h2o.readable_time <- function(ms) {
  days <- ms / (24 * 60 * 60 * 1000)
  hours <- (days - trunc(days)) * 24
  minutes <- (hours - trunc(hours)) * 60
  seconds <- (minutes - trunc(minutes)) * 60
  millis <- (seconds - trunc(seconds)) * 1000
  v <- trunc(c(days = days, hours = hours, minutes = minutes, seconds = seconds, milliseconds = millis))
  shown <- utils::head(v[v > 0], 2L)
  if (!length(shown)) return("0 milliseconds")
  paste(as.numeric(shown), names(shown))
}

h2o.shutdown <- function(prompt = TRUE) {
  conn <- h2o.getConnection()
  if (!.h2o.is_running(conn)) stop("There is no h2olite backend running at ", .h2o.base_url(conn))
  if (isTRUE(prompt)) {
    ans <- readline(sprintf("Are you sure you want to shutdown the H2O instance running at %s (Y/N)? ",
                            .h2o.base_url(conn)))
    if (!(toupper(substr(ans, 1, 1)) == "Y")) return(invisible(FALSE))
  }
  tryCatch(.h2o.POST("/3/Shutdown"), error = function(e) NULL)
  for (i in 1:50) { if (!.h2o.is_running(conn)) break; Sys.sleep(0.1) }
  .pkg.env$conn <- NULL
  invisible(TRUE)
}

h2o.no_progress <- function(expr) {
  if (missing(expr)) { .pkg.env$no_progress <- TRUE; return(invisible(NULL)) }
  old <- isTRUE(.pkg.env$no_progress); .pkg.env$no_progress <- TRUE
  on.exit(.pkg.env$no_progress <- old)
  expr
}

h2o.show_progress <- function(expr) {
  if (missing(expr)) { .pkg.env$no_progress <- FALSE; return(invisible(NULL)) }
  old <- isTRUE(.pkg.env$no_progress); .pkg.env$no_progress <- FALSE
  on.exit(.pkg.env$no_progress <- old)
  expr
}
