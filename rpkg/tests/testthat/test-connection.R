test_that("h2o.init connected to a running backend and reports its status", {
  conn <- h2o.getConnection()
  expect_s4_class(conn, "H2OConnection")
  expect_equal(conn@port, test_port)
  out <- capture.output(info <- h2o.clusterInfo())
  expect_true(any(grepl("H2O cluster healthy:\\s+TRUE", out)))
  expect_true(any(grepl(paste0("H2O Connection port:\\s+", test_port), out)))
  expect_true(isTRUE(info$cloud_healthy))
  expect_equal(info$cloud_size, 1)
})

test_that("a missing Python backend gives an error saying what to install", {
  old <- Sys.getenv("H2OLITE_PYTHON")
  on.exit(Sys.setenv(H2OLITE_PYTHON = old))
  Sys.setenv(H2OLITE_PYTHON = "/nonexistent/python3")
  expect_error(h2olite:::.h2o.find_python(), "pip install h2olite")
})

test_that("connecting without starting a backend fails clearly", {
  expect_error(capture.output(h2o.init(port = 1, startH2O = FALSE)), "Cannot connect to an h2olite backend")
  expect_equal(h2o.getConnection()@port, test_port)    # the working connection is kept
})

test_that("a backend on this machine is reached without the environment's http_proxy", {
  # curl would send localhost to the proxy (here a closed port) unless no_proxy lists it
  withr::local_envvar(c(http_proxy = "http://127.0.0.1:1", HTTP_PROXY = "http://127.0.0.1:1",
                        no_proxy = "", NO_PROXY = ""))
  expect_true(isTRUE(h2olite:::.h2o.GET("/3/Cloud")$cloud_healthy))
})

test_that("values are sent in H2O's wire spelling", {
  enc <- h2olite:::.h2o.encode
  expect_equal(enc(c(32, 32, 32)), "[32,32,32]")
  expect_equal(enc(TRUE), "TRUE")
  expect_equal(enc(1e-5), "1e-05")
  expect_equal(enc(Inf), "Infinity")
  expect_equal(h2olite:::.h2o.quoted_list(c("C1", "C2")), "[\"C1\",\"C2\"]")
})
