#!/bin/bash
# The stored outputs are the same whichever CPU kernels made them: re-executes every chapter with this machine's
# kernels, then as a Sandy Bridge CPU computes (see the Makefile's OLD_CPU), and fails if either run changes a
# stored output: text, HTML, SVG and scripts exactly, images to within invisible anti-aliasing steps
# (scripts/compare_stored_outputs.py); only the cells that nbval
# does not compare either (tagged nbval-ignore-output: timings) are left out. Slow (every chapter twice, a few
# minutes), so it is not part of every CI run: run it after `make notebooks`, before committing new outputs.
#   Usage: scripts/check_portable_outputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git diff --quiet -- notebooks; then
  echo "check_portable_outputs: notebooks/ has uncommitted changes; commit them first (this script re-executes in place)" >&2
  exit 2
fi
status=0
for kernels in default sandybridge; do
  if [ "$kernels" = sandybridge ]; then
    export OPENBLAS_CORETYPE=Sandybridge
    NPY_DISABLE_CPU_FEATURES="$(.venv/bin/python scripts/cpu_features_beyond_sandybridge.py)"
    export NPY_DISABLE_CPU_FEATURES
  fi
  echo "check_portable_outputs: make notebooks with the $kernels kernels"
  make -s notebooks
  if .venv/bin/python scripts/compare_stored_outputs.py; then
    echo "check_portable_outputs: $kernels kernels: every stored output unchanged"
  else
    echo "check_portable_outputs: $kernels kernels changed stored outputs (above)" >&2
    status=1
  fi
  git checkout -- notebooks
done
exit $status
