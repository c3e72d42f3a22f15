# What the backend stores: listing, fetching and removing frames and models by key.

h2o.ls <- function() {
  df <- .h2o.result_df("(ls)")
  if (!ncol(df)) return(data.frame(key = character(0), stringsAsFactors = FALSE))
  df$key <- as.character(df$key)
  df
}

# Drop a temporary made by a Rapids expression; through Rapids `(rm key)` so that the backend's
# session bookkeeping of temporaries stays consistent (as h2o's R client does).
.h2o.remove_key <- function(key) {
  tryCatch(.h2o.rapids(sprintf("(rm %s)", key)), error = function(e) NULL)
  invisible(NULL)
}

h2o.rm <- function(ids, cascade = TRUE) {
  sym <- substitute(ids)
  keys <- if (is.H2OFrame(ids)) h2o.getId(ids)
          else if (is(ids, "H2OModel")) ids@model_id
          else if (is.list(ids)) vapply(ids, function(i) if (is.H2OFrame(i)) h2o.getId(i)
                                        else if (is(i, "H2OModel")) i@model_id else as.character(i), "")
          else if (is.character(ids)) ids
          else stop("`ids` must be H2OFrames, H2OModels or key strings")
  for (k in keys) .h2o.request("DELETE", paste0("/3/DKV/", .url_escape(k)), list(cascade = cascade))
  # As h2o does: an object passed by name is removed from the caller's environment too.
  if (is.name(sym) && (is.H2OFrame(ids) || is(ids, "H2OModel"))) {
    env <- parent.frame()
    nm <- as.character(sym)
    if (exists(nm, envir = env, inherits = FALSE)) rm(list = nm, envir = env)
  }
  invisible(NULL)
}

h2o.removeAll <- function(timeout_secs = 0, retained_elements = c()) {
  retained <- vapply(as.list(retained_elements), function(i) if (is.H2OFrame(i)) h2o.getId(i)
                     else if (is(i, "H2OModel")) i@model_id else as.character(i), "")
  args <- list()
  if (length(retained)) args$retained_keys <- .h2o.quoted_list(retained)
  .h2o.request("DELETE", "/3/DKV", args)
  invisible(NULL)
}

h2o.getModel <- function(model_id) {
  if (!is.character(model_id) || length(model_id) != 1L) stop("`model_id` must be a model id (a single string)")
  res <- .h2o.GET(paste0("/3/Models/", .url_escape(model_id)))
  .h2o.new_model(res$models[[1]])
}

h2o.list_models <- function() {
  res <- .h2o.GET("/3/Models")
  vapply(res$models, function(m) m$model_id$name, "")
}
