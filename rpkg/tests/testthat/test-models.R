# Deep Learning from R on the shipped data: classification (iris, MNIST), autoencoder (ECG),
# grids, checkpoints and model files.  Small networks and few epochs keep this fast.

iris_frames <- function() {
  iris_hf <- h2o.importFile(data_file("smalldata/iris/iris_wheader.csv"))
  list(train = iris_hf, valid = h2o.importFile(data_file("smalldata/iris/iris_wheader.csv")))
}

test_that("h2o.deeplearning's arguments are the backend's parameter table", {
  skip_without("/3/ModelBuilders/{algo}")
  meta <- h2olite:::.h2o.builder_params("deeplearning")
  args <- setdiff(names(formals(h2o.deeplearning)), c("x", "y", "training_frame", "verbose"))
  expect_setequal(args, setdiff(names(meta), c("training_frame", "response_column", "ignored_columns",
                                              "max_confusion_matrix_size")))
  f <- formals(h2o.deeplearning)
  expect_equal(eval(f$hidden), c(200, 200))
  expect_equal(f$epochs, 10)
  expect_equal(eval(f$activation)[1:2], c("Tanh", "TanhWithDropout"))
})

test_that("bad arguments are refused before or by the backend with a clear message", {
  skip_without("/3/ModelBuilders/{algo}")
  fr <- iris_frames()$train
  expect_error(h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, activation = "Bogus"),
               "\"activation\" must be in \"Tanh\"")
  expect_error(h2o.deeplearning(x = 1:4, y = "nope", training_frame = fr), "Invalid column names in `y`: nope")
  expect_error(h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, epochs = "ten"), "\"epochs\" must be a single number")
  expect_error(h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, hidden = c(-1)), "hidden", ignore.case = TRUE)
  expect_error(h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, bogus_arg = 1), "unused argument")
})

test_that("a multinomial model trains, prints like H2O and reports its metrics", {
  skip_without("/3/ModelBuilders/{algo}")
  fr <- iris_frames()
  m <- h2o.deeplearning(x = 1:4, y = "class", training_frame = fr$train, validation_frame = fr$valid,
                        activation = "tanh", hidden = c(10, 10), epochs = 20, seed = 1234,
                        reproducible = TRUE, export_weights_and_biases = TRUE)
  expect_s4_class(m, "H2OMultinomialModel")
  expect_equal(m@algorithm, "deeplearning")
  expect_equal(m@parameters$hidden, c(10, 10))
  expect_equal(m@parameters$activation, "Tanh")           # canonical Java spelling
  expect_equal(m@parameters$x, c("sepal_len", "sepal_wid", "petal_len", "petal_wid"))
  expect_equal(m@parameters$y, "class")
  expect_null(m@parameters$rho)                             # defaults are not listed
  expect_equal(m@allparameters$rho, 0.99)
  expect_equal(m@params$default$epochs, 10)
  out <- capture.output(show(m))
  expect_equal(out[1:2], c("Model Details:", "=============="))
  expect_true(any(grepl("^H2OMultinomialModel: deeplearning", out)))
  expect_true(any(grepl("Status of Neuron Layers", out)))
  expect_true(any(grepl("MSE: \\(Extract with `h2o.mse`\\)", out)))
  mse <- h2o.mse(m)
  expect_true(mse > 0 && mse < 0.2)
  both <- h2o.mse(m, train = TRUE, valid = TRUE)
  expect_equal(names(both), c("train", "valid"))
  expect_true(h2o.logloss(m, valid = TRUE) < 0.6)
  expect_true(h2o.mean_per_class_error(m, valid = TRUE) < 0.2)
  perf <- h2o.performance(m, valid = TRUE)
  expect_s4_class(perf, "H2OMultinomialMetrics")
  expect_equal(h2o.mse(perf), both[["valid"]])
  cm <- h2o.confusionMatrix(m, valid = TRUE)
  expect_equal(dim(cm), c(4L, 5L))
  expect_equal(sum(cm[1:3, 1:3]), 150)
  hr <- h2o.hit_ratio_table(m, valid = TRUE)
  expect_equal(hr$hit_ratio[3], 1)
  expect_warning(res <- h2o.mse(m, xval = TRUE), "No cross-validation metrics available")
  expect_null(res)
  vi <- h2o.varimp(m)
  expect_equal(names(vi), c("variable", "relative_importance", "scaled_importance", "percentage"))
  expect_equal(nrow(vi), 4L)
  expect_equal(sum(vi$percentage), 1, tolerance = 1e-6)
  sh <- h2o.scoreHistory(m)
  expect_true(max(sh$epochs) >= 19)
  pred <- h2o.predict(m, fr$valid)
  expect_equal(dim(pred), c(150, 4))
  expect_equal(names(pred), c("predict", "Iris-setosa", "Iris-versicolor", "Iris-virginica"))
  expect_equal(dim(predict(m, fr$valid)), c(150, 4))
  newperf <- h2o.performance(m, newdata = fr$valid)
  expect_equal(h2o.mse(newperf), both[["valid"]], tolerance = 1e-6)
  expect_equal(dim(h2o.deepfeatures(m, fr$valid, layer = 2)), c(150, 10))
  expect_equal(dim(h2o.weights(m, 1)), c(10, 4))
  expect_equal(dim(h2o.biases(m, 3)), c(3, 1))
  again <- h2o.getModel(m@model_id)
  expect_equal(h2o.mse(again), mse)
})

test_that("the booklet's MNIST example runs and learns", {
  skip_without("/99/Rapids")
  skip_without("/3/ModelBuilders/{algo}")
  train <- h2o.importFile(data_file("bigdata/laptop/mnist/train.csv.gz"))
  test <- h2o.importFile(data_file("bigdata/laptop/mnist/test.csv.gz"))
  y <- "C785"
  x <- setdiff(names(train), y)
  train[, y] <- as.factor(train[, y])
  test[, y] <- as.factor(test[, y])
  # H2O warns about the 118 constant pixels it leaves out, once
  expect_warning(
    model <- h2o.deeplearning(x = x, y = y, training_frame = train, validation_frame = test,
                              distribution = "multinomial", activation = "RectifierWithDropout",
                              hidden = c(32, 32, 32), input_dropout_ratio = 0.2, sparse = TRUE,
                              l1 = 1e-5, epochs = 10, seed = 1),
    "^Dropping bad and constant columns: \\[C1, C2, C3, .*C784\\]$")
  expect_s4_class(model, "H2OMultinomialModel")
  expect_equal(model@parameters$hidden, c(32, 32, 32))
  # the booklet's settings; H2O-3 3.46 reaches 0.14 on this 8000/2000-row MNIST, h2olite 0.21
  expect_true(h2o.mean_per_class_error(model, valid = TRUE) < 0.3)
  expect_equal(h2o.hit_ratio_table(model, valid = TRUE)$k, as.character(1:10))   # a string column, as in H2O
  pred <- h2o.predict(model, newdata = test)
  expect_equal(names(pred), c("predict", paste0("p", 0:9)))
  expect_equal(nrow(pred), 2000)
  expect_equal(nrow(head(pred)), 6L)
})

test_that("an autoencoder scores anomalies on the ECG data", {
  skip_without("/3/ModelBuilders/{algo}")
  train_ecg <- h2o.importFile(data_file("smalldata/anomaly/ecg_discord_train.csv"), header = FALSE, sep = ",")
  test_ecg <- h2o.importFile(data_file("smalldata/anomaly/ecg_discord_test.csv"), header = FALSE, sep = ",")
  am <- h2o.deeplearning(x = names(train_ecg), training_frame = train_ecg, autoencoder = TRUE,
                         activation = "Tanh", hidden = c(50, 20, 50), epochs = 20, seed = 1)
  expect_s4_class(am, "H2OAutoEncoderModel")
  expect_null(am@parameters$y)
  recon_error <- as.data.frame(h2o.anomaly(am, test_ecg))
  expect_equal(names(recon_error), "Reconstruction.MSE")
  expect_equal(nrow(recon_error), 23L)
  expect_true(all(recon_error$Reconstruction.MSE >= 0))
  # the test set's last rows are the discords: their error is the largest
  expect_true(max(recon_error$Reconstruction.MSE[21:23]) > 2 * stats::median(recon_error$Reconstruction.MSE))
  pf <- h2o.anomaly(am, test_ecg, per_feature = TRUE)
  expect_equal(dim(pf), c(23, 210))
  expect_equal(names(pf)[1], "reconstr_C1.SE")
})

test_that("grid search returns an H2OGrid of model ids", {
  skip_without("/99/Grid/{algo}")
  fr <- iris_frames()$train
  g <- h2o.grid("deeplearning", grid_id = "r_test_grid", x = 1:4, y = 5, training_frame = fr,
                hyper_params = list(hidden = list(c(8, 8), c(16)), l1 = c(1e-4, 1e-3)),
                epochs = 2, activation = "Tanh", seed = 1)
  expect_s4_class(g, "H2OGrid")
  expect_equal(g@grid_id, "r_test_grid")
  expect_length(g@model_ids, 4L)
  expect_true(all(vapply(g@model_ids, is.character, TRUE)))
  expect_equal(sort(unlist(g@hyper_names)), c("hidden", "l1"))
  out <- capture.output(show(g))
  expect_true(any(grepl("Number of models: 4", out)))
  expect_true(any(grepl("^Hyper-Parameter Search Summary: ordered by increasing logloss", out)))
  mses <- vapply(g@model_ids, function(id) h2o.mse(h2o.getModel(id)), 0)
  expect_true(all(mses > 0 & mses < 1))
  g2 <- h2o.getGrid("r_test_grid", sort_by = "mse", decreasing = TRUE)
  m2 <- vapply(g2@model_ids, function(id) h2o.mse(h2o.getModel(id)), 0)
  expect_equal(m2, sort(m2, decreasing = TRUE))
  g3 <- h2o.grid("deeplearning", grid_id = "r_random_grid", x = 1:4, y = 5, training_frame = fr,
                 hyper_params = list(hidden = list(c(8), c(16), c(4)), l1 = c(1e-4, 1e-3)), epochs = 1,
                 search_criteria = list(strategy = "RandomDiscrete", max_models = 2, seed = 1))
  expect_length(g3@model_ids, 2L)
})

test_that("checkpoints continue training; models save and load under their id", {
  skip_without("/99/Models.bin/{key}")
  fr <- iris_frames()$train
  m <- h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, hidden = c(10), epochs = 5, seed = 1)
  ck <- h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, hidden = c(10), epochs = 10,
                         checkpoint = m@model_id, seed = 1)
  expect_false(identical(ck@model_id, m@model_id))
  expect_true(max(h2o.scoreHistory(ck)$epochs) > max(h2o.scoreHistory(m)$epochs))
  dir <- tempfile("models")
  path <- h2o.saveModel(m, path = dir, force = TRUE)
  expect_equal(path, file.path(dir, m@model_id))
  expect_true(file.exists(path))
  h2o.rm(m@model_id)
  expect_error(h2o.getModel(m@model_id))
  loaded <- h2o.loadModel(path)
  expect_equal(loaded@model_id, basename(path))
  expect_s4_class(loaded, "H2OMultinomialModel")
  p2 <- h2o.saveModel(loaded, path = dir, force = TRUE, filename = "named_model")
  expect_equal(basename(p2), "named_model")
  # download_model copies the file here; upload_model brings it back under its id, predicting the same
  before <- as.data.frame(h2o.predict(loaded, fr))
  here <- h2o.download_model(loaded, path = dir, filename = "copy.bin")
  expect_equal(here, file.path(dir, "copy.bin"))
  h2o.rm(loaded@model_id)
  expect_error(h2o.download_model(loaded, path = dir), loaded@model_id)     # the backend's 404, as an R error
  up <- h2o.upload_model(here)
  expect_equal(up@model_id, loaded@model_id)
  expect_equal(as.data.frame(h2o.predict(up, fr)), before)
  expect_error(h2o.download_model(up, path = file.path(dir, "missing")), "to save model is not valid")
  expect_error(h2o.upload_model(file.path(dir, "missing.bin")), "does not exist")
})

test_that("varimp_plot draws the most important inputs as horizontal bars", {
  fr <- iris_frames()$train
  m <- h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, hidden = c(5), epochs = 5, seed = 1,
                        variable_importances = TRUE)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_equal(length(h2o.varimp_plot(m)), 4L)                 # all four inputs (fewer than 10)
  expect_equal(length(h2o.varimp_plot(m, num_of_features = 2)), 2L)
  expect_error(h2o.varimp_plot(m, num_of_features = 0), "positive number")
  m0 <- h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, hidden = c(5), epochs = 1, seed = 1,
                         variable_importances = FALSE)
  expect_warning(expect_null(h2o.varimp_plot(m0)), "doesn't have variable importances")
})

test_that("cross-validation gives xval metrics and CV models", {
  skip_without("/3/ModelBuilders/{algo}")
  fr <- iris_frames()$train
  cv <- h2o.deeplearning(x = 1:4, y = 5, training_frame = fr, nfolds = 3, hidden = c(5), epochs = 2, seed = 1)
  v <- h2o.mse(cv, train = TRUE, xval = TRUE)
  expect_equal(names(v), c("train", "xval"))
  expect_true(all(v > 0 & v < 1))
  expect_length(h2o.cross_validation_models(cv), 3L)
  expect_s4_class(h2o.performance(cv, xval = TRUE), "H2OMultinomialMetrics")
})

test_that("binomial and regression models report their own metrics", {
  skip_without("/3/ModelBuilders/{algo}")
  skip_without("/99/Rapids")
  pr <- h2o.importFile(data_file("smalldata/logreg/prostate.csv"))
  pr$CAPSULE <- as.factor(pr$CAPSULE)
  b <- h2o.deeplearning(x = 3:9, y = "CAPSULE", training_frame = pr, hidden = c(10, 10), epochs = 10, seed = 1)
  expect_s4_class(b, "H2OBinomialModel")
  auc <- h2o.auc(b)
  expect_true(auc > 0.7 && auc <= 1)
  expect_equal(h2o.giniCoef(b), 2 * auc - 1, tolerance = 1e-6)
  cm <- h2o.confusionMatrix(b)
  expect_equal(rownames(cm), c("0", "1", "Totals"))
  expect_equal(cm["Totals", "0"] + cm["Totals", "1"], 380)
  expect_equal(names(h2o.predict(b, pr)), c("predict", "p0", "p1"))
  expect_warning(r <- h2o.deeplearning(x = 3:9, y = "VOL", training_frame = pr, hidden = c(10), epochs = 5, seed = 1),
                 "removing response variable from the explanatory variables")
  expect_s4_class(r, "H2ORegressionModel")
  expect_false("VOL" %in% r@parameters$x)
  expect_equal(h2o.rmse(r)^2, h2o.mse(r), tolerance = 1e-6)
  expect_equal(h2o.mean_residual_deviance(r), h2o.mse(r), tolerance = 1e-6)   # gaussian
  expect_true(h2o.mae(r) > 0 && h2o.mae(r) < h2o.rmse(r))
  out <- capture.output(show(h2o.performance(r)))
  expect_true(any(grepl("^H2ORegressionMetrics: deeplearning", out)))
  expect_true(any(grepl("^Mean Residual Deviance :  [0-9.]+$", out)))
  expect_warning(none <- h2o.performance(r, newdata = pr[, 1:3]), "Response column \"VOL\" is missing")
  expect_null(none)
})
