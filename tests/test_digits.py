"""DigitCanvas: MNIST-style pre-processing, predictions equal to nnlib's, a deterministic static face."""

import base64
import json
import re

import numpy as np
import pytest

import nnlib
from nnlib.explore import digits
from nnlib.explore.digits import DigitCanvas, preprocess
from jsface import SCRIPT_DIR


@pytest.fixture(scope="module")
def sample():
    return nnlib.load_sample_network()


@pytest.fixture(scope="module")
def mnist_test():
    _, (x, t) = nnlib.load_mnist()
    return x, t


@pytest.fixture(scope="module")
def canvas(sample, mnist_test):
    x, t = mnist_test
    return DigitCanvas(sample, examples=(x[:10], t[:10]))


def reference_preprocess(gray):
    """The algorithm of the docstring written with plain loops, independently of the numpy version."""
    height, width = len(gray), len(gray[0])
    ink = [(r, c) for r in range(height) for c in range(width) if gray[r][c] > 0]
    if not ink:
        return np.zeros(784)
    r0, r1 = min(r for r, _ in ink), max(r for r, _ in ink)
    c0, c1 = min(c for _, c in ink), max(c for _, c in ink)
    h, w = r1 - r0 + 1, c1 - c0 + 1
    side = max(h, w, 20)
    top, left = r0 - (side - h) // 2, c0 - (side - w) // 2
    sums = [[0.0] * 20 for _ in range(20)]
    counts = [[0] * 20 for _ in range(20)]
    for i in range(side):
        for j in range(side):
            r, c = top + i, left + j
            value = gray[r][c] if 0 <= r < height and 0 <= c < width else 0.0
            sums[i * 20 // side][j * 20 // side] += value
            counts[i * 20 // side][j * 20 // side] += 1
    box = [[sums[p][q] / counts[p][q] for q in range(20)] for p in range(20)]
    peak = max(max(row) for row in box)
    box = [[v / peak for v in row] for row in box]
    mass = sum(sum(row) for row in box)
    cy = sum(box[p][q] * (p + 4) for p in range(20) for q in range(20)) / mass
    cx = sum(box[p][q] * (q + 4) for p in range(20) for q in range(20)) / mass
    dy = min(4, max(-4, int(np.floor(14 - cy + 0.5))))
    dx = min(4, max(-4, int(np.floor(14 - cx + 0.5))))
    out = np.zeros((28, 28))
    for p in range(20):
        for q in range(20):
            out[p + 4 + dy, q + 4 + dx] = box[p][q]
    return out.reshape(-1)


def draw_strokes(strokes, size=280, width=22):
    """Thick anti-aliased strokes on a size x size canvas, like the page's brush: gray values in [0, 1]."""
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    gray = np.zeros((size, size))
    for (x0, y0), (x1, y1) in strokes:
        d = np.array([x1 - x0, y1 - y0], dtype=float)
        length2 = max(d @ d, 1e-12)
        s = np.clip(((xx - x0) * d[0] + (yy - y0) * d[1]) / length2, 0, 1)
        dist = np.hypot(xx - (x0 + s * d[0]), yy - (y0 + s * d[1]))
        gray = np.maximum(gray, np.clip(width / 2 + 0.5 - dist, 0, 1))
    return gray


DRAWINGS = {
    "one": [((140, 40), (140, 240)), ((110, 70), (140, 40))],
    "seven": [((70, 50), (210, 50)), ((210, 50), (120, 250))],
    "small_corner": [((5, 5), (15, 12))],  # smaller than 20 px, at the edge
    "wide_bottom": [((0, 270), (279, 275))],  # a flat line touching three edges
    "off_centre_zero": [
        ((200, 40), (260, 60)),
        ((260, 60), (250, 200)),
        ((250, 200), (190, 190)),
        ((190, 190), (200, 40)),
    ],
}


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_preprocess_equals_the_loop_reference(name):
    gray = draw_strokes(DRAWINGS[name])
    got = preprocess(gray)
    assert got.shape == (784,) and got.dtype == np.float32
    np.testing.assert_allclose(got, reference_preprocess(gray.tolist()), atol=1e-6)


@pytest.mark.parametrize("name", ["one", "seven", "off_centre_zero"])
def test_preprocess_makes_mnist_geometry(name):
    image = preprocess(draw_strokes(DRAWINGS[name])).reshape(28, 28)
    assert image.max() == pytest.approx(1.0)
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    assert max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) == 20
    yy, xx = np.mgrid[0:28, 0:28]
    centre = np.array([(image * yy).sum(), (image * xx).sum()]) / image.sum()
    assert np.all(np.abs(centre - 14) <= 0.5)


def test_preprocess_of_nothing_is_zeros_and_bad_input_is_refused():
    assert not preprocess(np.zeros((280, 280))).any()
    with pytest.raises(ValueError, match="divide 8-bit values by 255"):
        preprocess(np.full((28, 28), 255.0))
    with pytest.raises(ValueError, match=r"\(height, width\)"):
        preprocess(np.zeros((1, 28, 28)))


def test_preprocess_gives_back_mnist_digits_blown_up_tenfold(sample, mnist_test):
    # An MNIST digit drawn ten times larger, like on the 280 px canvas, comes back as (nearly) itself.
    x, _ = mnist_test
    same_class = 0
    close = 0
    for image in x[:200]:
        big = np.kron(image.reshape(28, 28), np.ones((10, 10)))
        back = preprocess(big)
        same_class += np.argmax(sample.predict(back)) == np.argmax(sample.predict(image))
        close += np.abs(back - image / image.max()).max() < 1e-6
    assert same_class >= 196  # measured: 200 of 200
    assert close >= 140  # measured: 159 digits come back pixel for pixel


def test_predictions_are_nnlibs(canvas, sample, mnist_test):
    x, _ = mnist_test
    for image in x[:20]:
        np.testing.assert_array_equal(canvas.predict(image), sample.predict(image))
    gray = draw_strokes(DRAWINGS["seven"])
    pixels, p = canvas.classify(gray)
    np.testing.assert_array_equal(pixels, preprocess(gray))
    np.testing.assert_array_equal(p, sample.predict(pixels))
    assert p.sum() == pytest.approx(1.0, abs=1e-6)


def test_softmax_is_added_for_a_network_without_it(sample, mnist_test):
    x, _ = mnist_test
    logits = nnlib.Sequential([nnlib.Dense(50, "sigmoid"), nnlib.Dense(100, "sigmoid"), nnlib.Dense(10)])
    logits.set_weights(sample.get_weights())
    np.testing.assert_allclose(digits.probabilities(logits, x[0]), sample.predict(x[0]), atol=1e-6)


def test_static_face_embeds_the_encoded_weights_and_is_deterministic(canvas, sample, mnist_test):
    x, t = mnist_test
    html = canvas.static_html()
    assert html == DigitCanvas(sample, examples=(x[:10], t[:10])).static_html()
    local = html.replace("http://www.w3.org/2000/svg", "")  # an SVG picture's namespace is a name, not a request
    assert not re.search(r"(src|href)=(?!\"data:)|https?://|\bimport\s*\(|\bimport\s.+\sfrom\s", local), (
        "no external resources"
    )
    assert "nnlibDigits.mountStatic(" in html and "/*nnx-js*/" in html, (
        "the page carries its bundle (nn.js included) between the sanitised markers"
    )
    key = canvas.key
    assert re.fullmatch(r"nnx-digits-[0-9a-f]{8}", key) and f'id="{key}"' in html
    config = json.loads(re.search(rf'<script type="application/json" id="{key}-config">(.*?)</script>', html).group(1))
    (network,) = config["networks"]
    for layer, spec in zip(sample.layers, network["layers"]):
        q = np.frombuffer(base64.b64decode(spec["W8"]), dtype=np.int8).reshape(spec["inputs"], spec["units"])
        scale = np.frombuffer(base64.b64decode(spec["scale"]), dtype="<f4")
        b = np.frombuffer(base64.b64decode(spec["b"]), dtype="<f4")
        W = q.astype(np.float32) * scale
        # 8 bits per weight: each unit's largest weight is exact, every other within half a step.
        assert np.all(np.abs(W - layer.W) <= scale / 2 * (1 + 1e-6))
        np.testing.assert_array_equal(np.abs(q).max(axis=0), 127)
        np.testing.assert_array_equal(b, layer.b)
        assert spec["activation"] == layer.activation.name
    decoded = digits.decode_layers(network["layers"])
    for ours, theirs in zip(
        decoded.get_weights()[::2], [digits.dequantize(*digits.quantize(w)) for w in sample.get_weights()[::2]]
    ):
        np.testing.assert_array_equal(ours, theirs)
    examples = np.frombuffer(base64.b64decode(config["examples"]["pixels"]), dtype=np.uint8).reshape(-1, 784)
    np.testing.assert_array_equal(examples, np.round(x[:10] * 255))
    assert config["examples"]["labels"] == t[:10].tolist()
    assert len(config["colors"]["diverging"]) == len(config["colors"]["sequential"]) == 32


def test_quantize_keeps_each_weight_within_half_a_step_and_zero_columns_safe():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(30, 4)).astype(np.float32)
    W[:, 2] = 0
    W[5, 3] = -7.5
    q, scale = digits.quantize(W)
    assert q.dtype == np.int8 and scale.dtype == np.float32 and scale[2] == 1
    back = digits.dequantize(q, scale)
    assert back[5, 3] == np.float32(-7.5) and not back[:, 2].any()
    assert np.all(np.abs(back - W) <= scale / 2 * (1 + 1e-6))
    assert np.abs(back - W).max() > 0  # it is a compression, not a copy


def test_decoded_networks_read_the_test_set_almost_as_well(sample, mnist_test):
    # Measured: the book's 0.9352 -> 0.9352, nnlib's mnist-mlp 0.9819 -> 0.9818.
    x, t = mnist_test
    for model, original in ((sample, 0.9352), (nnlib.pretrained("mnist-mlp"), 0.9819)):
        decoded = digits.decode_layers(digits.encode_layers(model))
        assert np.mean(model.predict(x).argmax(axis=1) == t) == pytest.approx(original, abs=5e-5)
        assert abs(np.mean(decoded.predict(x).argmax(axis=1) == t) - original) <= 0.0005


def test_two_networks_and_their_traces(sample, mnist_test):
    x, t = mnist_test
    ours = nnlib.pretrained("mnist-mlp")
    canvas = DigitCanvas({"nnlib": ours, "book": sample}, examples=(x[:4], t[:4], [0, 1, 2, 3]))
    assert [n["name"] for n in canvas.config()["networks"]] == ["nnlib", "book"]
    assert canvas.config()["examples"]["indices"] == [0, 1, 2, 3]
    for k, model in enumerate((ours, sample)):
        outputs = canvas.trace(x[5], network=k)
        steps = model.trace(x[5])
        assert [len(z) for z in outputs] == [50, 100, 10]
        for got, step in zip(outputs, steps):
            np.testing.assert_array_equal(np.array(got, dtype=np.float32), step.z)
        np.testing.assert_array_equal(canvas.predict(x[5], "book" if k else "nnlib"), model.predict(x[5]))
    with pytest.raises(ValueError, match="network must be one of"):
        canvas.predict(x[0], network=2)
    with pytest.raises(ValueError, match="at least one network"):
        DigitCanvas({}, examples=(x[:1], t[:1]))


def test_default_examples_are_labelled_test_images_with_each_networks_mistakes(sample, mnist_test):
    x, t = mnist_test
    ours = nnlib.pretrained("mnist-mlp")
    images, labels, indices = digits._default_examples([ours, sample])
    np.testing.assert_array_equal(images, np.round(x[indices] * 255))
    np.testing.assert_array_equal(labels, t[indices])
    assert sorted(set(labels.tolist())) == list(range(10))
    for model in (ours, sample):
        wrong = model.predict(x[indices]).argmax(axis=1) != t[indices]
        assert wrong.sum() >= digits.MISTAKES_PER_NETWORK, "each network's first mistakes are among the examples"


# -- the JavaScript face in Node: decoding and the trace through nn.js equal nnlib on the decoded weights --
NODE_PARITY = """
const D = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const networks = D.decodeNetworks(input.config);
const out = input.images.map((x) => networks.map((n) => D.traceOutputs(n.layers, x)));
process.stdout.write(JSON.stringify(out));
"""


def js_traces_in_node(config, images):
    import subprocess

    from jsface import NODE, SCRIPT_DIR

    run = subprocess.run(
        [NODE, "--no-warnings", "-e", NODE_PARITY, str(SCRIPT_DIR / "dist" / "digits-static.js")],
        input=json.dumps({"config": config, "images": images.tolist()}),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_node_hidden_layers_match_nnlib_trace_on_the_decoded_weights(sample, mnist_test):
    x, t = mnist_test
    canvas = DigitCanvas({"nnlib": nnlib.pretrained("mnist-mlp"), "book": sample}, examples=(x[:2], t[:2]))
    config = canvas.config()
    got = js_traces_in_node(config, x[:20])
    for k, network in enumerate(config["networks"]):
        decoded = digits.decode_layers(network["layers"])
        steps = decoded.trace(x[:20])
        for image in range(20):
            for layer in range(3):
                np.testing.assert_allclose(got[image][k][layer], steps[layer].z[image], atol=1e-6, rtol=0)


def test_mime_bundle_has_both_faces(canvas):
    data, _ = canvas._repr_mimebundle_()
    assert data["text/html"] == canvas.static_html()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"].startswith("DigitCanvas(network: Sequential of [Dense(784 -> 50, sigmoid)")


def test_live_face_answers_each_numbered_request(canvas, sample, mnist_test):
    x, _ = mnist_test
    widget = canvas.widget
    assert widget._esm == (SCRIPT_DIR / "dist" / "digits-live.js").read_text(encoding="utf-8")
    assert json.loads(widget._config) == canvas.config()
    widget.request = {"n": 1, "pixels": x[3].tolist(), "network": 0}
    assert widget.result["n"] == 1
    probabilities = widget.result["outputs"][-1]
    np.testing.assert_allclose(probabilities, sample.predict(x[3]), rtol=0, atol=0)
    np.testing.assert_allclose(widget.result["outputs"][0], sample.trace(x[3])[0].z, rtol=0, atol=0)
    widget.request = {"n": 2, "pixels": x[3].tolist()}  # the same drawing again still gets an answer
    assert widget.result["n"] == 2


def test_bad_models_and_pixels_are_refused(sample):
    with pytest.raises(TypeError, match="built nnlib Sequential"):
        DigitCanvas(nnlib.Sequential([nnlib.Dense(10)]), examples=(np.zeros((1, 784)), [0]))
    small = nnlib.Sequential([nnlib.Dense(10, "softmax", input_dim=100)])
    with pytest.raises(ValueError, match="784 pixels to 10 digits"):
        DigitCanvas(small, examples=(np.zeros((1, 784)), [0]))
    mish = nnlib.Sequential([nnlib.Dense(10, "mish", input_dim=784)])
    with pytest.raises(ValueError, match="uses 'mish'"):
        DigitCanvas(mish, examples=(np.zeros((1, 784)), [0]))
    canvas = DigitCanvas(sample, examples=(np.zeros((1, 784)), [0]))
    with pytest.raises(ValueError, match="784 pixels"):
        canvas.predict(np.zeros(783))
    with pytest.raises(ValueError, match="HTML id"):
        DigitCanvas(sample, examples=(np.zeros((1, 784)), [0]), key="a b")
    with pytest.raises(ValueError, match="examples are"):
        DigitCanvas(sample, examples=(np.zeros((2, 784)), [0]))
