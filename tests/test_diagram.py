"""nnlib.diagram: what is drawn (nodes, arrows, labels, order), determinism, accessibility, bad input."""

import html
import re
import struct
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("graphviz")

import nnlib  # noqa: E402
from nnlib import diagram  # noqa: E402
from nnlib.diagram import network_diagram, neuron_diagram, softmax_diagram  # noqa: E402


def _svg_groups(svg, kind):
    """Titles of the SVG groups of one class ("node" or "edge"), in drawing order."""
    return re.findall(rf'<g id="[^"]*" class="{kind}">\s*<title>([^<]*)</title>', svg)


def _centres(svg):
    """Centre (x, y) of every circle in the SVG, by node id (SVG y grows downwards)."""
    found = re.findall(r'<title>([^<]*)</title>\s*<ellipse[^>]*cx="([-\d.]+)" cy="([-\d.]+)"', svg)
    return {name: (float(x), float(y)) for name, x, y in found}


def _labels(d):
    return {(tail, head): label for tail, head, label in d.edges}


# -- what is drawn ------------------------------------------------------------------------------------


def test_small_network_nodes_and_arrows():
    d = network_diagram([2, 3, 2])
    assert d.nodes == ["one1", "x1", "x2", "one2", "n1_1", "n1_2", "n1_3", "n2_1", "n2_2"]
    # (2 inputs + the constant 1) x 3 neurons, then (3 neurons + 1) x 2 outputs
    assert len(d.edges) == 3 * 3 + 4 * 2 == 17
    svg = d.svg()
    arrows = _svg_groups(svg, "edge")
    assert len(arrows) == 17
    assert "x2&#45;&gt;n1_3" in arrows and "one2&#45;&gt;n2_1" in arrows
    assert len(re.findall(r"<ellipse", svg)) == 9  # one circle per node
    assert re.search(r">input layer<", svg) and re.search(r">hidden layer<", svg) and re.search(r">output layer<", svg)
    # No weights: no labels, no weight colours.
    assert all(label is None for _, _, label in d.edges)
    assert diagram.POSITIVE_COLOR not in svg and diagram.NEGATIVE_COLOR not in svg


def test_without_biases():
    d = network_diagram([2, 3, 2], biases=False)
    assert not [n for n in d.nodes if n.startswith("one")]
    assert len(d.edges) == 2 * 3 + 3 * 2


def test_neurons_are_drawn_in_order_top_to_bottom_and_layers_left_to_right():
    svg = network_diagram([3, 5, 2]).svg()
    c = _centres(svg)
    columns = [["one1", "x1", "x2", "x3"], ["one2"] + [f"n1_{j}" for j in range(1, 6)], ["n2_1", "n2_2"]]
    for column in columns:
        ys = [c[name][1] for name in column]
        xs = {c[name][0] for name in column}
        assert ys == sorted(ys) and len(set(ys)) == len(ys)  # top to bottom, in index order
        assert len(xs) == 1  # one column
    assert c["x1"][0] < c["n1_1"][0] < c["n2_1"][0]


def test_hidden_neurons_wear_the_course_colours():
    source = network_diagram([2, 3, 1]).source
    for j, color in enumerate(diagram.NEURON_COLORS[:3], start=1):
        assert re.search(rf'n1_{j} \[label="" color="{color}"', source)


def test_symbols_use_the_books_notation():
    d = network_diagram([2, 3], labels="symbols", title="Layer 1")
    labels = _labels(d)
    # w_ji^(l): to neuron j of layer l from neuron i of the layer before
    assert labels[("x2", "n1_1")] == "w_12^(1)"
    assert labels[("x1", "n1_3")] == "w_31^(1)"
    assert labels[("one1", "n1_2")] == "b_2^(1)"
    assert sorted(labels.values()) == sorted(
        [f"w_{j}{i}^(1)" for j in (1, 2, 3) for i in (1, 2)] + [f"b_{j}^(1)" for j in (1, 2, 3)]
    )
    svg = d.svg()
    assert "<title" in svg and ">Layer 1<" in svg
    assert 'baseline-shift="sub"' in svg and 'baseline-shift="super"' in svg


def test_symbols_of_a_three_layer_network_name_each_layer():
    labels = _labels(network_diagram([2, 3, 2], labels="symbols"))
    assert labels[("n1_3", "n2_2")] == "w_23^(2)"
    assert labels[("one2", "n2_1")] == "b_1^(2)"
    assert labels[("x1", "n1_1")] == "w_11^(1)"


def test_values_from_given_weights():
    W1 = np.array([[20.0, -20.0], [20.0, -20.0]])
    b1 = np.array([-10.0, 30.0])
    W2 = np.array([[20.0], [20.0]])
    b2 = np.array([-30.0])
    d = network_diagram([2, 2, 1], weights=[W1, b1, W2, b2], activations=["sigmoid", "sigmoid"])
    labels = _labels(d)
    assert labels[("x1", "n1_2")] == "-20" and labels[("one1", "n1_1")] == "-10"
    assert labels[("one2", "n2_1")] == "-30" and labels[("n1_2", "n2_1")] == "20"
    source = d.source
    # colour by sign, width by |w| relative to the largest in the layer (all |w| = 20 here: the widest)
    assert re.search(rf'x1 -> n1_1 \[color="{diagram.POSITIVE_COLOR}" penwidth=4\.00\]', source)
    assert re.search(rf'x1 -> n1_2 \[color="{diagram.NEGATIVE_COLOR}" penwidth=4\.00\]', source)
    assert "sigmoid" in d.description and "2 sigmoid neurons" in d.description


def test_values_from_a_model_with_precision_and_widths():
    model = nnlib.Sequential([nnlib.Dense(2, "tanh", input_dim=2), nnlib.Dense(1, "sigmoid")])
    model.set_weights(
        [np.array([[0.5, -0.25], [1.0, 0.0]]), np.array([0.125, 0.0]), np.array([[2.0], [-1.0]]), np.array([0.0])]
    )
    d = network_diagram(model, precision=3)
    labels = _labels(d)
    assert labels[("x1", "n1_1")] == "0.5" and labels[("x1", "n1_2")] == "-0.25"
    assert labels[("x2", "n1_2")] == "0" and labels[("one1", "n1_1")] == "0.125"
    assert labels[("n1_2", "n2_1")] == "-1"
    assert network_diagram(model, precision=1).edges[0][2] == "0.1"  # bias 0.125 -> 0.1
    source = d.source
    assert re.search(r"x1 -> n1_1 \[color=\"#D55E00\" penwidth=2\.15\]", source)  # 0.3 + 3.7 * 0.5 / 1
    assert re.search(rf'x2 -> n1_2 \[color="{diagram.MUTED}" penwidth=0\.30\]', source)  # a zero weight
    assert "tanh" in d.description
    assert network_diagram(model, labels="none").edges[0][2] is None
    assert all(label is None for *_, label in network_diagram(model, weights=False).edges)


def test_auto_labels_only_small_networks():
    big = nnlib.Sequential([nnlib.Dense(5, "tanh", input_dim=2, seed=0), nnlib.Dense(1, "tanh", seed=1)])
    assert all(label is None for *_, label in network_diagram(big).edges)  # 21 numbers: too many to read
    assert all(label is not None for *_, label in network_diagram(big, labels="values").edges)
    small = nnlib.Sequential([nnlib.Dense(2, "sigmoid", input_dim=2, seed=0), nnlib.Dense(1, "sigmoid", seed=1)])
    assert all(label is not None for *_, label in network_diagram(small).edges)  # 9 numbers


def test_784_inputs_are_collapsed():
    d = network_diagram([784, 50, 10])
    inputs = [n for n in d.nodes if n.startswith("x") or n == "more0"]
    assert inputs == ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "more0", "x784"]
    hidden = [n for n in d.nodes if n.startswith("n1_") or n == "more1"]
    assert hidden == [f"n1_{j}" for j in range(1, 9)] + ["more1", "n1_50"]
    # (constant 1 + 10 shown) x 10 shown, twice
    assert len(d.edges) == 11 * 10 + 11 * 10
    svg = d.svg()
    assert "775 more" in svg and "41 more" in svg and ">784<" in svg
    assert len(_svg_groups(svg, "edge")) == 220
    assert "ellipsis" in d.description
    assert len(network_diagram([784, 50, 10], max_nodes=5).nodes) == 2 + 5 + 5 + 5
    assert not any(n.startswith("more") for n in network_diagram([784, 50, 10], max_nodes=784).nodes)


def test_the_books_sample_network():
    model = nnlib.load_sample_network()
    d = network_diagram(model, output_names=list("0123456789"))
    assert len(d.nodes) == (1 + 10) * 3 + 10
    assert len(d.edges) == 3 * 11 * 10
    assert d.title == "A 784-50-100-10 network"
    assert "784 inputs" in d.description and "50 sigmoid neurons" in d.description
    assert "10 softmax neurons" in d.description
    W1 = model.layers[0].W
    # the arrow x784 -> neuron 50 is coloured by the sign of W1[783, 49]
    color = diagram.POSITIVE_COLOR if W1[783, 49] > 0 else diagram.NEGATIVE_COLOR
    assert re.search(rf'x784 -> n1_50 \[color="{color}"', d.source)
    assert "arrowhead=none" in d.source  # too many arrows for arrowheads


def test_input_and_output_names():
    d = network_diagram([2, 1], input_names=["hours", "sleep"], output_names=["pass"])
    assert ">hours<" in d.svg() and ">pass<" in d.svg()


# -- the neuron and softmax figures -----------------------------------------------------------------


def test_neuron_diagram_like_seed_003():
    d = neuron_diagram()
    assert d.nodes == ["one", "x1", "x2", "a", "y"]
    assert sorted(d.edges) == sorted([("a", "y", "h()"), ("one", "a", "b"), ("x1", "a", "w_1"), ("x2", "a", "w_2")])
    svg = d.svg()
    assert ">neuron<" in svg and ">h()<" in svg
    c = _centres(svg)
    assert c["one"][1] < c["x1"][1] < c["x2"][1]
    assert c["x1"][0] < c["a"][0] < c["y"][0]


def test_neuron_diagram_with_numbers():
    d = neuron_diagram(weights=[0.5, 0.5], bias=-0.7, activation="step", title="AND as one neuron")
    assert sorted(d.edges) == sorted(
        [("a", "y", "step()"), ("one", "a", "-0.7"), ("x1", "a", "0.5"), ("x2", "a", "0.5")]
    )
    assert "w1 = 0.5" in d.description and "b = -0.7" in d.description
    d = neuron_diagram(inputs=1, bias=False, activation="linear")
    assert d.nodes == ["x1", "a", "y"]
    assert sorted(d.edges) == [("a", "y", "identity()"), ("x1", "a", "w")]
    assert len(neuron_diagram(inputs=4).edges) == 4 + 1 + 1


def test_softmax_diagram_connects_every_a_to_every_y():
    d = softmax_diagram(3)
    assert d.nodes == ["a1", "a2", "a3", "y1", "y2", "y3"]
    assert {(t, h) for t, h, _ in d.edges} == {(f"a{i}", f"y{k}") for i in (1, 2, 3) for k in (1, 2, 3)}
    assert "exp" in d.svg()
    assert len(softmax_diagram(10).edges) == 100


# -- output: deterministic, accessible, PNG -------------------------------------------------------------


def _build_all():
    model = nnlib.Sequential([nnlib.Dense(3, "sigmoid"), nnlib.Dense(2, "softmax")])
    model.set_weights(
        [
            np.arange(6.0).reshape(2, 3) - 2.5,
            np.array([0.1, -0.2, 0.3]),
            np.arange(6.0).reshape(3, 2) - 3,
            np.array([0.0, 1.0]),
        ]
    )
    return [
        network_diagram([2, 3, 2]),
        network_diagram(model),
        network_diagram([2, 3], labels="symbols"),
        network_diagram([784, 50, 100, 10]),
        neuron_diagram(),
        softmax_diagram(),
    ]


def test_svg_is_identical_from_run_to_run():
    first = [d.svg() for d in _build_all()]
    assert first == [d.svg() for d in _build_all()]
    # ... and in a fresh interpreter (no state carried over, other hash seed).
    code = (
        "import sys; sys.path.insert(0, 'tests'); from test_diagram import _build_all; "
        "sys.stdout.write('\\0'.join(d.svg() for d in _build_all()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"},
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]),
    )
    assert out.stdout.split("\0") == first
    assert "Generated by graphviz" not in first[0] and "<?xml" not in first[0]


def test_svg_is_accessible():
    d = network_diagram([2, 3, 1], title="Two inputs, three neurons")
    svg = d.svg()
    assert svg.startswith(
        '<svg role="img" aria-label="Two inputs, three neurons. Layers from left to right: '
        "2 inputs, hidden layer of 3 neurons, output layer of 1 neuron."
    )
    assert re.search(
        r'<svg[^>]*>\n<title id="nnd[0-9a-f]{8}-title">Two inputs, three neurons</title>\n'
        r'<desc id="nnd[0-9a-f]{8}-desc">Layers from left to right',
        svg,
    )
    # ids are unique per diagram, so several diagrams can share one page
    ids = set(re.findall(r' id="([^"]+)"', svg))
    other = set(re.findall(r' id="([^"]+)"', network_diagram([2, 2, 1]).svg()))
    assert ids and not ids & other


def test_jupyter_sees_svg_and_inline_html():
    d = neuron_diagram()
    bundle = d._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/html", "text/plain"}
    assert bundle["image/svg+xml"] == d.svg()
    assert bundle["text/html"].startswith('<div class="nnlib-diagram"')
    assert 'role="img"' in bundle["text/html"] and "max-width:100%" in bundle["text/html"]
    assert bundle["text/plain"] == "Diagram('One neuron': 5 nodes, 4 arrows)" == repr(d)
    assert set(d._repr_mimebundle_(include=["image/svg+xml"])) == {"image/svg+xml"}
    assert "text/html" not in d._repr_mimebundle_(exclude=["text/html"])
    d.include_png = True  # for PDF builds
    assert d._repr_mimebundle_()["image/png"][:4] == b"\x89PNG"


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_for_print():
    d = network_diagram([2, 3, 1])
    w72, h72 = _png_size(d.png(dpi=72))
    w144, h144 = _png_size(d.png(dpi=144))
    assert abs(w144 - 2 * w72) <= 2 and abs(h144 - 2 * h72) <= 2
    assert w72 > 200 and h72 > 100
    assert _png_size(d.pipe("png", neato_no_op=1))[0] > 200  # graphviz's own API works as well
    assert "dpi" not in d.source  # png() did not change the diagram


def test_import_nnlib_does_not_import_graphviz():
    code = "import sys, nnlib; nnlib.Sequential; print('graphviz' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    code = "import sys, nnlib.diagram; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


# -- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (
            ([2, 0, 1],),
            {},
            ValueError,
            r"size of the hidden layer \(entry 1 of \[2, 0, 1\]\) must be a whole number >= 1",
        ),
        (([2],), {}, ValueError, "need the inputs and at least one layer"),
        (([2, 2.5],), {}, ValueError, "entry 1"),
        (("2-3-1",), {}, TypeError, "takes a Sequential or the list of layer sizes"),
        ((7,), {}, TypeError, "takes a Sequential or the list of layer sizes"),
        (([2, 1],), {"labels": "valus"}, ValueError, r"labels='valus' is not an option.*did you mean 'values'"),
        (([2, 1],), {"labels": "values"}, ValueError, "labels='values' needs weights"),
        (([2, 1],), {"max_nodes": 2}, ValueError, "max_nodes must be a whole number >= 3"),
        (([2, 1],), {"weights": True}, ValueError, "weights=True needs a model"),
        (([2, 1],), {"weights": [np.ones((2, 1))]}, ValueError, r"weights needs 2 arrays \[W1, b1"),
        (([2, 3],), {"weights": [np.ones((3, 2)), np.ones(3)]}, ValueError, r"W1 has shape \(3, 2\).*pass W\.T"),
        (
            ([2, 3],),
            {"weights": [np.ones((2, 3)), np.ones(2)]},
            ValueError,
            r"b1 has shape \(2,\), but layer 1 needs \(3,\)",
        ),
        (([2, 3, 1],), {"activations": ["relu"]}, ValueError, "activations has 1 names but sizes"),
        (([2, 3, 1],), {"activations": ["relu", "sigmoidd"]}, ValueError, "sigmoid"),
        (([2, 3, 1],), {"activations": "relu"}, ValueError, "activations= takes True, False or a list"),
        (([2, 1],), {"input_names": ["a"]}, ValueError, "input_names has 1 labels, but the layer has 2 neurons"),
        (([2, 1],), {"output_names": "y"}, ValueError, "output_names takes a list of 1 labels"),
    ],
)
def test_network_diagram_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        network_diagram(*args, **kwargs)


def test_unknown_option_is_refused():
    with pytest.raises(TypeError, match="colour"):
        network_diagram([2, 1], colour="red")


def test_model_without_known_inputs():
    model = nnlib.Sequential([nnlib.Dense(3), nnlib.Dense(1)])
    with pytest.raises(ValueError, match="input size is unknown.*input_dim"):
        network_diagram(model)
    with pytest.raises(ValueError, match="weights= takes True or False with a model"):
        network_diagram(nnlib.Sequential([nnlib.Dense(1, input_dim=2)]), weights=[np.ones((2, 1)), np.ones(1)])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"inputs": 0}, "inputs must be a whole number >= 1"),
        ({"weights": [1.0]}, "weights has 1 numbers, but the neuron has 2 inputs"),
        ({"bias": "b"}, "bias must be a number"),
        ({"bias": float("inf")}, "bias must be a number"),
        ({"activation": "sigmod"}, "sigmoid"),
        ({"input_names": ["a", "b", "c"]}, "input_names has 3 labels"),
    ],
)
def test_neuron_diagram_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        neuron_diagram(**kwargs)


def test_softmax_diagram_bad_input():
    with pytest.raises(ValueError, match="n must be a whole number >= 1"):
        softmax_diagram(0)


# -- without Graphviz's programs: nnlib draws the SVG itself -------------------------------------------


@pytest.fixture
def no_graphviz(monkeypatch, tmp_path):
    """A PATH without Graphviz's programs (an empty folder), as on a machine where `dot` was never installed."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(diagram, "_SAID_NO_DOT", False)
    assert not diagram.graphviz_available()


def test_graphviz_draws_when_it_is_installed(monkeypatch):
    assert diagram.graphviz_available(), "these tests need Graphviz installed (apt install graphviz)"

    def refuse(d):
        raise AssertionError("nnlib's own drawing was used although Graphviz is installed")

    monkeypatch.setattr(diagram, "_draw_svg", refuse)
    assert "<svg" in network_diagram([2, 3, 2]).svg()


@pytest.mark.parametrize(
    "make",
    [
        lambda: network_diagram([2, 3, 2], labels="symbols"),
        lambda: network_diagram(nnlib.Sequential([nnlib.Dense(3, "tanh", input_dim=2), nnlib.Dense(1)], seed=0)),
        lambda: network_diagram([784, 50, 10]),
        lambda: neuron_diagram(weights=[0.5, -1.0], bias=0.25),
        lambda: softmax_diagram(3),
    ],
    ids=["symbols", "model", "collapsed", "neuron", "softmax"],
)
def test_without_graphviz_the_same_nodes_and_arrows_are_drawn(make, monkeypatch, tmp_path, capsys):
    with_graphviz = make().svg()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(diagram, "_SAID_NO_DOT", False)
    d = make()
    svg = d.svg()
    assert _svg_groups(svg, "node") == _svg_groups(with_graphviz, "node")
    assert sorted(_svg_groups(svg, "edge")) == sorted(_svg_groups(with_graphviz, "edge"))
    ours, theirs = _centres(svg), _centres(with_graphviz)
    assert ours.keys() == theirs.keys() and ours
    # The same layout, shifted: every circle sits where Graphviz puts it, up to one offset.
    dx = {round(ours[k][0] - theirs[k][0], 1) for k in ours}
    dy = {round(ours[k][1] - theirs[k][1], 1) for k in ours}
    assert len(dx) == 1 and len(dy) == 1, (dx, dy)
    theirs_text = html.unescape(with_graphviz)
    for text in re.findall(r">([^<>]+)</tspan>", svg):  # every label Graphviz writes, and no other
        assert html.unescape(text) in theirs_text, text
    assert "<title id=" in svg and d.title in svg and 'aria-label="' in svg  # accessible as before
    assert svg == make().svg()  # deterministic


def test_without_graphviz_it_says_so_once_in_one_line(no_graphviz, capsys):
    network_diagram([2, 3, 2])._repr_mimebundle_()
    neuron_diagram().svg()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Graphviz is not installed" in err and "apt install graphviz" in err


def test_without_graphviz_a_png_is_refused_clearly_and_jupyter_gets_svg(no_graphviz):
    d = network_diagram([2, 3, 2])
    with pytest.raises(RuntimeError, match="needs Graphviz's programs.*apt install graphviz"):
        d.png()
    d.include_png = True
    bundle = d._repr_mimebundle_()
    assert "image/png" not in bundle and bundle["image/svg+xml"].startswith("<svg")
