"""The digit canvas in headless Chromium: drawing, pre-processing and probabilities equal nnlib's.

Four pages:
- the built book's chapter 6, whose static face runs the forward pass in JavaScript with the
  shipped weights (needs the book: `make book`);
- a page holding only `DigitCanvas.static_html()` (no book needed);
- the live face's `render` driven by a stand-in for anywidget's model whose requests are
  answered by the real Python widget (nnlib predicts), as a kernel would;
- the static face on a touch device, drawn with a finger (DevTools touch events).
Strokes are drawn with the page's JS API and with real mouse events; MNIST test digits are
loaded through `loadDigit`. Probabilities must agree with nnlib's to 1e-5, the top guess exactly.
"""

import base64
import json
import re

import numpy as np
import pytest

import nnlib
from nnlib.explore import digits
from nnlib.explore.digits import DigitCanvas, preprocess

CHAPTER = "notebooks/06_handwritten_digits.html"
STROKES = {
    "one": [[[140, 40], [140, 240]], [[110, 70], [140, 40]]],
    "seven": [[[70, 50], [210, 50], [120, 250]]],
    "zero": [[[140, 40], [200, 80], [210, 160], [160, 240], [100, 220], [80, 140], [100, 60], [140, 40]]],
    "four": [[[90, 40], [70, 150], [200, 150]], [[170, 60], [170, 250]]],
    "dot": [[[30, 250]]],
}


@pytest.fixture(scope="module")
def mnist_test():
    _, (x, t) = nnlib.load_mnist()
    return x, t


def network_from_page(page, key):
    """The Sequential whose weights the page embeds (read back from its JSON config)."""
    config = json.loads(page.locator(f"#{key}-config").text_content())
    layers, weights = [], []
    for spec in config["layers"]:
        layers.append(nnlib.Dense(spec["units"], spec["activation"]))
        weights.append(np.frombuffer(base64.b64decode(spec["W"]), "<f4").reshape(spec["inputs"], spec["units"]))
        weights.append(np.frombuffer(base64.b64decode(spec["b"]), "<f4"))
    model = nnlib.Sequential(layers)
    model.set_weights(weights)
    return model


def wait_for_api(page, key):
    page.wait_for_function(f"window.nnlibDigits && window.nnlibDigits[{json.dumps(key)}]")
    return f"window.nnlibDigits[{json.dumps(key)}]"


def check_drawings(page, api, model):
    """Draw each test shape, compare the page's pixels with Python's pre-processing and its probabilities with nnlib."""
    for name, strokes in STROKES.items():
        page.evaluate(f"{api}.clear()")
        probs = np.array(page.evaluate(f"async () => await {api}.drawStrokes({json.dumps(strokes)})"))
        raw = np.array(page.evaluate(f"{api}.raw()")).reshape(280, 280)
        pixels = np.array(page.evaluate(f"{api}.pixels()"))
        assert raw.max() == 1.0, f"{name}: the stroke left no ink"
        np.testing.assert_allclose(pixels, preprocess(raw), atol=1e-6, err_msg=f"{name}: pre-processing differs")
        expected = digits.probabilities(model, pixels)
        np.testing.assert_allclose(probs, expected, atol=1e-5, err_msg=f"{name}: probabilities differ")
        assert page.evaluate(f"{api}.prediction()") == int(np.argmax(expected)), name
        status = page.locator(f"#{page.evaluate(f'{api}.id')}-status").text_content()
        assert status.startswith(f"Top guess: {int(np.argmax(expected))} ("), status


def check_mnist_digits(page, api, model, x, t, n=60):
    got = np.array(page.evaluate(f"""async (images) => {{
        const out = [];
        for (const image of images) out.push(await {api}.loadDigit(image));
        return out;
    }}""", x[:n].astype(float).tolist()))
    expected = model.predict(x[:n])
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    return got


def check_mouse_and_keyboard(page, api, key, model):
    page.evaluate(f"{api}.clear()")
    box = page.locator(f"#{key}-draw").bounding_box()
    scale = box["width"] / 280
    # A "7" drawn with the mouse: press, move in small steps, release.
    page.mouse.move(box["x"] + 70 * scale, box["y"] + 50 * scale)
    page.mouse.down()
    for x, y in [(210, 50), (170, 130), (120, 250)]:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=8)
    page.mouse.up()
    page.wait_for_function(f"{api}.probabilities() !== null")
    pixels = np.array(page.evaluate(f"{api}.pixels()"))
    assert pixels.max() == pytest.approx(1.0) and (pixels > 0).sum() > 30
    np.testing.assert_allclose(pixels, preprocess(np.array(page.evaluate(f"{api}.raw()")).reshape(280, 280)),
                               atol=1e-6)
    np.testing.assert_allclose(page.evaluate(f"{api}.probabilities()"), digits.probabilities(model, pixels),
                               atol=1e-5)
    # Keyboard only: the two buttons are reachable by Tab and work with Enter / Space.
    page.locator(f"#{key}-clear").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(f"{api}.probabilities()") is None
    page.locator(f"#{key}-clear").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == f"{key}-example"
    page.keyboard.press(" ")
    page.wait_for_function(f"{api}.probabilities() !== null")
    return np.array(page.evaluate(f"{api}.probabilities()"))


# -- the published chapter -------------------------------------------------------------------
def test_chapter_canvas_matches_nnlib(page, page_log, open_page, mnist_test, screenshot_dir):
    open_page(CHAPTER)
    canvases = page.locator(".nnx-digits[id^=nnx-digits-]")
    assert canvases.count() == 1, "chapter 6 shows one digit canvas"
    key = canvases.first.get_attribute("id")
    api = wait_for_api(page, key)
    model = network_from_page(page, key)
    shipped = nnlib.pretrained("mnist-mlp")
    for ours, theirs in zip(model.get_weights(), shipped.get_weights()):
        np.testing.assert_array_equal(ours, theirs)  # the page carries the shipped weights, bit for bit
    x, t = mnist_test
    check_mnist_digits(page, api, model, x, t)
    check_drawings(page, api, model)
    canvases.first.scroll_into_view_if_needed()
    page.evaluate(f"{api}.clear()")
    page.evaluate(f"async () => await {api}.drawStrokes({json.dumps(STROKES['four'])})")
    canvases.first.screenshot(path=str(screenshot_dir / "digit_canvas_chapter.png"))
    check_mouse_and_keyboard(page, api, key, model)
    page_log.assert_clean(CHAPTER)


# -- the static face alone -------------------------------------------------------------------
def test_static_face_alone(page, page_log, mnist_test, screenshot_dir):
    x, t = mnist_test
    model = nnlib.load_sample_network()
    canvas = DigitCanvas(model, examples=(x[:10], t[:10]))
    page.set_content(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{canvas.static_html()}"
                     "</body></html>")
    api = wait_for_api(page, canvas.key)
    got = check_mnist_digits(page, api, model, x, t, n=100)
    assert (got.argmax(axis=1) == t[:100]).mean() > 0.9
    check_drawings(page, api, model)
    probs = check_mouse_and_keyboard(page, api, canvas.key, model)
    np.testing.assert_allclose(probs, model.predict(x[0]), atol=1e-5)  # "Example digit" shows test image 0
    page.locator(f"#{canvas.key}").screenshot(path=str(screenshot_dir / "digit_canvas_static.png"))
    page_log.assert_clean("static face")


# -- the live face ---------------------------------------------------------------------------
FAKE_MODEL = """
// A stand-in for anywidget's model: state in a dict, save_changes sends the request to Python
// (exposed by the test) and fires change:result with its answer, as the comm would.
const state = STATE;
const handlers = {};
const model = {
  get: (k) => state[k],
  set: (k, v) => { state[k] = v; },
  on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
  off: (event, f) => { handlers[event] = (handlers[event] || []).filter((g) => g !== f); },
  save_changes: async () => {
    state.result = await window.pythonAnswer(state.request);
    (handlers["change:result"] || []).forEach((f) => f());
  },
};
window.liveCleanup = render({ model, el: document.getElementById("root") });
"""


def test_live_face_round_trip_through_python(page, page_log, mnist_test):
    x, t = mnist_test
    model = nnlib.load_sample_network()
    canvas = DigitCanvas(model, examples=(x[:10], t[:10]))
    widget = canvas.widget
    requests = []

    def answer(request):
        requests.append(request["n"])
        widget.request = request        # the widget's observer predicts with nnlib
        return widget.result

    page.expose_function("pythonAnswer", answer)
    state = {"_config": widget._config, "_key": widget._key, "request": {}, "result": {}}
    script = widget._esm + FAKE_MODEL.replace("STATE", json.dumps(state))
    page.set_content(f"<!doctype html><html><head><meta charset='utf-8'><style>{widget._css}</style></head>"
                     f"<body><div id='root'></div><script type='module'>{script}</script></body></html>")
    key = f"{canvas.key}-live"
    api = wait_for_api(page, key)
    check_mnist_digits(page, api, model, x, t, n=20)
    check_drawings(page, api, model)
    probs = check_mouse_and_keyboard(page, api, key, model)
    np.testing.assert_array_equal(probs, model.predict(x[0]).astype(float))  # floats travel as JSON, exactly
    assert requests == sorted(requests) and len(set(requests)) == len(requests)
    assert "weights" not in widget._config and not re.search(r'"W"', widget._config)
    page_log.assert_clean("live face")


def test_touch_drawing(browser, mnist_test):
    # A finger stroke (touch events through Chromium's DevTools protocol) draws and is classified.
    x, t = mnist_test
    model = nnlib.load_sample_network()
    canvas = DigitCanvas(model, examples=(x[:10], t[:10]))
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 400, "height": 800})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_content(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{canvas.static_html()}"
                         "</body></html>")
        api = wait_for_api(page, canvas.key)
        box = page.locator(f"#{canvas.key}-draw").bounding_box()
        scale = box["width"] / 280
        points = [(box["x"] + 140 * scale, box["y"] + (40 + 20 * k) * scale) for k in range(11)]  # a "1"
        cdp = context.new_cdp_session(page)
        for kind, (px, py) in zip(["touchStart"] + ["touchMove"] * (len(points) - 1), points):
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": px, "y": py}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_function(f"{api}.probabilities() !== null")
        pixels = np.array(page.evaluate(f"{api}.pixels()"))
        raw = np.array(page.evaluate(f"{api}.raw()")).reshape(280, 280)
        rows = np.flatnonzero(raw.any(axis=1))
        assert rows[-1] - rows[0] > 180, "the whole vertical stroke was drawn, not just a dot"
        np.testing.assert_allclose(pixels, preprocess(raw), atol=1e-6)
        np.testing.assert_allclose(page.evaluate(f"{api}.probabilities()"), model.predict(pixels), atol=1e-5)
        assert page.evaluate(f"{api}.prediction()") == 1
        assert not errors
    finally:
        context.close()
