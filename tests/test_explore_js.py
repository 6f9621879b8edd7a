"""Both faces compute the same numbers: explore.js (run by Node) against nnlib, to 1e-9.

Each explorer is moved to random states on its sliders' grids; the JavaScript's compute() gets
the configuration the static face carries and must return the arrays the live face plots, and
the same readout sentence. Needs Node (`node` on PATH, or $NODE).
"""

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
from nnlib.explore._base import Choice

SCRIPT = Path(nnlib.__file__).parent / "explore" / "explore.js"
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
RUNNER = """
const NX = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(c => {
  const kind = NX.kinds[c.cfg.kind], r = kind.compute(c.cfg, c.state);
  return {r: r, readout: kind.readout(c.cfg, c.state, r)};
})));
"""


def run_js(cases):
    if not Path(NODE).exists():
        pytest.fail(f"Node not found at {NODE}: install nodejs or set NODE=/path/to/node")
    out = subprocess.run([NODE, "-e", RUNNER, str(SCRIPT)], input=json.dumps(cases), capture_output=True,
                         text=True, check=True)
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
    "sum": lambda: NeuronSumExplorer(neurons=[(2, -2), (0.5, 1), (-2, -4)], second_layer={"on": False}, output_bias=0.0,
                                     target=lambda x: np.exp(-x * x)),
    "sum+": lambda: NeuronSumExplorer(neurons=[(1, -2), (0.5, 0), (-0.5, -1)], activation="relu", bias_sign="+",
                                      max_neurons=12),
    "and": lambda: DecisionBoundaryExplorer(),
    "gates": lambda: DecisionBoundaryExplorer(target="xor", activation="tanh"),
    "hidden": lambda: DecisionBoundaryExplorer(
        hidden=dict(W=[[1.3, -0.7, 0.25, 2.0], [0.4, 1.1, -1.6, 0.3]], b=[0.1, -0.3, 0.2, 0.0], activation="tanh"),
        output=([0.5, -1.0, 1.5, 0.2], 0.1), data=np.random.default_rng(3).normal(size=(40, 2)),
        labels=np.arange(40) % 2),
    "affine": lambda: AffineExplorer(),
    "svd": lambda: AffineExplorer(mode="svd", labels=np.arange(64) % 2),
    "affine-wide": lambda: AffineExplorer(W=[[1.0, 2.0], [3.0, -1.0]], b=[3, 3], stage=2),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_javascript_computes_what_nnlib_computes(name):
    ex = EXPLORERS[name]()
    cfg = config_of(ex)
    states = [ex.state] + random_states(ex, 12, seed=len(name))
    results = run_js([{"cfg": cfg, "state": s} for s in states])
    for state, js in zip(states, results):
        ex.set(**state)
        py = ex.curves()
        for key, value in py.items():
            if key in ("correct", "classes"):
                assert [int(v) for v in value] == [int(v) for v in js["r"][key]]
            elif key == "stages":
                np.testing.assert_allclose(np.array(js["r"][key]), value, rtol=0, atol=1e-9)
            elif key in ("correct",):
                assert [bool(v) for v in value] == js["r"][key]
            elif key in ("line",) or key == "hidden_lines":
                segs = value if key == "hidden_lines" else [value]
                jsegs = js["r"][key] if key == "hidden_lines" else [js["r"][key]]
                if value is None:
                    assert js["r"][key] is None
                    continue
                assert len(segs) == len(jsegs)
                for a, b in zip(segs, jsegs):
                    assert (a is None) == (b is None)
                    if a is not None:
                        np.testing.assert_allclose(np.array(b), np.array(a), atol=1e-9)
            else:
                assert_same(value, js["r"][key], f"{name} {key} at {state}")
        assert js["readout"] == ex.readout(), state


def test_the_script_loads_once_per_page():
    text = SCRIPT.read_text()
    assert 'if (root.nnlibExplore && root.nnlibExplore.version === VERSION) return;' in text
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")  # no CDN, no fetch


# -- the static face's own helpers, held against their Python copies (Node here; Chromium in
# tests/browser/test_explorers.py, with the same tables) -----------------------------------------------
from jsface import node_eval  # noqa: E402

from nnlib import geometry  # noqa: E402
from nnlib.explore.neuron_sum import follow_range  # noqa: E402

FOLLOW_JS = "(NX, c) => NX.followRange(c.cur, c.lo, c.hi, c.span)"
DECOMPOSE_JS = "(NX, W) => NX.decompose(W)"


def follow_cases():
    """A walk of 60 data ranges over six orders of magnitude: each case's `cur` is the range the previous gave."""
    rng = np.random.default_rng(7)
    current, cases = None, []
    for _ in range(60):
        lo = float(rng.normal(0, 10.0 ** rng.integers(-2, 4)))
        c = {"lo": lo, "hi": lo + float(abs(rng.normal(0, 10.0 ** rng.integers(-3, 4)))),
             "span": float(rng.choice([0.5, 1.0, 2.0])), "cur": current}
        cases.append(c)
        current = list(follow_range(current and tuple(current), c["lo"], c["hi"], c["span"]))
    return cases


def check_follow(js, cases):
    py = [list(follow_range(c["cur"] and tuple(c["cur"]), c["lo"], c["hi"], c["span"])) for c in cases]
    assert js == py  # the same bits: no log10, only * and / by 10


DECOMPOSE_CASES = [[[1.0, 0.5], [-0.5, 1.0]], [[0.0, 1.0], [1.0, 0.0]], [[2.0, 1.0], [4.0, 2.0]],
                   [[1.0, 2.0], [3.0, -1.0]], [[0.0, 0.0], [0.0, 0.0]], [[-1.0, 0.0], [0.0, -1.0]],
                   [[3.0, 0.0], [0.0, 0.5]], [[0.0, -2.0], [1.5, 0.0]]] + \
    np.round(np.random.default_rng(11).normal(0, 2, size=(40, 2, 2)), 1).tolist()


def check_decompose(js):
    for W, d in zip(DECOMPOSE_CASES, js):
        py = geometry.decompose(np.array(W))
        np.testing.assert_allclose([d["angle_in"], d["s1"], d["s2"], d["angle_out"]],
                                   [py.angle_in, py.scales[0], py.scales[1], py.angle_out], atol=1e-9,
                                   err_msg=str(W))


def test_follow_range_is_the_same_function_in_both_faces():
    cases = follow_cases()
    check_follow(node_eval(["nn.js", "explore.js"], FOLLOW_JS, cases), cases)


def test_decompose_is_nnlib_geometry_decompose():
    check_decompose(node_eval(["nn.js", "explore.js"], DECOMPOSE_JS, DECOMPOSE_CASES))
