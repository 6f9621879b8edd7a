"""Benchmark of the explorers (nnlib.explore): how fast both faces answer a slider, and how big the static face is.

    .venv/bin/python benchmarks/bench_explorers.py [--changes 100] [--jupyter]
    .venv/bin/python benchmarks/bench_explorers.py --chapters [--baseline-bundle OLD/nnlib/explore/dist/explore-static.js]

Prints, per explorer:
- live face, in the kernel: median and 90th percentile of the kernel's part of a slider move (the view's
  state arrives, nnlib computes the numbers, they are encoded as the widget message's JSON), over N
  changes, in-process. The view then draws them with the book's code (the static face's numbers below).
- live face in a real JupyterLab (--jupyter; runs tests/jupyter's sweep of every chapter, as
  benchmarks/bench_jupyter.py does, several minutes): median time from an arrow key on a focused control to the
  first picture, to the next animation frame, and to nnlib's picture, per chapter and explorer. Goal <= 16 ms.
- the chapters' own explorers (--chapters; their blocks as the notebooks' stored outputs hold them, the bundle
  swapped for this tree's, and for an older tree's with --baseline-bundle): per chapter and explorer, the static
  face's move and drawing, median ms, side by side.
- static face: median and 90th percentile, in headless Chromium, of the time from setting an
  <input type="range"> and dispatching its input event to the SVG being updated and laid out
  (performance.now() around the dispatch plus a forced layout). Goal <= 16 ms (one frame).
- payload: bytes of the explorer's HTML block without the shared script and without its
  pre-rendered figure (goal <= 30 KB per explorer), the pre-rendered figure (the SVG drawn by
  the bundle in Node for readers without JavaScript) and the time Node takes to draw it, and the
  bundle (dist/explore-static.js) once.
- training explorers (--training-seconds > 0; the chapters' explorers as tests/test_train_explorer.py builds
  them): epochs per second of the page's trainer in headless Chromium (nn.js + train.js, no drawing), the
  redraw (region, loss curve, neuron maps) in ms, the page's whole frame while training (median and max of the
  work per animation frame, goal <= 16 ms), and nnlib's epochs per second (what the live face's kernel runs),
  with the bytes of each block (its own part, and the bundle every training block inlines).
Each number is printed with its ratio to the goal (< 1 meets it). Not a test: timings depend on
the machine and its load.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from nnlib.explore import AffineExplorer, DecisionBoundaryExplorer, NeuronExplorer, NeuronSumExplorer
from nnlib.explore._controls import Choice
from nnlib.explore._face import _PRERENDERED, SVG_END, SVG_MARK, asset
from shared import GOAL_MS, chapter_blocks, chromium, jupyter_report, print_jupyter, summary, swap_bundle

LIVE_GOAL_MS = STATIC_GOAL_MS = GOAL_MS
PAYLOAD_GOAL = 30_000


def explorers():
    rng = np.random.default_rng(0)
    X = rng.random((250, 2))
    return {
        "neuron": NeuronExplorer(references=[dict(weight=w, bias=0) for w in (0.5, 2)], key="b-neuron"),
        "neuron sum (8, layer 2, target)": NeuronSumExplorer(
            neurons=[(1, k - 4) for k in range(8)], second_layer={}, target=lambda x: np.exp(-x * x), key="b-sum"
        ),
        "decision boundary (AND)": DecisionBoundaryExplorer(key="b-and"),
        "decision boundary (2-5-1, 250 points)": DecisionBoundaryExplorer(
            hidden=dict(W=rng.normal(size=(2, 5)), b=rng.normal(size=5), activation="tanh"),
            output=(np.round(rng.normal(size=5), 1), 0.0),
            activation="tanh",
            data=X,
            labels=np.where(X.sum(1) > 0.5, 1, -1),
            key="b-hidden",
        ),
        "affine (matrix)": AffineExplorer(W=[[1, 0.5], [-0.5, 1]], b=[0.5, -0.2], key="b-affine"),
        "affine (svd)": AffineExplorer(mode="svd", parts=(30, 1.5, 0.5, -20), key="b-svd"),
        "affine (svd, 400 points)": AffineExplorer(mode="svd", points=rng.normal(size=(400, 2)), key="b-svd400"),
    }


def first_slider(ex):
    return next(c for c in ex.controls if not isinstance(c, Choice) and c.name != "count")


def slider_values(c, n):
    """n values on the slider's grid, sweeping back and forth (every one a change)."""
    k = int(round((c.max - c.min) / c.step))
    idx = [int(i) for i in np.round(np.abs(np.linspace(0, 2 * n / 7, n) % 2 - 1) * k)]
    out, last = [], None
    for i in idx:
        if i == last:
            i = (i + 1) % (k + 1)
        out.append(c.check(c.min + i * c.step))
        last = i
    return out


def live_times(ex, n):
    w = ex.widget()
    c = first_slider(ex)
    times = []
    for v in slider_values(c, n):
        t0 = time.perf_counter()
        w.state = {**ex.state, c.name: v}  # what the view sends; the observer computes and sets `view`
        json.dumps(w.view)  # the widget message's encoding
        times.append((time.perf_counter() - t0) * 1000)
    return times


STATIC_JS = """([key, name, values]) => {
  const inp = document.getElementById(key + '-' + name), svg = document.querySelector('#' + key + ' svg');
  const times = [];
  for (const v of values) {
    const t0 = performance.now();
    inp.value = String(v);
    inp.dispatchEvent(new Event('input', {bubbles: true}));
    svg.getBoundingClientRect(); svg.querySelector('path, circle').getBBox();  // force style and layout
    times.push(performance.now() - t0);
  }
  return times;
}"""


def static_times(exs, n):
    body = "".join(ex.to_html() for ex in exs.values())
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "bench.html"
        page_path.write_text(
            f"<!doctype html><meta charset='utf-8'><body style='max-width:800px'>{body}</body>", encoding="utf-8"
        )
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto(page_path.as_uri())
            page.wait_for_function("window.nnlibExplore && Object.keys(nnlibExplore.instances).length > 0")
            out = {}
            for label, ex in exs.items():
                c = first_slider(ex)
                page.locator(f"#{ex.key}").scroll_into_view_if_needed()
                page.evaluate(STATIC_JS, [ex.key, c.name, slider_values(c, 10)])  # warm-up (JIT)
                out[label] = page.evaluate(STATIC_JS, [ex.key, c.name, slider_values(c, n)])
    return out


TRACE = ["devtools.timeline", "disabled-by-default-devtools.timeline"]


def _traced(browser, page, action):
    """Run action() under Chromium's trace; its complete events with wall time (dur) and the thread's CPU time (tdur)."""
    browser.start_tracing(page=page, categories=TRACE)
    action()
    events = json.loads(browser.stop_tracing())["traceEvents"]
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    return [e for e in events if e.get("ph") == "X" and "tdur" in e and (e["pid"], e["tid"]) in main]


def training_numbers(seconds, epochs=200):
    """Per chapter training explorer: the page's trainer and redraw, its frames while training, nnlib, bytes.

    Times come from Chromium's trace as wall time and as the CPU time of the page's thread: on a shared machine
    the wall time includes other processes, the CPU time is the page's own work.
    """
    from test_train_explorer import chapter_explorers  # tests/ is on the path (shared.py)

    scripts = len(asset("dist/train-static.js").encode())
    exs = {page.split("/")[-1].split(".")[0]: make() for page, make in chapter_explorers().items()}
    out = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 900})
        for label, ex in exs.items():
            path = Path(tmp) / f"{label}.html"
            path.write_text(
                f"<!doctype html><meta charset='utf-8'><body style='max-width:900px'>{ex.to_html()}</body>",
                encoding="utf-8",
            )
            page.goto(path.as_uri())
            inst = f"document.getElementById({json.dumps(ex.key)}).__nnxTrain"
            train = (
                f"() => {{ const t = {inst}.trainer, t0 = performance.now(); t.reset(); "
                f"for (let i = 0; i < {epochs}; i++) t.stepEpoch(); return performance.now() - t0; }}"
            )
            draw = (
                f"() => {{ const times = []; for (let i = 0; i < 30; i++) {{ const t0 = performance.now(); "
                f"{inst}.render(); times.push(performance.now() - t0); }} return times; }}"
            )
            page.evaluate(train)  # warm-up (JIT)
            page.evaluate(draw)
            train_wall = page.evaluate(train)
            page.evaluate(f"() => {inst}.trainer.reset()")
            draw_wall = statistics.median(page.evaluate(draw))

            def run(inst=inst):
                page.evaluate(f"() => {inst}.setRunning(true)")
                page.wait_for_timeout(seconds * 1000)
                page.evaluate(f"() => {inst}.setRunning(false)")

            frames = [e for e in _traced(browser, page, run) if e["name"] == "FireAnimationFrame"]
            trained = page.evaluate(f"() => {inst}.trainer.epoch")
            ex.train(2)  # warm-up
            t0, c0, done = time.perf_counter(), time.process_time(), 0
            while time.perf_counter() - t0 < seconds:
                ex.train(1)
                done += 1
            out[label] = dict(
                page_wall=epochs / train_wall * 1000,
                page_cpu=trained / (sum(e["tdur"] for e in frames) / 1e6),
                draw_wall=draw_wall,
                frame_cpu=[e["tdur"] / 1000 for e in frames],
                frame_wall=[e["dur"] / 1000 for e in frames],
                nnlib_wall=done / (time.perf_counter() - t0),
                nnlib_cpu=done / (time.process_time() - c0),
                own=len(ex.to_html().encode()) - scripts,
                scripts=scripts,
            )
    return out


CHAPTER_JS = """([key, n]) => {
  const root = document.getElementById(key), inst = root.__nnx, svg = root.querySelector('svg.nnx-svg');
  const inp = root.querySelector('input[type=range][data-param], input[type=number][data-param]');
  const lo = +inp.min, hi = +inp.max, step = +inp.step || 0.1, k = Math.round((hi - lo) / step), start = +inp.value;
  const moves = [], draws = [];
  for (let i = 0; i < n; i++) {
    // back and forth over the control's range (a slider) or around its value (a number box), every one a change
    const v = inp.type === 'range' ? lo + Math.round(k * Math.abs(((i / 7) % 2) - 1)) * step : start + (i % 2 ? step : -step);
    const t0 = performance.now();
    inp.value = String(v);
    inp.dispatchEvent(new Event('input', {bubbles: true}));
    svg.getBoundingClientRect(); svg.getBBox();  // force style and layout
    moves.push(performance.now() - t0);
    draws.push(inst.lastMs);
  }
  return [moves, draws];
}"""


def chapter_times(n, bundles):
    """{bundle label: {chapter: {key: (move times, draw times)}}}: every chapter's slider explorers (their stored
    blocks with the bundle swapped for `bundles[label]`, a chapter a page) moved n times in headless Chromium."""
    blocks = chapter_blocks()
    out = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 900})
        for chapter, found in blocks.items():  # the bundles one after the other on each chapter: the same load
            for label, bundle in bundles.items():
                body = "".join(swap_bundle(html, bundle) for html in found.values())
                path = Path(tmp) / f"{label}-{chapter}.html"
                path.write_text(
                    f"<!doctype html><meta charset='utf-8'><body style='max-width:800px'>{body}</body>",
                    encoding="utf-8",
                )
                page.goto(path.as_uri())
                for key in found:
                    page.locator(f"#{key}").scroll_into_view_if_needed()
                    page.evaluate(CHAPTER_JS, [key, 10])  # warm-up (JIT)
                    out.setdefault(label, {}).setdefault(chapter, {})[key] = page.evaluate(CHAPTER_JS, [key, n])
    return out


def print_chapters(n, baseline_bundle=None):
    bundles = {}
    if baseline_bundle:
        bundles["baseline"] = baseline_bundle.read_text(encoding="utf-8")
    bundles["this tree"] = asset("dist/explore-static.js")
    times = chapter_times(n, bundles)
    print(
        f"static face of every chapter's slider explorers in headless Chromium, {n} moves each: median ms of a move "
        f"(input event -> picture laid out) and of its drawing (compute + draw, the explorer's lastMs)"
    )
    labels = list(bundles)
    head = f"{'chapter / explorer':40s}" + "".join(f" {lb + ' move':>16s} {'draw':>6s}" for lb in labels)
    head += f" {'ratio':>6s}" + (f" {'new/old':>8s}" if baseline_bundle else "")
    print(head)
    print("-" * len(head))
    for chapter, found in times[labels[-1]].items():
        for key in found:
            row, medians = f"{(chapter[:2] + ' ' + key)[:40]:40s}", []
            for lb in labels:
                move, draw = times[lb][chapter][key]
                medians.append(statistics.median(move))
                row += f" {medians[-1]:16.2f} {statistics.median(draw):6.2f}"
            row += f" {medians[-1] / STATIC_GOAL_MS:6.2f}"
            if baseline_bundle:
                row += f" {medians[-1] / medians[0]:8.2f}"
            print(row)
    print(f"ratio: this tree's median move / the {STATIC_GOAL_MS:g} ms goal; new/old: this tree / baseline")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100, help="slider changes per explorer and face")
    parser.add_argument(
        "--training-seconds",
        type=float,
        default=1.0,
        help="seconds per training measurement (0 skips the training explorers)",
    )
    parser.add_argument("--training-only", action="store_true", help="only the training explorers")
    parser.add_argument(
        "--jupyter",
        action="store_true",
        help="also measure the live face in a real JupyterLab (tests/jupyter, a few minutes)",
    )
    parser.add_argument(
        "--chapters",
        action="store_true",
        help="only the static faces of the chapters' own explorers (their stored blocks), per chapter",
    )
    parser.add_argument(
        "--baseline-bundle",
        type=Path,
        default=None,
        help="with --chapters: an older tree's dist/explore-static.js, measured side by side",
    )
    args = parser.parse_args(argv)
    if args.training_only:
        print_training(args.training_seconds)
        return 0
    if args.chapters:
        print_chapters(args.changes, args.baseline_bundle)
        return 0
    if args.jupyter and args.changes == 0:  # only the JupyterLab measurement (benchmarks/bench_jupyter.py has more)
        print_jupyter(jupyter_report(moves=21))
        return 0
    exs = explorers()
    script = len(asset("dist/explore-static.js").encode())
    print(f"{args.changes} slider changes per explorer; bundle {script} bytes (in every block)\n")
    static = static_times(exs, args.changes)
    head = (
        f"{'explorer':40s} {'kernel median':>11s} {'p90':>7s} {'ratio':>6s}   {'static median':>13s} {'p90':>6s} "
        f"{'ratio':>6s}   {'payload':>8s} {'ratio':>6s}   {'figure':>7s} {'node':>7s}"
    )
    print(head)
    print("-" * len(head))
    for label, ex in exs.items():
        lm, lp = summary(live_times(ex, args.changes))
        sm, sp = summary(static[label])
        _PRERENDERED.clear()  # time Node's drawing, not the cache
        t0 = time.perf_counter()
        html = ex.to_html()
        node_ms = (time.perf_counter() - t0) * 1000
        figure = (
            len(html[html.index(SVG_MARK) : html.index(SVG_END) + len(SVG_END)].encode()) if SVG_MARK in html else 0
        )
        payload = len(html.encode()) - script - figure
        print(
            f"{label:40s} {lm:9.1f}ms {lp:5.1f}ms {lm / LIVE_GOAL_MS:6.2f}   {sm:11.2f}ms {sp:4.2f}ms "
            f"{sm / STATIC_GOAL_MS:6.2f}   {payload:8d} {payload / PAYLOAD_GOAL:6.2f}   {figure:7d} {node_ms:5.0f}ms"
        )
    print(
        f"\ngoals: a slider move <= {LIVE_GOAL_MS:g} ms in either face (kernel: nnlib's part of it), payload <= "
        f"{PAYLOAD_GOAL} bytes; ratio = measured / goal"
    )
    if args.jupyter:
        print_jupyter(jupyter_report(moves=21))
    if args.training_seconds > 0:
        print_training(args.training_seconds)
    return 0


def print_training(seconds):
    rows = training_numbers(seconds)
    head = (
        f"\n{'training explorer':24s} {'page epochs/s':>19s} {'redraw ms':>9s} {'frame ms median/max':>21s} "
        f"{'nnlib epochs/s':>16s} {'own bytes':>9s} {'+ scripts':>9s}"
    )
    print(head)
    print("-" * len(head))
    for label, r in rows.items():
        fc, fw = r["frame_cpu"] or [float("nan")], r["frame_wall"] or [float("nan")]
        print(
            f"{label:24s} {r['page_cpu']:8.0f} ({r['page_wall']:6.0f})    ({r['draw_wall']:4.1f}) "
            f"{statistics.median(fc):4.1f}/{max(fc):4.1f} ({statistics.median(fw):4.1f}/{max(fw):5.1f}) "
            f"{r['nnlib_cpu']:6.0f} ({r['nnlib_wall']:5.0f}) {r['own']:9d} {r['scripts']:9d}"
        )
    print(
        "page epochs/s: while training with the redraw, per second of the frames' CPU time (in brackets: the "
        "trainer alone, per second of wall time); nnlib: fit, one epoch per call, no figure, per CPU second (wall); "
        "CPU time is the work itself, wall time grows with the machine's load; redraw: median of 30 (wall); frame: "
        f"one animation frame while training, slice + redraw, CPU (wall), goal <= {STATIC_GOAL_MS:g} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
