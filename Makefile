# The Forward Pass: build the book and run every test.
#   make book       venv + requirements + nnlib, graphviz, npm assets, execute notebooks, build _build/html
#   make test       unit tests and nbval on every notebook (this CPU's kernels, then an older CPU's), the chapters in
#                   a Colab-like kernel, the chapters in JupyterLab and Notebook 7, the book build (-n -W), browser
#                   tests (THE test command)
#   make jupyter    tests/jupyter: chapter 1 run, saved and reopened in a real JupyterLab; Notebook 7's keyboard;
#                   the gallery's live faces redraw from the kernel and its trainers train
#   make colab      every chapter in a Colab-like kernel (.venv-colab: Colab's ipywidgets 7.7, IPython 7.34...)
#   make serve      preview the built book on http://127.0.0.1:8000/
#   make notebooks  re-execute every notebook in place (refresh the stored outputs nbval compares)
#   make notebooks-ja  write the Japanese notebooks (notebooks/ja/) from the English ones and the catalogues, execute them
#   make pin        pin the setup cells' nnlib to the last commit that changed it (_config.yml: nnlib_commit)
#   make lint       ruff (lint and format check) on the Python, ESLint on the browser code (part of make test)
#   make bundles    rebuild the explorers' JavaScript bundles (nnlib/explore/dist/, committed) with esbuild
#   make clean      remove build output, caches and vendored JS (keeps .venv and node_modules)
# Data: NNLIB_DATA names the folder holding mnist/ and sample_weight.pkl (default ../shared/data);
# where it lacks the files, nnlib downloads them (checksummed) on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
NNLIB_DATA ?= $(abspath $(CURDIR)/../shared/data)
export NNLIB_DATA
# Notebook kernels and pytest see the same data; nothing asks for a display.
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
VENDOR := _build/assets/vendor
STAMP_VENV := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
STAMP_VENDOR := $(VENDOR)/.copied
NNLIB_FILES := $(shell find nnlib -type f \( -name '*.py' -o -name '*.js' -o -name '*.css' -o -name '*.npz' \) 2>/dev/null)

.PHONY: notebooks-ja gettext html-ja check-font-ja pin lint format bundles help book test unit nbval unit-old-cpu nbval-old-cpu colab jupyter browser serve notebooks clean check-dot check-data check-chromium check-python html vendor

help:
	@sed -n '2,17p' Makefile | sed 's/^# //'

# The explorers' browser code: ES modules in nnlib/explore/js/, one bundle per face in nnlib/explore/dist/
# (committed package data: pip install needs no Node). tests/test_explore_bundles.py fails when they differ.
bundles: $(STAMP_NPM)
	node nnlib/explore/js/build.mjs

# --- environment -------------------------------------------------------------------------------------

# The venvs are filled by uv (from PyPI, installed into .venv by pip): the same requirements resolved to the same
# releases as pip, in about a tenth of pip's time on a fresh machine (CI). The venvs keep pip for readers' habits.
# --compile-bytecode, as pip does: else the first import of every module compiles it, in each of the processes
# make test starts side by side (JupyterLab then took over a minute to start on a loaded machine).
UV_REQUIREMENT := uv>=0.5,<1
UV := $(VENV)/bin/uv
UV_INSTALL = $(UV) pip install --quiet --compile-bytecode

$(STAMP_VENV): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	  echo "make: Python >= 3.10 is needed as '$(PYTHON)': install python3 (apt-get install python3 python3-venv) or run make PYTHON=/path/to/python3.x"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "make: could not create $(VENV): install the venv module (apt-get install python3-venv)"; exit 1; }
	$(PY) -m pip install --quiet "$(UV_REQUIREMENT)"
	$(UV_INSTALL) --python $(PY) -r requirements-dev.txt -e .
	@touch $@

$(STAMP_NPM): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is missing (it fetches MathJax, RequireJS and the widgets manager): apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Only the files the pages load, copied to a folder that is not _static/ (Jupyter Book would add every .js
# under _static/ to every page); _config.yml names them in mathjax_path and nb_ipywidgets_js.
$(STAMP_VENDOR): $(STAMP_NPM) Makefile
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/mathjax/output/chtml $(VENDOR)/mathjax/input/tex $(VENDOR)/requirejs $(VENDOR)/html-manager
	cp node_modules/mathjax/es5/tex-chtml.js $(VENDOR)/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts $(VENDOR)/mathjax/output/chtml/
	cp -r node_modules/mathjax/es5/input/tex/extensions $(VENDOR)/mathjax/input/tex/
	cp -r node_modules/mathjax/es5/ui node_modules/mathjax/es5/a11y $(VENDOR)/mathjax/
	cp node_modules/requirejs/require.js $(VENDOR)/requirejs/
	cd node_modules/@jupyter-widgets/html-manager/dist && cp embed-amd.js *.woff *.woff2 $(CURDIR)/$(VENDOR)/html-manager/
	cp node_modules/mathjax/LICENSE $(VENDOR)/mathjax/LICENSE
	cp node_modules/requirejs/README.md $(VENDOR)/requirejs/README.md
	@touch $@

vendor: $(STAMP_VENDOR)

check-python: $(STAMP_VENV)

check-dot:
	@command -v dot >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing graphviz (dot draws the network diagrams)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-liberation2 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-liberation2 >/dev/null; } || { \
	      echo "make: could not install graphviz with apt-get: install it (sudo apt-get install graphviz) and retry"; exit 1; }; \
	  else echo "make: Graphviz's dot is missing (it draws the network diagrams): sudo apt-get install graphviz"; exit 1; fi; }

check-data: $(STAMP_VENV)
	@if [ -f "$(NNLIB_DATA)/mnist/t10k-images-idx3-ubyte.gz" ] && [ -f "$(NNLIB_DATA)/sample_weight.pkl" ]; then :; \
	else echo "make: no data in NNLIB_DATA=$(NNLIB_DATA); downloading MNIST and sample_weight.pkl there (checksummed)"; \
	  $(PY) -c 'import nnlib, nnlib.weights; nnlib.load_mnist(); nnlib.weights.fetch_sample_weights()' >/dev/null 2>&1 || { \
	    echo "make: MNIST or sample_weight.pkl missing under $(NNLIB_DATA) and no network to download them: set NNLIB_DATA to the folder holding mnist/ and sample_weight.pkl (see README, Data)"; exit 1; }; fi

check-chromium:
	@[ "$${CHROMIUM:-}" = playwright ] || command -v $${CHROMIUM:-/usr/bin/chromium} >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing chromium (the browser tests open every page in it)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || { \
	      echo "make: could not install chromium with apt-get: install it (sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium"; exit 1; }; \
	  else echo "make: Chromium is missing (the browser tests open every page in it): sudo apt-get install chromium, or set CHROMIUM=/path/to/chromium"; exit 1; fi; }

# --- the book ----------------------------------------------------------------------------------------

# -n: every reference must resolve; -W: a warning fails the build; --keep-going: list all of them first. Nothing
# is executed: the pages show the notebooks' stored outputs (`make notebooks` makes them; make test's nbval proves
# them, see _config.yml). The html folder is rebuilt from scratch so no page of an earlier build survives.
html: check-python vendor
	rm -rf _build/html
	@echo "make: $@: jupyter-book build . -n -W --keep-going"; $(stage_start); \
	$(VENV)/bin/jupyter-book build . -n -W --keep-going --builder html 2>&1 \
	  | { grep -v 'Kernel is running over TCP without encryption' || true; } || rc=$$?; \
	$(MAKE) --no-print-directory html-ja || rc=$$?; \
	echo "make: site size $$(du -sh _build/html 2>/dev/null | cut -f1) (both editions)"; \
	$(stage_end)

# --- the Japanese edition (README, "The Japanese edition") --------------------------------------------
# The English pages and notebooks are the source. `make gettext` extracts their text (_build/gettext/*.pot) and
# merges it into locale/ja/LC_MESSAGES/*.po (sphinx-intl): a new English sentence arrives untranslated, a changed
# one fuzzy; tests/test_translations.py lists both. nnlib's own words (forms, verdicts, explorers) are one more
# catalogue, nnlib.po, compiled to nnlib/i18n/ja.json for its Python and JavaScript faces. `make html` then builds the Japanese edition into
# _build/html/ja/ (html-ja: the same build with language=ja; each chapter's code and outputs from its Japanese
# notebook, notebooks/ja/, made by `make notebooks-ja`: nothing is executed).
gettext: check-python check-data
	rm -rf _build/gettext
	$(PY) book/_ext/edition.py gettext
	$(PY) book/_ext/ja_notebooks.py alts _build/gettext
	$(PY) -m nnlib.i18n.extract pot _build/gettext/nnlib.pot
	$(VENV)/bin/sphinx-intl update -p _build/gettext -l ja -d locale
	$(PY) scripts/unflag_po.py $$(find locale -name "*.po")
	$(PY) -m nnlib.i18n.extract json locale/ja/LC_MESSAGES/nnlib.po nnlib/i18n/ja.json
	@echo "make: catalogues updated: translate the empty and fuzzy entries in locale/ja/LC_MESSAGES (tests/test_translations.py lists them)"

html-ja: check-python check-font-ja
	@echo "make: the Japanese edition (book/_ext/edition.py ja)"; start=$$SECONDS; \
	$(PY) book/_ext/edition.py ja 2>&1 | { grep -v 'Kernel is running over TCP without encryption' || true; }; \
	echo "make: Japanese edition built in $$((SECONDS - start)) s; size $$(du -sh _build/html/ja | cut -f1)"

# The Japanese pages and figures need a font with Japanese glyphs (else Chromium and matplotlib draw boxes).
check-font-ja:
	@fc-list :lang=ja family | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "make: installing fonts-noto-cjk (the Japanese edition's glyphs)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null; } || { \
	      echo "make: could not install fonts-noto-cjk with apt-get: install it (sudo apt-get install fonts-noto-cjk) and retry"; exit 1; }; \
	  else echo "make: no Japanese font (the Japanese edition needs one): sudo apt-get install fonts-noto-cjk"; exit 1; fi; }

book: html
	@echo "make: the book is in _build/html/index.html (preview: make serve)"

# --- tests -------------------------------------------------------------------------------------------

# `make test` runs its stages in three lanes side by side, each lane's stages one after the other, and prints each
# stage's log whole when the stage ends
# (--output-sync), so logs never interleave. The lanes are fixed here, not left to make -j, which starts the jobs
# it queued last first (the book build then started after every other stage, and the browser tests ran alone at
# the end). Lane 1 is the longest chain: the book, then the browser tests on it. The book is built first, beside
# lint only: it takes half a minute alone, but began with the Colab venv's install and two JupyterLab servers beside
# it its Japanese edition took 278 s, and the browser tests waited for it.
#   html (beside lint), then   lane 1: browser        lane 2: jupyter -> unit -> unit-old-cpu
#                              lane 3: colab (its venv) -> nbval -> nbval-old-cpu
# On CI's 2 cores the lanes share the CPU: the machine is busy 96% of the run (the summary measures it), so make
# test takes about the CPU all stages need divided by two, and only less work makes it shorter; the browser tests
# are about half of it. The whole Jupyter sweep (every chapter, both front ends) beside the other lanes took its
# stage to 685 s (two chapters timed out waiting for widgets) and the Colab-like stage from 200 to 346 s: make test
# sweeps the gallery (which holds every kind of figure, the trainers, the playground and the digit canvas; chapter 1
# left it to keep CI's margin: runs of 807 and 833 s here); `make jupyter` sweeps every chapter (385 s alone).
# Every stage runs to its end even when another fails; a table of each stage's result and time ends the run, and
# make test fails if any stage failed. A stage run alone (make unit, make html...) fails at once.
# `make test TEST_JOBS=1` runs the stages one after the other (the lanes' order still holds).
TEST_RUN := $(filter test,$(MAKECMDGOALS))
TEST_JOBS ?= 4
STAGES_DIR := _build/.stages
ifneq ($(TEST_RUN),)
MAKEFLAGS += -j$(TEST_JOBS) --output-sync=target --keep-going
TEST_START := $(shell date +%s)
# The machine's CPU counters when make test began (Linux): the summary says how busy the whole machine was.
TEST_CPU_START := $(shell head -1 /proc/stat 2>/dev/null)
$(shell rm -rf $(STAGES_DIR) && mkdir -p $(STAGES_DIR))
browser: | html
jupyter: | html
unit: | jupyter
unit-old-cpu: | unit
colab: | lint html
$(STAMP_COLAB): | html
nbval: | colab
nbval-old-cpu: | nbval
# apt-get (when dot or Chromium is missing) runs one at a time.
check-chromium: | check-dot
endif
define stage_start
t0=$$(date +%s); rc=0
endef
# After a stage's command (its exit status in rc): its time; under make test its result is recorded for the table.
# cpu: the CPU seconds (user + system) of the stage's processes and every descendant they waited for (bash's
# `times`, written to a file: in a pipe it would run in a subshell, which has no children). It misses what a server
# reaps (kernels, Chromium's renderers): the summary's machine-wide figure is the one that bounds CI's time.
define stage_end
t1=$$(date +%s); tf=$$(mktemp); times > $$tf; \
cpu=$$(awk 'NR == 2 { split($$1, u, "m"); split($$2, s, "m"); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' $$tf); rm -f $$tf; \
if [ $$rc = 0 ]; then echo "make: $@ passed in $$((t1 - t0)) s ($$cpu s of CPU)"; \
else echo "make: $@ FAILED (exit $$rc) after $$((t1 - t0)) s"; fi; \
$(if $(TEST_RUN),echo "$$rc $$t0 $$t1 $$cpu" > $(STAGES_DIR)/$@; exit 0,exit $$rc)
endef

# pytest exit code 5 means "no tests collected": for these suites that is a failure, never a pass.
# $(2), if given, is an environment prefix (OLD_CPU below) and is named in the log.
define run_pytest
	@echo "make: $@: pytest $(1) $(if $(2),[older CPU kernels])"; $(stage_start); $(2) $(PY) -m pytest $(1) || rc=$$?; \
	if [ $$rc = 5 ]; then echo "make: pytest collected no tests for: $(1)"; rc=1; fi; \
	$(stage_end)
endef

# Notebooks run on two workers (pytest-xdist, -n 2): nbval keeps each notebook on one worker, its cells in order in
# one kernel (--dist loadscope); tests/colab runs one notebook per test. Measured side by side
# (benchmarks/bench_ci_stages.py), nbval took 0.57 of its one-worker time; the unit tests took 1.19 (each worker
# imports and sets up on its own), so they run on one. `make test XDIST=` runs every stage on one worker.
XDIST ?= -n 2
UNIT_ARGS := tests --ignore=tests/browser --ignore=tests/jupyter --ignore=tests/colab -q
NBVAL_ARGS := --nbval notebooks/ --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider -q $(XDIST) --dist loadscope
# An older CPU changes only what numpy and OpenBLAS compute. Test files that compute no numbers (configuration,
# pages, workflows, download deadlines and checksums, the pickle sandbox, offline messages, which MNIST files are
# read, the catalogues and Japanese notebooks, the notation and prose checks, stored outputs' bundles, the bundles
# themselves, the figures' glyphs) run once, in `unit`; every other file, and every new one, runs in both.
COMPUTE_NO_NUMBERS := test_book_config test_book_pages test_workflows test_downloads test_safe_pickle test_offline \
  test_mnist_split test_translations test_ja_notebooks test_notation test_prose_numbers test_stored_outputs \
  test_explore_bundles test_i18n_figures
OLD_CPU_UNIT_ARGS := $(UNIT_ARGS) $(foreach t,$(COMPUTE_NO_NUMBERS),--ignore=tests/$(t).py)
# Stored outputs must hold on any x86-64 CPU: OpenBLAS and numpy pick SIMD kernels per CPU, and float32 results
# differ in the last digit between them. So the numeric checks run twice: with this machine's kernels, and as a
# Sandy Bridge CPU computes (OpenBLAS' Sandybridge kernels; numpy without the SIMD targets Sandy Bridge lacks,
# listed for this CPU and this numpy by the script, since numpy refuses to disable targets it does not run).
OLD_CPU = OPENBLAS_CORETYPE=Sandybridge NPY_DISABLE_CPU_FEATURES="$$($(PY) scripts/cpu_features_beyond_sandybridge.py)"

unit: check-python check-data check-dot
	$(call run_pytest,$(UNIT_ARGS))

nbval: check-python check-data check-dot
	$(call run_pytest,$(NBVAL_ARGS))

unit-old-cpu: check-python check-data check-dot
	$(call run_pytest,$(OLD_CPU_UNIT_ARGS),$(OLD_CPU))

# The Japanese notebooks (notebooks/ja/) run the English notebooks' code, whose numbers the English notebooks already
# hold on both kernel sets: nbval checks them (nnlib's Japanese words in their outputs) with this CPU's kernels only.
OLD_CPU_NBVAL_ARGS := $(NBVAL_ARGS) --ignore=notebooks/ja
nbval-old-cpu: check-python check-data check-dot
	$(call run_pytest,$(OLD_CPU_NBVAL_ARGS),$(OLD_CPU))

# BROWSER_XDIST: the pages open on two workers, each with its own Chromium (`BROWSER_XDIST=` for one); loadgroup
# keeps the tests of one page's first visit together (tests/browser/conftest.py).
BROWSER_XDIST ?= -n 2 --dist loadgroup
browser: check-python check-chromium
	$(call run_pytest,tests/browser -q $(BROWSER_XDIST))

# A real JupyterLab and Notebook 7 (requirements-dev.txt) on 127.0.0.1, started and stopped by the tests. The sweep
# opens every chapter (_toc.yml's notebooks) in both front ends; it mostly waits (kernels, page loads), so the two
# front ends run side by side, each on its own pytest-xdist worker with its own server and Chromium (JUPYTER_XDIST=
# for one worker). JUPYTER_CHAPTERS=03,06 sweeps those chapters only. Where the time goes, per front end, chapter and
# phase: artifacts/jupyter_profile.json.
JUPYTER_CHAPTERS ?= all
JUPYTER_XDIST ?= -n 2 --dist loadscope
jupyter: export NNLIB_JUPYTER_CHAPTERS = $(JUPYTER_CHAPTERS)
jupyter: check-python check-chromium check-data check-dot
	@echo "make: jupyter: the sweep opens chapters: $(JUPYTER_CHAPTERS)"
	$(call run_pytest,tests/jupyter -q -rxX -p no:cacheprovider $(JUPYTER_XDIST) $(JUPYTER_SKIP))

# --- a Colab-like kernel ------------------------------------------------------------------------------
# .venv-colab holds what Colab preinstalls (requirements-colab.txt), on Colab's Python 3.12 where one runs here
# (else $(PYTHON); the test prints which), and nnlib installed as the setup cell installs it: a copy (not
# editable), without extras, next to anywidget, constrained to those versions. The venv is rebuilt when
# requirements-colab.txt changes; nnlib is reinstalled when its files change (build/ is setuptools' staging
# folder: emptied so that a deleted module cannot survive into the copy).
COLAB_VENV ?= .venv-colab
COLAB_BASE_PYTHON ?= $(firstword $(foreach p,python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12),\
  $(shell $(p) -c 'import sys; print(sys.executable)' 2>/dev/null)) $(PYTHON))
STAMP_COLAB := $(COLAB_VENV)/.installed
STAMP_COLAB_NNLIB := $(COLAB_VENV)/.nnlib-installed

$(STAMP_COLAB): requirements-colab.txt | $(STAMP_VENV)
	rm -rf $(COLAB_VENV)
	$(COLAB_BASE_PYTHON) -m venv $(COLAB_VENV)
	$(UV_INSTALL) --python $(COLAB_VENV)/bin/python -r requirements-colab.txt
	@touch $@

# --reinstall-package: uv rebuilds nnlib from these files (its cache keys a local folder on pyproject.toml only).
$(STAMP_COLAB_NNLIB): $(STAMP_COLAB) $(NNLIB_FILES) pyproject.toml
	rm -rf build
	$(UV_INSTALL) --python $(COLAB_VENV)/bin/python --reinstall-package nnlib \
	  -c requirements-colab.txt "nnlib @ file://$(CURDIR)" anywidget
	rm -rf build
	@touch $@

colab: export COLAB_PYTHON := $(abspath $(COLAB_VENV))/bin/python
colab: check-python check-data check-dot $(STAMP_COLAB_NNLIB)
	$(call run_pytest,tests/colab -q -p no:cacheprovider $(XDIST))

# Lint: ruff (pyflakes, pycodestyle errors, bugbear; pyproject.toml) and ruff's formatter on the Python, ESLint's
# recommended rules (eslint.config.mjs) on the browser sources. `make format` applies ruff's formatting.
LINT_PY := nnlib tests benchmarks scripts book/_ext
lint: check-python $(STAMP_NPM)
	@echo "make: $@: ruff check, ruff format --check, eslint"; $(stage_start); \
	$(VENV)/bin/ruff check $(LINT_PY) || rc=$$?; \
	$(VENV)/bin/ruff format --check $(LINT_PY) || rc=$$?; \
	npx --no-install eslint . || rc=$$?; \
	$(stage_end)

# Colab readers install the nnlib that made the stored outputs: the last commit that changed the library, named in
# _config.yml and every setup cell (scripts/pin_nnlib.py). After changing nnlib: commit, make notebooks, make pin.
pin: check-python
	$(PY) scripts/pin_nnlib.py

format: check-python
	$(VENV)/bin/ruff format $(LINT_PY)

# Listed in the order they start: the book build and the browser tests after it are the longest chain.
# (the sweep of the Jupyter front ends: the gallery, see the lanes above)
test: JUPYTER_CHAPTERS = 90
# Two arrow keys per explorer show that every control is live (the first warms the kernel's path); the latency
# benchmark (make jupyter, benchmarks/bench_jupyter.py) keeps six.
test: export NNLIB_JUPYTER_MOVES = 2
# The reload check in a real JupyterLab (tests/jupyter/test_reload.py, a notebook and kernel of its own) runs in
# make jupyter: CI took 836 s with it in make test, 807 s without it (and with one browser cut), the machine 96-97%
# busy, too close to CI's 15 minutes on the project's slower machine.
# Its deterministic twin in the browser stage (test_playground.py, the live bundle on a stand-in model) runs here.
test: JUPYTER_SKIP = --ignore=tests/jupyter/test_reload.py
test: lint html browser unit nbval unit-old-cpu nbval-old-cpu colab jupyter
	@failed=0; cpus=0; echo; echo "make test: stage           result   started  took   cpu (seconds; started: after make test began)"; \
	for stage in $^; do \
	  if [ -f $(STAGES_DIR)/$$stage ]; then read -r rc t0 t1 cpu < $(STAGES_DIR)/$$stage; \
	    result=passed; [ "$$rc" = 0 ] || { result=FAILED; failed=1; }; cpus=$$((cpus + cpu)); \
	    printf 'make test:   %-15s %-8s %7d  %4d  %4d\n' $$stage $$result $$((t0 - $(TEST_START))) $$((t1 - t0)) $$cpu; \
	  else printf 'make test:   %-15s FAILED   (no result recorded in $(STAGES_DIR))\n' $$stage; failed=1; fi; \
	done; echo "make test: $$(( $$(date +%s) - $(TEST_START) )) s in all (make -j$(TEST_JOBS): three lanes and the set-up); the stages used $$cpus s of CPU"; \
	[ -z "$(TEST_CPU_START)" ] || awk -v s="$(TEST_CPU_START)" 'NR == 1 { split(s, a, " "); idle = $$5 + $$6 - a[5] - a[6]; \
	  for (i = 2; i <= 9; i++) all += $$i - a[i]; printf "make test: the machine was busy %d%% of that time (every process, %d s of CPU)\n", \
	  100 * (all - idle) / all, (all - idle) / 100 }' /proc/stat; \
	if [ $$failed = 0 ]; then echo "make: all tests passed"; else echo "make: make test FAILED (the stages marked FAILED; their logs above)"; exit 1; fi

# --- preview and maintenance -------------------------------------------------------------------------

serve:
	@test -f _build/html/index.html || { echo "make: the book is not built yet: run make book"; exit 1; }
	@echo "make: serving _build/html on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# Re-executes each chapter in place, in a fresh kernel started in its folder (like a reader's), and stores the
# outputs nbval compares. No timing metadata and no live widget state are stored: re-running an unchanged
# chapter then leaves its file unchanged. metadata.widgets holds only a stand-in per explorer (its static
# picture), so that a notebook reopened after JupyterLab saved it shows no "model not found" (nnlib.explore._base).
define EXECUTE_NOTEBOOK
import os, sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
for cell in nb.cells:
    cell.metadata.pop("execution", None)
nb.metadata.pop("widgets", None)
client = NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False, store_widget_state=False,
                        resources={"metadata": {"path": os.path.dirname(path)}})
try:
    client.execute()
except CellExecutionError as err:
    sys.exit(f"make: {path} failed:\n{err}")
from nnlib.explore._base import saved_widget_state
stand_ins = saved_widget_state(nb)
if stand_ins:
    nb.metadata["widgets"] = stand_ins
nbformat.write(nb, path)
endef
export EXECUTE_NOTEBOOK

notebooks: check-python check-dot check-data
	@for nb in $(NOTEBOOKS); do \
	  echo "make: executing $$nb"; \
	  $(PY) -c "$$EXECUTE_NOTEBOOK" $$nb 2> >(grep -v 'Kernel is running over TCP' >&2); \
	done

# The Japanese notebooks (README, "The Japanese edition"): each chapter of _toc.yml with its markdown translated
# through its page catalogue and nnlib set to Japanese (book/_ext/ja_notebooks.py), executed as above. After a change
# to an English notebook, a catalogue or nnlib: make notebooks-ja (tests/test_ja_notebooks.py fails until then).
# NOTEBOOKS_JA="01_one_neuron 03_dense_learns_and" writes and executes only those.
NOTEBOOKS_JA ?=
notebooks-ja: check-python check-dot check-data
	@start=$$SECONDS; written=$$($(PY) book/_ext/ja_notebooks.py write $(NOTEBOOKS_JA)); for nb in $$written; do \
	  echo "make: executing $$nb"; \
	  $(PY) -c "$$EXECUTE_NOTEBOOK" $$nb 2> >(grep -v 'Kernel is running over TCP' >&2); \
	done; echo "make: Japanese notebooks written and executed in $$((SECONDS - start)) s"

clean:
	rm -rf _build artifacts .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -not -path './node_modules/*' -prune -exec rm -rf {} +
