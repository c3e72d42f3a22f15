# h2olite: `make demo` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
VENV  ?= .venv
PY    := $(VENV)/bin/python
PIP   := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
R_STAMP := $(VENV)/.r-installed
R_LIB := $(CURDIR)/$(VENV)/R-library
export R_LIBS_USER := $(R_LIB)
# the R package starts the backend with this interpreter (the venv's, with h2olite installed)
export H2OLITE_PYTHON := $(CURDIR)/$(VENV)/bin/python

.PHONY: demo test test-python test-r install r bench clean

demo: $(STAMP)
	$(PY) -m h2olite.demo

test: $(STAMP) $(R_STAMP)
	$(PY) -m pytest -q tests
	@if [ -d rpkg/tests/testthat ]; then \
	  echo "== testthat (rpkg)"; \
	  Rscript -e 'library(testthat); library(h2olite); test_dir("rpkg/tests/testthat", reporter = "summary", stop_on_failure = TRUE)'; \
	fi

test-python: $(STAMP)
	$(PY) -m pytest -q tests

install: $(STAMP)

# R from Debian (CRAN is not reachable); needed before rpy2 can be built.
r: $(R_STAMP)
$(R_STAMP): $(STAMP) $(shell find rpkg -type f 2>/dev/null)
	@command -v Rscript >/dev/null && Rscript -e 'quit(status = !all(c("httr","jsonlite","testthat") %in% rownames(installed.packages())))' 2>/dev/null || { \
	  echo "== installing R from Debian"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    r-base-core r-base-dev r-cran-httr r-cran-jsonlite r-cran-testthat >/dev/null; }
	$(PIP) install -q "rpy2>=3.5,<3.6"
	@if [ -f rpkg/DESCRIPTION ]; then mkdir -p $(R_LIB) && R CMD INSTALL --no-test-load -l $(R_LIB) rpkg >/dev/null; fi
	@touch $@

$(STAMP): pyproject.toml setup.py
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	@echo "== compiling the training kernels (once; the first model then starts at once)"
	$(PY) -m h2olite_server --compile
	@touch $@

bench: $(STAMP)
	$(PIP) install -q h2o
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
