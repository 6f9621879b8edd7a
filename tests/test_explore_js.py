"""Both faces compute the same numbers and draw the same picture: the page's bundle (run by Node) against nnlib.

Each explorer is moved to random states on its sliders' grids. The JavaScript's compute() gets the
configuration the static face carries and must return what nnlib computes (to 1e-9); and the drawing code,
given nnlib's numbers (what the live face in Jupyter receives), must draw the same SVG markup and readout as
from its own (what the book shows). Needs Node (`node` on PATH, or $NODE).
"""

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib.explore import AffineExplorer, DecisionBoundaryExplorer, NeuronExplorer, NeuronSumExplorer
from nnlib.explore._controls import Choice
from nnlib.explore._jupyter import to_json

SCRIPT = Path(nnlib.__file__).parent / "explore" / "dist" / "explore-static.js"
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
RUNNER = """
const NX = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(c => {
  const kind = NX.KINDS[c.cfg.kind], r = kind.compute(c.cfg, c.state), cfg = Object.assign({}, c.cfg, {state: c.state});
  return {r: r, readout: kind.readout(c.cfg, c.state, r),
          static: NX.renderSVG(cfg), live: NX.renderSVG(cfg, c.result), liveReadout: NX.renderReadout(cfg, c.result)};
})));
"""


def run_js(cases):
    if not Path(NODE).exists():
        pytest.fail(f"Node not found at {NODE}: install nodejs or set NODE=/path/to/node")
    out = subprocess.run(
        [NODE, "-e", RUNNER, str(SCRIPT)], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def config_of(explorer):
    m = re.search(r'<script type="application/json" class="nnx-config">(.*?)</script>', explorer.to_html())
    return json.loads(m.group(1).replace("<\\/", "</"))


def random_states(explorer, n, seed):
    rng = np.random.default_rng(seed)
    states = []
    for _ in range(n):
        s = {}
        for c in explorer.controls:
            if isinstance(c, Choice):
                s[c.name] = c.options[rng.integers(len(c.options))][0]
            else:
                k = rng.integers(0, int(round((c.max - c.min) / c.step)) + 1)
                s[c.name] = c.check(c.min + k * c.step)
        states.append(s)
    return states


def assert_same(py, js, path="result"):
    if py is None:
        assert js is None, path
    elif isinstance(py, (tuple, list)) and py and isinstance(py[0], np.ndarray):
        assert len(py) == len(js), path
        for i, (p, j) in enumerate(zip(py, js)):
            assert_same(p, j, f"{path}[{i}]")
    elif isinstance(py, (np.ndarray, list, tuple, float, int, np.floating, np.integer, bool, np.bool_)):
        p = np.asarray(py, dtype=float)
        j = np.asarray(js, dtype=float)
        assert p.shape == j.shape, f"{path}: shapes {p.shape} vs {j.shape}"
        np.testing.assert_allclose(j, p, rtol=0, atol=1e-9, err_msg=path)
    else:
        raise AssertionError(f"{path}: unexpected type {type(py)}")


EXPLORERS = {
    "neuron": lambda: NeuronExplorer(references=[dict(weight=0.5, bias=0), dict(weight=2, bias=1, activation="mish")]),
    "neuron+": lambda: NeuronExplorer(bias_sign="+", activation="relu"),
    "sum": lambda: NeuronSumExplorer(
        neurons=[(2, -2), (0.5, 1), (-2, -4)],
        second_layer={"on": False},
        output_bias=0.0,
        target=lambda x: np.exp(-x * x),
    ),
    "sum+": lambda: NeuronSumExplorer(
        neurons=[(1, -2), (0.5, 0), (-0.5, -1)], activation="relu", bias_sign="+", max_neurons=12
    ),
    "and": lambda: DecisionBoundaryExplorer(),
    "gates": lambda: DecisionBoundaryExplorer(target="xor", activation="tanh"),
    "hidden": lambda: DecisionBoundaryExplorer(
        hidden=dict(W=[[1.3, -0.7, 0.25, 2.0], [0.4, 1.1, -1.6, 0.3]], b=[0.1, -0.3, 0.2, 0.0], activation="tanh"),
        output=([0.5, -1.0, 1.5, 0.2], 0.1),
        data=np.random.default_rng(3).normal(size=(40, 2)),
        labels=np.arange(40) % 2,
    ),
    "affine": lambda: AffineExplorer(),
    "svd": lambda: AffineExplorer(mode="svd", labels=np.arange(64) % 2),
    "affine-wide": lambda: AffineExplorer(W=[[1.0, 2.0], [3.0, -1.0]], b=[3, 3], stage=2),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_javascript_computes_what_nnlib_computes_and_draws_it_alike(name):
    ex = EXPLORERS[name]()
    cfg = config_of(ex)
    states = [ex.state] + random_states(ex, 12, seed=len(name))
    results = []
    for state in states:
        ex.set(**state)
        results.append(ex.curves())
    out = run_js([{"cfg": cfg, "state": s, "result": to_json(r)} for s, r in zip(states, results)])
    for state, py, js in zip(states, results, out):
        assert set(js["r"]) <= set(py), f"{name}: the page draws numbers nnlib does not send: {set(js['r']) - set(py)}"
        for key in js["r"]:
            value = py[key]
            if key in ("correct", "classes"):
                assert [int(v) for v in value] == [int(v) for v in js["r"][key]]
            elif key == "stages":
                np.testing.assert_allclose(np.array(js["r"][key]), value, rtol=0, atol=1e-9)
            else:
                assert_same(value, js["r"][key], f"{name} {key} at {state}")
        # one renderer: nnlib's numbers (the live face) and the page's (the static face) give one picture
        assert_same_picture(js["live"], js["static"], f"{name} at {state}")
        assert js["liveReadout"] == js["readout"], state


HEAT_MAP = re.compile(r'href="data:image/bmp;base64,([^"]*)"')


def assert_same_picture(live, static, where):
    """The same SVG markup; a heat map's cells may differ by one colour step where a value sits on a step's
    edge (nnlib's and the page's sums differ in the last bit)."""
    assert HEAT_MAP.sub("", live) == HEAT_MAP.sub("", static), f"the faces draw different pictures: {where}"
    for a, b in zip(HEAT_MAP.findall(live), HEAT_MAP.findall(static)):
        a, b = (np.frombuffer(base64.b64decode(v), np.uint8).astype(int) for v in (a, b))
        assert a.shape == b.shape and np.abs(a - b).max() <= 1 and np.sum(a != b) <= 2, where


def test_the_bundle_fetches_nothing():
    text = SCRIPT.read_text()
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")  # no CDN, no fetch


# -- the drawing code's own helpers (Node here; Chromium in tests/browser/test_explorers.py, same tables) --
from jsface import node_eval  # noqa: E402

from nnlib import geometry  # noqa: E402

# the walk: each call gets the range the previous call returned
FOLLOW_JS = "(NX, cases) => { let cur = null; return cases.map(c => (cur = NX.followRange(cur, c.lo, c.hi, c.span))); }"
DECOMPOSE_JS = "(NX, W) => NX.decompose(W)"


def follow_cases():
    """A walk of 60 data ranges over six orders of magnitude (each case's `cur`: what the previous one gave, in JS)."""
    rng = np.random.default_rng(7)
    cases = []
    for _ in range(60):
        lo = float(rng.normal(0, 10.0 ** rng.integers(-2, 4)))
        cases.append(
            {
                "lo": lo,
                "hi": lo + float(abs(rng.normal(0, 10.0 ** rng.integers(-3, 4)))),
                "span": float(rng.choice([0.5, 1.0, 2.0])),
            }
        )
    return cases


def check_follow(js, cases):
    """Each range holds the data, spans at least `span`, and a range is kept while the data fill 35 % of it."""
    previous = None
    for c, r in zip(cases, js):
        lo, hi = r
        assert lo <= c["lo"] and hi >= c["hi"] and hi - lo >= c["span"] - 1e-12, (c, r)
        if (
            previous is not None
            and c["lo"] >= previous[0]
            and c["hi"] <= previous[1]
            and c["hi"] - c["lo"] >= 0.35 * (previous[1] - previous[0])
        ):
            assert r == previous, "a range that still fits is kept"
        previous = r


DECOMPOSE_CASES = [
    [[1.0, 0.5], [-0.5, 1.0]],
    [[0.0, 1.0], [1.0, 0.0]],
    [[2.0, 1.0], [4.0, 2.0]],
    [[1.0, 2.0], [3.0, -1.0]],
    [[0.0, 0.0], [0.0, 0.0]],
    [[-1.0, 0.0], [0.0, -1.0]],
    [[3.0, 0.0], [0.0, 0.5]],
    [[0.0, -2.0], [1.5, 0.0]],
] + np.round(np.random.default_rng(11).normal(0, 2, size=(40, 2, 2)), 1).tolist()


def check_decompose(js):
    for W, d in zip(DECOMPOSE_CASES, js):
        py = geometry.decompose(np.array(W))
        np.testing.assert_allclose(
            [d["angle_in"], d["s1"], d["s2"], d["angle_out"]],
            [py.angle_in, py.scales[0], py.scales[1], py.angle_out],
            atol=1e-9,
            err_msg=str(W),
        )


def test_follow_range_holds_the_data_and_keeps_still_on_small_moves():
    cases = follow_cases()
    check_follow(node_eval(["explore.js"], FOLLOW_JS, [cases])[0], cases)
    small = [
        {"lo": -0.3, "hi": 2.2, "span": 1.0},
        {"lo": -0.25, "hi": 2.3, "span": 1.0},
        {"lo": -0.3, "hi": 12.0, "span": 1.0},
        {"lo": 0.0, "hi": 1.0, "span": 1.0},
    ]
    first, kept, grown, shrunk = node_eval(["explore.js"], FOLLOW_JS, [small])[0]
    assert kept == first and grown[1] >= 12 and shrunk[1] < 4


def test_decompose_is_nnlib_geometry_decompose():
    check_decompose(node_eval(["explore.js"], DECOMPOSE_JS, DECOMPOSE_CASES))
