# Every target sets itself up: a virtual environment in .venv with the project installed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install crawl demo test test-fast lint bench bench-env clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "could not create a virtual environment: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# make exits 2 whenever a command fails, whatever its status; so that a failed run is not taken for a
# usage error (the README's status 2), the run's own status is said on a line of its own.
RUN_STATUS = || { status=$$?; echo "make: the command above exited with status $$status (see the README's table; make itself exits 2)" >&2; exit $$status; }

## crawl: the main job, UPI's feeds into data/articles (what cron runs)
crawl: $(STAMP)
	$(BIN)/wirecrawl crawl upi $(RUN_STATUS)

## demo: crawl a local mirror offline and print what was stored (demo-data/articles)
demo: $(STAMP)
	rm -rf demo-data
	$(BIN)/wirecrawl demo $(RUN_STATUS)

## test: lint and the whole test suite (no internet needed)
test: $(STAMP) lint
	$(BIN)/python -m pytest

## test-fast: the unit tier only (no processes, servers, benchmarks or whole-set scoring): seconds
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not e2e and not bench and not quality"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## bench-env: a separate environment with newspaper4k (it pins an older python-dateutil), for generic_quality.py
bench-env:
	@test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet 'newspaper4k>=0.9.3' 'lxml_html_clean>=0.1'

## bench: parser accuracy/speed, extraction quality, throughput/memory, WARC reading, Parquet I/O, 1 vs 2 workers
bench: $(STAMP)
	$(BIN)/python benchmarks/parsers.py
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/generic_quality.py
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { test "$$(id -u)" = 0 && \
	  apt-get install -y -qq nginx-light >/dev/null 2>&1; } || \
	  echo "nginx not installed: the throughput benchmark falls back to a Python server"
	$(BIN)/python benchmarks/throughput.py --pages 1000 10000 --profile
	$(BIN)/python benchmarks/warc_read.py
	$(BIN)/python benchmarks/parquet_io.py
	$(BIN)/python benchmarks/distributed.py

clean:
	rm -rf $(VENV) .venv-bench demo-data .pytest_cache .ruff_cache *.egg-info
