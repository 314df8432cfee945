# One command to run the app, one to test: see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install browser llm-server index lint typecheck pytest pytest-main pytest-llm gate \
	eval bench clean
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Quality gate on the development split: thresholds just under the measured values, so a
# regression fails the test command (the numbers themselves come from `make eval`).
GATE := --min hit_at_k=0.94 --min mrr=0.77 --min key_fact_accuracy=0.67 \
	--min abstention_rate=0.85 --max false_abstention_rate=0.06 --min citation_precision=0.97

run: index
	$(BIN)/python app.py

# The checks run side by side (make -j) on the two cores: the LLM server's compile (when pip
# has no wheel of it) beside the tests that do not need it, mypy and the gate's index build;
# each prints its output whole when it ends. `make pytest` runs every test in one go.
test: install browser
	$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck pytest-main pytest-llm gate

install: $(STAMP)

# The pinned lock installs with uv (about 5 s against pip's 80), given pip's own sources: its
# find-links (the CPU build of torch on these machines; a CUDA build otherwise), indexes and
# constraints, read from `pip config list`. Should uv not install, pip does it.
UV_SOURCES = $(shell $(PYTHON) -m pip config list 2>/dev/null | sed -n \
	-e "s/^[a-z:]*\.find-links='\(.*\)'/\1/p" -e "s/^[a-z:]*\.extra-index-url='\(.*\)'/\1/p" \
	-e "s/^[a-z:]*\.index-url='\(.*\)'/\1/p" -e "s/^[a-z:]*\.constraint='\(.*\)'/\1/p" | tr ' ' '\n' \
	| sed -e '/^$$/d' -e 's|^/.*\.txt$$|--constraint &|' -e 's|^/.*|--find-links &|' \
	-e 's|^[a-z]*://.*|--extra-index-url &|' | sort -u)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	($(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9 && \
		$(BIN)/uv pip install --quiet --python $(BIN)/python --index-strategy unsafe-best-match \
		$(UV_SOURCES) -r requirements.lock) || \
		$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The llm extra, for the tests of the LLM path against a real OpenAI-compatible server
# (python -m llama_cpp.server): llama-cpp-python compiles llama.cpp on install, about 3 minutes
# on 2 cores (its multimodal library is not built; pip caches the wheel). `make run` skips it.
llm-server: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP) requirements-llm.lock
	CMAKE_ARGS="-DLLAVA_BUILD=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
		$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-llm.lock
	touch $(LLM_STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null)

# Incremental: adds new letters, re-indexes changed ones, drops deleted ones, no-op when unchanged.
index: install
	$(BIN)/python -m assistant ingest corpus

lint: install
	$(BIN)/ruff check assistant tests app.py
	$(BIN)/ruff format --check assistant tests app.py

typecheck: install
	$(BIN)/mypy

pytest: install llm-server
	$(BIN)/python -m pytest -q

pytest-main: install
	$(BIN)/python -m pytest -q -m "not llm"

# After the other tests, not beside them: a streamed answer from a CPU-starved model server
# crawls. The compile itself runs beside them.
pytest-llm: llm-server pytest-main
	$(BIN)/python -m pytest -q -m llm

gate: index
	$(BIN)/python -m assistant eval --gold evals/gold/dev.jsonl --quiet --out evals/runs/gate $(GATE)

eval: index
	$(BIN)/python -m assistant eval --gold evals/gold/test.jsonl --compare baseline --out evals/reports/latest

# Speed, memory and retrieval quality at the corpus's size, and with SCALE (a folder of more
# letters) added: make bench SCALE=/path/to/corpus-scale. Writes evals/bench/bench.{json,md}.
bench: install
	$(BIN)/python -m assistant bench $(if $(SCALE),--scale $(SCALE))

clean:
	rm -rf $(VENV) index
