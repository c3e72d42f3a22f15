# Runs an R Markdown vignette's R chunks in one R session and writes Markdown with the code and
# its output (knitr style, output lines prefixed "## ") -- without knitr, rmarkdown or pandoc.
#
#   Rscript vignettes/render_rmd.R vignettes/deeplearning_booklet.Rmd [OUT.md]
#
# Why not knitr: Debian's r-cran-knitr/pandoc are not part of h2olite's set-up, and the vignette
# only needs "run the chunks, keep what they print". The .Rmd stays an ordinary R Markdown file
# that rmarkdown::render() also renders where it is installed.
#
# Chunk option understood: eval = FALSE (shown, not run). Everything else is ignored.
# Quick mode (H2OLITE_VIGNETTE_QUICK=1): a code line ending in "# quick: name=value; ..." has those
# arguments replaced before it runs (see vignettes/replay.py for the Python twin), so CI runs the
# whole vignette in seconds while the full run keeps the booklet's values.
# Exit status 1 when a chunk fails (the error is shown in the output, the run stops there).

quick <- !(Sys.getenv("H2OLITE_VIGNETTE_QUICK", "") %in% c("", "0"))
max_lines <- 60L; head_lines <- 45L; tail_lines <- 10L; max_width <- 160L

quick_line <- function(line) {
  m <- regexpr("\\s*#\\s*quick:\\s*.+$", line, perl = TRUE)
  if (m < 0) return(line)
  code <- substr(line, 1L, m - 1L)
  subs <- sub("^\\s*#\\s*quick:\\s*", "", regmatches(line, m), perl = TRUE)
  for (s in strsplit(subs, ";", fixed = TRUE)[[1]]) {
    name <- trimws(sub("=.*$", "", s)); value <- trimws(sub("^[^=]*=", "", s))
    key <- gsub("([.])", "\\\\\\1", name)
    pattern <- paste0("(\\b", key, "\\s*(?:=|<-)\\s*|[\"']", key, "[\"']\\s*:\\s*)",
                      "(\\[[^]]*\\]|\\w*\\([^)]*\\)|[^,)}\\s]+)")
    if (!grepl(pattern, code, perl = TRUE))
      stop("quick note names '", name, "', which is not set on the line: ", trimws(line))
    code <- sub(pattern, paste0("\\1", gsub("\\\\", "\\\\\\\\", value)), code, perl = TRUE)
  }
  code
}

# Text / chunk pieces of an .Rmd (YAML header dropped).
read_rmd <- function(path) {
  lines <- readLines(path, warn = FALSE, encoding = "UTF-8")
  if (length(lines) && lines[1] == "---") {
    end <- which(lines == "---")[2]
    lines <- lines[-seq_len(end)]
  }
  pieces <- list(); buf <- character(); in_chunk <- FALSE; opts <- ""
  flush <- function(kind) {
    if (length(buf)) pieces[[length(pieces) + 1L]] <<- list(kind = kind, lines = buf, opts = opts)
    buf <<- character()
  }
  for (ln in lines) {
    if (!in_chunk && grepl("^```\\{r(.*)\\}\\s*$", ln)) {
      flush("text"); in_chunk <- TRUE
      opts <- sub("^```\\{r[ ,]*(.*)\\}\\s*$", "\\1", ln)
    } else if (in_chunk && grepl("^```\\s*$", ln)) {
      flush("code"); in_chunk <- FALSE; opts <- ""
    } else buf <- c(buf, ln)
  }
  flush(if (in_chunk) "code" else "text")
  pieces
}

clean_output <- function(text) {
  if (!length(text)) return(character())
  lines <- unlist(strsplit(gsub("\r\n", "\n", paste(text, collapse = "\n")), "\n", fixed = TRUE))
  lines <- vapply(lines, function(l) {
    l <- sub("\r+$", "", l)
    if (grepl("\r", l, fixed = TRUE)) l <- sub("^.*\r", "", l)     # progress-bar redraws
    l <- gsub("\033\\[[0-9;]*[A-Za-z]", "", l)
    if (nchar(l) > max_width) l <- paste0(substr(l, 1L, max_width), " ...")
    sub("\\s+$", "", l)
  }, "", USE.NAMES = FALSE)
  while (length(lines) && !nzchar(lines[length(lines)])) lines <- lines[-length(lines)]
  if (length(lines) > max_lines) {
    cut <- length(lines) - head_lines - tail_lines
    lines <- c(lines[seq_len(head_lines)], sprintf("... [%d more lines] ...", cut),
               lines[(length(lines) - tail_lines + 1L):length(lines)])
  }
  lines
}

# Evaluates one expression as the console would (visible values printed); returns what it
# printed (messages and warnings included, in order) and whether it failed.
eval_shown <- function(expr, env) {
  out <- character(0)
  con <- textConnection("out", "w", local = TRUE)
  sink(con); sink(con, type = "message")
  failed <- FALSE
  tryCatch(withCallingHandlers({
      res <- withVisible(eval(expr, env))
      if (res$visible) print(res$value)
    },
    warning = function(w) { message("Warning message:\n", conditionMessage(w)); invokeRestart("muffleWarning") }),
    error = function(e) { message("Error: ", conditionMessage(e)); failed <<- TRUE })
  sink(type = "message"); sink(); close(con)
  list(output = out, failed = failed)
}

render <- function(rmd, out_md = NULL) {
  env <- new.env(parent = globalenv())
  # ?topic writes its help text into the output instead of a pager
  options(pager = function(files, header, title, delete.file) {
    for (f in files) cat(gsub("_\b", "", readLines(f, warn = FALSE)), sep = "\n")
  }, help_type = "text", width = 120)
  md <- character(); status <- 0L; started <- Sys.time()
  for (piece in read_rmd(rmd)) {
    if (piece$kind == "text") { md <- c(md, piece$lines); cat(paste0("## ", piece$lines), sep = "\n"); next }
    code <- if (quick) vapply(piece$lines, quick_line, "", USE.NAMES = FALSE) else piece$lines
    run <- !grepl("eval\\s*=\\s*(FALSE|F)\\b", piece$opts)
    if (!run) { md <- c(md, "```r", code, "```"); next }
    exprs <- parse(text = code, keep.source = TRUE)
    refs <- attr(exprs, "srcref")
    shown <- 0L           # code lines already written
    block <- character()
    emit_code <- function(upto) {
      if (upto > shown) {
        block <<- c(block, code[(shown + 1L):upto]); shown <<- upto
      }
    }
    for (i in seq_along(exprs)) {
      emit_code(refs[[i]][3])
      cat(paste0("> ", as.character(refs[[i]])), sep = "\n")
      res <- eval_shown(exprs[[i]], env)
      out <- clean_output(res$output)
      if (length(out)) cat(out, sep = "\n")
      if (length(out)) {
        md <- c(md, "```r", block, "```", "```", paste0("## ", out), "```"); block <- character()
      }
      if (res$failed) { status <- 1L; break }
    }
    emit_code(length(code))
    if (length(block)) md <- c(md, "```r", block, "```")
    if (status) break
  }
  secs <- as.numeric(difftime(Sys.time(), started, units = "secs"))
  summary <- sprintf("%s run of %s: %.1f s%s", if (quick) "Quick" else "Full", basename(rmd), secs,
                     if (status) " -- STOPPED at the error above" else "")
  cat("\n", summary, "\n", sep = "")
  if (!is.null(out_md)) writeLines(c(md, "", "---", paste0("*", summary, ".*")), out_md, useBytes = TRUE)
  invisible(status)
}

args <- commandArgs(trailingOnly = TRUE)
if (!length(args)) stop("usage: Rscript vignettes/render_rmd.R VIGNETTE.Rmd [OUT.md]")
# chunks find files (figures/) relative to the vignette, as knitr runs them
rmd <- normalizePath(args[1])
out_md <- if (length(args) > 1L) normalizePath(args[2], mustWork = FALSE) else NULL
setwd(dirname(rmd))
quit(status = render(rmd, out_md), save = "no")
