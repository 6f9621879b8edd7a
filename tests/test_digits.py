"""DigitCanvas: MNIST-style pre-processing, predictions equal to nnlib's, a deterministic static face."""

import base64
import json
import re

import numpy as np
import pytest

import nnlib
from nnlib.explore import digits
from nnlib.explore.digits import DigitCanvas, preprocess


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
    "small_corner": [((5, 5), (15, 12))],                   # smaller than 20 px, at the edge
    "wide_bottom": [((0, 270), (279, 275))],                # a flat line touching three edges
    "off_centre_zero": [((200, 40), (260, 60)), ((260, 60), (250, 200)), ((250, 200), (190, 190)),
                        ((190, 190), (200, 40))],
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
    assert same_class >= 196     # measured: 200 of 200
    assert close >= 140          # measured: 159 digits come back pixel for pixel


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


def test_static_face_embeds_the_exact_weights_and_is_deterministic(canvas, sample, mnist_test):
    x, t = mnist_test
    html = canvas.static_html()
    assert html == DigitCanvas(sample, examples=(x[:10], t[:10])).static_html()
    assert not re.search(r"(src|href)=|https?://|\bimport\s*\(|\bimport\s.+\sfrom\s", html), "no external resources"
    key = canvas.key
    assert re.fullmatch(r"nnx-digits-[0-9a-f]{8}", key) and f'id="{key}"' in html
    config = json.loads(re.search(rf'<script type="application/json" id="{key}-config">(.*?)</script>', html).group(1))
    for layer, spec in zip(sample.layers, config["layers"]):
        W = np.frombuffer(base64.b64decode(spec["W"]), dtype="<f4").reshape(spec["inputs"], spec["units"])
        b = np.frombuffer(base64.b64decode(spec["b"]), dtype="<f4")
        np.testing.assert_array_equal(W, layer.W)
        np.testing.assert_array_equal(b, layer.b)
        assert spec["activation"] == layer.activation.name
    examples = np.frombuffer(base64.b64decode(config["examples"]["pixels"]), dtype=np.uint8).reshape(-1, 784)
    np.testing.assert_array_equal(examples, np.round(x[:10] * 255))
    assert config["examples"]["labels"] == t[:10].tolist()


def test_mime_bundle_has_both_faces(canvas):
    data, _ = canvas._repr_mimebundle_()
    assert data["text/html"] == canvas.static_html()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"].startswith("DigitCanvas(Sequential of [Dense(784 -> 50, sigmoid)")


def test_live_face_answers_each_numbered_request(canvas, sample, mnist_test):
    x, _ = mnist_test
    widget = canvas.widget
    assert "export default" in widget._esm and "weights" not in json.loads(widget._config)
    widget.request = {"n": 1, "pixels": x[3].tolist()}
    assert widget.result["n"] == 1
    np.testing.assert_allclose(widget.result["probabilities"], sample.predict(x[3]), rtol=0, atol=0)
    widget.request = {"n": 2, "pixels": x[3].tolist()}   # the same drawing again still gets an answer
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
