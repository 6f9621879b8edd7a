"""The explorers' static face in the built book: headless Chromium moves the sliders of the gallery page.

Every explorer of notebooks/90_explorer_gallery.ipynb is rebuilt here in Python with the same
arguments (the page's embedded configuration must equal ours, so the two cannot drift apart);
the browser then moves sliders, by keyboard and by setting values with an input event as a
reader's drag does, and the arrays the page plotted must equal nnlib's to 1e-6. The SVG must
change and its curve must sit where the plotted values say.

Needs the built book (`make book`) and the fixtures of tests/browser/conftest.py.
"""

import json
import re

import numpy as np
import pytest

from nnlib.explore import AffineExplorer, DecisionBoundaryExplorer, NeuronExplorer, NeuronSumExplorer
from nnlib.explore._base import Choice

PAGE = "notebooks/90_explorer_gallery.html"


def _xor():
    rng = np.random.default_rng(0)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    points = np.repeat(corners, 15, axis=0) + rng.normal(0, 0.12, size=(60, 2))
    return points, np.repeat([0, 1, 1, 0], 15)


# The gallery's explorers, with the notebook's arguments.
GALLERY = {
    "gallery-neuron": lambda: NeuronExplorer(
        weight=1.0, bias=0.0, activation="sigmoid",
        references=[dict(weight=0.5, bias=0, label="w = 0.5, b = 0"), dict(weight=2.0, bias=0, label="w = 2, b = 0")],
        key="gallery-neuron"),
    "gallery-sum": lambda: NeuronSumExplorer(
        neurons=[(2, -2), (0.5, 1), (-2, -4)], activation="sigmoid",
        second_layer=dict(weight=1, bias=0, activation="sigmoid"), key="gallery-sum"),
    "gallery-fit": lambda: NeuronSumExplorer(
        neurons=[(3, -3, 1), (3, 3, -1)], activation="sigmoid", max_neurons=8,
        target=lambda x: np.exp(-x ** 2), output_bias=0.0, key="gallery-fit"),
    "gallery-and": lambda: DecisionBoundaryExplorer(weights=(1.0, 1.0, -1.5), activation="sigmoid", key="gallery-and"),
    "gallery-xor": lambda: DecisionBoundaryExplorer(
        hidden=dict(W=[[4.0, 4.0], [4.0, 4.0]], b=[-2.0, -6.0], activation="tanh"), output=([1.5, -1.5], -0.5),
        activation="sigmoid", data=_xor()[0], labels=_xor()[1], key="gallery-xor"),
    "gallery-affine": lambda: AffineExplorer(W=[[1.0, 0.5], [-0.5, 1.0]], b=[0.5, -0.2], key="gallery-affine"),
    "gallery-svd": lambda: AffineExplorer(mode="svd", parts=(30, 1.5, 0.5, -20), b=[0.2, 0.2], key="gallery-svd"),
}

# Arrays the page exposes (nnlibExplore.instances[key].data) and nnlib's curves() both hold.
ARRAYS = {
    "neuron": ["x", "a", "y", "references"],
    "neuronsum": ["x", "hidden", "sum", "output", "r2", "mse"],
    "boundary": ["gx", "gy", "grid", "outputs", "predicted", "accuracy"],
    "affine": ["points", "affine", "folded", "W", "b", "det", "counts"],
}


def page_config(page, key):
    return json.loads(page.locator(f"#{key} script.nnx-config").text_content())


def page_data(page, key):
    return page.evaluate(f"JSON.stringify(nnlibExplore.instances[{json.dumps(key)}].data)")


def compare(explorer, js_json):
    js = json.loads(js_json)
    py = explorer.curves()
    for name in ARRAYS[explorer.kind]:
        p, j = py[name], js[name]
        if p is None:
            assert j is None, name
            continue
        np.testing.assert_allclose(np.asarray(j, dtype=float), np.asarray(p, dtype=float), rtol=0, atol=1e-6,
                                   err_msg=f"{explorer.key}: {name} at {explorer.state}")


@pytest.fixture
def gallery(page, open_page, page_log):
    open_page(PAGE)
    page.wait_for_function("window.nnlibExplore && Object.keys(nnlibExplore.instances).length >= 7")
    yield page
    page_log.assert_clean(PAGE)


def test_every_explorer_boots_and_is_the_one_the_notebook_built(gallery):
    # the training explorer (nnlibTrain) is tested in tests/browser/test_train_explorers.py
    keys = gallery.evaluate("Array.from(document.querySelectorAll('.nnx:not(.nnx-train)')).map(e => e.id)")
    assert sorted(keys) == sorted(GALLERY)
    assert gallery.evaluate("Object.keys(nnlibExplore.instances).sort()") == sorted(GALLERY)
    for key, make in GALLERY.items():
        ex = make()
        ours = json.loads(re.search(r'class="nnx-config">(.*?)</script>', ex.to_html()).group(1).replace("<\\/", "</"))
        assert page_config(gallery, key) == ours, key
        # the no-JavaScript note is gone and the figure is drawn
        assert gallery.locator(f"#{key} .nnx-nojs").count() == 0
        assert gallery.locator(f"#{key} svg path, #{key} svg circle").count() > 3
        compare(ex, page_data(gallery, key))  # the initial state


@pytest.mark.parametrize("key", sorted(GALLERY))
def test_moving_sliders_redraws_with_nnlibs_numbers(gallery, key):
    ex = GALLERY[key]()
    rng = np.random.default_rng(len(key))
    svg = gallery.locator(f"#{key} svg")
    sliders = [c for c in ex.controls if not isinstance(c, Choice)]
    for step in range(4):
        before = svg.inner_html()
        # controls of neurons beyond the neuron count are hidden and change nothing: skip them
        shown = [c for c in sliders if c.neuron is None or c.neuron < ex.state.get("count", 99)]
        c = shown[step % len(shown)]
        k = int(rng.integers(0, round((c.max - c.min) / c.step) + 1))
        value = c.check(c.min + k * c.step)
        if value == ex.state[c.name]:
            value = c.check(c.max if value != c.max else c.min)
        # what a drag does: the input's value changes and an input event fires
        gallery.locator(f"#{key}-{c.name}").evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(value))
        ex.set(**{c.name: value})
        assert svg.inner_html() != before, f"{key}: moving {c.name} to {value} did not change the figure"
        compare(ex, page_data(gallery, key))
        assert gallery.locator(f"#{key} .nnx-readout").text_content() == ex.readout()
    for c in ex.controls:
        if isinstance(c, Choice):  # the dropdowns too
            other = next(v for v, _ in c.options if v != ex.state[c.name])
            gallery.locator(f"#{key}-{c.name}").select_option(other)
            ex.set(**{c.name: other})
            compare(ex, page_data(gallery, key))


def test_keyboard_moves_a_slider_and_announces_it(gallery):
    key = "gallery-neuron"
    slider = gallery.locator(f"#{key}-weight")
    slider.focus()
    assert gallery.evaluate("document.activeElement.id") == f"{key}-weight"
    path_before = gallery.locator(f"#{key} path.nnx-curve").get_attribute("d")
    for _ in range(5):
        gallery.keyboard.press("ArrowRight")
    assert slider.input_value() == "1.5"
    assert gallery.locator(f"output[for='{key}-weight']").text_content() == "1.5"
    assert slider.get_attribute("aria-valuetext") == "1.5"
    ex = GALLERY[key]().set(weight=1.5)
    assert gallery.locator(f"#{key} .nnx-readout").text_content() == ex.readout()
    assert gallery.locator(f"#{key} .nnx-readout").get_attribute("aria-live") == "polite"
    # the curve's pixels are the plotted values through the axes' scales
    d = gallery.locator(f"#{key} path.nnx-curve").get_attribute("d")
    assert d != path_before
    pts = np.array([[float(v) for v in p.split(",")] for p in re.findall(r"[ML]([-\d.]+,[-\d.]+)", d)])
    r = ex.curves()
    x0, x1, y0, y1 = 64, 64 + 556, 34 + 306, 34  # the neuron plot's box in SVG units
    ylim = (-0.25, 1.25)
    np.testing.assert_allclose(pts[:, 0], x0 + (r["x"] + 5) / 10 * (x1 - x0), atol=0.006)
    np.testing.assert_allclose(pts[:, 1], y0 + (r["y"] - ylim[0]) / (ylim[1] - ylim[0]) * (y1 - y0), atol=0.006)


def test_every_control_is_labelled(gallery):
    unlabelled = gallery.evaluate("""Array.from(document.querySelectorAll('.nnx input, .nnx select'))
        .filter(el => !(el.labels && el.labels.length && el.labels[0].textContent.trim())).map(el => el.id)""")
    assert unlabelled == []
    figures = gallery.evaluate("""Array.from(document.querySelectorAll('.nnx svg'))
        .map(s => [s.getAttribute('role'), (s.querySelector('title') || {}).textContent,
                   ((s.querySelector('desc') || {}).textContent || '').length])""")
    assert all(role == "img" and title and desc > 40 for role, title, desc in figures)


def test_works_from_disk(browser, site_dir):
    """Opened as a file (file://, no server), the page still runs its explorers."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site_dir / PAGE).as_uri())
    page.wait_for_function("window.nnlibExplore && Object.keys(nnlibExplore.instances).length >= 7")
    page.locator("#gallery-and-b").evaluate("el => { el.value = '0.5'; el.dispatchEvent(new Event('input')); }")
    assert json.loads(page_data(page, "gallery-and"))["accuracy"] == 0.25
    page.close()
    assert errors == []


def test_neuron_count_shows_and_hides_the_neurons_controls(gallery):
    key = "gallery-sum"
    rows = gallery.locator(f"#{key} .nnx-row[data-neuron]")
    visible = lambda: [r.is_visible() for r in rows.all()]  # noqa: E731
    assert visible()[:4] == [True, True, True, False]
    gallery.locator(f"#{key}-count").evaluate("el => { el.value = '1'; el.dispatchEvent(new Event('input')); }")
    assert visible()[:4] == [True, False, False, False]
    data = json.loads(page_data(gallery, key))
    assert len(data["hidden"]) == 1
    # the legend lists only the shown neuron
    legend = gallery.locator(f"#{key} svg text").all_text_contents()
    assert "v1 \u00b7 neuron 1" in legend
    assert gallery.locator(f"#{key} svg g[visibility='hidden'] text", has_text="neuron 2").count() == 1
