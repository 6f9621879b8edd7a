"""What the explorer benchmarks share: the tests' headless Chromium, the JupyterLab sweep's report, the chapters'
explorer blocks, medians and their ratios to the one-frame goal.

    from shared import GOAL_MS, chapter_blocks, chromium, jupyter_report, print_jupyter, summary

Chromium is launched as the tests launch it (tests/headless.py: the same binary, $CHROMIUM, and flags), so a
benchmark measures the browser the tests check.
"""

import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from headless import launched_chromium  # noqa: E402  (tests/ is not a package)

GOAL_MS = 16.0  # a slider move within one frame at 60 Hz (issue 22)
REPORT = ROOT / "artifacts" / "jupyter_latency.json"
CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb") if re.match(r"(0\d|90)_", p.name))


def chromium():
    """Headless Chromium as the tests launch it (a context manager yielding a Playwright Browser)."""
    return launched_chromium()


def summary(times):
    """(median, 90th percentile) of a list of times."""
    return statistics.median(times), float(np.percentile(times, 90))


def ratio(ms):
    """A time's ratio to the goal (< 1 meets it)."""
    return ms / GOAL_MS


# -- the slider explorers of the chapters, as their stored outputs hold them ------------------------------------
_CONFIG = re.compile(r'<script type="application/json" class="nnx-config">(.*?)</script>', re.S)


def chapter_blocks(chapters=CHAPTERS):
    """{chapter: {key: html}}: every slider explorer's static face (HTML block, bundle inlined) in the chapters'
    stored outputs; the trainers, the playground and the digit canvas have no slider and are left out."""
    import nbformat

    out = {}
    for name in chapters:
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html", "")
                m = _CONFIG.search(html)
                if not m:
                    continue
                cfg = json.loads(m.group(1).replace("<\\/", "</"))
                if cfg.get("kind") in ("neuron", "neuronsum", "boundary", "affine", "flow", "fitn"):
                    out.setdefault(name, {})[cfg["key"]] = html
    return out


_BUNDLE = re.compile(r"/\*nnx-js\*/\n(var nnlibExplore=.*?)\n/\*end nnx-js\*/", re.S)


def swap_bundle(html, bundle):
    """The block with its inlined explorer bundle replaced by `bundle` (this tree's, or an older tree's text)."""
    m = _BUNDLE.search(html)
    if not m:
        raise SystemExit("a stored explorer block inlines no explorer bundle: is the notebook's output stale?")
    return html[: m.start(1)] + bundle + html[m.end(1) :]


# -- the JupyterLab sweep (tests/jupyter) --------------------------------------------------------------------------
def jupyter_report(moves, chapters="all", baseline=None):
    """Run tests/jupyter's sweep (open, Run All, arrow keys on every live explorer) and return its timing report.

    moves: arrow keys per explorer (the first warms up the kernel's path and is left out); chapters: "all" or
    numbers such as "04,90"; baseline: a folder holding an older nnlib package that the kernel imports instead
    (e.g. `git archive <commit> nnlib | tar -x -C DIR`). The sweep's checks may fail on a loaded machine (they
    wait for the kernel); the report is written all the same, and a missing report is an error.
    """
    REPORT.unlink(missing_ok=True)
    env = dict(os.environ, NNLIB_JUPYTER_MOVES=str(moves), NNLIB_JUPYTER_CHAPTERS=chapters)
    if baseline:
        env["NNLIB_JUPYTER_BASELINE"] = str(baseline)
    test = "tests/jupyter/test_chapter_in_jupyter.py"
    select = "TestJupyterLab and (test_1 or test_3)"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test, "-k", select], cwd=ROOT, env=env
    )
    if not REPORT.exists():
        raise SystemExit("the JupyterLab measurement wrote no report (see above)")
    if run.returncode != 0:
        print("note: some of the sweep's checks failed (above); its timings are printed all the same", file=sys.stderr)
    return json.loads(REPORT.read_text())


def print_jupyter(report, label="this tree"):
    """Per chapter and explorer: median key -> first picture (nn.js in the page), painted, nnlib's picture."""
    for front_end in ("jupyterlab", "notebook7"):
        r = report.get(front_end)
        if not r:
            continue
        print(
            f"\n{r['front_end']} ({label}): arrow key on a focused control -> picture, median ms "
            f"({report['moves_per_explorer']} moves per explorer after one warm-up)"
        )
        print(
            f"  {'chapter / explorer':52s} {'first':>7s} {'ratio':>6s} {'painted':>8s} {'nnlib':>7s} {'nnlib max':>10s}"
        )
        for chapter, explorers in r["per_chapter"].items():
            for key, t in explorers.items():
                print(
                    f"  {(chapter[:2] + ' ' + key)[:52]:52s} {t['first_ms']:7.1f} {ratio(t['first_ms']):6.2f} "
                    f"{t['painted_ms']:8.1f} {t['nnlib_ms']:7.1f} {t['nnlib_max_ms']:10.1f}"
                )
        first = r["median_first_ms"]
        print(
            f"  all {r['moves']} moves: first picture {first:.1f} ms (ratio {ratio(first):.2f} of the {GOAL_MS:g} ms "
            f"goal), painted {r['median_painted_ms']:.1f} ms, nnlib's picture {r['median_nnlib_ms']:.1f} ms"
        )


def worst_first_ms(report):
    """The slowest explorer's median key -> first picture in JupyterLab (the goal holds on every chapter)."""
    lab = report["jupyterlab"]["per_chapter"]
    return max(t["first_ms"] for explorers in lab.values() for t in explorers.values())
