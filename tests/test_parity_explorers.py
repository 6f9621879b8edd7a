"""Parity that searches, for the newer explorer kinds: Hypothesis draws the explorers themselves (networks, targets,
ranges, states at the edges of the controls) and compares the page's bundle with nnlib, in the test session's one
long-lived Node process (jsface.node_session).

- chapter 5's matrix flow (MatrixFlowExplorer vs js/kinds/flow.js): random networks of 1-4 Dense layers of 1-4
  units with any activation the page offers, weights and inputs anywhere in the boxes' range: the page's X, A, Z, Y
  are nnlib's trace; both faces draw one picture and readout; the picture names each layer's activation; an
  entry outside the range is refused by both faces.
- chapter 2's fit with N neurons (FitExplorer vs js/kinds/fitn.js): random targets, ranges, point counts, N and
  activations: the page's least squares (Householder QR) gives numpy's fit, output curve and R^2.

The playground's suite is tests/test_parity_playground.py. Each disagreement found is fixed and pinned with @example.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, example, given, strategies as st

from nnlib import Dense, Sequential
from nnlib.explore import FitExplorer, MatrixFlowExplorer
from nnlib.explore.fit_neurons import LINES_ARE_NOT_A_FIT
from nnlib.explore._jupyter import to_json
from nnlib.explore.contract import contract
from jsface import node_session
from parity import examples, same
from test_explore_js import assert_same_picture

# Both faces of one state: the page's numbers, readout and picture, and the picture and readout nnlib's numbers give.
BOTH_FACES_JS = """(NX, c) => {
  const kind = NX.KINDS[c.cfg.kind], r = kind.compute(c.cfg, c.state), cfg = Object.assign({}, c.cfg, {state: c.state});
  return {r: r, readout: kind.readout(c.cfg, c.state, r), static: NX.renderSVG(cfg),
          live: c.result ? NX.renderSVG(cfg, c.result) : null, liveReadout: c.result ? NX.renderReadout(cfg, c.result) : null};
}"""


def both_faces(ex, state, result):
    cfg = ex.config()
    return node_session().call(["explore.js"], BOTH_FACES_JS, {"cfg": cfg, "state": state, "result": to_json(result)})


# -- chapter 5: the matrix flow ------------------------------------------------------------------------------------
FLOW_ACTIVATIONS = contract()["activations"]
RANGE = (-10.0, 10.0)
# entries: anywhere in the range, its edges, zeros of both signs, tiny and round numbers
ENTRY = st.one_of(
    st.floats(*RANGE),
    st.sampled_from([RANGE[0], RANGE[1], 0.0, -0.0, 1e-300, -1e-300, 5e-324, 0.1, 0.5, -0.3]),
)


@st.composite
def flow_networks(draw):
    inputs = draw(st.integers(1, 4))
    units = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    acts = [draw(st.sampled_from(FLOW_ACTIVATIONS)) for _ in units]
    sizes = [inputs, *units]
    weights = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        weights.append(
            np.array(draw(st.lists(ENTRY, min_size=n_in * n_out, max_size=n_in * n_out))).reshape(n_in, n_out)
        )
        weights.append(np.array(draw(st.lists(ENTRY, min_size=n_out, max_size=n_out))))
    x = np.array(draw(st.lists(ENTRY, min_size=inputs, max_size=inputs)))
    model = Sequential([Dense(u, a, input_dim=n) for u, a, n in zip(units, acts, sizes)])
    model.set_weights(weights)
    return model, x


@st.composite
def flow_cases(draw):
    model, x = draw(flow_networks())
    ex = MatrixFlowExplorer(model, x)
    # a state: the start, with a few entries moved (the reader types into some boxes)
    state = dict(ex.state)
    for name in draw(st.lists(st.sampled_from(sorted(state)), max_size=4, unique=True)):
        state[name] = draw(ENTRY)
    return ex, state


def seed_like_flow():
    model = Sequential([Dense(2, "gelu", input_dim=2), Dense(1, "softmax")])
    model.set_weights(
        [np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([0.1, -0.2]), np.array([[1.0], [-1.0]]), np.zeros(1)]
    )
    return model


def huge_flow():
    model = Sequential([Dense(1, "exponential", input_dim=1), Dense(1, "elu")])
    model.set_weights([np.array([[-10.0]]), np.zeros(1), np.zeros((1, 1)), np.zeros(1)])
    return MatrixFlowExplorer(model, [-5.875])


def large_output_flow():
    model = Sequential([Dense(3, "exponential", input_dim=1)])
    model.set_weights([np.array([[0.0, 0.0, -2.361139325998705]]), np.zeros(3)])
    return MatrixFlowExplorer(model, [-7.75])


@examples(60)
@given(case=flow_cases())
@example(case=(MatrixFlowExplorer(seed_like_flow(), [1.0, 0.5]), None))  # found: gelu's row read "Z = A" (identity)
# found: Z = exp(58.75) = 3.27e25 was printed with all its digits, and nnlib's last bit is not Math.exp's
@example(case=(huge_flow(), None))
# found: Y = exp(18.2988...) = 8.8e7 printed with 8 decimals showed those last bits too: now 12 significant digits
@example(case=(large_output_flow(), None))
def test_matrix_flow_page_computes_nnlibs_trace_and_draws_one_picture(case):
    ex, state = case
    state = state or dict(ex.state)
    py = ex.set(**state).curves()
    out = both_faces(ex, state, py)
    r = out["r"]
    same(r["x"], py["x"], what="X")
    for k, (a, z) in enumerate(zip(py["a"], py["z"])):
        same(r["a"][k], a, what=f"A({k + 1}) at {state}")
        same(r["z"][k], z, what=f"Z({k + 1}) at {state}")
    same(r["y"], py["y"], what=f"Y at {state}")
    assert_same_picture(out["live"], out["static"], f"flow at {state}")
    assert out["liveReadout"] == out["readout"], state
    # the picture names each layer's activation: Z = h(A) reads as nnlib's layer computes it
    for l, (_, _, act) in enumerate(ex.layers, 1):
        mark = "⁽" + str(l).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) + "⁾"
        name = {"sigmoid": "σ", "identity": ""}.get(act, act)
        formula = f"{name}(A{mark})" if name else f"= A{mark}<"
        assert formula in out["static"], f"layer {l} ({act}): the picture does not show {formula!r}"


@examples(30)
@given(
    case=flow_cases(), value=st.one_of(st.floats(10.000001, 1e300), st.floats(-1e300, -10.000001), st.just(math.nan))
)
def test_matrix_flow_refuses_an_entry_outside_the_range_in_both_faces(case, value):
    ex, state = case
    name = sorted(state)[0]
    state = dict(state, **{name: value})
    with pytest.raises(ValueError, match=name):
        ex.set(**state)
    out = both_faces(ex, state, None)
    assert out["r"]["bad"] == name
    assert out["readout"].startswith(ex.config()["labels"][name] + " is not a number between")


# -- chapter 2: fit with N neurons --------------------------------------------------------------------------------
FIT_ACTIVATIONS = list(LINES_ARE_NOT_A_FIT)  # the identity is refused (tests/test_explore_flow_fit.py)


@st.composite
def fit_cases(draw):
    lo = draw(st.floats(-20, 5))
    hi = lo + draw(st.floats(0.5, 30))
    max_neurons = draw(st.integers(2, 16))
    train = draw(st.integers(max_neurons + 2, 260))
    test = draw(st.integers(2, 400))
    a, b, c, d = (draw(st.floats(-3, 3)) for _ in range(4))
    assume(abs(a) + abs(c) + abs(d) > 1e-3)

    def target(x):
        return a * np.sin(b * x) + c * x + d * np.cos(x) ** 2

    acts = draw(st.lists(st.sampled_from(FIT_ACTIVATIONS), min_size=1, max_size=3, unique=True))
    try:
        ex = FitExplorer(
            target, neurons=draw(st.integers(1, max_neurons)), activation=acts[0], activations=acts,
            max_neurons=max_neurons, x_range=(lo, hi), train_points=train, test_points=test, min_r2=None,
        )  # fmt: skip
    except ValueError as error:  # a target flat on the points: refused with a clear error, as the docstring says
        assert "spread" in str(error)
        assume(False)
    state = dict(ex.state, n=draw(st.integers(1, max_neurons)), activation=draw(st.sampled_from(acts)))
    return ex, state


@examples(40)
@given(case=fit_cases())
def test_fit_n_page_fits_and_scores_as_numpy(case):
    ex, state = case
    py = ex.set(**state).curves()
    out = both_faces(ex, state, py)
    r, t = out["r"], py["target"]
    scale = float(np.max(np.abs(t)))
    # The fitted curve and its score are what the reader sees; QR and numpy's SVD agree on them to rounding
    # (coefficients of nearly collinear columns may differ more, and the curve stays the same).
    same(r["output"], py["output"], rtol=0, atol=1e-7 * scale, what=f"fit at {state}")
    assert abs(r["r2"] - py["r2"]) <= 1e-7 * max(1.0, abs(py["r2"])), (r["r2"], py["r2"])
    same(r["x"], py["x"], what="x")
    same(r["target"], t, what="target")
    # the picture: nnlib's numbers and the page's draw the same figure (curves to a tenth of a unit)
    assert_same_picture(out["live"], out["static"], f"fit-n at {state}")
    assert out["liveReadout"] == out["readout"], state
