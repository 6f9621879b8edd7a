"""A slider move in a real JupyterLab: time to the first picture (nn.js in the page) and to nnlib's picture.

    NNLIB_DATA=... .venv/bin/python benchmarks/bench_jupyter.py [--moves 21] [--report-only]

Runs tests/jupyter's JupyterLab sweep (every chapter, headless Chromium, a real JupyterLab 4 on 127.0.0.1) with
`--moves` arrow keys on the first slider of every live explorer, then prints, side by side for each chapter and
explorer, the median time from the key to

- the first picture: the live face draws at once from the kind's own compute (nn.js, the book's code);
- painted: the next animation frame after it (when the browser shows it);
- nnlib's picture: the kernel's answer for that state drawn (the round trip: comm message, nnlib, comm message);

and the ratio of the first picture's median to the goal (issue 22: at most 16 ms median). The first move of each
explorer warms up the kernel's path and is left out. --report-only prints artifacts/jupyter_latency.json as it is
(what the last `make jupyter` wrote, with fewer moves). --profile prints where the last sweep's time went
(artifacts/jupyter_profile.json: seconds per front end and phase, summed over the chapters, and the slowest chapters).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "artifacts" / "jupyter_latency.json"
PROFILE = ROOT / "artifacts" / "jupyter_profile.json"
GOAL_MS = 16.0


def measure(moves):
    REPORT.unlink(missing_ok=True)
    env = dict(os.environ, NNLIB_JUPYTER_MOVES=str(moves))
    test = "tests/jupyter/test_chapter_in_jupyter.py"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            test,
            "-k",
            "TestJupyterLab and (test_1 or test_3)",
        ],
        cwd=ROOT,
        env=env,
    )
    if run.returncode != 0 or not REPORT.exists():
        raise SystemExit("the JupyterLab measurement failed (see above)")


def show(report):
    for front_end in ("jupyterlab", "notebook7"):
        r = report.get(front_end)
        if not r:
            continue
        print(
            f"\n{r['front_end']}: arrow key on a focused slider -> picture, median ms "
            f"({report['moves_per_explorer']} moves per explorer after one warm-up)"
        )
        print(f"  {'chapter / explorer':52s} {'first':>7s} {'painted':>8s} {'nnlib':>7s} {'nnlib max':>10s}")
        for chapter, explorers in r["per_chapter"].items():
            for key, t in explorers.items():
                print(
                    f"  {(chapter[:-6] + ' ' + key)[:52]:52s} {t['first_ms']:7.1f} {t['painted_ms']:8.1f} "
                    f"{t['nnlib_ms']:7.1f} {t['nnlib_max_ms']:10.1f}"
                )
        first = r["median_first_ms"]
        print(
            f"  all {r['moves']} moves: first picture {first:.1f} ms (ratio {first / GOAL_MS:.2f} of the "
            f"{GOAL_MS:g} ms goal), painted {r['median_painted_ms']:.1f} ms, nnlib's picture "
            f"{r['median_nnlib_ms']:.1f} ms (ratio {r['median_nnlib_ms'] / first:.1f} of the first picture)"
        )


def show_profile(profile):
    """Seconds per phase, summed over the chapters of each front end (the phases of one front end's chapters overlap:
    every chapter runs while the next ones open), and each chapter's total."""
    rows = {k: v for k, v in profile.items() if isinstance(v, dict)}
    for front_end in sorted({k.split()[0] for k in rows}):
        chapters = {k.split(" ", 1)[1]: v for k, v in rows.items() if k.split()[0] == front_end}
        phases = {}
        for times in chapters.values():
            for phase, t in times.items():
                phases[phase] = phases.get(phase, 0) + t
        print(f"\n{front_end}: seconds per phase, summed over {len(chapters)} chapters")
        for phase, t in sorted(phases.items()):
            print(f"  {phase:36s} {t:7.1f}")
        print(
            "  chapters, slowest first: "
            + ", ".join(
                f"{c} {sum(t.values()):.0f} s" for c, t in sorted(chapters.items(), key=lambda kv: -sum(kv[1].values()))
            )
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=21, help="arrow keys per explorer (the first is a warm-up)")
    parser.add_argument("--report-only", action="store_true", help="print the last report without measuring")
    parser.add_argument("--profile", action="store_true", help="print where the last sweep's time went, and stop")
    args = parser.parse_args()
    if args.profile:
        show_profile(json.loads(PROFILE.read_text()))
        return
    if not args.report_only:
        measure(args.moves)
    show(json.loads(REPORT.read_text()))


if __name__ == "__main__":
    main()
