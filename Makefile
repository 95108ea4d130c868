# Masthead: `make demo` to see it, `make test` to check it. Only python3 (3.11+) is needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test bench bench-article bench-comments bench-moderation lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

demo: install
	$(BIN)/masthead demo --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# All benches; the comments bench reuses the demo newsroom the article bench loaded.
bench: install
	$(BIN)/python bench/article_vs_nginx.py
	$(BIN)/python bench/comments.py --skip-demo
	$(BIN)/python bench/moderation.py

bench-article: install
	$(BIN)/python bench/article_vs_nginx.py

bench-comments: install
	$(BIN)/python bench/comments.py

bench-moderation: install
	$(BIN)/python bench/moderation.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static var/test-* .pytest_cache
