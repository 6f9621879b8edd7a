"""DigitCanvas: draw a digit and watch a trained network read it, live.

    >>> canvas = DigitCanvas()          # nnlib.pretrained("mnist-mlp"); or DigitCanvas(model)
    >>> canvas                          # in Jupyter/Colab: the live widget; in the book: the static page

Two faces, one object (like the other explorers):

- live face (a kernel: JupyterLab, Notebook 7, Colab): an anywidget whose JavaScript
  (js/digits.js, bundled into dist/) lets you draw on a <canvas> with mouse, finger or pen,
  pre-processes the drawing into MNIST's 28x28 format and sends the 784 pixels to Python;
  Python runs nnlib's `trace` (`DigitCanvas.trace`) and sends back both hidden layers and the
  10 probabilities.
- static face (the published book, no kernel): `text/html` holding the same script, which runs
  the forward pass itself with nn.js (nnlib's formulas in JavaScript) on the embedded weights.

Both faces show, next to the drawing, the network's input, the outputs of every hidden layer and
the probabilities; hovering or focusing a hidden neuron shows its incoming weights as a picture
and what each input contributed to its sum. Several networks can be offered (the book's and
nnlib's), read on the same drawing. "Example digit" steps through real test images with their
labels, "Next mistake" jumps to the next one the chosen network misreads.

Page weight: the kernels travel as 8 bits per weight with one float32 scale per unit (column):
W[i, j] ~ q[i, j] * scale[j], q an int8 in -127..127, scale[j] = max_i |W[i, j]| / 127; biases stay
float32. Both faces decode to the same float32 numbers (`decode_layers`); the page computes with
them, so its numbers are nnlib's on the decoded network (tests: 1e-6), whose test accuracy is
within a few test images of the original's (chapter 6 measures it).

The pre-processing (`preprocess`) imitates how MNIST was made: the digit's bounding box is
scaled so its larger side is 20 pixels, then placed in a 28x28 image so that its centre of
mass sits at the centre, pixel (14, 14). digits.js does the same arithmetic; the tests check
that both give the same pixels and that the page's probabilities are nnlib's.
"""

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path

import numpy as np

from .. import activations
from ..network import Sequential
from ..colors import DIVERGING_LUT, SEQUENTIAL_LUT
from ..i18n import N_, gettext, language, messages
from ._face import STILL_NOTE_STYLE, in_language, script_block, svg_data_uri
from ._jupyter import claim_live_id, live_model_id

GRID = 28  # MNIST images are 28x28
BOX = 20  # the digit itself fits a 20x20 box
CENTRE = 14.0  # where MNIST puts the centre of mass (row and column index)
MAX_SHIFT = (GRID - BOX) // 2
SIZE = 280  # the drawing canvas of the JavaScript face, in canvas pixels

_HERE = Path(__file__).resolve().parent


def preprocess(image):
    """An MNIST-style input from a drawing: (height, width) gray values in [0, 1] -> (784,) float32.

    1. Find the bounding box of the ink (values > 0).
    2. Take the square of side L = max(box height, box width, 20) centred on it.
    3. Shrink it to 20x20 by averaging: image row i of the square goes to row floor(20 i / L)
       (and so for columns); each cell is the mean of the pixels mapped to it.
    4. Scale so the darkest pixel is 1 (thin strokes average to grey; MNIST's ink is ~1).
    5. Paste it in the middle of a 28x28 image and shift it by at most 4 pixels so its centre
       of mass lands on (14, 14), rounding half up.
    An empty drawing gives 784 zeros. Matches `preprocess` in digits.js step for step.
    """
    gray = np.asarray(image, dtype=np.float64)
    if gray.ndim != 2:
        raise ValueError(f"preprocess takes one gray image of shape (height, width), got shape {gray.shape}")
    if not np.all(np.isfinite(gray)) or gray.min(initial=0) < 0 or gray.max(initial=0) > 1:
        raise ValueError(
            "preprocess needs gray values in [0, 1] (0 = paper, 1 = ink); divide 8-bit values by 255 first"
        )
    out = np.zeros((GRID, GRID), dtype=np.float32)
    rows = np.flatnonzero((gray > 0).any(axis=1))
    cols = np.flatnonzero((gray > 0).any(axis=0))
    if rows.size == 0:
        return out.reshape(-1)
    h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    L = max(h, w, BOX)
    top, left = rows[0] - (L - h) // 2, cols[0] - (L - w) // 2
    # The square may reach past the image's edge; there the paper is blank.
    padded = np.zeros((L, L))
    r_lo, c_lo = max(top, 0), max(left, 0)
    r_hi, c_hi = min(top + L, gray.shape[0]), min(left + L, gray.shape[1])
    padded[r_lo - top : r_hi - top, c_lo - left : c_hi - left] = gray[r_lo:r_hi, c_lo:c_hi]
    cell = (np.arange(L) * BOX) // L  # which box row/column each pixel feeds
    assign = (cell[None, :] == np.arange(BOX)[:, None]).astype(np.float64)  # (20, L)
    counts = assign.sum(axis=1)
    box = (assign @ padded @ assign.T) / np.outer(counts, counts)
    box /= box.max()
    yy, xx = np.mgrid[0:BOX, 0:BOX] + MAX_SHIFT
    mass = box.sum()
    dy = int(np.clip(np.floor(CENTRE - (box * yy).sum() / mass + 0.5), -MAX_SHIFT, MAX_SHIFT))
    dx = int(np.clip(np.floor(CENTRE - (box * xx).sum() / mass + 0.5), -MAX_SHIFT, MAX_SHIFT))
    out[MAX_SHIFT + dy : MAX_SHIFT + dy + BOX, MAX_SHIFT + dx : MAX_SHIFT + dx + BOX] = box
    return out.reshape(-1)


def probabilities(model, pixels):
    """The network's 10 probabilities for one image: pixels (784,) -> (10,).

    Softmax is applied unless the network ends with it (digits.js does the same), so a network
    whose output layer is the identity shows probabilities too; the top guess is unchanged.
    """
    x = np.asarray(pixels, dtype=np.float32).reshape(-1)
    if x.shape != (GRID * GRID,):
        raise ValueError(f"a digit is 784 pixels (28x28), got {x.size} values")
    y = model.predict(x)
    if model.layers[-1].activation.name != "softmax":
        y = activations.softmax(y)
    return y


def _b64(array, dtype):
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def quantize(W):
    """8-bit kernel with one scale per unit: W (inputs, units) -> (q int8 (inputs, units), scale float32 (units,)).

    scale[j] = max_i |W[i, j]| / 127 (1 for an all-zero column), q = round(W / scale) in -127..127,
    so the largest weight of each unit is exact and every other is off by at most scale[j] / 2.
    """
    W = np.asarray(W, dtype=np.float32)
    scale = (np.abs(W).max(axis=0) / np.float32(127)).astype(np.float32)
    scale[scale == 0] = 1
    q = np.clip(np.round(W / scale), -127, 127).astype(np.int8)
    return q, scale


def dequantize(q, scale):
    """The float32 kernel the page computes with: q[i, j] * scale[j], rounded to float32 (as digits.js does)."""
    return np.asarray(q, dtype=np.float32) * np.asarray(scale, dtype=np.float32)


def encode_layers(model):
    """The layers as the page carries them: kernels 8-bit (`quantize`), biases float32, all base64."""
    layers = []
    for layer in model.layers:
        q, scale = quantize(layer.W)
        layers.append(
            {
                "inputs": int(layer.input_dim),
                "units": int(layer.units),
                "activation": layer.activation.name,
                "W8": _b64(q, np.int8),
                "scale": _b64(scale, "<f4"),
                "b": _b64(layer.b, "<f4"),
            }
        )
    return layers


def decode_layers(layers):
    """The Sequential the page computes with, from `encode_layers`' output (what the page decodes)."""
    from ..layers import Dense

    model = Sequential([Dense(spec["units"], spec["activation"]) for spec in layers])
    weights = []
    for spec in layers:
        q = np.frombuffer(base64.b64decode(spec["W8"]), np.int8).reshape(spec["inputs"], spec["units"])
        weights.append(dequantize(q, np.frombuffer(base64.b64decode(spec["scale"]), "<f4")))
        weights.append(np.frombuffer(base64.b64decode(spec["b"]), "<f4").copy())
    model.set_weights(weights)
    return model


HIDDEN_COLUMNS = 10  # hidden neurons are shown 10 to a row (as in digits.js): they have no spatial order
# The still face's pictures, in screen pixels per value: the input 28 x 4 = 112 px, a hidden layer 10 x 11 = 110 px.
INPUT_CELL_PX, HIDDEN_CELL_PX = 4, 11


def _grid_rgb(values, lut=SEQUENTIAL_LUT):
    """values (n,) in [0, 1] -> an RGB uint8 image (rows, HIDDEN_COLUMNS, 3) on the colour table `lut` (hex stops,
    linearly interpolated, as the page does); white past the last value."""
    stops = np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in lut], dtype=np.float64)
    position = np.clip(values, 0, 1) * (len(lut) - 1)
    rgb_values = np.stack([np.interp(position, np.arange(len(lut)), stops[:, k]) for k in range(3)], axis=1)
    rows = -(-values.size // HIDDEN_COLUMNS)
    rgb = np.full((rows * HIDDEN_COLUMNS, 3), 255, dtype=np.uint8)
    rgb[: values.size] = np.round(rgb_values)
    return rgb.reshape(rows, HIDDEN_COLUMNS, 3)


def _png_data_uri(pixels, scale=1):
    """A data: URI of a PNG of a uint8 image, gray (rows, columns) or RGB (rows, columns, 3), each value a square of
    `scale` x `scale` image pixels: made at the size it is shown, a browser has nothing to smooth (an untrusted
    notebook drops the stylesheet's `image-rendering: pixelated`). Pillow (matplotlib's own image writer) with no
    metadata: the same image gives the same bytes on every run."""
    import io

    from PIL import Image

    pixels = np.repeat(np.repeat(np.asarray(pixels, dtype=np.uint8), scale, axis=0), scale, axis=1)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# Inline layout for front ends that drop the block's <style> (an untrusted notebook; see _face.BLOCK_STYLE).
_BOX_STYLE = "border:1px solid #ccc;border-radius:6px;padding:10px;max-width:820px;font-family:system-ui,sans-serif"
_COLUMN_STYLE = "display:inline-block;vertical-align:top;margin:0 18px 10px 0"
_CAPTION_STYLE = "font-weight:600;margin:0 0 4px"


def _check_model(model):
    if not isinstance(model, Sequential) or not model.built:
        raise TypeError(
            f"DigitCanvas needs a built nnlib Sequential (e.g. nnlib.pretrained('mnist-mlp')), got {model!r}"
        )
    if model.layers[0].input_dim != GRID * GRID or model.layers[-1].units != 10:
        raise ValueError(f"DigitCanvas needs a network from 784 pixels to 10 digits, got {model!r}")
    for layer in model.layers:
        if layer.activation.name not in ("sigmoid", "relu", "tanh", "identity", "softmax"):
            raise ValueError(
                f"the page's JavaScript computes sigmoid, relu, tanh, identity and softmax; "
                f"layer {layer.name!r} uses {layer.activation.name!r}"
            )
        if not layer.use_bias:
            raise ValueError(f"layer {layer.name!r} has no bias; DigitCanvas expects Dense layers with biases")
    return model


EXAMPLES_PER_DIGIT = 2  # default examples: the first test images of each digit ...
MISTAKES_PER_NETWORK = 6  # ... and the first test images each offered network misreads


def _default_examples(models):
    """Test images for "Example digit": the first two of each digit, then each network's first mistakes.

    Returns uint8 images (n, 784), their labels and their indices in the MNIST test set. Only the
    test set is read (load_mnist(split="test")).
    """
    from ..datasets import load_mnist

    x_test, t_test = load_mnist(normalize=False, flatten=True, split="test")
    chosen = [int(i) for d in range(10) for i in np.flatnonzero(t_test == d)[:EXAMPLES_PER_DIGIT]]
    chosen.sort()
    x_float = x_test.astype(np.float32) / np.float32(255)
    for model in models:
        read = model.predict(x_float).argmax(axis=1)
        for i in np.flatnonzero(read != t_test)[:MISTAKES_PER_NETWORK]:
            if int(i) not in chosen:
                chosen.append(int(i))
    return x_test[chosen], t_test[chosen], chosen


def _examples_uint8(examples):
    x, t = examples[0], examples[1]
    x = np.asarray(x)
    t = np.asarray(t).reshape(-1)
    if x.ndim != 2 or x.shape[1] != GRID * GRID or len(t) != len(x):
        raise ValueError(f"examples are (images (n, 784), labels (n,)), got shapes {x.shape} and {t.shape}")
    if x.dtype != np.uint8:
        if x.min(initial=0) < 0 or x.max(initial=0) > 1:
            raise ValueError("example images are uint8 0..255 or floats in [0, 1]")
        x = np.round(x * 255)
    indices = [int(i) for i in examples[2]] if len(examples) > 2 else None
    if indices is not None and len(indices) != len(t):
        raise ValueError(
            f"examples' third item names each image's test-set index: {len(t)} numbers, got {len(indices)}"
        )
    return x.astype(np.uint8), [int(v) for v in t], indices


def _asset(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _compact_css():
    """digits.css for the page, compact: no comments, no spaces around { } ; , nor after : (the page carries it
    inline). A space before ":" stays: in a selector (".a :hover") it is a descendant combinator."""
    css = re.sub(r"/[*].*?[*]/", "", _asset("digits.css"), flags=re.S)
    return re.sub(r":\s+", ":", re.sub(r"\s*([{};,])\s*", r"\1", css)).strip()


def _networks(model):
    """{name: model} from one Sequential, a dict of them, or None (nnlib's shipped mnist-mlp)."""
    if model is None:
        from ..weights import pretrained

        return {"nnlib's mnist-mlp": pretrained("mnist-mlp")}
    if isinstance(model, dict):
        if not model:
            raise ValueError("DigitCanvas needs at least one network, got an empty dict")
        return {str(name): _check_model(m) for name, m in model.items()}
    return {"network": _check_model(model)}


class DigitCanvas:
    """A 28x28 drawing canvas read live by one or more 784 -> ... -> 10 networks, hidden layers shown.

    DigitCanvas(model=None, examples=None, key=None)

    model     a built Sequential from 784 pixels to 10 classes, or {name: Sequential} to offer a choice
              (the first is shown first); default nnlib.pretrained("mnist-mlp")
    examples  (images (n, 784), labels (n,)[, test-set indices (n,)]) for "Example digit" and "Next
              mistake"; default: the first two MNIST test images of each digit and the first six each
              network misreads (read with nnlib.load_mnist(split="test"))
    key       the HTML id of the static face; default a digest of the weights, so the page is the
              same on every run

    `predict(pixels)` gives the probabilities for 784 pixels, `trace(pixels)` every layer's output,
    `classify(image)` pre-processes a drawing first; `widget` is the live anywidget, created on
    first display.
    """

    def __init__(self, model=None, examples=None, key=None):
        self.models = _networks(model)
        self.model = next(iter(self.models.values()))
        raw = examples if examples is not None else _default_examples(list(self.models.values()))
        images, labels, indices = _examples_uint8(raw)
        self.examples = (images, labels)
        self.example_indices = indices
        if key is None:
            digest = hashlib.sha1()
            for m in self.models.values():
                for w in m.get_weights():
                    digest.update(np.ascontiguousarray(w, dtype=np.float32).tobytes())
            digest.update(images.tobytes())
            key = f"nnx-digits-{digest.hexdigest()[:8]}"
        elif not key or not all(ch.isalnum() or ch in "-_" for ch in str(key)):
            raise ValueError(f"key must be letters, digits, '-' or '_' (it becomes an HTML id), got {key!r}")
        self.key = str(key)
        self._widget = None

    def _network(self, network):
        names = list(self.models)
        if isinstance(network, str) and network in self.models:
            return self.models[network]
        if isinstance(network, (int, np.integer)) and not isinstance(network, bool) and 0 <= network < len(names):
            return self.models[names[network]]
        raise ValueError(f"network must be one of {names} or an index 0..{len(names) - 1}, got {network!r}")

    # -- the numbers ------------------------------------------------------------------------
    def predict(self, pixels, network=0):
        """Probabilities of the digits 0..9 for one MNIST-style image: (784,) in [0, 1] -> (10,)."""
        return probabilities(self._network(network), pixels)

    def trace(self, pixels, network=0):
        """Every layer's output for one image: [z1 (50,), z2 (100,), ..., probabilities (10,)] as float lists."""
        model = self._network(network)
        x = np.asarray(pixels, dtype=np.float32).reshape(-1)
        if x.shape != (GRID * GRID,):
            raise ValueError(f"a digit is 784 pixels (28x28), got {x.size} values")
        steps = model.trace(x)
        outputs = [step.z for step in steps[:-1]] + [probabilities(model, x)]
        return [[float(v) for v in z] for z in outputs]

    def classify(self, image, network=0):
        """Pre-process a drawing (height, width) in [0, 1], then predict: -> (784 pixels, 10 probabilities)."""
        pixels = preprocess(image)
        return pixels, self.predict(pixels, network)

    def config(self):
        """What the page's JavaScript needs: the networks (8-bit kernels, see `encode_layers`), the examples, colours."""
        # A name the chapter gave ("the book's network") is shown in the reader's language where the catalogue has it.
        networks = [{"name": gettext(name), "layers": encode_layers(m)} for name, m in self.models.items()]
        images, labels = self.examples
        examples = {"labels": labels, "pixels": _b64(images, np.uint8)}
        if self.example_indices is not None:
            examples["indices"] = self.example_indices
        return {
            "networks": networks,
            "examples": examples,
            "colors": {"diverging": DIVERGING_LUT, "sequential": SEQUENTIAL_LUT},
        }

    # -- the static face --------------------------------------------------------------------
    def static_html(self):
        """The self-contained HTML block: container, config, style and the bundled script (dist/digits-static.js)."""
        key = html.escape(self.key)
        config = json.dumps(self.config(), separators=(",", ":"))
        return in_language(
            f'<div class="nnx-digits" id="{key}" role="group" aria-label="{N_("Draw a digit; the network reads it")}" '
            f'data-i18n-attrs style="{_BOX_STYLE}">'
            f"{self.no_script_html()}</div>\n"
            f"<style>{_compact_css()}</style>\n"
            f'<script type="application/json" id="{key}-config">{config}</script>\n'
            + script_block(
                "digits-static.js",
                f'nnlibDigits.mountStatic(document.getElementById("{key}"), '
                f'JSON.parse(document.getElementById("{key}-config").textContent));',
            )
        )

    def no_script_html(self):
        """What the figure shows before its script runs (or without JavaScript): the first example digit read by
        the first network, with its hidden layers and probabilities computed here by nnlib (`trace`), as pictures.

        The page's script replaces it (`mount` empties the container) with the live face. Nothing here needs a
        script: the drawing area and the buttons, which do, are left out, and a note says what they would do.
        """
        images, labels = self.examples
        pixels = images[0].astype(np.float32) / np.float32(255)
        outputs = self.trace(pixels)
        hidden, probs = outputs[:-1], np.array(outputs[-1])
        best, label = int(np.argmax(probs)), int(labels[0])
        indexed = self.example_indices is not None
        where = N_("test image #{index}", index=self.example_indices[0]) if indexed else N_("example {n}", n=1)
        headline = (
            N_("Test image #{index}, labelled {label}.", index=self.example_indices[0], label=label)
            if indexed
            else N_("Example {n}, labelled {label}.", n=1, label=label)
        )
        verdict = N_("Read right.") if best == label else N_("Misread as {digit}.", digit=best)
        if len(self.models) > 1:  # say which of the offered networks read it
            name = gettext(next(iter(self.models)))
            verdict = (
                N_("{network} reads it right.", network=name)
                if best == label
                else N_("{network} misreads it as {digit}.", network=name, digit=best)
            )
        columns = []
        for layer, z in enumerate(hidden):
            z = np.array(z)
            top = max(1.0, float(z.max()))  # as digits.js: sigmoid outputs in [0, 1], others scaled to fit
            strongest = np.argsort(-z, kind="stable")[:3]
            listing = ", ".join(f"z{j} = {z[j]:.2f}" for j in strongest)
            caption = N_("Hidden layer {layer} ({units})", layer=layer + 1, units=z.size)
            alt = N_(
                "Hidden layer {layer}, {units} outputs, 0 dark to {top} light; largest {listing}",
                layer=layer + 1,
                units=z.size,
                top=f"{top:.2f}",
                listing=listing,
            )
            columns.append(
                f'<p class="nnx-digits-caption" style="{_CAPTION_STYLE}" data-i18n>{caption}</p>'
                f'<img class="nnx-digits-hidden-picture" width="{HIDDEN_COLUMNS * HIDDEN_CELL_PX}" '
                f'src="{_png_data_uri(_grid_rgb(z / top), HIDDEN_CELL_PX)}" '
                f'alt="{alt}" data-i18n-attrs>'
            )
        # The ten bars as one small SVG (the live face's bars are elements its script fills in): blue, the top guess
        # vermilion, a value over every bar of at least 1 %; the numbers to 0.1 % in its label for screen readers.
        vermilion, short = ' fill="#D55E00"', lambda v: f"{v:.1f}".rstrip("0").rstrip(".")
        bars = "".join(
            (
                f'<rect x="{30 * d + 3}" y="{short(150 - 132 * p)}" width="24" height="{short(132 * p)}"'
                f"{vermilion if d == best else ''}/>"
                if short(132 * p) != "0"
                else ""
            )
            + f'<text x="{30 * d + 15}" y="168">{d}</text>'
            + (
                f'<text x="{30 * d + 15}" y="{short(146 - 132 * p)}" font-size="11">{round(100 * p)}</text>'
                if p >= 0.01
                else ""
            )
            for d, p in enumerate(probs)
        )
        spoken = ", ".join(f"{d}: {100 * p:.1f} %" for d, p in enumerate(probs))
        ink = np.round(255 * (1 - pixels.reshape(GRID, GRID))).astype(np.uint8)  # dark ink on light paper
        col = f'class="nnx-digits-col nnx-digits-static" style="{_COLUMN_STYLE}"'
        probs_svg = (
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 300 172' width='300' height='172'>"
            "<style>text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-weight:600}</style>"
            f"<path d='M0 150.5H300' stroke='#555'/><g fill='#0072B2' text-anchor='middle' font-size='13'>"
            f"{bars.replace(chr(34), chr(39))}</g></svg>"
        )
        note = N_(
            "A still example, computed when the page was built. Run this cell (or open the page with JavaScript on) "
            "to draw your own digit, step through the examples and see each neuron's weights."
        )
        e = html.escape
        input_caption = N_("Network input (28\u00d728)")
        return (
            f'<p class="nnx-runnote nnx-digits-nojs" style="{STILL_NOTE_STYLE};width:100%" data-i18n>{note}</p>'
            f'<div {col[:-1]};max-width:240px">'
            f'<p class="nnx-digits-caption" style="{_CAPTION_STYLE}" data-i18n>{input_caption}</p>'
            f'<img class="nnx-digits-view" width="{GRID * INPUT_CELL_PX}" height="{GRID * INPUT_CELL_PX}" style="border:1px solid #555" src="{_png_data_uri(ink, INPUT_CELL_PX)}" '
            f'alt="{e(N_("{where}, a handwritten {label}, as the 28 by 28 pixels the network reads", where=where, label=label))}" '
            f"data-i18n-attrs>"
            f'<p class="nnx-digits-example"><span data-i18n>{e(headline)}</span> '
            f"<span data-i18n>{e(verdict)}</span></p></div>"
            f"<div {col}>{''.join(columns)}</div>"
            f'<div class="nnx-digits-col nnx-digits-wide nnx-digits-static" style="{_COLUMN_STYLE};width:300px">'
            f'<p class="nnx-digits-caption" style="{_CAPTION_STYLE}" data-i18n>{N_("Probability of each digit (%)")}</p>'
            f'<img class="nnx-digits-probs" src="{svg_data_uri(probs_svg)}" width="300" height="172" '
            f'style="display:block;max-width:320px;height:auto" '
            f'alt="{N_("Probability of each digit: {spoken}", spoken=spoken)}" data-i18n-attrs>'
            f'<p class="nnx-digits-status" style="font-weight:600" data-i18n>'
            f"{N_('Top guess: {digit} ({percent} %)', digit=best, percent=f'{100 * probs[best]:.1f}')}</p>"
            "</div>"
        )

    # -- the live face ----------------------------------------------------------------------
    @property
    def widget(self):
        if self._widget is None:
            self._widget = _make_widget(self)
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        data, metadata = self.widget._repr_mimebundle_()
        data = dict(data)
        data["text/plain"] = repr(self)
        data["text/html"] = self.static_html()
        return data, metadata

    def __repr__(self):
        models = ", ".join(f"{name}: {m!r}" for name, m in self.models.items())
        return f"DigitCanvas({models}; {len(self.examples[1])} example digits)"


_WIDGET_CLASS = None


def _widget_class():
    """The anywidget class of the live face, made on first use (anywidget is only needed then)."""
    global _WIDGET_CLASS
    if _WIDGET_CLASS is None:
        import anywidget
        import traitlets

        class DigitWidget(anywidget.AnyWidget):
            """The live face: digits.js draws and pre-processes, `canvas.predict` answers each request."""

            _esm = _asset("dist/digits-live.js")
            _css = _HERE / "digits.css"
            _config = traitlets.Unicode().tag(sync=True)
            _key = traitlets.Unicode().tag(sync=True)
            request = traitlets.Dict().tag(sync=True)  # {"n": int, "pixels": [784 floats], "network": int}
            result = traitlets.Dict().tag(sync=True)  # {"n": int, "outputs": [z1, z2, ..., probabilities]}

            def __init__(self, canvas, **kwargs):
                self.canvas = canvas
                super().__init__(**kwargs)

            @traitlets.observe("request")
            def _answer(self, change):
                request = change["new"]
                if "pixels" not in request:
                    return
                outputs = self.canvas.trace(request["pixels"], int(request.get("network", 0)))
                self.result = {"n": int(request["n"]), "outputs": outputs}

            def __repr__(self):
                return repr(self.canvas)

        _WIDGET_CLASS = DigitWidget
    return _WIDGET_CLASS


def _make_widget(canvas):
    # The same config as the static face: the page draws the weight pictures itself; Python traces.
    config = canvas.config()
    if language() != "en":  # the page's script draws the live face in nnlib's language (js/digits.js)
        config["catalogue"] = {"lang": language(), "messages": messages(language())}
    config = json.dumps(config, separators=(",", ":"), ensure_ascii=False)
    # A model id fixed by the canvas' key (see _base.live_model_id): a reopened notebook then shows the
    # stand-in `make notebooks` stores for it, with its "run this cell" note, not "model not found".
    return claim_live_id(
        live_model_id("digits", canvas.key, []),
        lambda mid: _widget_class()(canvas, _config=config, _key=canvas.key, model_id=mid),
    )
