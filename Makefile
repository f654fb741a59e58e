# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export OPENBLAS_NUM_THREADS := 1

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,spark]'
	scripts/install-web-assets
	touch $@

DEMO_DB := demo.db
DEMO_PORT ?= 8000

# The seed page read at a glance, then every bundled real page into a corpus (idempotent: run it
# twice and nothing changes), who is quoted most, and the web UI over that corpus.
demo: install
	$(BIN)/skazal extract tests/data/texts/zerkalo-lukashenko-it.txt
	$(BIN)/skazal ingest --db $(DEMO_DB) tests/data/texts tests/data/html
	$(BIN)/skazal speakers --db $(DEMO_DB) --limit 10
	$(BIN)/skazal quotes --db $(DEMO_DB) --speaker "Лукашенко А.Г." --limit 5
	@echo "skazal's web UI on the bundled pages: http://127.0.0.1:$(DEMO_PORT)/  (Ctrl-C stops it)"
	$(BIN)/skazal serve --db $(DEMO_DB) --port $(DEMO_PORT)

test: install
	scripts/install-browser
	scripts/install-java
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/pytest -q -ra

bench: install
	$(BIN)/python bench/reader_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
