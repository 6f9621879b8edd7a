"""Chapter 5's MatrixFlowExplorer and chapter 2's FitExplorer: nnlib and the page's bundle (in Node) compute the
same numbers and draw the same picture, the seed's network gives the chapter's printed output, and the fit
control scores every N as the chapter's recipe (nnlib.exercises.ch02) does."""

import re

import numpy as np
import pytest
from test_explore_js import assert_same, assert_same_picture, config_of, random_states, run_js

import nnlib
from nnlib.exercises import ch02, ch05
from nnlib.explore import FitExplorer, MatrixFlowExplorer
from nnlib.explore._jupyter import to_json

# The seed's 3-layer network (chapter 5, after Deep Learning from Scratch, section 3.4), written once in nnlib
SEED_X = ch05.SEED_X.tolist()
SEED_Y = "[0.31682708 0.69627909]"  # as the chapter prints it (numpy, float64)
seed_model = ch05.seed_network


def both_faces(ex, states):
    """nnlib's results for `states`, and the page's (compute, readout, both pictures) for the same states."""
    cfg, results = config_of(ex), []
    for state in states:
        ex.set(**state)
        results.append(ex.curves())
    js = run_js([{"cfg": cfg, "state": s, "result": to_json(r)} for s, r in zip(states, results)])
    return results, js


def test_flow_computes_what_nnlib_computes_and_draws_it_alike():
    ex = MatrixFlowExplorer(seed_model(), SEED_X)
    states = [ex.state] + random_states(ex, 12, seed=5)
    results, js = both_faces(ex, states)
    for state, py, out in zip(states, results, js):
        assert set(out["r"]) == {"x", "a", "z", "y"}
        for key in ("x", "y"):
            assert_same(py[key], out["r"][key], f"{key} at {state}")
        for key in ("a", "z"):
            for k, (p, j) in enumerate(zip(py[key], out["r"][key])):
                assert_same(p, j, f"{key}[{k}] at {state}")
        assert_same_picture(out["live"], out["static"], str(state))
        assert out["liveReadout"] == out["readout"]


def test_the_seed_network_gives_the_chapters_numbers_in_both_faces():
    ex = MatrixFlowExplorer(seed_model(), SEED_X)
    y = ex.curves()["y"]
    assert np.array2string(y) == SEED_Y
    np.testing.assert_array_equal(y, seed_model().predict(np.array(SEED_X)))
    out = both_faces(ex, [ex.state])[1][0]
    assert out["readout"] == f"Output Y = {SEED_Y}, the starting network's."
    assert "0.31682708" in out["static"] and "0.69627909" in out["static"]
    # a moved weight: Y changes, the readout gives the start's Y, and the moved numbers are bold
    moved = dict(ex.state, W2_10=-1.5)
    out = both_faces(ex, [moved])[1][0]
    assert out["readout"].endswith(f"the starting network gives {SEED_Y} (Reset brings it back).")
    assert 'font-weight="700"' in out["static"]
    assert ex.set(**moved).curves()["y"][0] != y[0]


def test_a_typed_entry_that_is_not_a_number_is_named():
    ex = MatrixFlowExplorer(seed_model(), SEED_X)
    cfg = config_of(ex)
    out = run_js([{"cfg": cfg, "state": dict(ex.state, b2_1=None), "result": None}])[0]
    assert out["readout"].startswith("b⁽²⁾₁ is not a number between −10 and 10")
    with pytest.raises(ValueError, match="b2_1=11 is outside"):
        ex.set(b2_1=11)
    assert ex.state["b2_1"] == 0.2  # nothing changed


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda m: MatrixFlowExplorer(m, [1.0, 0.5, 2.0]), "layer 1 takes 2 inputs but gets 3"),
        (lambda m: MatrixFlowExplorer(m, [[1.0, 0.5]]), "x must be one sample"),
        (lambda m: MatrixFlowExplorer([m], [1.0, 0.5]), "model must be an nnlib Sequential"),
        (lambda m: MatrixFlowExplorer(m, [1.0, 0.5], value_range=(-0.1, 0.1)), r"x0=1 is outside \[-0.1, 0.1\]"),
    ],
)
def test_flow_refuses_what_it_cannot_show(make, message):
    with pytest.raises(ValueError, match=message):
        make(seed_model())


def test_flow_refuses_a_layer_too_wide_for_the_picture():
    model = nnlib.Sequential([nnlib.Dense(5, "sigmoid", input_dim=2, seed=0)])
    with pytest.raises(ValueError, match="at most 4 inputs and units"):
        MatrixFlowExplorer(model, [1.0, 0.5])


def fit_states(ex):
    return [{"activation": a, "n": n} for a in ("sigmoid", "relu") for n in range(1, 17)]


def test_fit_computes_what_nnlib_computes_and_draws_it_alike():
    ex = FitExplorer(ch02.wiggly)
    states = fit_states(ex)
    results, js = both_faces(ex, states)
    for state, py, out in zip(states, results, js):
        for key in ("x", "output", "target", "v", "c", "r2", "hidden"):
            assert_same(py[key], out["r"][key], f"{key} at {state}")
        assert_same_picture(out["live"], out["static"], str(state))
        assert out["liveReadout"] == out["readout"]


def test_fit_scores_every_n_as_the_chapters_recipe_and_answers_exercise_2():
    ex = FitExplorer(ch02.wiggly)
    states = fit_states(ex)
    _, js = both_faces(ex, states)
    page = {(s["activation"], s["n"]): out for s, out in zip(states, js)}
    for activation in ("sigmoid", "relu"):
        expected = ch02._recipe_scores(activation)  # the exercise's table: R^2 to 4 decimals, N = 1..16
        shown = [float(page[activation, n]["readout"].split("R² = ")[1][:6]) for n in range(1, 17)]
        assert shown == expected, activation
        fewest = next(n for n, r2 in enumerate(shown, 1) if r2 >= 0.99)
        assert fewest == ch02.WIGGLY.constants[f"FEWEST_{activation.upper()}"]
        assert "(reaches 0.99)" in page[activation, fewest]["readout"]
        assert "(below 0.99)" in page[activation, fewest - 1]["readout"]


def test_fit_refuses_bad_arguments():
    with pytest.raises(ValueError, match="target must be a function"):
        FitExplorer([1, 2, 3])
    with pytest.raises(ValueError, match="not all equal"):
        FitExplorer(lambda x: np.ones_like(x))
    with pytest.raises(ValueError, match="n=17 is outside"):
        FitExplorer(ch02.wiggly).set(n=17)
    # found by tests/test_parity_explorers.py: max_neurons=1 failed inside the slider ("needs low < high")
    with pytest.raises(ValueError, match="max_neurons must be a whole number from 2 to 64, got 1"):
        FitExplorer(ch02.wiggly, neurons=1, max_neurons=1)
    # found there too: identity neurons add up to one line (many least-squares answers: the page's QR gave another
    # than numpy's), and two step neurons switching between the same two training points are one column twice
    with pytest.raises(ValueError, match="activation 'identity' is not offered here"):
        FitExplorer(ch02.wiggly, activations=("relu", "identity"))
    with pytest.raises(ValueError, match="16 neurons need at least 18 training points, got 17"):
        FitExplorer(ch02.wiggly, max_neurons=16, train_points=17)


@pytest.mark.parametrize("make", [lambda: MatrixFlowExplorer(seed_model(), SEED_X), lambda: FitExplorer(ch02.wiggly)])
def test_static_face_controls_wait_for_the_script(make):
    """Every control of the static face (a page with JavaScript off, a stored notebook) is disabled: only the
    block's script (js/wake.js) enables it, so nothing looks live that cannot work."""
    html = make().to_html()
    controls = re.findall(r"<(?:input|select|button)\b[^>]*>", html)
    assert controls, "the face has no controls"
    live = [c[:60] for c in controls if not re.search(r"\sdisabled\b", c)]
    assert not live, f"controls that look live before the script runs: {live}"
