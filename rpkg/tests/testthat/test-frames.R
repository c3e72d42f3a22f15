iris_path <- data_file("smalldata/iris/iris_wheader.csv")

test_that("importFile parses iris with a guessed header and types", {
  iris_hf <- h2o.importFile(iris_path)
  expect_s3_class(iris_hf, "H2OFrame")
  expect_match(h2o.getId(iris_hf), "^iris_wheader[0-9]*\\.hex$")
  expect_equal(dim(iris_hf), c(150, 5))
  expect_equal(nrow(iris_hf), 150)
  expect_equal(ncol(iris_hf), 5)
  expect_equal(names(iris_hf), c("sepal_len", "sepal_wid", "petal_len", "petal_wid", "class"))
  expect_equal(colnames(iris_hf), names(iris_hf))
  expect_equal(is.factor(iris_hf), c(FALSE, FALSE, FALSE, FALSE, TRUE))
  expect_equal(h2o.levels(iris_hf, "class"), c("Iris-setosa", "Iris-versicolor", "Iris-virginica"))
})

test_that("head, tail and as.data.frame return data.frames with H2O's levels", {
  iris_hf <- h2o.importFile(iris_path)
  h <- head(iris_hf)
  expect_s3_class(h, "data.frame")
  expect_equal(dim(h), c(6L, 5L))
  expect_equal(h$sepal_len, c(5.1, 4.9, 4.7, 4.6, 5.0, 5.4))
  expect_equal(levels(h$class), c("Iris-setosa", "Iris-versicolor", "Iris-virginica"))
  t <- tail(iris_hf, 2)
  expect_equal(t$sepal_len, c(6.2, 5.9))
  expect_equal(rownames(t), c("149", "150"))
  df <- as.data.frame(iris_hf)
  expect_equal(dim(df), c(150L, 5L))
  expect_equal(as.vector(table(df$class)), c(50L, 50L, 50L))
  expect_equal(mean(df$petal_len), 3.758667, tolerance = 1e-6)
  out <- capture.output(print(iris_hf))
  expect_true(any(grepl("\\[150 rows x 5 columns\\]", out)))
})

test_that("summary is an R table with the iris statistics, describe a data.frame", {
  iris_hf <- h2o.importFile(iris_path)
  s <- summary(iris_hf)
  expect_s3_class(s, "table")
  expect_equal(dim(s), c(6L, 5L))
  expect_match(s[1, 1], "Min.   :4.3")
  expect_match(s[4, 1], "Mean   :5.843")
  expect_match(s[6, 3], "Max.   :6.9")
  expect_match(s[1, 5], "Iris-setosa    :50")
  d <- h2o.describe(iris_hf)
  expect_equal(names(d), c("Label", "Type", "Missing", "Zeros", "PosInf", "NegInf", "Min", "Max", "Mean",
                           "Sigma", "Cardinality"))
  expect_equal(d$Type, c("real", "real", "real", "real", "enum"))
  expect_equal(d$Min[1:4], c(4.3, 2.0, 1.0, 0.1))
  expect_equal(d$Sigma[1], 0.8280661, tolerance = 1e-6)
  expect_equal(d$Cardinality[5], 3)
})

test_that("MNIST imports as 8000 x 785 without a header", {
  train <- h2o.importFile(data_file("bigdata/laptop/mnist/train.csv.gz"))
  expect_equal(dim(train), c(8000, 785))
  expect_equal(names(train)[c(1, 785)], c("C1", "C785"))
  expect_false(any(is.factor(train)))
  expect_equal(h2o.describe(train)$Max[785], 9)
})

test_that("header, sep, col.names and col.types are honoured", {
  ecg <- h2o.importFile(data_file("smalldata/anomaly/ecg_discord_test.csv"), header = FALSE, sep = ",")
  expect_equal(dim(ecg), c(23, 210))
  cars <- h2o.importFile(data_file("smalldata/junit/cars.csv"), col.types = list(by.col.name = "cylinders", types = "enum"))
  expect_true(is.factor(cars)[which(names(cars) == "cylinders")])
  expect_equal(h2o.levels(cars, "cylinders"), c("3", "4", "5", "6", "8"))
  expect_error(h2o.importFile(data_file("smalldata/iris/iris_wheader.csv"), col.names = c("a", "b")),
               "length of col.names")
})

test_that("uploadFile and as.h2o send local data", {
  up <- h2o.uploadFile(data_file("smalldata/junit/cars.csv"))
  expect_equal(dim(up), c(406, 8))
  expect_match(h2o.getId(up), "^cars_sid_[A-Za-z0-9]+_[0-9]+$")     # as h2o's R client names uploads
  gz <- h2o.uploadFile(data_file("bigdata/laptop/mnist/test.csv.gz"), destination_frame = "mnist_test_up.hex")
  expect_equal(h2o.getId(gz), "mnist_test_up.hex")
  expect_equal(dim(gz), c(2000, 785))
  hf <- as.h2o(iris)
  expect_equal(h2o.getId(hf), "iris")
  expect_equal(dim(hf), c(150, 5))
  expect_equal(h2o.levels(hf, "Species"), levels(iris$Species))
  back <- as.data.frame(hf)
  expect_equal(back$Sepal.Length, iris$Sepal.Length)
  expect_equal(back$Species, iris$Species)
  df <- data.frame(x = c(1.5, NA, 3), s = c("a", "b", NA), stringsAsFactors = FALSE)
  hf2 <- as.h2o(df)
  expect_equal(h2o.describe(hf2)$Missing, c(1, 1))
  expect_equal(h2o.describe(hf2)$Type, c("real", "string"))
  dates <- data.frame(d = as.Date(c("2020-01-01", "2021-06-30", NA)), ok = c(TRUE, FALSE, TRUE))
  hf3 <- as.h2o(dates)
  expect_equal(h2o.describe(hf3)$Type, c("time", "enum"))
  back3 <- as.data.frame(hf3)
  expect_equal(as.Date(back3$d), dates$d)
  expect_equal(as.character(back3$ok), c("TRUE", "FALSE", "TRUE"))
})

test_that("backend errors become R errors with the backend's message", {
  expect_error(h2o.importFile("/nonexistent/file.csv"), "does not exist|not found|No files", ignore.case = TRUE)
  expect_error(h2o.getFrame("no_such_frame.hex"), "no_such_frame.hex")
  expect_error(h2o.uploadFile("/nonexistent/file.csv"), "File not found")
})

test_that("column selection, assignment and as.factor go through Rapids", {
  skip_without("/99/Rapids")
  iris_hf <- h2o.importFile(iris_path)
  col <- iris_hf[, "class"]
  expect_equal(dim(col), c(150, 1))
  expect_equal(dim(iris_hf$sepal_len), c(150, 1))
  expect_equal(dim(iris_hf[, 1:3]), c(150, 3))
  expect_equal(dim(iris_hf[, -5]), c(150, 4))
  expect_equal(dim(iris_hf[1:10, ]), c(10, 5))
  expect_equal(iris_hf[3, 2], 3.2)
  big <- iris_hf[iris_hf$sepal_len > 7, ]
  expect_equal(nrow(big), 12)
  iris_hf$ratio <- iris_hf$sepal_len / iris_hf$sepal_wid
  expect_equal(ncol(iris_hf), 6)
  expect_equal(head(iris_hf, 1)$ratio, 5.1 / 3.5, tolerance = 1e-9)
  iris_hf[, "ratio"] <- NULL
  expect_equal(ncol(iris_hf), 5)
  expect_equal(h2o.mean(iris_hf$sepal_len), c(sepal_len = 5.843333), tolerance = 1e-6)
  expect_equal(max(iris_hf$sepal_len), 7.9)
  expect_equal(min(iris_hf[, 1:4]), 0.1)
  expect_equal(h2o.sd(iris_hf$sepal_len), 0.8280661, tolerance = 1e-6)
})

test_that("MNIST's response becomes a factor with levels 0..9", {
  skip_without("/99/Rapids")
  train <- h2o.importFile(data_file("bigdata/laptop/mnist/train.csv.gz"))
  y <- "C785"
  train[, y] <- as.factor(train[, y])
  expect_true(is.factor(train[, y]))
  expect_equal(h2o.levels(train[, y]), as.character(0:9))
  expect_equal(dim(train), c(8000, 785))
})

test_that("splitFrame splits by ratio with a seed; ls and rm manage keys", {
  skip_without("/99/Rapids")
  iris_hf <- h2o.importFile(iris_path)
  sp <- h2o.splitFrame(iris_hf, ratios = 0.75, seed = 1234)
  expect_length(sp, 2L)
  expect_equal(nrow(sp[[1]]) + nrow(sp[[2]]), 150)
  expect_true(nrow(sp[[1]]) > 95 && nrow(sp[[1]]) < 130)
  named <- h2o.splitFrame(iris_hf, ratios = c(0.5, 0.25), destination_frames = c("a.hex", "b.hex", "c.hex"), seed = 1)
  expect_equal(vapply(named, h2o.getId, ""), c("a.hex", "b.hex", "c.hex"))
  expect_true(all(c("a.hex", "b.hex", "c.hex") %in% h2o.ls()$key))
  h2o.rm("a.hex")
  expect_false("a.hex" %in% h2o.ls()$key)
  both <- h2o.cbind(iris_hf[, 1], iris_hf[, 2])
  expect_equal(dim(both), c(150, 2))
  expect_equal(nrow(h2o.rbind(iris_hf, iris_hf)), 300)
})

test_that("assigning to selected rows changes only those rows", {
  skip_without("/99/Rapids")
  pr <- h2o.importFile(data_file("smalldata/logreg/prostate.csv"))
  before <- as.data.frame(pr)
  pr[1:5, "AGE"] <- 99
  expect_equal(head(pr$AGE, 7)$AGE, c(99, 99, 99, 99, 99, 71, 68))
  pr[pr$AGE == 99, "RACE"] <- 0
  after <- as.data.frame(pr)
  expected <- before$RACE
  expected[1:5] <- 0
  expect_equal(after$RACE, expected)
  expect_equal(after$PSA, before$PSA)
})

test_that("exportFile writes the frame on the backend's disk, downloadCSV here", {
  iris_hf <- h2o.importFile(iris_path)
  dir <- tempfile("export")
  dir.create(dir)
  csv <- file.path(dir, "iris.csv")
  h2o.exportFile(iris_hf, csv)
  back <- read.csv(csv)
  expect_equal(dim(back), c(150L, 5L))
  expect_equal(mean(back$petal_len), 3.758667, tolerance = 1e-6)
  expect_error(h2o.exportFile(iris_hf, csv), "already exists: use force=True")
  h2o.exportFile(iris_hf, csv, force = TRUE, sep = ";", header = FALSE)
  expect_equal(readLines(csv, n = 1L), "5.1;3.5;1.4;0.2;\"Iris-setosa\"")
  h2o.exportFile(iris_hf, file.path(dir, "iris.parquet"), format = "parquet")
  expect_true(file.exists(file.path(dir, ".iris.parquet.crc")))
  expect_error(h2o.exportFile(iris_hf, file.path(dir, "x.csv"), parts = 2), "num_parts=2 is not supported")
  expect_error(h2o.exportFile(iris_hf, file.path(dir, "x.csv"), sep = "::"), "single character")
  dl <- file.path(dir, "download.csv")
  expect_equal(h2o.downloadCSV(iris_hf, dl), dl)
  expect_equal(read.csv(dl)$sepal_len[1:3], c(5.1, 4.9, 4.7))
})

test_that("h2o.quantile and quantile() give R's interpolated quantiles, named as h2o does", {
  iris_hf <- h2o.importFile(iris_path)
  q <- quantile(iris_hf$sepal_len, probs = c(0.1, 0.25, 0.5, 0.75))
  expect_equal(q, c(`10%` = 4.8, `25%` = 5.1, `50%` = 5.8, `75%` = 6.4))
  expect_equal(unname(h2o.quantile(iris_hf$petal_len, probs = 0.333)),
               unname(stats::quantile(datasets::iris$Petal.Length, 0.333)))
  m <- h2o.quantile(iris_hf[, 1:2], probs = c(0.1, 0.9))
  expect_equal(dim(m), c(2L, 2L))
  expect_equal(rownames(m), c("sepal_lenQuantiles", "sepal_widQuantiles"))
  expect_equal(unname(m[2, ]), unname(stats::quantile(datasets::iris$Sepal.Width, c(0.1, 0.9))))
  expect_equal(unname(h2o.quantile(iris_hf$sepal_wid, c(0.1, 0.9), combine_method = "low")), c(2.5, 3.6))
  expect_error(h2o.quantile(iris_hf$sepal_len, probs = 1.5), "between 0 and 1")
})
