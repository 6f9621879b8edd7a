"""The explorers' static face in the built book: headless Chromium moves the sliders of the gallery page,
reads every explorer page at 390 px, and with JavaScript off.

Every explorer of notebooks/90_explorer_gallery.ipynb is rebuilt here in Python with the same
arguments (the page's embedded configuration must equal ours, so the two cannot drift apart);
the browser then moves sliders, by keyboard and by setting values with an input event as a
reader's drag does, and the arrays the page plotted must equal nnlib's to 1e-6. The SVG must
change and its curve must sit where the plotted values say.

At 390 x 844 (a phone) every explorer of every page must fit: no sideways scrolling, no control
overlapping another or cut off. The figure each page carries for readers without JavaScript must be
the very drawing the script makes first.

Needs the built book (`make book`) and the fixtures of tests/browser/conftest.py.
"""

import json
import re

import numpy as np
import pytest

from nnlib.exercises import ch02, ch05
from nnlib.explore import (
    AffineExplorer,
    DecisionBoundaryExplorer,
    FitExplorer,
    MatrixFlowExplorer,
    NeuronExplorer,
    NeuronSumExplorer,
)
from nnlib.explore._controls import Choice
from nnlib.explore._face import still_svg

import test_explore_js as cases
from jsface import chromium_eval

PAGE = "notebooks/90_explorer_gallery.html"


def _xor():
    rng = np.random.default_rng(0)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    points = np.repeat(corners, 15, axis=0) + rng.normal(0, 0.12, size=(60, 2))
    return points, np.repeat([0, 1, 1, 0], 15)


# The gallery's explorers, with the notebook's arguments.
GALLERY = {
    "gallery-neuron": lambda: NeuronExplorer(
        weight=1.0,
        bias=0.0,
        activation="sigmoid",
        references=[dict(weight=0.5, bias=0, label="w = 0.5, b = 0"), dict(weight=2.0, bias=0, label="w = 2, b = 0")],
        key="gallery-neuron",
    ),
    "gallery-sum": lambda: NeuronSumExplorer(
        neurons=[(2, -2), (0.5, 1), (-2, -4)],
        activation="sigmoid",
        second_layer=dict(weight=1, bias=0, activation="sigmoid"),
        key="gallery-sum",
    ),
    "gallery-fit": lambda: NeuronSumExplorer(
        neurons=[(3, -3, 1), (3, 3, -1)],
        activation="sigmoid",
        max_neurons=8,
        target=lambda x: np.exp(-(x**2)),
        output_bias=0.0,
        key="gallery-fit",
    ),
    "gallery-and": lambda: DecisionBoundaryExplorer(weights=(1.0, 1.0, -1.5), activation="sigmoid", key="gallery-and"),
    "gallery-xor": lambda: DecisionBoundaryExplorer(
        hidden=dict(W=[[4.0, 4.0], [4.0, 4.0]], b=[-2.0, -6.0], activation="tanh"),
        output=([1.5, -1.5], -0.5),
        activation="sigmoid",
        data=_xor()[0],
        labels=_xor()[1],
        key="gallery-xor",
    ),
    "gallery-affine": lambda: AffineExplorer(W=[[1.0, 0.5], [-0.5, 1.0]], b=[0.5, -0.2], key="gallery-affine"),
    "gallery-svd": lambda: AffineExplorer(mode="svd", parts=(30, 1.5, 0.5, -20), b=[0.2, 0.2], key="gallery-svd"),
}


def _flow_net():
    return ch05.seed_network()


# The gallery's other explorers of nnlibExplore: built here with the notebook's arguments too (the page's
# configuration must equal ours), but their numbers are tested elsewhere (tests/test_explore_flow_fit.py), so
# the slider tests below are parametrized over GALLERY only.
ALSO_IN_GALLERY = {
    "gallery-fit-n": lambda: FitExplorer(
        ch02.wiggly,
        neurons=6,
        activation="relu",
        max_neurons=ch02.FIT_MAX_NEURONS,
        min_r2=ch02.FIT_MIN_R2,
        key="gallery-fit-n",
    ),
    "gallery-flow": lambda: MatrixFlowExplorer(_flow_net(), np.array([1.0, 0.5]), key="gallery-flow"),
}
# The playground (class nnx-pg) keeps its own registry (nnlibPlayground); tests/browser/test_playground.py
# drives it, so the explorer queries below leave it out, except the phone layout check, which includes it.
EXPLORERS = ".nnx:not(.nnx-train):not(.nnx-pg)"

# Arrays the page exposes (nnlibExplore.instances[key].data) and nnlib's curves() both hold.
ARRAYS = {
    "neuron": ["x", "a", "y", "references"],
    "neuronsum": ["x", "hidden", "sum", "output", "r2", "mse"],
    "boundary": ["gx", "gy", "grid", "outputs", "predicted"],
    "affine": ["points", "stages", "W", "b", "parts", "det", "counts"],
}


def page_config(page, key):
    return json.loads(page.locator(f"#{key} script.nnx-config").text_content())


def page_data(page, key):
    return page.evaluate(f"JSON.stringify(nnlibExplore.instances[{json.dumps(key)}].data)")


def page_accuracy(page, key):
    """The share of points on their class's side in the page's numbers."""
    correct = json.loads(page_data(page, key))["correct"]
    return sum(correct) / len(correct)


def compare(explorer, js_json):
    js = json.loads(js_json)
    py = explorer.curves()
    for name in ARRAYS[explorer.kind]:
        p, j = py[name], js[name]
        if p is None:
            assert j is None, name
            continue
        np.testing.assert_allclose(
            np.asarray(j, dtype=float),
            np.asarray(p, dtype=float),
            rtol=0,
            atol=1e-6,
            err_msg=f"{explorer.key}: {name} at {explorer.state}",
        )


@pytest.fixture
def gallery(page, open_page, page_log):
    open_page(PAGE)
    page.wait_for_function(
        "window.nnlibExplore && Object.keys(nnlibExplore.instances).length >= "
        + str(len(GALLERY) + len(ALSO_IN_GALLERY))
    )
    yield page
    page_log.assert_clean(PAGE)


def test_every_explorer_boots_and_is_the_one_the_notebook_built(gallery):
    # the training explorer (nnlibTrain) is tested in tests/browser/test_train_explorers.py
    keys = gallery.evaluate(f"Array.from(document.querySelectorAll('{EXPLORERS}')).map(e => e.id)")
    everything = {**GALLERY, **ALSO_IN_GALLERY}
    assert sorted(keys) == sorted(everything)
    assert gallery.evaluate("Object.keys(nnlibExplore.instances).sort()") == sorted(everything)
    for key, make in everything.items():
        ex = make()
        ours = json.loads(re.search(r'class="nnx-config">(.*?)</script>', ex.to_html()).group(1).replace("<\\/", "</"))
        assert page_config(gallery, key) == ours, key
        # the no-JavaScript note is gone and the figure is drawn
        assert gallery.locator(f"#{key} .nnx-nojs").count() == 0
        drawn = "path, circle" if key in GALLERY else "*"  # the flow draws boxes and text
        assert gallery.locator(f"#{key} svg.nnx-svg").locator(drawn).count() > 3
        if key in GALLERY:
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
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(value)
        )
        ex.set(**{c.name: value})
        assert svg.inner_html() != before, f"{key}: moving {c.name} to {value} did not change the figure"
        compare(ex, page_data(gallery, key))
        assert gallery.locator(f"#{key} .nnx-readout").text_content() == ex.readout()
    for c in ex.controls:
        if isinstance(c, Choice) and gallery.locator(f"#{key}-{c.name}").is_visible():  # the menus too
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
    x0, x1, y0, y1 = 64, 64 + 556, 34 + 280, 34  # the neuron plot's box in SVG units
    ylim = (-0.25, 1.25)
    np.testing.assert_allclose(pts[:, 0], x0 + (r["x"] + 5) / 10 * (x1 - x0), atol=0.006)
    np.testing.assert_allclose(pts[:, 1], y0 + (r["y"] - ylim[0]) / (ylim[1] - ylim[0]) * (y1 - y0), atol=0.006)


def test_every_control_is_labelled(gallery):
    unlabelled = gallery.evaluate("""Array.from(document.querySelectorAll('.nnx input, .nnx select'))
        .filter(el => !(el.labels && el.labels.length && el.labels[0].textContent.trim())).map(el => el.id)""")
    assert unlabelled == []
    figures = gallery.evaluate("""Array.from(document.querySelectorAll('.nnx:not(.nnx-pg) svg'))
        .map(s => [s.getAttribute('role'), (s.querySelector('title') || {}).textContent,
                   ((s.querySelector('desc') || {}).textContent || '').length])""")
    assert figures and all(role == "img" and title and desc > 40 for role, title, desc in figures)
    # the playground's three figures are labelled by aria-label; its graph is a group of sliders (its edges)
    figures = gallery.evaluate("""Array.from(document.querySelectorAll('.nnx-pg svg'))
        .filter(s => !s.parentElement.closest('.nnx-pg svg'))
        .map(s => [s.classList[0], s.getAttribute('role'), (s.getAttribute('aria-label') || '').length])""")
    assert [f[:2] for f in figures] == [["nnx-pg-graph", "group"], ["nnx-pg-region", "img"], ["nnx-pg-loss", "img"]]
    assert all(length > 40 for _, _, length in figures)


def test_works_from_disk(browser, site_dir):
    """Opened as a file (file://, no server), the page still runs its explorers."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site_dir / PAGE).as_uri())
    page.wait_for_function("window.nnlibExplore && Object.keys(nnlibExplore.instances).length >= 7")
    page.locator("#gallery-and-b").evaluate("el => { el.value = '0.5'; el.dispatchEvent(new Event('input')); }")
    assert page_accuracy(page, "gallery-and") == 0.25
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
    assert "v0 \u00b7 z0" in legend
    assert gallery.locator(f"#{key} svg g[visibility='hidden'] text", has_text="z1").count() == 1


def test_second_layer_switch_and_target_menu(gallery):
    gallery.locator("#gallery-sum-layer2").select_option("off")
    assert gallery.locator("#gallery-sum-w_l2").is_hidden()  # its sliders go with it
    data = json.loads(page_data(gallery, "gallery-sum"))
    assert data["output"] == data["sum"]
    assert "after layer 2" not in gallery.locator("#gallery-sum .nnx-readout").text_content()
    gallery.locator("#gallery-and-b").evaluate("el => { el.value = '-0.5'; el.dispatchEvent(new Event('input')); }")
    assert page_accuracy(gallery, "gallery-and") == 0.5  # an OR line, scored as AND
    gallery.locator("#gallery-and-target").select_option("or")
    assert page_accuracy(gallery, "gallery-and") == 1.0
    assert gallery.locator("#gallery-and svg path[d$='Z']").count() == 3 + 1  # OR's three triangles and the legend's


def test_axes_follow_the_curves_without_jumping(gallery):
    key = "gallery-sum"
    ticks = lambda: gallery.locator(f"#{key} svg text[text-anchor='end']").all_text_contents()  # noqa: E731

    def move(name, value):
        gallery.locator(f"#{key}-{name}").evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(value)
        )

    before = ticks()
    move("b0", -1.9)  # a small move: the same axes
    assert ticks() == before
    for name in ("v0", "v1", "v2"):
        move(name, 3)  # the sum grows to about 9: the axis grows with it, in round steps
    highest = max(json.loads(page_data(gallery, key))["sum"])
    top = float(ticks()[-1].replace("\u2212", "-"))
    assert highest > 6 and ticks() != before and top >= 0.75 * highest


def test_stage_play_runs_the_cloud_to_relu(gallery):
    key = "gallery-svd"
    gallery.locator(f"#{key}-stage").evaluate("el => { el.value = '0'; el.dispatchEvent(new Event('input')); }")
    gallery.wait_for_timeout(700)
    start = gallery.locator(f"#{key} svg circle").nth(70).get_attribute("cx")
    gallery.locator(f"#{key} button.nnx-play").click()
    gallery.wait_for_function(f"document.getElementById('{key}-stage').value === '5'", timeout=15_000)
    gallery.wait_for_timeout(900)  # the last animation
    ex = GALLERY[key]().set(stage=5)
    assert gallery.locator(f"#{key} .nnx-readout").text_content() == ex.readout()
    assert gallery.locator(f"#{key} svg circle").nth(70).get_attribute("cx") != start


def test_prerendered_figure_is_the_scripts_first_drawing(gallery):
    """The SVG in the HTML (drawn by the bundle in Node) equals what the page's script draws, to the tenth."""
    for key, make in GALLERY.items():
        html = make().to_html()
        pre = still_svg(html)  # the drawing inside the still picture
        live = gallery.evaluate("k => nnlibExplore.serializeSVG(document.querySelector('#' + k + ' svg.nnx-svg'))", key)
        assert live == pre, key


# -- every explorer page, as readers see it --------------------------------------------------------------
def explorer_pages(site_dir):
    pages = sorted(
        str(p.relative_to(site_dir))
        for p in (site_dir / "notebooks").glob("*.html")
        if 'class="nnx ' in p.read_text(encoding="utf-8")
    )
    assert PAGE in pages and len(pages) >= 6, pages
    return pages


# Per explorer: content wider than the block, controls and text that overlap, or lie outside the block.
LAYOUT_PROBLEMS = """() => {
  const out = [];
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  for (const nnx of document.querySelectorAll(".nnx:not(.nnx-train)")) {
    const box = nnx.getBoundingClientRect();
    if (!nnx.classList.contains("nnx-live")) out.push(nnx.id + ": the script did not take over the figure");
    if (nnx.scrollWidth > nnx.clientWidth + 1) out.push(nnx.id + ": content " + nnx.scrollWidth + " px wide in " + nnx.clientWidth);
    const parts = Array.from(nnx.querySelectorAll(".nnx-h, svg.nnx-svg, .nnx-readout, .nnx-rowh, .nnx-controls label, " +
      ".nnx-controls input, .nnx-controls select, .nnx-controls output, .nnx-controls button")).filter(visible);
    const rects = parts.map(e => e.getBoundingClientRect());
    parts.forEach((e, i) => {
      const r = rects[i], name = nnx.id + " " + (e.id || e.getAttribute("for") || e.className.baseVal || e.className || e.tagName);
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(name + ": cut off (" + r.left + ".." + r.right + ")");
      for (let j = 0; j < i; j++) {
        const q = rects[j], w = Math.min(r.right, q.right) - Math.max(r.left, q.left), h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
        if (w > 1 && h > 1 && !parts[j].contains(e) && !e.contains(parts[j])) out.push(name + " overlaps " + (parts[j].id || parts[j].getAttribute("for") || parts[j].tagName));
      }
    });
  }
  return out;
}"""


def test_every_explorer_fits_a_phone(page, open_page, site_dir, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for path in explorer_pages(site_dir):
        open_page(path)
        # Training explorers (train.js) keep their own registry; test_train_explorers.py checks them at 390 px.
        page.wait_for_function(
            f"window.nnlibExplore && document.querySelectorAll('{EXPLORERS}').length === "
            "Object.keys(nnlibExplore.instances).filter(k => document.getElementById(k)).length && "
            "[...document.querySelectorAll('.nnx-pg')].every((b) => b.classList.contains('nnx-live'))"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{path}: the page is {width} px wide at 390")
        problems += [f"{path}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        # the first explorer on the phone (a full-page shot of every page is test_pages.py's)
        page.locator(EXPLORERS).first.screenshot(path=str(screenshot_dir / f"phone-{path.split('/')[-1][:-5]}.png"))
    assert problems == []


def test_touch_moves_a_slider_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + PAGE)
    page.wait_for_function("window.nnlibExplore && nnlibExplore.instances['gallery-neuron']")
    slider = page.locator("#gallery-neuron-weight")
    slider.scroll_into_view_if_needed()
    before = page.locator("#gallery-neuron path.nnx-curve").get_attribute("d")
    r = slider.bounding_box()
    page.touchscreen.tap(r["x"] + 0.9 * r["width"], r["y"] + r["height"] / 2)
    assert float(slider.input_value()) > 3  # the thumb went where the finger was
    assert page.locator("#gallery-neuron path.nnx-curve").get_attribute("d") != before
    context.close()


# -- the drawing code's own helpers in Chromium: the case tables of tests/test_explore_js.py (Node) -----------
def test_follow_range_and_decompose_in_chromium(browser):
    context = browser.new_context()
    page = context.new_page()
    follow = cases.follow_cases()
    cases.check_follow(chromium_eval(page, ["explore.js"], cases.FOLLOW_JS, [follow])[0], follow)
    cases.check_decompose(chromium_eval(page, ["explore.js"], cases.DECOMPOSE_JS, cases.DECOMPOSE_CASES))
    context.close()


# -- the live face (Jupyter's anywidget view) draws what the static face draws: no book needed ---------------
LIVE_PAGE = """
<script>__STATIC__</script>
<div id="root"></div>
<script type="module">
// The live bundle, imported as anywidget imports it, with a stand-in for anywidget's model: save_changes
// hands the view's state to the explorer in Python (exposed by the test) and fires change:view with its answer.
const { render } = (await import(URL.createObjectURL(new Blob([__ESM__], { type: "text/javascript" })))).default;
const state = __STATE__, handlers = {};
const model = {
  get: (k) => state[k],
  set: (k, v) => { state[k] = v; },
  on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
  off: (event, f) => { handlers[event] = (handlers[event] || []).filter((g) => g !== f); },
  save_changes: async () => {
    state.view = await window.kernel(state.state);
    (handlers["change:view"] || []).forEach((f) => f());
  },
};
render({ model, el: document.getElementById("root") });
window.liveReady = true;
</script>"""


def _script_json(value):
    return json.dumps(value).replace("</", "<\\/")


@pytest.mark.parametrize("name", ["neuron", "sum", "hidden", "affine"])
def test_live_face_draws_what_the_static_face_draws(browser, name):
    """The same slider moves in the anywidget view (numbers from nnlib, through a stand-in comm) and in the
    book's block (numbers from nn.js) leave the same SVG, in Chromium's DOM."""
    from nnlib.explore._face import asset

    make = cases.EXPLORERS[name]
    live, static = make(), make()
    static.key = live.key  # one key (a second identical explorer in a run gets "-2"): the same clip-path ids
    context = browser.new_context(viewport={"width": 900, "height": 900}, reduced_motion="reduce")
    try:
        pages = {"live": context.new_page(), "static": context.new_page()}
        widget = live.widget()

        def kernel(state):
            widget.state = state  # the explorer computes with nnlib and sets widget.view
            return widget.view

        pages["live"].expose_function("kernel", kernel)
        fields = {"face": widget.face, "config": widget.config, "view": widget.view, "state": {}}
        pages["live"].set_content(
            "<!doctype html><meta charset='utf-8'>"
            + LIVE_PAGE.replace("__STATIC__", asset("dist/explore-static.js"))
            .replace("__STATE__", _script_json(fields))
            .replace("__ESM__", _script_json(widget._esm))
        )
        pages["static"].set_content(f"<!doctype html><meta charset='utf-8'>{static.to_html()}")
        for page in pages.values():
            page.wait_for_function(f"document.getElementById({json.dumps(static.key)})?.__nnx?.data")

        def pictures():
            return [
                p.evaluate(
                    "k => nnlibExplore.serializeSVG(document.querySelector('#' + k + ' svg.nnx-svg'))", static.key
                )
                for p in pages.values()
            ]

        a, b = pictures()
        cases.assert_same_picture(a, b, f"{name}: first state")
        for state in cases.random_states(static, 5, seed=len(name))[:5]:
            moved = {k: v for k, v in state.items() if v != static.state[k]}
            for page in pages.values():
                drawn = page.evaluate(f"+document.getElementById({json.dumps(static.key)}).getAttribute('data-drawn')")
                for k, v in moved.items():
                    page.locator(f"#{static.key}-{k}").evaluate(
                        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(v)
                    )
                page.wait_for_function(
                    "([k, n]) => +document.getElementById(k).getAttribute('data-drawn') >= n",
                    arg=[static.key, drawn + len(moved)],
                )
            static.set(**state)
            assert live.state == static.state
            a, b = pictures()
            cases.assert_same_picture(a, b, f"{name} at {state}")
            readouts = [p.locator(f"#{static.key} .nnx-readout").text_content() for p in pages.values()]
            assert readouts[0] == readouts[1], state
    finally:
        context.close()


# Each number of the flow's picture in its row: [row's y, left, right] in the SVG's units (its cells start at x 200).
FLOW_NUMBERS = """r => Array.from(r.querySelectorAll('svg text')).filter((t) => +t.getAttribute('x') >= 200)
    .map((t) => { const b = t.getBBox(); return [t.getAttribute('y'), b.x, b.x + b.width, t.textContent]; })"""


def test_flow_numbers_keep_clear_of_each_other(blank_page):
    """Chapter 5's flow, each box in turn at its range's negative end (the longest numbers, in bold: moved): no
    number runs into the next one of its row (it did: "-10.0000" over "0.5000" in JupyterLab's font)."""
    ex = ALSO_IN_GALLERY["gallery-flow"]()
    page = blank_page
    page.set_content(f"<!doctype html><meta charset='utf-8'><body style='width:1000px'>{ex.to_html()}</body>")
    page.wait_for_function("window.nnlibExplore && Object.keys(nnlibExplore.instances).length === 1")
    root = page.locator(f"#{ex.key}")
    touching = []
    for c in ex.controls:
        box = page.locator(f"#{ex.key}-{c.name}")
        box.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(c.min))
        numbers = sorted(root.evaluate(FLOW_NUMBERS), key=lambda n: (float(n[0]), n[1]))
        for a, b in zip(numbers, numbers[1:]):
            if a[0] == b[0] and a[2] + 4 > b[1]:
                touching.append(f"{c.name} = {c.min:g}: {a[3]!r} runs into {b[3]!r}")
        box.evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(c.value)
        )
    assert not touching, touching[:5]
