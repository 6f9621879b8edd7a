#!/bin/bash
# Drift guard: the whole test command against the newest releases that requirements.txt allows, or against its
# lowest bounds, in a venv of its own (.venv-newest / .venv-lowest), so a breaking release is seen before readers
# see it. The weekly GitHub workflow (.github/workflows/drift.yml) runs exactly this; so can you:
#   scripts/drift.sh newest     or     scripts/drift.sh lowest
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-}"
case "$which" in newest|lowest) ;; *) echo "usage: scripts/drift.sh newest|lowest" >&2; exit 2 ;; esac
venv=".venv-$which"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
if [ "$which" = lowest ]; then
  # Every ">=X" lower bound of requirements.txt becomes "==X": the oldest releases the course claims to support.
  sed -nE 's/^([A-Za-z0-9_.\[\]-]+)>=([^,; #]+).*/\1==\2/p' requirements.txt > "$venv/constraints.txt"
  "$venv/bin/python" -m pip install --quiet -r requirements-dev.txt -c "$venv/constraints.txt"
else
  "$venv/bin/python" -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements-dev.txt
fi
"$venv/bin/python" -m pip install --quiet -e .
if [ "${CHROMIUM:-}" = playwright ]; then   # GitHub's runners: Playwright's own Chromium, matching this venv's Playwright
  "$venv/bin/python" -m playwright install --with-deps chromium
fi
touch "$venv/.installed"   # the Makefile's stamp: make test uses this venv as it is
"$venv/bin/python" -m pip list --format=freeze | grep -iE '^(numpy|matplotlib|myst-nb|sphinx|jupyter-book|ipywidgets|nbval)=' || true
make test VENV="$venv"
