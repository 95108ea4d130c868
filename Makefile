# Masthead: `make demo` to see it, `make test` to check it. Only python3 (3.11+) is needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test bench bench-throughput bench-article bench-comments bench-growth bench-soak\
	bench-moderation stress lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

demo: install
	$(BIN)/masthead demo --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every bench in one run, one table: bench/results/latest.json and growth.png (bench/README.md).
# `make bench QUICK=1`: short runs, capped sizes, 60-second soaks (about 5 minutes on 2 cores).
bench: install
	$(BIN)/python bench/run.py $(if $(QUICK),--quick)

bench-throughput: install
	$(BIN)/python bench/throughput.py $(if $(QUICK),--quick)

bench-article: install
	$(BIN)/python bench/throughput.py --only article $(if $(QUICK),--quick)

bench-comments: install
	$(BIN)/python bench/comments.py $(if $(QUICK),--quick)

bench-growth: install
	$(BIN)/python bench/growth.py $(if $(QUICK),--quick)

bench-soak: install
	$(BIN)/python bench/soak.py $(if $(QUICK),--quick)

bench-moderation: install
	$(BIN)/python bench/moderation.py

# The reliability report: floods, faults (SIGKILL, Redis stopped, database cut off) and hostile
# input against real servers, one table (bench/stress.py). `QUICK=1`: the short form CI runs.
stress: install
	$(BIN)/python bench/stress.py $(if $(QUICK),--quick)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static var/test-* .pytest_cache
