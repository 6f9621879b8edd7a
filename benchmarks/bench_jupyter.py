"""A slider move in a real JupyterLab: time to the first picture (nn.js in the page) and to nnlib's picture.

    NNLIB_DATA=... .venv/bin/python benchmarks/bench_jupyter.py [--moves 21] [--chapters all] [--baseline DIR]
    .venv/bin/python benchmarks/bench_jupyter.py --report-only

Runs tests/jupyter's JupyterLab sweep (the chapters, headless Chromium as tests/headless.py launches it, a real
JupyterLab 4 on 127.0.0.1) with `--moves` arrow keys on the first control of every live explorer, then prints,
for each chapter and explorer, the median time from the key to

- the first picture: the live face draws at once from the kind's own compute (nn.js, the book's code);
- painted: the next animation frame after it (when the browser shows it);
- nnlib's picture: the kernel's answer for that state drawn (the round trip: comm message, nnlib, comm message);

and the ratio of the first picture's median to the goal (issue 22: at most 16 ms median on every chapter). The first
move of each explorer warms up the kernel's path and is left out. --baseline DIR (a folder holding an older nnlib,
e.g. `git archive <commit> nnlib | tar -x -C DIR`) measures it first, the same way, and prints the two side by side.
--report-only prints artifacts/jupyter_latency.json as it is (what the last sweep wrote).
--profile prints where the last sweep's time went (artifacts/jupyter_profile.json: seconds per front end and phase,
summed over the chapters, and the slowest chapters).
"""

import argparse
import json

from shared import GOAL_MS, REPORT, jupyter_report, print_jupyter, ratio, worst_first_ms

PROFILE = REPORT.parent / "jupyter_profile.json"


def side_by_side(old, new):
    """Per explorer: the baseline's median first picture, this tree's, and their ratio."""
    print("\nkey -> first picture in JupyterLab, median ms: baseline, this tree (ratio this tree / baseline)")
    old_lab, new_lab = old["jupyterlab"]["per_chapter"], new["jupyterlab"]["per_chapter"]
    for chapter, explorers in new_lab.items():
        for key, t in explorers.items():
            before = old_lab.get(chapter, {}).get(key)
            if before:
                print(
                    f"  {(chapter[:2] + ' ' + key)[:52]:52s} {before['first_ms']:7.1f} {t['first_ms']:7.1f} "
                    f"({t['first_ms'] / before['first_ms']:.2f})"
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
    parser.add_argument("--chapters", default="all", help='"all" or the chapters\' numbers, e.g. "04,90"')
    parser.add_argument("--baseline", default=None, help="a folder holding an older nnlib to measure first")
    parser.add_argument("--report-only", action="store_true", help="print the last report without measuring")
    parser.add_argument("--profile", action="store_true", help="print where the last sweep's time went, and stop")
    args = parser.parse_args()
    if args.profile:
        show_profile(json.loads(PROFILE.read_text()))
        return
    if args.report_only:
        report = json.loads(REPORT.read_text())
        print_jupyter(report)
        return
    old = None
    if args.baseline:
        old = jupyter_report(args.moves, args.chapters, baseline=args.baseline)
        print_jupyter(old, label=f"baseline {args.baseline}")
    new = jupyter_report(args.moves, args.chapters)
    print_jupyter(new)
    worst = worst_first_ms(new)
    print(f"  slowest explorer's median first picture: {worst:.1f} ms (ratio {ratio(worst):.2f} of {GOAL_MS:g} ms)")
    if old:
        side_by_side(old, new)


if __name__ == "__main__":
    main()
