# Two commands for students and teachers:  make lab   and   make test
# Everything goes into .venv (created on first use); no conda needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test lint install dashboard figures student register bench bench-class site site-guide handouts clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test,site]'
	touch $(STAMP)

install: $(STAMP)

## Open JupyterLab on the start notebook (localhost only; the token is in the link it prints).
# (--allow-root only when run as root, e.g. in a container: Jupyter refuses root otherwise)
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00_start_here.ipynb

## Run the whole test suite (data, loader, charts, widgets, every notebook).
test: $(STAMP)
	$(BIN)/python -m pytest

## Lint the code (ruff, settings in pyproject.toml); CI runs it too.
lint: $(STAMP)
	$(BIN)/ruff check .

## Regenerate every chart into figures/ (PNG and SVG, with figures/index.csv).
figures: $(STAMP)
	$(BIN)/python -m balkan_diplomacy.figures

## Student copies of every lesson in student/, solutions removed; edited copies are kept.
student: $(STAMP)
	$(BIN)/python -m balkan_diplomacy.student

## Merge students' forecast files into a new class register (never overwrites an earlier one).
FILES ?= $(wildcard notebooks/my_forecasts/forecasts_*.csv)
register: $(STAMP)
	$(BIN)/python -m balkan_diplomacy.forecast merge $(FILES) --out registers/class_register_$$(date +%Y%m%d).csv

## Benchmark what a live class feels (prints a table; exits 1 when a target is missed).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

## A class on one server: 5, 10, 20, 30 students Run All then move controls (about 12 min).
bench-class: $(STAMP)
	$(BIN)/python benchmarks/class_bench.py

## The dashboard: the main charts with no code, served by Voila (localhost only, with a token).
dashboard: $(STAMP)
	$(BIN)/python scripts/serve_dashboard.py

## The course website in build/site/html: every lesson executed, data, glossary, sources.
## GUIDE=1 adds the instructor guide (or: make site-guide, into build/site-guide/html).
site: $(STAMP)
	$(BIN)/python scripts/build_site.py $(if $(filter-out 0,$(GUIDE)),--guide)

site-guide: $(STAMP)
	$(BIN)/python scripts/build_site.py --guide

## One printable PDF per lesson in build/handouts/, printed from the site by Chromium.
handouts: site
	$(BIN)/python scripts/print_handouts.py

clean-venv:
	rm -rf $(VENV)
