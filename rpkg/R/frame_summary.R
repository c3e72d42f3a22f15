# summary() and h2o.describe() from GET /3/Frames/{id}/summary, laid out as R's own summary table.

.fr_summary_cols <- function(x) {
  res <- .h2o.GET(paste0("/3/Frames/", .url_escape(h2o.getId(x)), "/summary"), column_count = -1L)
  f <- res$frames[[1]]
  list(columns = f$columns, percentiles = unlist(f$default_percentiles))
}

# Quartile from the server's approximate percentiles (default_percentiles holds 0.25/0.5/0.75).
.pct <- function(col, probs, p) {
  vals <- .as_vector(col$percentiles)
  if (is.null(vals) || !length(vals)) return(NA_real_)
  k <- which.min(abs(probs - p))
  vals[k]
}

summary.H2OFrame <- function(object, factors = 6L, exact_quantiles = FALSE, ...) {
  s <- .fr_summary_cols(object)
  cols <- s$columns
  cells <- lapply(cols, function(col) {
    type <- col$type
    nas <- as.numeric(col$missing_count %||% 0)
    if (identical(type, "enum")) {
      dom <- unlist(.null_to_na(col$domain))
      counts <- as.numeric(.as_vector(col$histogram_bins))
      if (length(counts) != length(dom)) counts <- rep(NA_real_, length(dom))
      o <- order(-counts)[seq_len(min(factors, length(dom)))]
      v <- paste0(format(dom[o]), ":", format(counts[o]), "  ")
      if (nas > 0) v <- c(v, paste0("NA's", ":", nas, "  "))
      return(v)
    }
    if (type %in% c("string", "uuid")) return(paste0("NA's:", nas, "  "))
    mins <- .as_vector(col$mins); maxs <- .as_vector(col$maxs)
    qs <- c(mins[1] %||% NA, .pct(col, s$percentiles, 0.25), .pct(col, s$percentiles, 0.5),
            as.numeric(col$mean %||% NA), .pct(col, s$percentiles, 0.75), maxs[1] %||% NA)
    if (type == "time") qs <- format(as.POSIXct(qs / 1000, origin = "1970-01-01"))
    else qs <- format(signif(qs, 4L))
    lab <- c("Min.   ", "1st Qu.", "Median ", "Mean   ", "3rd Qu.", "Max.   ")
    v <- paste0(lab, ":", qs, "  ")
    if (nas > 0) v <- c(v, paste0("NA's   :", nas, "  "))
    v
  })
  nr <- max(vapply(cells, length, 0L))
  z <- vapply(cells, function(v) c(v, rep(NA_character_, nr - length(v))), character(nr))
  if (is.null(dim(z))) z <- matrix(z, nrow = nr)
  labels <- vapply(cols, function(c) as.character(c$label), "")
  pad <- floor(pmax(nchar(z[1, ], type = "w") - nchar(labels, type = "w"), 0) / 2)
  colnames(z) <- paste0(strrep(" ", pad), labels)
  rownames(z) <- rep.int("", nr)
  attr(z, "class") <- "table"
  z
}
h2o.summary <- summary.H2OFrame

h2o.describe <- function(frame) {
  if (!is.H2OFrame(frame)) stop("`frame` must be an H2OFrame")
  cols <- .fr_summary_cols(frame)$columns
  num <- function(col, f) { v <- col[[f]]; if (is.null(v) || identical(v, "NaN")) NA_real_ else as.numeric(v[[1]]) }
  data.frame(
    Label = vapply(cols, function(c) as.character(c$label), ""),
    Type = vapply(cols, function(c) as.character(c$type), ""),
    Missing = vapply(cols, num, 0, "missing_count"),
    Zeros = vapply(cols, num, 0, "zero_count"),
    PosInf = vapply(cols, num, 0, "positive_infinity_count"),
    NegInf = vapply(cols, num, 0, "negative_infinity_count"),
    Min = vapply(cols, num, 0, "mins"),
    Max = vapply(cols, num, 0, "maxs"),
    Mean = vapply(cols, num, 0, "mean"),
    Sigma = vapply(cols, num, 0, "sigma"),
    Cardinality = vapply(cols, function(c) if (identical(c$type, "enum")) as.numeric(c$domain_cardinality %||% length(c$domain)) else NA_real_, 0),
    stringsAsFactors = FALSE)
}
