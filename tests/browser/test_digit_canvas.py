"""The digit canvas in headless Chromium: drawing, pre-processing, hidden layers and probabilities equal nnlib's.

Four pages:
- the built book's chapter 6, whose static face runs the forward pass in JavaScript (nn.js) with
  the book's and nnlib's weights, 8-bit encoded (needs the book: `make book`);
- a page holding only `DigitCanvas.static_html()` (no book needed);
- the live face's `render` driven by a stand-in for anywidget's model whose requests are
  answered by the real Python widget (nnlib predicts), as a kernel would;
- the static face on a touch device, drawn with a finger (DevTools touch events).
Strokes are drawn with the page's JS API and with real mouse events; MNIST test digits are
loaded through `loadDigit`. Probabilities must agree with nnlib's to 1e-5, the top guess exactly;
the static face's hidden layers must equal nnlib's `trace` on the weights the page carries to 1e-6.
"""

import base64
import json
import re

import numpy as np
import pytest

import nnlib
from nnlib.explore import digits
from nnlib.explore.digits import DigitCanvas, preprocess

CHAPTER = "notebooks/06_inside_the_digit_network.html"  # chapter 6's second page
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


def page_config(page, key):
    return json.loads(page.locator(f"#{key}-config").text_content())


def network_from_page(page, key, network=0):
    """The Sequential the page computes with: its embedded (8-bit) weights, decoded as digits.py does."""
    return digits.decode_layers(page_config(page, key)["networks"][network]["layers"])


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
    got = np.array(
        page.evaluate(
            f"""async (images) => {{
        const out = [];
        for (const image of images) out.push(await {api}.loadDigit(image));
        return out;
    }}""",
            x[:n].astype(float).tolist(),
        )
    )
    expected = model.predict(x[:n])
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    return got


def check_hidden_layers(page, api, model, x, n=20):
    """The page's hidden layers (nn.js trace) for n test images equal nnlib's trace to 1e-6."""
    got = page.evaluate(
        f"""async (images) => {{
        const out = [];
        for (const image of images) {{ await {api}.loadDigit(image); out.push({api}.hidden()); }}
        return out;
    }}""",
        x[:n].astype(float).tolist(),
    )
    steps = model.trace(x[:n])
    for layer in range(len(steps) - 1):
        np.testing.assert_allclose(
            [g[layer] for g in got],
            steps[layer].z,
            atol=1e-6,
            rtol=0,
            err_msg=f"hidden layer {layer + 1} differs from nnlib's trace",
        )


def check_examples(page, api, key, models, t_labels):
    """ "Example digit" redraws drawing, input, hidden layers and probabilities and names the label;
    "Next mistake" finds an example the chosen network misreads."""
    config = page_config(page, key)
    examples = np.frombuffer(base64.b64decode(config["examples"]["pixels"]), np.uint8).reshape(-1, 784) / 255
    labels = config["examples"]["labels"]
    for k, model in enumerate(models):
        page.evaluate(f"async () => await {api}.setNetwork({k})")
        page.evaluate(f"{api}.clear()")
        before = page.evaluate(f"{api}.raw()")
        for step in range(3):
            page.locator(f"#{key}-example").click()
            page.wait_for_function(f"{api}.example() === {step} && {api}.probabilities() !== null")
            raw = np.array(page.evaluate(f"{api}.raw()"))
            assert not np.array_equal(raw, before), "the drawing was redrawn"
            before = raw
            np.testing.assert_allclose(page.evaluate(f"{api}.pixels()"), examples[step], atol=1e-7)
            steps = model.trace(examples[step].astype(np.float32))
            hidden = page.evaluate(f"{api}.hidden()")
            for layer in range(len(steps) - 1):
                np.testing.assert_allclose(hidden[layer], steps[layer].z, atol=1e-6, rtol=0)
            np.testing.assert_allclose(page.evaluate(f"{api}.probabilities()"), steps[-1].z, atol=1e-6)
            text = page.locator(f"#{key}-label").text_content()
            assert f"labelled {labels[step]}." in text, text
            read = int(np.argmax(steps[-1].z))
            assert ("Misread as" in text) == (read != labels[step]), text
        page.locator(f"#{key}-mistake").click()
        page.wait_for_function(f"{api}.example() > 2 && /Misread/.test({api}.exampleText())")
        index = page.evaluate(f"{api}.example()")
        assert page.evaluate(f"{api}.prediction()") != labels[index]
        assert int(np.argmax(model.predict(examples[index].astype(np.float32)))) != labels[index]
        if t_labels is not None and config["examples"].get("indices"):
            assert labels[index] == t_labels[config["examples"]["indices"][index]]


def check_neuron_detail(page, api, key):
    """A hidden neuron picked with the keyboard (or the pointer) shows its weights and its sum."""
    page.locator(f"#{key}-hidden-0").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator(f"#{key}-detail-title").text_content() == "Neuron z1 of hidden layer 1"
    assert page.locator(f"#{key}-hidden-0").get_attribute("aria-activedescendant") == f"{key}-h0-1"
    assert re.search(r"z = sigmoid\(a\) = \d\.\d{3}\.", page.evaluate(f"{api}.detailText()"))
    page.locator(f"#{key}-h1-42").hover()
    assert page.locator(f"#{key}-detail-title").text_content() == "Neuron z42 of hidden layer 2"


def check_mouse_and_keyboard(page, api, key, model):
    page.evaluate(f"{api}.clear()")
    # The whole drawing area on screen: mouse events outside the viewport never reach the page.
    page.evaluate(f"document.getElementById('{key}-draw').scrollIntoView({{block: 'center'}})")
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
    np.testing.assert_allclose(pixels, preprocess(np.array(page.evaluate(f"{api}.raw()")).reshape(280, 280)), atol=1e-6)
    np.testing.assert_allclose(page.evaluate(f"{api}.probabilities()"), digits.probabilities(model, pixels), atol=1e-5)
    # Keyboard only: the two buttons are reachable by Tab and work with Enter / Space.
    page.locator(f"#{key}-clear").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(f"{api}.probabilities()") is None
    page.locator(f"#{key}-clear").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == f"{key}-mistake"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == f"{key}-example"
    page.evaluate(f"{api}.clear()")
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
    config = page_config(page, key)
    shipped = [nnlib.pretrained("mnist-mlp"), nnlib.load_sample_network()]
    for network, original in zip(config["networks"], shipped):
        assert network["layers"] == digits.encode_layers(original), "the page carries the shipped weights, encoded"
    models = [network_from_page(page, key, k) for k in range(2)]
    x, t = mnist_test
    for k, model in enumerate(models):
        page.evaluate(f"async () => await {api}.setNetwork({k})")
        check_hidden_layers(page, api, model, x)
        check_mnist_digits(page, api, model, x, t, n=30)
    check_examples(page, api, key, models, t)
    page.evaluate(f"async () => await {api}.setNetwork(0)")
    check_drawings(page, api, models[0])
    canvases.first.scroll_into_view_if_needed()
    page.evaluate(f"{api}.clear()")
    page.evaluate(f"async () => await {api}.drawStrokes({json.dumps(STROKES['four'])})")
    check_neuron_detail(page, api, key)
    canvases.first.screenshot(path=str(screenshot_dir / "digit_canvas_chapter.png"))
    check_mouse_and_keyboard(page, api, key, models[0])
    page_log.assert_clean(CHAPTER)


# -- the static face alone -------------------------------------------------------------------
def test_static_face_alone(page, page_log, mnist_test, screenshot_dir):
    x, t = mnist_test
    model = nnlib.load_sample_network()
    canvas = DigitCanvas({"nnlib": nnlib.pretrained("mnist-mlp"), "book": model})  # default examples: with mistakes
    page.set_content(
        f"<!doctype html><html><head><meta charset='utf-8'></head><body>{canvas.static_html()}</body></html>"
    )
    api = wait_for_api(page, canvas.key)
    models = [network_from_page(page, canvas.key, k) for k in range(2)]
    for k, decoded in enumerate(models):
        page.evaluate(f"async () => await {api}.setNetwork({k})")
        check_hidden_layers(page, api, decoded, x)
    page.locator(f"#{canvas.key}-network-1").check()  # the radio button switches the network
    assert page.evaluate(f"{api}.network()") == 1
    got = check_mnist_digits(page, api, models[1], x, t, n=100)
    assert (got.argmax(axis=1) == t[:100]).mean() > 0.9
    check_examples(page, api, canvas.key, models, t)
    page.evaluate(f"async () => await {api}.setNetwork(1)")
    check_drawings(page, api, models[1])
    check_neuron_detail(page, api, canvas.key)
    probs = check_mouse_and_keyboard(page, api, canvas.key, models[1])
    np.testing.assert_allclose(probs, models[1].predict(x[0]), atol=1e-5)  # the first example is test image 0
    page.locator(f"#{canvas.key}").screenshot(path=str(screenshot_dir / "digit_canvas_static.png"))
    page_log.assert_clean("static face")


# -- the live face ---------------------------------------------------------------------------
FAKE_MODEL = """
// The live bundle, imported as anywidget imports it (an ES module whose default export has render).
const { render } = (await import(URL.createObjectURL(new Blob([__ESM_SOURCE__], { type: "text/javascript" })))).default;
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


def live_page(page, canvas, held=()):
    """The canvas' live bundle on a page, its model the stand-in above: nnlib answers each request as the kernel
    does, but for the requests numbered in `held` (a busy kernel's answers, here never sent). Returns the page's
    API of the canvas (a JS expression) and the list of the request numbers asked, in order."""
    widget = canvas.widget
    asked = []

    def answer(request):
        asked.append(request["n"])
        if request["n"] in held:
            return {}
        widget.request = request  # the widget's observer predicts with nnlib
        return widget.result

    page.expose_function("pythonAnswer", answer)
    state = {"_config": widget._config, "_key": widget._key, "request": {}, "result": {}}
    script = FAKE_MODEL.replace("STATE", json.dumps(state)).replace(
        "__ESM_SOURCE__", json.dumps(widget._esm).replace("</", "<\\/")
    )
    page.set_content(
        f"<!doctype html><html><head><meta charset='utf-8'><style>{widget._css}</style></head>"
        f"<body><div id='root'></div><script type='module'>{script}</script></body></html>"
    )
    return wait_for_api(page, f"{canvas.key}-live"), asked


def test_live_face_round_trip_through_python(page, page_log, mnist_test):
    x, t = mnist_test
    model = nnlib.load_sample_network()
    canvas = DigitCanvas(model, examples=(x[:10], t[:10]))
    widget = canvas.widget
    key = f"{canvas.key}-live"
    api, requests = live_page(page, canvas)
    check_mnist_digits(page, api, model, x, t, n=20)
    hidden = page.evaluate(
        f"async () => {{ await {api}.loadDigit({json.dumps(x[7].astype(float).tolist())}); return {api}.hidden(); }}"
    )
    for got, step in zip(hidden, model.trace(x[7])[:-1]):
        np.testing.assert_array_equal(np.array(got, dtype=np.float32), step.z)  # Python's own trace
    check_drawings(page, api, model)
    probs = check_mouse_and_keyboard(page, api, key, model)
    np.testing.assert_array_equal(probs, model.predict(x[0]).astype(float))  # floats travel as JSON, exactly
    assert requests == sorted(requests) and len(set(requests)) == len(requests)
    assert json.loads(widget._config) == canvas.config()  # the same encoded weights draw the pictures
    page_log.assert_clean("live face")


def test_live_face_is_busy_until_its_last_drawing_is_answered(page, page_log, mnist_test):
    # A busy kernel answers late: until the answer to the last drawing shows, the view says it is busy (aria-busy,
    # which a screen reader and the Jupyter sweep wait for); an earlier drawing's answer never shows for a later one.
    x, t = mnist_test
    model = nnlib.load_sample_network()
    canvas = DigitCanvas(model, examples=(x[:10], t[:10]))
    api, asked = live_page(page, canvas, held={1})  # the first drawing's answer does not come
    root = page.locator("#root")
    first, second = list(STROKES.values())[:2]
    page.evaluate(f"() => {{ {api}.drawStrokes({json.dumps(first)}); }}")  # not awaited: its answer is held
    page.wait_for_function(f"{api}.pixels().some((v) => v > 0)")
    assert root.get_attribute("aria-busy") == "true", "the view waits for the kernel without saying it is busy"
    page.evaluate(f"{api}.clear()")
    probs = np.array(page.evaluate(f"async () => await {api}.drawStrokes({json.dumps(second)})"))
    assert root.get_attribute("aria-busy") is None, "the last drawing was answered, the view still says busy"
    pixels = np.array(page.evaluate(f"{api}.pixels()"))
    np.testing.assert_allclose(probs, digits.probabilities(model, pixels), atol=1e-5)
    assert asked[0] == 1, "the first drawing was not asked"
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
        page.set_content(
            f"<!doctype html><html><head><meta charset='utf-8'></head><body>{canvas.static_html()}</body></html>"
        )
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
        decoded = network_from_page(page, canvas.key)  # the page computes with its 8-bit weights
        np.testing.assert_allclose(page.evaluate(f"{api}.probabilities()"), decoded.predict(pixels), atol=1e-5)
        assert page.evaluate(f"{api}.prediction()") == 1
        assert not errors
    finally:
        context.close()
