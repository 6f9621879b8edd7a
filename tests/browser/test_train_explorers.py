"""The training explorers in the built book (chapters 3, 4, 7 and the gallery), in headless Chromium.

Each page must carry exactly the explorer its notebook builds (tests/test_train_explorer.py rebuilds them); pressing
Train must lower the loss and change the picture within 2.5 s; the keyboard works the buttons and the neuron maps;
at 390 px the explorer reflows without overflowing. The work of each animation frame while training (goal: inside
16 ms) is a timing and is measured by benchmarks/bench_explorers.py --training-seconds 2, not asserted here.

Needs the built book (`make book`) and the fixtures of tests/browser/conftest.py.
"""

import json
import re

import pytest

from test_train_explorer import chapter_explorers

EXPLORERS = chapter_explorers()
PAGES = sorted(EXPLORERS)


def our_config(page_path):
    html = EXPLORERS[page_path]().to_html()
    cfg = json.loads(re.search(r'class="nnx-config">(.*?)</script>', html).group(1).replace("<\\/", "</"))
    cfg.pop("key")  # a second build in one process gets a suffixed id
    return cfg


@pytest.fixture
def trainer_page(page, open_page, page_log):
    def go(path):
        open_page(path)
        root = page.locator(".nnx-train")
        assert root.count() == 1, f"{path}: expected one training explorer"
        page.wait_for_function("(el) => el.hasAttribute('data-epoch')", arg=root.element_handle())
        root.scroll_into_view_if_needed()
        return root

    yield go
    page_log.assert_clean()


def state(root):
    return root.evaluate("el => ({epoch: +el.dataset.epoch, loss: +el.dataset.loss, running: el.dataset.running})")


def picture(root):
    return root.locator("canvas.nnx-train-region").evaluate("c => c.toDataURL()")


@pytest.mark.parametrize("path", PAGES)
def test_train_lowers_the_loss_and_changes_the_picture_within_2_5_s(page, trainer_page, path):
    root = trainer_page(path)
    cfg = json.loads(root.locator("script.nnx-config").text_content())
    cfg.pop("key")
    assert cfg == our_config(path), f"{path}: the page's training explorer is not the notebook's"
    start, before = state(root), picture(root)
    assert start["epoch"] == 0
    root.locator("[data-act=train]").click()
    page.wait_for_function(
        "([el, loss]) => +el.dataset.epoch >= 3 && +el.dataset.loss < 0.9 * loss",
        arg=[root.element_handle(), start["loss"]],
        timeout=2500,
    )
    assert picture(root) != before, f"{path}: the region did not change while training"
    root.locator("[data-act=train]").click()  # Pause
    paused = state(root)
    assert paused["running"] == "false" and paused["loss"] < start["loss"]
    # the pause is announced, with the epoch the counter shows
    assert root.locator(".nnx-readout").text_content().startswith(f"epoch {paused['epoch']}: training loss")
    assert root.locator(".nnx-train-epoch").text_content() == f"epoch {paused['epoch']}"


def test_keyboard_steps_resets_and_picks_a_neuron(page, trainer_page):
    root = trainer_page("notebooks/07_geometry_of_a_layer.html")
    root.locator("[data-act=step]").focus()
    page.keyboard.press("Enter")
    assert state(root)["epoch"] == 1
    page.keyboard.press("Space")
    assert state(root)["epoch"] == 2
    assert root.locator(".nnx-readout").text_content().startswith("epoch 2:")
    before = picture(root)
    neuron = root.locator(".nnx-train-neuron").first
    neuron.focus()
    page.keyboard.press("Enter")
    assert neuron.get_attribute("aria-pressed") == "true"
    assert picture(root) != before  # its line is drawn
    page.keyboard.press("Enter")
    assert neuron.get_attribute("aria-pressed") == "false"
    root.locator("[data-act=reset]").focus()
    page.keyboard.press("Enter")
    assert state(root)["epoch"] == 0
    # every control is labelled
    for control in root.locator("select").all():
        assert root.locator(f"label[for='{control.get_attribute('id')}']").count() == 1


def test_the_target_menu_brings_the_xor_network_with_its_hidden_neurons(page, trainer_page):
    root = trainer_page("notebooks/03_dense_learns_and.html")
    assert root.locator(".nnx-train-neuron").count() == 0  # one neuron: no hidden layer
    root.locator("select[data-param=target]").select_option("XOR")
    assert root.locator(".nnx-train-neuron").count() == 2
    assert state(root)["epoch"] == 0


@pytest.mark.parametrize("path", ["notebooks/07_geometry_of_a_layer.html", "notebooks/90_explorer_gallery.html"])
def test_reflows_at_390_px(page, trainer_page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    root = trainer_page(path)
    box = root.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5, box
    assert root.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    region = root.locator("canvas.nnx-train-region").bounding_box()
    controls = root.locator(".nnx-train-controls").bounding_box()
    assert controls["y"] >= region["y"] + region["height"], "the controls must come under the figure"
    for button in root.locator(".nnx-train-buttons button").all():
        b = button.bounding_box()
        assert b["x"] + b["width"] <= box["x"] + box["width"] + 0.5


# -- the live face (Jupyter's anywidget view), through a stand-in comm: no book needed -----------------------
LIVE_TRAINER = """
<div id="root"></div>
<script type="module">
// The live bundle, imported as anywidget imports it; the stand-in model hands each request to the explorer in
// Python (exposed by the test) and fires change:view with its answer, as the comm would.
const { render } = (await import(URL.createObjectURL(new Blob([__ESM__], { type: "text/javascript" })))).default;
const state = __STATE__, handlers = {};
const model = {
  get: (k) => state[k],
  set: (k, v) => { state[k] = v; },
  on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
  off: (event, f) => { handlers[event] = (handlers[event] || []).filter((g) => g !== f); },
  save_changes: async () => {
    state.view = await window.kernel(state.request);
    (handlers["change:view"] || []).forEach((f) => f());
  },
};
render({ model, el: document.getElementById("root") });
</script>"""


def test_live_face_trains_with_nnlib_in_the_kernel(browser):
    """Step, Train and Reset in the anywidget view: every epoch is nnlib's, the page draws what the kernel sends."""
    explorer = EXPLORERS["notebooks/90_explorer_gallery.html"]()
    widget = explorer.widget()

    def kernel(request):
        widget.request = request  # nnlib trains and sets widget.view
        return widget.view

    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.expose_function("kernel", kernel)
        fields = {"face": widget.face, "config": widget.config, "view": widget.view, "request": {}}
        page.set_content(
            "<!doctype html><meta charset='utf-8'>"
            + LIVE_TRAINER.replace("__STATE__", json.dumps(fields).replace("</", "<\\/")).replace(
                "__ESM__", json.dumps(widget._esm).replace("</", "<\\/")
            )
        )
        root = page.locator(f"#{explorer.key}")
        page.wait_for_function("el => el.hasAttribute('data-epoch')", arg=root.element_handle())
        root.locator("[data-act=step]").click()
        page.wait_for_function("el => el.getAttribute('data-epoch') === '1'", arg=root.element_handle())
        assert explorer.epoch == 1
        assert float(root.get_attribute("data-loss")) == explorer.history["loss"][-1]  # nnlib's loss, drawn
        root.locator("[data-act=train]").click()
        page.wait_for_function("el => +el.getAttribute('data-epoch') >= 6", arg=root.element_handle())
        root.locator("[data-act=train]").click()  # pause
        page.wait_for_function("el => el.getAttribute('data-running') === 'false'", arg=root.element_handle())
        page.wait_for_timeout(300)
        assert int(root.get_attribute("data-epoch")) == explorer.epoch >= 6
        root.locator("[data-act=reset]").click()
        page.wait_for_function("el => el.getAttribute('data-epoch') === '0'", arg=root.element_handle())
        assert explorer.epoch == 0 and not errors, errors
    finally:
        context.close()
