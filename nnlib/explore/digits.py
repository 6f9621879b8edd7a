"""DigitCanvas: draw a digit and watch a trained network read it, live.

    >>> canvas = DigitCanvas()          # nnlib.pretrained("mnist-mlp"); or DigitCanvas(model)
    >>> canvas                          # in Jupyter/Colab: the live widget; in the book: the static page

Two faces, one object (like the other explorers):

- live face (a kernel: JupyterLab, Notebook 7, Colab): an anywidget whose JavaScript
  (digits.js, next to this file) lets you draw on a <canvas> with mouse, finger or pen,
  pre-processes the drawing into MNIST's 28x28 format and sends the 784 pixels to Python;
  Python predicts with nnlib (`DigitCanvas.predict`) and sends back the 10 probabilities.
- static face (the published book, no kernel): `text/html` holding the same script, which runs
  the forward pass itself with the network's weights embedded as base64 float32.

The pre-processing (`preprocess`) imitates how MNIST was made: the digit's bounding box is
scaled so its larger side is 20 pixels, then placed in a 28x28 image so that its centre of
mass sits at the centre, pixel (14, 14). digits.js does the same arithmetic; the tests check
that both give the same pixels and that the page's probabilities are nnlib's.
"""

import base64
import hashlib
import html
import json
from importlib import resources
from pathlib import Path

import numpy as np

from .. import activations
from ..network import Sequential

GRID = 28       # MNIST images are 28x28
BOX = 20        # the digit itself fits a 20x20 box
CENTRE = 14.0   # where MNIST puts the centre of mass (row and column index)
MAX_SHIFT = (GRID - BOX) // 2
SIZE = 280      # the drawing canvas of the JavaScript face, in canvas pixels

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
        raise ValueError("preprocess needs gray values in [0, 1] (0 = paper, 1 = ink); "
                         "divide 8-bit values by 255 first")
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
    padded[r_lo - top:r_hi - top, c_lo - left:c_hi - left] = gray[r_lo:r_hi, c_lo:c_hi]
    cell = (np.arange(L) * BOX) // L                     # which box row/column each pixel feeds
    assign = (cell[None, :] == np.arange(BOX)[:, None]).astype(np.float64)  # (20, L)
    counts = assign.sum(axis=1)
    box = (assign @ padded @ assign.T) / np.outer(counts, counts)
    box /= box.max()
    yy, xx = np.mgrid[0:BOX, 0:BOX] + MAX_SHIFT
    mass = box.sum()
    dy = int(np.clip(np.floor(CENTRE - (box * yy).sum() / mass + 0.5), -MAX_SHIFT, MAX_SHIFT))
    dx = int(np.clip(np.floor(CENTRE - (box * xx).sum() / mass + 0.5), -MAX_SHIFT, MAX_SHIFT))
    out[MAX_SHIFT + dy:MAX_SHIFT + dy + BOX, MAX_SHIFT + dx:MAX_SHIFT + dx + BOX] = box
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


def _check_model(model):
    if not isinstance(model, Sequential) or not model.built:
        raise TypeError(f"DigitCanvas needs a built nnlib Sequential (e.g. nnlib.pretrained('mnist-mlp')), "
                        f"got {model!r}")
    if model.layers[0].input_dim != GRID * GRID or model.layers[-1].units != 10:
        raise ValueError(f"DigitCanvas needs a network from 784 pixels to 10 digits, got {model!r}")
    for layer in model.layers:
        if layer.activation.name not in ("sigmoid", "relu", "tanh", "identity", "softmax"):
            raise ValueError(f"the page's JavaScript computes sigmoid, relu, tanh, identity and softmax; "
                             f"layer {layer.name!r} uses {layer.activation.name!r}")
        if not layer.use_bias:
            raise ValueError(f"layer {layer.name!r} has no bias; DigitCanvas expects Dense layers with biases")
    return model


def _default_examples():
    """The first test image of each digit 0..9, as uint8 (10, 784), and their labels."""
    from ..datasets import load_mnist

    _, (x_test, t_test) = load_mnist(normalize=False, flatten=True)
    first = [int(np.flatnonzero(t_test == d)[0]) for d in range(10)]
    return x_test[first], t_test[first]


def _examples_uint8(examples):
    x, t = examples
    x = np.asarray(x)
    t = np.asarray(t).reshape(-1)
    if x.ndim != 2 or x.shape[1] != GRID * GRID or len(t) != len(x):
        raise ValueError(f"examples are (images (n, 784), labels (n,)), got shapes {x.shape} and {t.shape}")
    if x.dtype != np.uint8:
        if x.min(initial=0) < 0 or x.max(initial=0) > 1:
            raise ValueError("example images are uint8 0..255 or floats in [0, 1]")
        x = np.round(x * 255)
    return x.astype(np.uint8), [int(v) for v in t]


def _asset(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


class DigitCanvas:
    """A 28x28 drawing canvas classified live by a 784 -> ... -> 10 network.

    DigitCanvas(model=None, examples=None, key=None)

    model     a built Sequential from 784 pixels to 10 classes; default nnlib.pretrained("mnist-mlp")
    examples  (images (n, 784), labels (n,)) for the keyboard-operable "Example digit" button;
              default: the first MNIST test image of each digit (read with nnlib.load_mnist)
    key       the HTML id of the static face; default a digest of the weights, so the page is the
              same on every run

    `predict(pixels)` gives the probabilities for 784 pixels, `classify(image)` pre-processes a
    drawing first; `widget` is the live anywidget, created on first display.
    """

    def __init__(self, model=None, examples=None, key=None):
        if model is None:
            from ..weights import pretrained

            model = pretrained("mnist-mlp")
        self.model = _check_model(model)
        self.examples = _examples_uint8(examples if examples is not None else _default_examples())
        if key is None:
            digest = hashlib.sha1()
            for w in model.get_weights():
                digest.update(np.ascontiguousarray(w, dtype=np.float32).tobytes())
            digest.update(self.examples[0].tobytes())
            key = f"nnx-digits-{digest.hexdigest()[:8]}"
        elif not key or not all(ch.isalnum() or ch in "-_" for ch in str(key)):
            raise ValueError(f"key must be letters, digits, '-' or '_' (it becomes an HTML id), got {key!r}")
        self.key = str(key)
        self._widget = None

    # -- the numbers ------------------------------------------------------------------------
    def predict(self, pixels):
        """Probabilities of the digits 0..9 for one MNIST-style image: (784,) in [0, 1] -> (10,)."""
        return probabilities(self.model, pixels)

    def classify(self, image):
        """Pre-process a drawing (height, width) in [0, 1], then predict: -> (784 pixels, 10 probabilities)."""
        pixels = preprocess(image)
        return pixels, self.predict(pixels)

    def config(self):
        """What the page's JavaScript needs: the layers (weights as base64 float32) and the examples."""
        layers = [{"inputs": int(layer.input_dim), "units": int(layer.units),
                   "activation": layer.activation.name,
                   "W": _b64(layer.W, "<f4"), "b": _b64(layer.b, "<f4")} for layer in self.model.layers]
        images, labels = self.examples
        return {"layers": layers, "examples": {"labels": labels, "pixels": _b64(images, np.uint8)}}

    # -- the static face --------------------------------------------------------------------
    def static_html(self):
        """The self-contained HTML block: container, config, style and the module script."""
        key = html.escape(self.key)
        config = json.dumps(self.config(), separators=(",", ":"))
        script = _asset("digits.js")
        return (f'<div class="nnx-digits" id="{key}" role="group" aria-label="Draw a digit; the network reads it">'
                f'<noscript>This figure needs JavaScript: you draw a digit and a neural network reads it.'
                f'</noscript></div>\n'
                f'<style>{_asset("digits.css")}</style>\n'
                f'<script type="application/json" id="{key}-config">{config}</script>\n'
                f'<script type="module">\n{script}\n'
                f'mountStatic(document.getElementById("{key}"), '
                f'JSON.parse(document.getElementById("{key}-config").textContent));\n</script>')

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
        return f"DigitCanvas({self.model!r}, {len(self.examples[1])} example digits)"


_WIDGET_CLASS = None


def _widget_class():
    """The anywidget class of the live face, made on first use (anywidget is only needed then)."""
    global _WIDGET_CLASS
    if _WIDGET_CLASS is None:
        import anywidget
        import traitlets

        class DigitWidget(anywidget.AnyWidget):
            """The live face: digits.js draws and pre-processes, `canvas.predict` answers each request."""

            _esm = _HERE / "digits.js"
            _css = _HERE / "digits.css"
            _config = traitlets.Unicode().tag(sync=True)
            _key = traitlets.Unicode().tag(sync=True)
            request = traitlets.Dict().tag(sync=True)   # {"n": int, "pixels": [784 floats]} from the page
            result = traitlets.Dict().tag(sync=True)    # {"n": int, "probabilities": [10 floats]} back

            def __init__(self, canvas, **kwargs):
                self.canvas = canvas
                super().__init__(**kwargs)

            @traitlets.observe("request")
            def _answer(self, change):
                request = change["new"]
                if "pixels" not in request:
                    return
                p = self.canvas.predict(request["pixels"])
                self.result = {"n": int(request["n"]), "probabilities": [float(v) for v in p]}

            def __repr__(self):
                return repr(self.canvas)

        _WIDGET_CLASS = DigitWidget
    return _WIDGET_CLASS


def _make_widget(canvas):
    # The examples ride along in the config; the weights stay in Python, which predicts.
    config = canvas.config()
    config.pop("layers")
    return _widget_class()(canvas, _config=json.dumps(config, separators=(",", ":")), _key=canvas.key)
