"""The explorers (nnlib.explore): numbers, validation, the live face, and the static face's HTML.

The JavaScript of the static face is compared with nnlib in tests/test_explore_js.py (Node)
and tests/browser/test_explorers.py (headless Chromium on the built book).
"""

import json
import re
from html import escape as html_escape
import subprocess
import sys

import numpy as np
import pytest

import nnlib
from nnlib import activations, geometry
from nnlib.explore import AffineExplorer, DecisionBoundaryExplorer, NeuronExplorer, NeuronSumExplorer
from nnlib.explore._face import JS_END, JS_MARK, asset, prerender, still_svg
from nnlib.explore._jupyter import to_json

BUNDLE = asset("dist/explore-static.js")


def config_of(explorer):
    html = explorer.to_html()
    m = re.search(r'<script type="application/json" class="nnx-config">(.*?)</script>', html)
    return json.loads(m.group(1).replace("<\\/", "</"))


# -- the numbers each explorer plots ----------------------------------------------------------------
def test_neuron_curve_is_f_of_w_x_minus_b():
    ex = NeuronExplorer(weight=2.0, bias=1.0, activation="sigmoid")
    r = ex.curves()
    x = np.linspace(-5, 5, 201)
    np.testing.assert_array_equal(r["x"], x)
    np.testing.assert_allclose(r["y"], 1 / (1 + np.exp(-(2 * x - 1))), rtol=0, atol=1e-15)
    assert r["switch_x"] == pytest.approx(0.5)


def test_both_sign_conventions_give_the_same_family():
    minus = NeuronExplorer(weight=1.5, bias=-2.0, activation="tanh")
    plus = NeuronExplorer(weight=1.5, bias=2.0, activation="tanh", bias_sign="+")
    np.testing.assert_array_equal(minus.curves()["y"], plus.curves()["y"])
    assert plus.curves()["switch_x"] == pytest.approx(-2 / 1.5)
    assert "x + 2.00" in minus.readout() and "x + 2.00" in plus.readout()


@pytest.mark.parametrize("name", ["step", "sigmoid", "tanh", "relu", "mish", "identity"])
def test_every_activation_is_nnlibs(name):
    ex = NeuronExplorer(weight=-1.3, bias=0.4, activation=name)
    x = ex.grid()
    np.testing.assert_allclose(ex.curves()["y"], activations.get(name)(-1.3 * x - 0.4), atol=1e-15)


def test_reference_curves_are_the_seeds_weights():
    refs = [dict(weight=w, bias=0, label=f"w = {w}") for w in (0.5, 1, 2)]
    ex = NeuronExplorer(references=refs)
    x = ex.grid()
    for w, y in zip((0.5, 1, 2), ex.curves()["references"]):
        np.testing.assert_allclose(y, activations.sigmoid(w * x), atol=1e-15)
    colors = [r["color"] for r in ex.references]
    assert len(set(colors)) == 3 and "#FF0000" not in colors


def test_neuron_sum_reproduces_seed_002():
    # seed 002: neuron(x, w, b) = sigmoid(w x - b); (2, -2) + (0.5, 1), then a second layer neuron(sum, 1, 0)
    ex = NeuronSumExplorer(neurons=[(2, -2), (0.5, 1)], second_layer=dict(weight=1, bias=0))
    x = ex.grid()
    r = ex.curves()
    s = activations.sigmoid(2 * x + 2) + activations.sigmoid(0.5 * x - 1)
    np.testing.assert_allclose(r["sum"], s, atol=1e-14)
    np.testing.assert_allclose(r["output"], activations.sigmoid(s), atol=1e-14)
    assert r["hidden"].shape == (2, 201)
    # a third neuron with negative weight and bias bends the sum down, as in the seed
    ex.set(count=3, w2=-2, b2=-4)
    np.testing.assert_allclose(ex.curves()["sum"], s + activations.sigmoid(-2 * x + 4), atol=1e-14)


def test_neuron_sum_relu_depth_and_output_weights():
    ex = NeuronSumExplorer(
        neurons=[(1, -2, 1), (0.5, 0, 0.5), (-0.5, -1, 2)],
        activation="relu",
        second_layer=dict(weight=-1, bias=-10, activation="relu"),
        output_bias=0.5,
    )
    x = ex.grid()
    s = 0.5 + relu_sum(x, [(1, -2, 1), (0.5, 0, 0.5), (-0.5, -1, 2)])
    r = ex.curves()
    np.testing.assert_allclose(r["sum"], s, atol=1e-13)
    np.testing.assert_allclose(r["output"], np.maximum(-s + 10, 0), atol=1e-13)


def relu_sum(x, neurons):
    return sum(v * np.maximum(w * x - b, 0) for w, b, v in neurons)


def test_neuron_sum_fit_score_is_r2():
    target = np.exp(-(np.linspace(-5, 5, 201) ** 2))
    ex = NeuronSumExplorer(neurons=[(4, -4, 1), (4, 4, -1)], target=target, bias_sign="-")
    r = ex.curves()
    resid = np.sum((r["output"] - target) ** 2)
    assert r["r2"] == pytest.approx(1 - resid / np.sum((target - target.mean()) ** 2), abs=1e-12)
    assert r["mse"] == pytest.approx(resid / 201, abs=1e-12)
    assert r["r2"] > 0.5  # the two-sigmoid tower is a rough bump
    assert f"R\u00b2 = {r['r2']:.3f}" in ex.readout()


def test_decision_boundary_and_gate():
    ex = DecisionBoundaryExplorer(weights=(1, 1, -1.5))
    r = ex.curves()
    assert r["accuracy"] == 1.0
    np.testing.assert_allclose(r["outputs"], activations.sigmoid(np.array([-1.5, -0.5, -0.5, 0.5])), atol=1e-15)
    ex.set(b=0.5)  # every point now positive: only the (1, 1) point is right
    assert ex.curves()["accuracy"] == 0.25
    gx, gy = ex.grid_axes()
    assert r["grid"].shape == (41, 41)
    assert r["grid"][3, 7] == pytest.approx(activations.sigmoid(gx[7] + gy[3] - 1.5))


def test_decision_boundary_legend_names_the_chapters_classes():
    X = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    signed = prerendered(DecisionBoundaryExplorer(data=X, labels=[-1, 1, 1]).to_html())
    assert ">class \u22121</text>" in signed and ">class +1</text>" in signed and "class 0" not in signed
    assert ">class 0</text>" in prerendered(DecisionBoundaryExplorer().to_html())
    named = DecisionBoundaryExplorer(data=X, labels=[0, 1, 1], class_labels=("t = \u22121", "t = +1"))
    assert ">t = \u22121</text>" in prerendered(named.to_html()) and "t = \u22121 as circles" in named.description()
    with pytest.raises(ValueError, match="two strings"):
        DecisionBoundaryExplorer(class_labels="ab")


def test_decision_boundary_hidden_layer_equals_the_model():
    model = nnlib.Sequential([nnlib.Dense(3, "tanh", input_dim=2), nnlib.Dense(1, "tanh")])
    model.set_weights(
        [
            np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.5]]),
            np.array([0.1, -0.2, 0.3]),
            np.array([[0.7], [-1.2], [0.4]]),
            np.array([0.3]),
        ]
    )
    rng = np.random.default_rng(0)
    X = np.round(rng.random((50, 2)), 4)
    t = np.where(X.sum(1) > 0.5, 1, -1)
    ex = DecisionBoundaryExplorer(model=model, data=X, labels=t)
    r = ex.curves()
    np.testing.assert_allclose(r["outputs"], model.predict(X)[:, 0], atol=1e-14)
    assert r["accuracy"] == pytest.approx(np.mean((model.predict(X)[:, 0] > 0) == (t > 0)))
    ex.set(count=1)  # only the first hidden neuron: tanh(0.7 tanh(x W[:, 0] + 0.1) + 0.3)
    np.testing.assert_allclose(ex.curves()["outputs"], np.tanh(0.7 * np.tanh(X @ [1.0, 0.5] + 0.1) + 0.3), atol=1e-14)


def test_affine_map_and_fold():
    W, b = np.array([[1.0, 0.5], [-0.5, 1.0]]), np.array([0.5, -0.2])
    ex = AffineExplorer(W=W, b=b)
    r = ex.curves()
    np.testing.assert_allclose(r["affine"], r["points"] @ W.T + b, atol=1e-15)
    np.testing.assert_array_equal(r["folded"], np.maximum(r["affine"], 0))
    neg = np.sum(r["affine"] < 0, axis=1)
    assert r["counts"] == (np.sum(neg == 0), np.sum(neg == 1), np.sum(neg == 2))
    assert sum(r["counts"]) == 64
    assert r["det"] == pytest.approx(1.25)


def test_affine_svd_mode_is_geometry_compose():
    ex = AffineExplorer(mode="svd", parts=(30, 2.0, -0.5, -45), b=(0.2, 0.1))
    np.testing.assert_allclose(ex.curves()["W"], geometry.compose(30, (2.0, -0.5), -45), atol=1e-15)
    assert ex.curves()["det"] == pytest.approx(-1.0)
    assert "reflection" in ex.readout()
    # given W, the sliders start at its (rounded) decomposition
    W = geometry.compose(20, (1.5, 0.5), 70)
    ex2 = AffineExplorer(W=W, mode="svd")
    np.testing.assert_allclose(ex2.curves()["W"], W, atol=1e-12)


# -- bad input fails at construction with a clear message ---------------------------------------
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: NeuronExplorer(activation="sigmoidd"), "Did you mean 'sigmoid'"),
        (lambda: NeuronExplorer(activation="softmax"), "not offered here"),
        (lambda: NeuronExplorer(weight=7), "outside its slider range"),
        (lambda: NeuronExplorer(weight=0.55), "not on the slider's grid"),
        (lambda: NeuronExplorer(bias_sign="plus"), "bias_sign must be"),
        (lambda: NeuronExplorer(references=[dict(weight=1)]), "references[0]"),
        (lambda: NeuronExplorer(references=[dict(weight=1, bias=0, colour="red")]), "unknown keys"),
        (lambda: NeuronExplorer(key="has space"), "key must be"),
        (lambda: NeuronExplorer(ylim=(1, 0)), "low < high"),
        (lambda: NeuronSumExplorer(neurons=[(1, 2, 3, 4)]), "neurons[0]"),
        (lambda: NeuronSumExplorer(neurons=[(1, 0)] * 9), "max_neurons"),
        (lambda: NeuronSumExplorer(max_neurons=17), "max_neurons"),
        (lambda: NeuronSumExplorer(target=np.zeros(10)), "201 values"),
        (lambda: NeuronSumExplorer(second_layer=dict(weight=1, act="relu")), "unknown keys"),
        (lambda: DecisionBoundaryExplorer(weights=(1, 1)), "three numbers"),
        (lambda: DecisionBoundaryExplorer(activation="relu"), "output activation"),
        (lambda: DecisionBoundaryExplorer(data=np.zeros((4, 3)), labels=[0, 1, 0, 1]), "shape (n, 2)"),
        (lambda: DecisionBoundaryExplorer(data=np.zeros((4, 2)), labels=[0, 1, 0]), "one entry per point"),
        (lambda: DecisionBoundaryExplorer(data=np.zeros((4, 2)), labels=[0, 2, 0, 1]), "0/1 or -1/+1"),
        (lambda: DecisionBoundaryExplorer(hidden=dict(W=np.ones((3, 2)))), "pass W.T"),
        (lambda: DecisionBoundaryExplorer(hidden=dict(W=np.ones((2, 3))), output=(np.ones(2), 0)), "3 numbers"),
        (lambda: AffineExplorer(W=np.eye(3)), "2 x 2"),
        (lambda: AffineExplorer(b=(1, 2, 3)), "two numbers"),
        (lambda: AffineExplorer(mode="polar"), "mode must be"),
        (lambda: AffineExplorer(points=np.zeros((5, 3))), "shape (n, 2)"),
    ],
)
def test_bad_input_is_refused_clearly(make, message):
    with pytest.raises((ValueError, TypeError)) as info:
        make()
    assert message in str(info.value)


def test_float32_weights_on_the_grid_are_accepted_and_snapped():
    w = np.round(np.float32([4.3, -4.7, 0.1]), 1)  # what a trained float32 layer rounds to
    ex = DecisionBoundaryExplorer(weights=w)
    assert ex.state["w0"] == 4.3 and ex.state["w1"] == -4.7 and ex.state["b"] == 0.1


def test_set_checks_and_leaves_state_alone_on_error():
    ex = NeuronExplorer()
    before = ex.state
    with pytest.raises(ValueError, match="no control 'weigth'"):
        ex.set(weigth=2)
    with pytest.raises(ValueError, match="outside"):
        ex.set(bias=1, weight=99)
    assert ex.state == before
    ex.set(weight=2, activation="relu")
    assert ex.state == {"weight": 2.0, "bias": 0.0, "activation": "relu"}


# -- the live face ----------------------------------------------------------------------------------
def test_live_face_draws_nnlibs_numbers_and_follows_its_view():
    ex = NeuronExplorer()
    w = ex.widget()
    assert w.view["result"] == to_json(ex.curves()) and w.view["moved"] is False
    ex.set(weight=3)  # from Python: the view moves its slider and draws
    assert w.view["moved"] is True and w.view["state"]["weight"] == 3
    np.testing.assert_array_equal(w.view["result"]["y"], activations.sigmoid(3 * ex.grid()))
    w.state = {**w.view["state"], "bias": 1.5, "__n": 1}  # what a reader's slider sends
    assert ex.state["bias"] == 1.5 and w.view["moved"] is False
    np.testing.assert_array_equal(w.view["result"]["y"], activations.sigmoid(3 * ex.grid() - 1.5))
    w.state = {**w.view["state"], "bias": 1.55}  # between grid points: ignored, the next event fixes it
    assert ex.state["bias"] == 1.5
    labels = re.findall(r'<label for="[^"]+" title="[^"]*"[^>]*><span data-i18n>([^<]*)<', w.face)
    assert labels == ["weight w", "bias b", "activation h"]
    # the live face runs the same drawing code as the book, bundled; Notebook 7's arrow keys reach its sliders
    assert w._esm == asset("dist/explore-live.js") and "<script" not in w.face
    assert w.face.count('data-lm-suppress-shortcuts="true"') == 3


def test_live_faces_of_all_explorers_follow_their_controls():
    X = np.random.default_rng(1).random((30, 2))
    for ex in [
        NeuronSumExplorer(second_layer={}, target=np.sin),
        DecisionBoundaryExplorer(),
        DecisionBoundaryExplorer(
            hidden=dict(W=[[1, -1], [1, 1]], b=[0, -0.5]), data=X, labels=(X[:, 0] > X[:, 1]).astype(int)
        ),
        AffineExplorer(mode="svd"),
    ]:
        w = ex.widget()
        first = w.view["result"]
        name, c = next((c.name, c) for c in ex.controls if not hasattr(c, "options") and c.name != "count")
        w.state = {**ex.state, name: c.min}
        assert ex.state[name] == c.min and w.view["result"] != first, type(ex).__name__
        assert w.view["result"] == to_json(ex.curves())


def test_neuron_rows_follow_the_count():
    ex = NeuronSumExplorer(neurons=[(1, 0)], max_neurons=4)
    # rows of neurons 1..3 wait for the count slider (display:none for front ends that drop `hidden` and the <style>)
    assert ex.to_html().count(' hidden style="--cols:3;display:none"') == 3
    ex.set(count=3)
    assert ex.curves()["hidden"].shape == (3, 201)
    assert ex.to_html().count(' hidden style="--cols:3;display:none"') == 1


def test_mime_bundle_has_both_faces_and_a_short_text():
    ex = DecisionBoundaryExplorer()
    bundle = ex._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"}
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget().model_id
    assert bundle["text/plain"].startswith("<DecisionBoundaryExplorer: Heat map")
    assert "4 data points" in bundle["text/plain"]


@pytest.mark.parametrize(
    "make",
    [NeuronExplorer, NeuronSumExplorer, DecisionBoundaryExplorer, AffineExplorer],
    ids=lambda make: make.__name__,
)
def test_mime_bundle_needs_no_widget_repr_as_on_colab(monkeypatch, make):
    """Colab preinstalls ipywidgets 7.7, whose boxes have no `_repr_mimebundle_` (they display through
    `_ipython_display_`): the explorer must write its widget view itself (tests/colab runs the real 7.7)."""
    import ipywidgets

    def missing(self, *args, **kwargs):
        raise AttributeError(f"{type(self).__name__!r} object has no attribute '_repr_mimebundle_'")

    monkeypatch.setattr(ipywidgets.Widget, "_repr_mimebundle_", missing, raising=False)
    ex = make()
    view = ex._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]
    assert view == {"version_major": 2, "version_minor": 0, "model_id": ex.widget().model_id}


# -- the static face's HTML -------------------------------------------------------------------------
def test_static_face_is_labelled_and_self_contained():
    ex = NeuronExplorer(key="demo")
    html = ex.to_html()
    assert html.startswith('<div class="nnx nnx-neuron" id="demo"')
    for name in ("weight", "bias"):
        assert f'<label for="demo-{name}"' in html and f'id="demo-{name}" data-param="{name}"' in html
    assert re.search(r'<output for="demo-weight">1\.0</output>', html)
    assert '<select id="demo-activation"' in html and '<img class="nnx-img"' in html  # the still picture
    assert 'aria-live="polite"' in html and f'alt="{html_escape(ex.description())}"' in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert JS_MARK in html and JS_END in html and BUNDLE in html
    cfg = config_of(ex)
    assert cfg["state"] == ex.state and cfg["kind"] == "neuron"


def test_static_face_is_deterministic_across_processes():
    code = (
        "from nnlib.explore import NeuronSumExplorer as E; import hashlib; "
        "print(hashlib.sha1(E(target=lambda x: x / 5).to_html().encode()).hexdigest())"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1


def test_keys_are_stable_and_unique_within_a_run():
    a, b = NeuronExplorer(weight=1.7, bias=-4.9), NeuronExplorer(weight=1.7, bias=-4.9)
    assert a.key.startswith("nnx-neuron-") and b.key == a.key + "-2"
    assert NeuronExplorer(weight=1.8, bias=-4.9).key.split("-")[2] != a.key.split("-")[2]
    assert a.to_html() == a.to_html()


def prerendered(html):
    return still_svg(html)  # the drawing inside the static face's still picture


@pytest.mark.parametrize(
    "make",
    [
        lambda: NeuronExplorer(references=[dict(weight=w, bias=0) for w in (0.5, 1, 2)]),
        lambda: NeuronSumExplorer(neurons=[(1, 0)] * 16, max_neurons=16, second_layer={}, target=np.sin),
        lambda: DecisionBoundaryExplorer(
            data=np.random.default_rng(0).random((600, 2)),
            labels=np.arange(600) % 2,
            hidden=dict(W=np.ones((2, 8)), b=np.zeros(8)),
        ),
        lambda: AffineExplorer(points=np.random.default_rng(0).normal(size=(400, 2)), mode="svd"),
    ],
)
def test_payload_budget(make):
    """Without the bundle: at most 30 kB of HTML and configuration, plus the pre-rendered figure."""
    html = make().to_html()
    figure = prerendered(html)
    own = len(html.encode()) - len(BUNDLE.encode()) - len(figure.encode())
    # 16 neurons' 49 controls, each marked for Notebook 7's arrow keys, disabled until the script runs and laid out
    # by an inline style (an untrusted notebook drops the <style>); the figure percent-encoded in an <img>
    # (38.8 kB with every label, option and row head marked for the catalogue's translation: data-i18n; 44.1 kB
    # with the screen-reader words hidden by an inline style as well, which an untrusted notebook keeps)
    assert own <= 44_500, own
    assert len(figure.encode()) <= 70_000, len(figure.encode())  # 600 data points drawn: the largest case
    # the drawing code and nn.js (nnlib's formulas), minified by esbuild, once per block: 42.6 kB since nn.js
    # computes everything nnlib's trainer does (every activation, erfc for gelu, RMSprop, the contract); 48.5 kB
    # with chapter 5's matrix flow and chapter 2's fit with N neurons (its least squares by Householder QR)
    # 52.5 kB with the narrow-screen layouts, the still picture's wake and the language catalogue's lookup
    # 53.1 kB with issue 22's parity fixes (matrix flow: every activation named, at most 12 significant digits)
    # 54.6 kB with every shown word a message of the catalogue (whole sentences with placeholders, for the translators)
    assert len(BUNDLE.encode()) <= 55_000


# -- the figure without JavaScript ------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        lambda: NeuronExplorer(key="pre-neuron"),
        lambda: NeuronSumExplorer(second_layer=dict(on=False), target=np.tanh, key="pre-sum"),
        lambda: DecisionBoundaryExplorer(target="xor", key="pre-gate"),
        lambda: AffineExplorer(mode="svd", b=(3, 3), key="pre-affine"),
    ],
)
def test_static_face_carries_the_first_drawing(make):
    ex = make()
    html = ex.to_html()
    figure = prerendered(html)
    assert figure and "nnx-nojs" not in html
    assert figure == prerender(config_of(ex))["svg"]
    # it is the figure: axes, tick labels, the curves or points, the key-based clip id
    assert f'<clipPath id="{ex.key}-clip1">' in figure and figure.count("<text") >= 8
    assert re.search(r"<(path|circle|image)\b", figure)
    coordinates = re.findall(r' (?:d|x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', figure)
    assert coordinates and not any(re.search(r"\d\.\d\d", c) for c in coordinates)  # to tenths


def test_without_node_the_static_face_asks_to_run_the_cell(monkeypatch):
    monkeypatch.setenv("NNLIB_NODE", "")  # what a machine without Node sees
    html = NeuronExplorer(weight=1.3).to_html()
    assert "run the cell" in still_svg(html) and "<path" not in still_svg(html)


def test_prerendered_drawing_is_the_same_in_every_process():
    code = (
        "from nnlib.explore import DecisionBoundaryExplorer as E; import hashlib; "
        "print(hashlib.sha1(E(target='or').to_html().encode()).hexdigest())"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1


# -- axes that follow, legend, target menu, second-layer switch, stages ----------------------------------
def test_neuron_legend_sits_under_the_plot():
    figure = prerendered(
        NeuronExplorer(weight=-2, references=[dict(weight=w, bias=0) for w in (0.5, 1, 2)], bias_sign="+").to_html()
    )
    rows = [float(y) for y in re.findall(r'<g transform="translate\([\d.]+,([\d.]+)\)"><line', figure)]
    assert len(rows) == 5 and min(rows) > 34 + 280 + 40  # below the plot box and its x label


def y_ticks(figure):
    """The numbers on the y axis of a pre-rendered figure (right-aligned tick labels)."""
    return [float(t.replace("\u2212", "-")) for t in re.findall(r'text-anchor="end">([\u2212\d.]+)</text>', figure)]


def test_neuron_sum_axes_show_the_relu_valley_and_the_hill():
    ex = NeuronSumExplorer(
        neurons=[(1, -2), (0.5, 0), (-0.5, -1)],
        activation="relu",
        second_layer=dict(weight=-1, bias=-10, activation="relu"),
    )
    r = ex.curves()
    ticks = y_ticks(prerendered(ex.to_html()))
    everything = np.concatenate([r["hidden"].ravel(), r["sum"], r["output"]])
    assert everything.max() >= 9 and max(ticks) >= 8 and min(ticks) <= max(everything.min(), 0)  # the hill in view


def test_second_layer_switch():
    ex = NeuronSumExplorer(second_layer=dict(weight=2, bias=1, activation="tanh", on=False))
    r = ex.curves()
    np.testing.assert_array_equal(r["output"], r["sum"])
    assert "layer 2" not in ex.readout()
    assert re.search(
        r'aria-label="layer 2" data-i18n-attrs hidden style="[^"]*display:none"', ex.to_html()
    )  # its sliders wait for the switch, without JavaScript too
    ex.set(layer2="on")
    np.testing.assert_allclose(ex.curves()["output"], np.tanh(2 * r["sum"] - 1), atol=1e-15)
    assert "after layer 2" in ex.readout()
    with pytest.raises(ValueError, match="True or False"):
        NeuronSumExplorer(second_layer=dict(on="yes"))


def test_decision_boundary_target_menu_rescores():
    ex = DecisionBoundaryExplorer(weights=(1, 1, -0.5))
    assert ex.curves()["accuracy"] == 0.5  # an OR line scored against AND
    ex.set(target="or")
    assert ex.curves()["accuracy"] == 1.0
    np.testing.assert_array_equal(ex.curves()["classes"], [0, 1, 1, 1])
    ex.set(target="nand", w0=-1, w1=-1, b=1.5)
    assert ex.curves()["accuracy"] == 1.0
    ex.set(target="xor")
    assert ex.curves()["accuracy"] < 1.0  # no line does XOR
    with pytest.raises(ValueError, match="one of the gates"):
        DecisionBoundaryExplorer(target="xnor")
    with pytest.raises(ValueError, match="labels="):
        DecisionBoundaryExplorer(data=[[0, 0], [1, 1]], labels=[0, 1], target="or")


@pytest.mark.parametrize("mode", ["matrix", "svd"])
def test_affine_stages_rotate_scale_rotate_shift_fold(mode):
    W, b = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([3.0, 3.0])
    ex = AffineExplorer(W=W, b=b, mode=mode, matrix_range=(-3, 3), scale_range=(-3.5, 3.5))
    r = ex.curves()
    st, P = r["stages"], r["points"]
    a_in, s1, s2, a_out = r["parts"]
    np.testing.assert_allclose(st[1], P @ geometry.rotation(a_in).T, atol=1e-12)
    np.testing.assert_allclose(st[2], st[1] * [s1, s2], atol=1e-12)
    np.testing.assert_allclose(st[3], P @ r["W"].T, atol=1e-12)
    np.testing.assert_allclose(st[4], r["affine"], atol=1e-12)
    np.testing.assert_allclose(st[5], np.maximum(st[4], 0), atol=1e-12)
    assert s2 < 0  # det W < 0: the reflection is in the second scale
    lim = max(y_ticks(prerendered(ex.to_html())))
    assert np.abs(st).max() <= lim + 1 and lim <= 2 * np.abs(st).max()  # b = (3, 3) stays in view
    ex.set(stage=2)
    assert "Stage 2 of 5: scale" in ex.readout()


def test_affine_counts_are_plural_only_above_one_and_its_stage_list_fits():
    ex = AffineExplorer(points=[[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0]], W=[[1, 0], [0, 1]], b=[0, 0])
    assert "ReLU leaves 1 point, drops 1 onto an axis and 1 onto the origin" in ex.readout()
    # the longest numbers the sliders allow: every stage's line stays inside the 640-unit figure
    wide = AffineExplorer(mode="svd", parts=(-85, 2.5, -2.5, -175), b=(-2.5, -2.5), scale_range=(-3, 3))
    figure = prerendered(wide.to_html())
    rows = re.findall(
        r'<g transform="translate\(([\d.]+),[\d.]+\)"[^>]*><circle[^>]*/>'
        r'<text x="16" y="0">([^<]*<tspan>[^<]*</tspan>)</text><text x="16" y="16" font-size="(\d+)"[^>]*>([^<]*)</text>',
        figure,
    )
    assert len(rows) == 6
    # measured in DejaVu Sans (matplotlib ships it), the widest of the sans-serif fonts a page falls back to
    from matplotlib import font_manager
    from PIL import ImageFont

    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    for x, name, size, detail in rows:
        name = re.sub(r"</?tspan>", "", name)  # the stage's number, then its name in a <tspan> (for translation)
        width = max(
            ImageFont.truetype(dejavu, int(size)).getlength(detail), ImageFont.truetype(dejavu, 12).getlength(name)
        )
        assert float(x) + 16 + width <= 640, (detail, width)


def test_each_kind_of_live_face_keeps_its_own_stylesheet():
    # anywidget keeps one <style> per widget class name and swaps in the CSS of the view drawn last: the trainer's
    # and the playground's views would lose their stylesheet to an explorer drawn after them on the page
    from nnlib.explore import Playground, TrainingExplorer
    from nnlib.explore.trainer import gate_points

    x, t = gate_points("and")
    model = nnlib.Sequential([nnlib.Dense(1, "sigmoid", seed=0)])
    views = [NeuronExplorer().widget(), TrainingExplorer(model, x, t).widget(), Playground().widget()]
    assert len({v._css for v in views}) == 3
    assert len({v._anywidget_id for v in views}) == 3, [v._anywidget_id for v in views]


def test_the_narrow_figures_cap_is_the_stylesheets():
    # the still pictures of the fit with N neurons and the flow take NARROW_FIGURE_PX inline; their live <svg> takes
    # it from explore.css: one width for both faces
    from nnlib.explore._face import NARROW_FIGURE_PX

    css = asset("explore.css")
    for kind in ("fitn", "flow"):
        assert f".nnx-{kind} .nnx-svg{{max-width:{NARROW_FIGURE_PX}px}}" in css, kind
