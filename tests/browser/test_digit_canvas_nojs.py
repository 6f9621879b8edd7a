"""Without JavaScript the digit canvas shows something true: an example test digit, both hidden layers and the ten
probabilities, computed by nnlib when the page was made (DigitCanvas.no_script_html), and no control that needs
a script (no drawing area, no button, no radio button), with a note saying what brings it to life (running the cell,
or JavaScript). The probabilities are an SVG <img>, which an untrusted notebook's sanitizer keeps.

Checked on chapter 6 (its second page) and the gallery of the built book, and on a page holding only `static_html()` (no book needed).
The picture's pixels are decoded from the page and compared with the MNIST test image it names; the probabilities
and hidden outputs with nnlib's on that image.
"""

import base64
import io
import re

import numpy as np
import pytest

import nnlib
from nnlib.explore.digits import HIDDEN_CELL_PX, INPUT_CELL_PX, DigitCanvas

READ_FACE = """(root) => ({
    digit: root.querySelector("img.nnx-digits-view")?.src || null,
    digitSize: [...root.querySelectorAll("img.nnx-digits-view")].map((i) => [i.naturalWidth, i.naturalHeight]),
    hidden: [...root.querySelectorAll("img.nnx-digits-hidden-picture")].map((i) => ({
        src: i.src, size: [i.naturalWidth, i.naturalHeight], alt: i.alt, shown: i.getBoundingClientRect().width > 50})),
    bars: root.querySelector("img.nnx-digits-probs")?.alt || "",
    probsShown: root.querySelector("img.nnx-digits-probs")?.naturalWidth || 0,
    rects: (() => {  // the bars inside the picture (an SVG <img>), laid out in this page to be measured
        const src = decodeURIComponent(root.querySelector("img.nnx-digits-probs").src.split(",").slice(1).join(","));
        const box = document.createElement("div");
        box.innerHTML = src;
        document.body.appendChild(box);
        const rects = [...box.querySelectorAll("rect")].map((r) => [r.getBBox().x, r.getBBox().height,
            getComputedStyle(r).fill]);
        box.remove();
        return rects;
    })(),
    example: root.querySelector(".nnx-digits-example")?.textContent || "",
    status: root.querySelector(".nnx-digits-status")?.textContent || "",
    note: root.querySelector(".nnx-digits-nojs")?.textContent || "",
    controls: root.querySelectorAll("button, input, select, canvas, [tabindex]").length,
    height: root.getBoundingClientRect().height,
})"""


@pytest.fixture(scope="module")
def mnist_test():
    _, (x, t) = nnlib.load_mnist()
    return x, t


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def png_pixels(data_uri):
    from matplotlib.image import imread

    assert data_uri.startswith("data:image/png;base64,"), data_uri[:40]
    return imread(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])), format="png")


def check_face(face, model, mnist_test, where):
    """The face shows the test image it names, read by `model`: pixels, hidden layers and probabilities."""
    x, t = mnist_test
    found = re.search(r"Test image #(\d+), labelled (\d)\.", face["example"])
    assert found, f"{where}: no example named: {face['example']!r}"
    index, label = int(found.group(1)), int(found.group(2))
    assert t[index] == label, where
    side = 28 * INPUT_CELL_PX  # made at the size it shows: each pixel a square of INPUT_CELL_PX
    assert face["digitSize"] == [[side, side]], f"{where}: the 28x28 digit picture is missing: {face['digitSize']}"
    ink = png_pixels(face["digit"])  # gray: dark ink (0) on light paper (1)
    ink = ink if ink.ndim == 2 else ink[:, :, 0]
    square = ink.reshape(28, INPUT_CELL_PX, 28, INPUT_CELL_PX)
    assert np.all(square == square[:, :1, :, :1]), f"{where}: the digit's squares are not of one grey each"
    ink = square[:, 0, :, 0]
    np.testing.assert_allclose(1 - ink, x[index].reshape(28, 28), atol=1 / 255 + 1e-6, err_msg=where)

    steps = model.trace(x[index])
    hidden = [step.z for step in steps[:-1]]
    cell = HIDDEN_CELL_PX
    assert [h["size"] for h in face["hidden"]] == [[10 * cell, z.size // 10 * cell] for z in hidden], where
    assert all(h["shown"] for h in face["hidden"]), f"{where}: a hidden-layer picture is not shown"
    for h, z in zip(face["hidden"], hidden):
        strongest = int(np.argmax(z))
        assert f"z{strongest} = {z[strongest]:.2f}" in h["alt"], (where, h["alt"][:200])

    probs = model.predict(x[index])
    spoken = re.findall(r"(\d): ([\d.]+) %", face["bars"])
    assert [int(d) for d, _ in spoken] == list(range(10)), (where, face["bars"])
    np.testing.assert_allclose([float(v) for _, v in spoken], 100 * probs, atol=0.051, err_msg=where)
    heights, fills = np.zeros(10), {}
    for x_left, height, fill in face["rects"]:  # one bar per digit, 30 units apart; none for 0 %
        heights[round((x_left - 3) / 30)] = height
        fills[round((x_left - 3) / 30)] = fill
    np.testing.assert_allclose(heights, 132 * probs, atol=0.051, err_msg=f"{where}: bar heights")
    best = int(np.argmax(probs))
    assert face["status"].startswith(f"Top guess: {best} "), where
    assert fills.pop(best) == "rgb(213, 94, 0)", f"{where}: the top guess is vermilion"
    assert set(fills.values()) <= {"rgb(0, 114, 178)"}, f"{where}: the other bars are blue"
    assert face["probsShown"] == 300, f"{where}: the probabilities' picture did not load"
    assert face["controls"] == 0, f"{where}: controls that cannot work without JavaScript are shown"
    assert "JavaScript" in face["note"], where


def test_static_html_without_javascript(no_js_page, mnist_test):
    model = nnlib.pretrained("mnist-mlp")
    x, t = mnist_test
    canvas = DigitCanvas(model, examples=(x[5:9], t[5:9], [5, 6, 7, 8]), key="nojs-alone")
    no_js_page.set_content(
        f"<!doctype html><html><head><meta charset='utf-8'></head><body>{canvas.static_html()}</body></html>"
    )
    face = no_js_page.locator("#nojs-alone").evaluate(READ_FACE)
    check_face(face, model, mnist_test, "static_html")
    assert "Test image #5," in face["example"]  # the first example given


@pytest.mark.parametrize("path", ["notebooks/06_inside_the_digit_network.html", "notebooks/90_explorer_gallery.html"])
def test_book_canvas_without_javascript(no_js_page, site_url, mnist_test, screenshot_dir, path):
    no_js_page.goto(site_url + path)
    canvases = no_js_page.locator(".nnx-digits")
    assert canvases.count() == 1, f"{path}: one digit canvas"
    face = canvases.first.evaluate(READ_FACE)
    # Both pages offer nnlib's network first.
    check_face(face, nnlib.pretrained("mnist-mlp"), mnist_test, path)
    assert face["height"] > 200
    canvases.first.screenshot(path=str(screenshot_dir / f"nojs-digits-{path.split('/')[-1][:-5]}.png"))
