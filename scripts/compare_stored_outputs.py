"""Compare every notebook's outputs with the committed ones (git HEAD); print the cells that differ.

Used by check_portable_outputs.sh. Cells tagged nbval-ignore-output (timings, which differ from run to run on any
machine) are skipped, as nbval skips them. Exit status 1 if any other output differs.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def outputs(nb):
    """{cell id: its outputs} for the cells nbval compares."""
    return {cell.get("id", str(i)): cell.get("outputs", []) for i, cell in enumerate(nb["cells"])
            if cell["cell_type"] == "code" and "nbval-ignore-output" not in cell.get("metadata", {}).get("tags", [])}


def main():
    differ = 0
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        committed = json.loads(subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=ROOT, capture_output=True,
                                              text=True, check=True).stdout)
        now = json.loads(path.read_text(encoding="utf-8"))
        before, after = outputs(committed), outputs(now)
        for cell_id in sorted(set(before) | set(after)):
            if before.get(cell_id) != after.get(cell_id):
                differ += 1
                print(f"{rel}: cell {cell_id}: outputs differ", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
