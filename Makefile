# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test lint bench load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

# A class on the room's network: `make serve PORT=8501 SLOTS=2 UPLOAD_MB=20 CACHE_MB=1024`.
PORT ?= 8501
SLOTS ?= 2
UPLOAD_MB ?= 20
CACHE_MB ?= 1024
serve: $(STAMP)
	$(BIN)/python -m pyropattern.serve --port $(PORT) --slots $(SLOTS) \
		--upload-mb $(UPLOAD_MB) --cache-mb $(CACHE_MB)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/teach.py
	$(BIN)/python bench/views.py
	$(BIN)/python bench/classpack.py

# 1 then 20 browser sessions against a real server on 127.0.0.1 (a few minutes; run it rarely).
load: $(STAMP)
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
