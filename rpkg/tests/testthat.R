library(testthat)
library(h2olite)
test_check("h2olite")
