# Waiting for backend jobs (GET /3/Jobs/{key}) with a text progress bar, as h2o's R client does.

.h2o.job_key <- function(res) {
  job <- res$job %||% res
  key <- job$key$name %||% job$key
  if (is.null(key)) stop("the backend's reply carries no job key")
  key
}

# Poll until DONE; return the final JobV3 (a list).  FAILED -> error with the job's exception.
.h2o.wait_job <- function(job_key, poll_secs = 0.05) {
  show <- !isTRUE(.pkg.env$no_progress) && .h2o.progress_wanted()
  pb <- NULL
  if (show) pb <- utils::txtProgressBar(min = 0, max = 1, style = 3)
  on.exit(if (!is.null(pb)) close(pb))
  delay <- poll_secs
  repeat {
    job <- .h2o.GET(paste0("/3/Jobs/", .url_escape(job_key)))$jobs[[1]]
    prog <- as.numeric(job$progress %||% 0)
    if (!is.null(pb)) utils::setTxtProgressBar(pb, min(max(prog, 0), 1))
    status <- job$status
    if (identical(status, "DONE")) { if (!is.null(pb)) utils::setTxtProgressBar(pb, 1); return(job) }
    if (identical(status, "FAILED"))
      stop(paste0("\nERROR: Job ", job_key, " failed: ", job$exception %||% job$progress_msg %||% ""), call. = FALSE)
    if (identical(status, "CANCELLED"))
      stop(paste0("Job ", job_key, " was cancelled"), call. = FALSE)
    Sys.sleep(delay)
    delay <- min(delay * 1.5, 0.5)
  }
}

.h2o.progress_wanted <- function() !isTRUE(getOption("h2olite.no_progress"))
