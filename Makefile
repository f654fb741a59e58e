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
	$(BIN)/pip install -q -e '.[dev]'
	scripts/install-web-assets
	touch $@

demo: install
	$(BIN)/skazal extract tests/data/texts/*.txt $(wildcard tests/data/html/*.html)

test: install
	scripts/install-browser
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/pytest -q -ra

bench: install
	$(BIN)/python bench/reader_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
