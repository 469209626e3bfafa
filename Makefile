# The documented entry points. `make report` and `make test` do all set-up on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DATA   ?= sample
OUT    ?= reports/sample

.PHONY: install report figures benchmark test test-fast bench clean
install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,hub,benchmark,dask]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

report: $(STAMP)  ## full dataset card on the embedded synthetic sample (or DATA=...)
	$(BIN)/vixray-eda report --data $(DATA) --out $(OUT)

figures: $(STAMP)
	$(BIN)/vixray-eda figures --data $(DATA) --out $(OUT)/figures

benchmark: $(STAMP)  ## benchmark card of two demo "models" (perturbed references) on the embedded sample
	$(BIN)/vixray-eda sample-predictions --data sample --model demo-careful --seed 1 --out reports/benchmark-predictions \
	    --rate omission=0.1 --rate negation_flip=0.05 --rate hallucination=0.05
	$(BIN)/vixray-eda sample-predictions --data sample --model demo-sloppy --seed 2 --out reports/benchmark-predictions \
	    --rate omission=0.35 --rate negation_flip=0.2 --rate hallucination=0.3
	$(BIN)/vixray-eda score --data sample --preds reports/benchmark-predictions/demo-careful.jsonl \
	    --preds reports/benchmark-predictions/demo-sloppy.jsonl --out reports/benchmark

test: $(STAMP)  ## the whole suite (what CI runs)
	$(BIN)/python -m pytest -n 2 -q

test-fast: $(STAMP)  ## the inner loop: everything but the slow end-to-end runs
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
