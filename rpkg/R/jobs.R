# Waiting for backend jobs (GET /3/Jobs/{key}) with a text progress bar, as h2o's R client does;
# Ctrl-C cancels the job on the backend (POST /3/Jobs/{key}/cancel).

.h2o.job_key <- function(res) {
  job <- res$job %||% res
  key <- job$key$name %||% job$key
  if (is.null(key)) stop("the backend's reply carries no job key")
  key
}

# Poll until DONE and return the final JobV3 (a list).  FAILED -> an R error carrying the job's
# exception; the job's warnings become R warnings.  Each poll asks the backend to answer as soon
# as the job ends (wait_ms), so a job done in milliseconds returns at once; otherwise the bar
# moves every 0.1 s at first, then twice a second.
.h2o.wait_job <- function(job_key, poll_secs = 0.1) {
  pb <- NULL
  if (!isTRUE(.pkg.env$no_progress) && .h2o.progress_wanted())
    pb <- utils::txtProgressBar(min = 0, max = 1, style = 3)
  on.exit(if (!is.null(pb)) close(pb))
  delay <- poll_secs
  withCallingHandlers({
    repeat {
      job <- .h2o.GET(paste0("/3/Jobs/", .url_escape(job_key)), wait_ms = as.integer(delay * 1000))$jobs[[1]]
      status <- job$status
      if (identical(status, "FAILED")) {
        msg <- strsplit(as.character(job$exception %||% "job failed"), "\n")[[1]][1]
        stop(gsub(".*msg ", "", msg), call. = FALSE)
      }
      if (identical(status, "CANCELLED")) stop("Job key ", job_key, " cancelled by user", call. = FALSE)
      if (!is.null(pb) && is.numeric(job$progress)) utils::setTxtProgressBar(pb, min(max(job$progress, 0), 1))
      if (identical(status, "DONE")) {
        for (w in job$warnings) warning(w, call. = FALSE)
        return(job)
      }
      delay <- min(delay * 1.2, 0.5)
    }
  }, interrupt = function(e) {
    try(.h2o.request("POST", paste0("/3/Jobs/", .url_escape(job_key), "/cancel")), silent = TRUE)
    message("\nJob ", job_key, " was cancelled.\n")
  })
}

.h2o.progress_wanted <- function() !isTRUE(getOption("h2olite.no_progress"))
