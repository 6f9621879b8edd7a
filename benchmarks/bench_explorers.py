"""Benchmark of the explorers (nnlib.explore): how fast both faces answer a slider, and how big the static face is.

    .venv/bin/python benchmarks/bench_explorers.py [--changes 100]

Prints, per explorer:
- live face: median and 90th percentile of the time from a slider widget's value change to
  the new PNG in the widget (nnlib forward pass + moving the matplotlib artists + Agg render +
  PNG encoding), over N programmatic changes, in-process. Goal <= 30 ms.
- static face: median and 90th percentile, in headless Chromium, of the time from setting an
  <input type="range"> and dispatching its input event to the SVG being updated and laid out
  (performance.now() around the dispatch plus a forced layout). Goal <= 16 ms (one frame).
- payload: bytes of the explorer's HTML block without the shared script, and the shared script
  once. Goal <= 30 KB per explorer.
- training explorers (--training-seconds > 0; the chapters' explorers as tests/test_train_explorer.py builds
  them): epochs per second of the page's trainer in headless Chromium (nn.js + train.js, no drawing), the
  redraw (region, loss curve, neuron maps) in ms, the page's whole frame while training (median and max of the
  work per animation frame, goal <= 16 ms), and nnlib's epochs per second (what the live face runs), with the
  bytes of each block (its own part, and the scripts every training block inlines).
Each number is printed with its ratio to the goal (< 1 meets it). Not a test: timings depend on
the machine and its load.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from nnlib.explore import AffineExplorer, DecisionBoundaryExplorer, NeuronExplorer, NeuronSumExplorer
from nnlib.explore._base import Choice, shared_script

LIVE_GOAL_MS, STATIC_GOAL_MS, PAYLOAD_GOAL = 30.0, 16.0, 30_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def explorers():
    rng = np.random.default_rng(0)
    X = rng.random((250, 2))
    return {
        "neuron": NeuronExplorer(references=[dict(weight=w, bias=0) for w in (0.5, 2)], key="b-neuron"),
        "neuron sum (8, layer 2, target)": NeuronSumExplorer(
            neurons=[(1, k - 4) for k in range(8)], second_layer={}, target=lambda x: np.exp(-x * x), key="b-sum"),
        "decision boundary (AND)": DecisionBoundaryExplorer(key="b-and"),
        "decision boundary (2-5-1, 250 points)": DecisionBoundaryExplorer(
            hidden=dict(W=rng.normal(size=(2, 5)), b=rng.normal(size=5), activation="tanh"),
            output=(np.round(rng.normal(size=5), 1), 0.0), activation="tanh", data=X,
            labels=np.where(X.sum(1) > 0.5, 1, -1), key="b-hidden"),
        "affine (matrix)": AffineExplorer(W=[[1, 0.5], [-0.5, 1]], b=[0.5, -0.2], key="b-affine"),
        "affine (svd)": AffineExplorer(mode="svd", parts=(30, 1.5, 0.5, -20), key="b-svd"),
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
    ex.widget()
    c = first_slider(ex)
    w = ex._inputs[c.name]
    times = []
    for v in slider_values(c, n):
        t0 = time.perf_counter()
        w.value = v  # the observer recomputes, moves the artists and renders the PNG synchronously
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
    from playwright.sync_api import sync_playwright

    body = "".join(ex.to_html() for ex in exs.values())
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "bench.html"
        page_path.write_text(f"<!doctype html><meta charset='utf-8'><body style='max-width:800px'>{body}</body>",
                             encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto(page_path.as_uri())
            page.wait_for_function("window.nnlibExplore && Object.keys(nnlibExplore.instances).length > 0")
            out = {}
            for label, ex in exs.items():
                c = first_slider(ex)
                page.locator(f"#{ex.key}").scroll_into_view_if_needed()
                page.evaluate(STATIC_JS, [ex.key, c.name, slider_values(c, 10)])  # warm-up (JIT)
                out[label] = page.evaluate(STATIC_JS, [ex.key, c.name, slider_values(c, n)])
            browser.close()
    return out


TRAIN_JS = """async ([key, seconds]) => {
  const inst = document.getElementById(key).__nnxTrain, tr = inst.trainer, now = () => performance.now();
  tr.reset();
  let t0 = now(), e0 = tr.epoch;
  while (now() - t0 < seconds * 1000) tr.stepEpoch();
  const epochsPerSecond = (tr.epoch - e0) / ((now() - t0) / 1000);
  tr.reset();
  const draws = [];
  for (let i = 0; i < 30; i++) { t0 = now(); inst.render(); draws.push(now() - t0); }
  inst.frameWork.length = 0;
  inst.setRunning(true);
  await new Promise(done => setTimeout(done, seconds * 1000));
  inst.setRunning(false);
  return {epochsPerSecond, draws, frames: inst.frameWork.slice()};
}"""


def training_numbers(seconds):
    """Per chapter training explorer: page epochs/s, redraw ms, frame work ms, nnlib epochs/s, bytes."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_train_explorer import chapter_explorers
    from nnlib.explore._base import script_text

    scripts = len((script_text("nn.js#training") + "\n" + script_text("train.js")).encode())
    exs = {page.split("/")[-1].split(".")[0]: make() for page, make in chapter_explorers().items()}
    out = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 900})
        for label, ex in exs.items():
            path = Path(tmp) / f"{label}.html"
            path.write_text(f"<!doctype html><meta charset='utf-8'><body style='max-width:900px'>{ex.to_html()}</body>",
                            encoding="utf-8")
            page.goto(path.as_uri())
            page.evaluate(TRAIN_JS, [ex.key, 0.3])  # warm-up (JIT)
            js = page.evaluate(TRAIN_JS, [ex.key, seconds])
            ex.train(2)  # warm-up
            t0, epochs = time.perf_counter(), 0
            while time.perf_counter() - t0 < seconds:
                ex.train(1)
                epochs += 1
            out[label] = dict(js, nnlib=epochs / (time.perf_counter() - t0),
                              own=len(ex.to_html().encode()) - scripts, scripts=scripts)
        browser.close()
    return out


def summary(times):
    return statistics.median(times), float(np.percentile(times, 90))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100, help="slider changes per explorer and face")
    parser.add_argument("--training-seconds", type=float, default=1.0,
                        help="seconds per training measurement (0 skips the training explorers)")
    parser.add_argument("--training-only", action="store_true", help="only the training explorers")
    args = parser.parse_args(argv)
    if args.training_only:
        print_training(args.training_seconds)
        return 0
    exs = explorers()
    script = len(shared_script().encode())
    print(f"{args.changes} slider changes per explorer; shared script {script} bytes (counted once per page, "
          f"ratio {script / PAYLOAD_GOAL:.2f} of 30 KB)\n")
    static = static_times(exs, args.changes)
    head = (f"{'explorer':40s} {'live median':>11s} {'p90':>7s} {'ratio':>6s}   {'static median':>13s} {'p90':>6s} "
            f"{'ratio':>6s}   {'payload':>8s} {'ratio':>6s}")
    print(head)
    print("-" * len(head))
    for label, ex in exs.items():
        lm, lp = summary(live_times(ex, args.changes))
        sm, sp = summary(static[label])
        payload = len(ex.to_html().encode()) - script
        print(f"{label:40s} {lm:9.1f}ms {lp:5.1f}ms {lm / LIVE_GOAL_MS:6.2f}   {sm:11.2f}ms {sp:4.2f}ms "
              f"{sm / STATIC_GOAL_MS:6.2f}   {payload:8d} {payload / PAYLOAD_GOAL:6.2f}")
    print(f"\ngoals: live <= {LIVE_GOAL_MS:g} ms, static <= {STATIC_GOAL_MS:g} ms, payload <= {PAYLOAD_GOAL} bytes; "
          "ratio = measured / goal")
    if args.training_seconds > 0:
        print_training(args.training_seconds)
    return 0


def print_training(seconds):
    rows = training_numbers(seconds)
    head = (f"\n{'training explorer':28s} {'page epochs/s':>13s} {'redraw':>8s} {'frame median':>12s} {'max':>7s} "
            f"{'nnlib epochs/s':>14s} {'own bytes':>9s} {'+ scripts':>9s}")
    print(head)
    print("-" * len(head))
    for label, r in rows.items():
        fm, fx = (statistics.median(r["frames"]), max(r["frames"])) if r["frames"] else (float("nan"),) * 2
        print(f"{label:28s} {r['epochsPerSecond']:13.0f} {statistics.median(r['draws']):6.2f}ms {fm:10.2f}ms "
              f"{fx:5.1f}ms {r['nnlib']:14.0f} {r['own']:9d} {r['scripts']:9d}")
    print(f"page epochs/s: the trainer alone, {seconds:g} s; frame: training slice + redraw per animation frame "
          f"(goal <= {STATIC_GOAL_MS:g} ms); nnlib epochs/s: fit, one epoch per call, without the figure")


if __name__ == "__main__":
    sys.exit(main())
