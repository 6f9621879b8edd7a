"""The playground in Chromium (its static face, as the book shows it): every data set and architecture the menus
offer trains, a dragged (or keyed) weight redraws the graph and every picture below it, Export shows the code
Python's to_code writes for the same run, and without JavaScript the starting network is drawn and the controls
that cannot work are hidden. Text stays >= 11 px on a 390 px phone; axe finds nothing serious.

The page is Playground().to_html() set as the document's content: no built book needed.
"""

import pytest

from nnlib.explore.contract import contract
from nnlib.explore.playground import DATA_SETS, MAX_UNITS, Playground

AXE = __import__("pathlib").Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def document(playground):
    return (
        '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">'
        "<title>playground</title></head><body><main style='max-width:900px;margin:auto;padding:0 8px'>"
        + playground.to_html()
        + "</main></body></html>"
    )


@pytest.fixture(scope="module")
def default_html():
    return document(Playground(key="pg"))


def choose(page, **menus):
    for name, value in menus.items():
        page.select_option(f"#pg [data-param={name}]", str(value))


def state(page):
    return page.evaluate(
        """() => { const r = document.getElementById('pg');
            return {epoch: +r.dataset.epoch, loss: +r.dataset.loss,
                    images: r.querySelectorAll('svg.nnx-pg-graph image').length,
                    edges: r.querySelectorAll('svg.nnx-pg-graph [role=slider]').length,
                    region: r.querySelector('svg.nnx-pg-region image').getAttribute('href')}; }"""
    )


# Every data set with every layer count (0-3); units and activations cycle so that each unit count 1-8 and each
# activation the contract lists is trained at least once: 24 short runs in one page.
ACTIVATIONS = contract()["activations"]
COMBOS, slot = [], 0
for d, data in enumerate(DATA_SETS):
    for layers in range(4):
        units = [1 + 3 * (slot + k) % MAX_UNITS for k in range(layers)]  # 3 and 8 coprime: every count comes up
        slot += layers
        COMBOS.append((data, layers, units, ACTIVATIONS[(d * 4 + layers) % len(ACTIVATIONS)]))


def test_every_data_set_and_architecture_trains(page, page_log, default_html):
    assert {u for c in COMBOS for u in c[2]} == set(range(1, MAX_UNITS + 1))
    assert {c[3] for c in COMBOS} == set(ACTIVATIONS)
    page.set_content(default_html)
    problems = []
    for data, layers, units, activation in COMBOS:
        menus = {"data": data, "layers": layers, "activation": activation, "learning_rate": 0.1, "batch_size": 16}
        menus.update({f"units{k + 1}": u for k, u in enumerate(units)})
        choose(page, **menus)
        before = state(page)
        page.click("#pg [data-act=step]")
        page.click("#pg [data-act=step]")
        after = state(page)
        where = f"{data} {units} {activation}"
        if before["epoch"] != 0 or after["epoch"] != 2:
            problems.append(f"{where}: epochs {before['epoch']} -> {after['epoch']}")
        if not after["loss"] == after["loss"] or after["loss"] == before["loss"]:
            problems.append(f"{where}: the loss did not move ({before['loss']} -> {after['loss']})")
        if after["region"] == before["region"]:
            problems.append(f"{where}: the decision region was not redrawn")
        sizes = [2, *units, 1]
        if after["images"] != sum(sizes) or after["edges"] != sum(a * b for a, b in zip(sizes, sizes[1:])):
            problems.append(f"{where}: graph has {after['images']} nodes and {after['edges']} edges")
    assert not problems, "\n".join(problems)
    page_log.assert_clean()


def test_train_and_pause_stop_at_a_whole_epoch(page, page_log, default_html):
    page.set_content(default_html)
    # a frame budget of a few microseconds: one mini-batch per frame, so Pause comes in the middle of an epoch
    page.evaluate("window.__nnxPlaygroundInstances.pg.cfg.budget_ms = 0.005")
    page.click("#pg [data-act=train]")
    page.wait_for_function("+document.getElementById('pg').dataset.epoch >= 2")
    page.click("#pg [data-act=train]")
    inst = page.evaluate(
        "() => { const t = window.__nnxPlaygroundInstances.pg.trainer; return {order: t.order, epoch: t.epoch}; }"
    )
    assert inst["order"] is None and inst["epoch"] >= 2
    assert page.inner_text("#pg .nnx-readout").startswith(f"epoch {inst['epoch']}:")
    page_log.assert_clean()


# A point of the edge's line that the pointer reaches (where no other edge lies on top of it), in page pixels.
GEOMETRY = """(sel) => {
    const g = document.querySelector(sel), path = g.querySelectorAll('path')[1], len = path.getTotalLength();
    const m = path.getScreenCTM();
    for (let f = 0.5; f < 0.95; f += 0.05) {
        const p = path.getPointAtLength(len * f), x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('.nnx-pg-edge') === g) return {x, y};
    }
    return null;
}"""
PICTURES = """() => [...document.querySelectorAll('#pg svg.nnx-pg-graph image')].map((i) => i.getAttribute('href'))
    .concat([document.querySelector('#pg svg.nnx-pg-region image').getAttribute('href')])"""


def edge_look(page, sel):
    return page.evaluate(
        "(sel) => { const g = document.querySelector(sel), l = g.querySelectorAll('path')[1];"
        " return [+g.getAttribute('aria-valuenow'), l.getAttribute('stroke'), l.getAttribute('stroke-width')]; }",
        sel,
    )


def test_a_dragged_weight_redraws_the_graph_and_every_picture_after_it(page, page_log, default_html):
    page.set_content(default_html)
    choose(page, data="xor", layers=1, units1=3, activation="tanh")
    page.click("#pg [data-act=step]")
    sel = '#pg [data-edge="0,0,1"]'  # from input x0 to neuron 1 of layer 1 (neurons count from 0, as z0 in the book)
    assert "input x0 to neuron 1 of layer 1" in page.get_attribute(sel, "aria-label")
    w0, colour0, width0 = edge_look(page, sel)
    pictures0 = page.evaluate(PICTURES)
    at = page.evaluate(GEOMETRY, sel)
    page.mouse.move(at["x"], at["y"])
    page.mouse.down()
    page.mouse.move(at["x"], at["y"] - 60, steps=6)  # up: a larger weight
    page.mouse.up()
    w1, colour1, width1 = edge_look(page, sel)
    assert w1 > w0 + 0.5, (w0, w1)
    assert (colour1, width1) != (colour0, width0)
    pictures1 = page.evaluate(PICTURES)
    # nodes: x0, x1 | three hidden | output, then the region: neuron 1, the output and the region change
    assert pictures1[:2] == pictures0[:2]
    assert pictures1[3] != pictures0[3] and pictures1[5] != pictures0[5] and pictures1[6] != pictures0[6]
    assert page.get_attribute("#pg", "data-epoch") == "0"  # a new run starts from the weights shown
    # the keyboard: focus the edge, arrow keys step it by 0.1
    page.focus(sel)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    w2 = edge_look(page, sel)[0]
    assert w2 == pytest.approx(w1 + 0.1, abs=1e-9)
    assert page.evaluate(PICTURES)[5] != pictures1[5]
    assert page.evaluate("() => document.activeElement.getAttribute('data-edge')") == "0,0,1"  # focus kept
    page_log.assert_clean()


def test_export_shows_the_code_python_writes_for_the_same_run(page, page_log):
    pg = Playground(data="moons", noise=0.05, hidden=(3, 2), activation="relu", learning_rate=0.03, key="pg")
    page.set_content(document(pg))
    for _ in range(3):
        page.click("#pg [data-act=step]")
    assert page.is_hidden("#pg .nnx-pg-export")
    page.click("#pg [data-act=export]")
    assert page.get_attribute("#pg [data-act=export]", "aria-expanded") == "true"
    code = page.inner_text("#pg .nnx-pg-export code")
    assert code == pg.train(3).to_code()
    page.click("#pg [data-act=step]")  # the open panel follows the run
    assert "4 epochs" in page.inner_text("#pg .nnx-pg-export code")
    page_log.assert_clean()


def test_without_javascript_the_start_is_drawn_and_the_controls_are_hidden(browser, default_html):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.set_content(default_html)
    # the start as three still pictures (an <img> each, which an untrusted notebook keeps), with alt text
    for figure in ("graph", "region", "loss"):
        still = page.locator(f"#pg img.nnx-pg-{figure}-still")
        assert still.is_visible() and still.evaluate("(i) => i.complete && i.naturalWidth > 0"), figure
        assert len(still.get_attribute("alt").split()) > 5, figure
        assert page.is_hidden(f"#pg svg.nnx-pg-{figure}"), figure
    assert "Run this cell" in page.inner_text("#pg .nnx-runnote")
    for hidden in (".nnx-pg-menus", ".nnx-pg-buttons", ".nnx-pg-cap"):
        assert page.is_hidden(f"#pg {hidden}"), hidden
    assert page.inner_text("#pg .nnx-readout").startswith("epoch 0: training loss")
    context.close()


TEXT_SIZES = """() => {
    const small = [];
    document.querySelectorAll('#pg svg').forEach((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        svg.querySelectorAll('text').forEach((t) => {
            const px = parseFloat(getComputedStyle(t).fontSize) * scale;
            if (t.textContent.trim() && px < 11) small.push(svg.getAttribute('class') + ': ' + t.textContent + ' ' + px.toFixed(1));
        });
    });
    document.querySelectorAll('#pg p, #pg label, #pg button, #pg select, #pg span').forEach((e) => {
        const px = parseFloat(getComputedStyle(e).fontSize);
        if (e.offsetParent && e.textContent.trim() && px < 11) small.push(e.tagName + ': ' + px);
    });
    return small;
}"""


def test_text_is_at_least_11_px_on_a_phone_and_axe_finds_nothing_serious(page, page_log, default_html):
    page.set_viewport_size(PHONE)
    page.set_content(default_html)
    assert page.evaluate(TEXT_SIZES) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document.getElementById('pg'), {resultTypes: ['violations']})).violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.help)"""
    )
    assert found == []
    page_log.assert_clean()


# The live face (dist/playground-live.js, as anywidget runs it) with a stand-in for the widget model: each request
# the view makes is answered here by Playground._on_request, i.e. nnlib trains, as the kernel would. As with
# traitlets, a request equal to the trait's value changes nothing and reaches no one. window.__renderAgain() draws
# a second view of the same model, as JupyterLab does when its page is reloaded while the kernel runs.
LIVE_HOST = """async ([src, face, config]) => {
    const mod = await import(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
    const data = {face, config, view: {}}, listeners = {};
    let sent = null;
    window.__requests = [];
    const model = {get: (k) => data[k], set: (k, v) => { data[k] = v; },
        save_changes: () => {
            if (JSON.stringify(data.request) !== sent) window.__requests.push(data.request);
            sent = JSON.stringify(data.request);
        },
        on: (event, f) => { listeners[event] = f; }, off: () => {}};
    window.__deliver = (view) => { data.view = view; listeners["change:view"](); };
    window.__renderAgain = () => {
        document.body.replaceChildren();
        const host = document.createElement("div");
        document.body.appendChild(host);
        mod.default.render({model, el: host});
    };
    window.__renderAgain();
}"""


class _View:
    comm = object()
    view = None


def answer_requests(page, pg):
    """Answer every request the view made, in order, as the kernel does; returns how many."""
    requests = page.evaluate("window.__requests.splice(0)")
    for request in requests:
        pg._on_request(request)
        page.evaluate("(v) => window.__deliver(v)", pg._view.view)
    return len(requests)


def test_the_live_face_draws_what_nnlib_trains_in_the_kernel(page, page_log):
    from nnlib.explore._face import asset_path

    pg = Playground(key="pg")
    pg._view = _View()
    page.set_content("<!doctype html><html><body></body></html>")
    src = asset_path("dist/playground-live.js").read_text(encoding="utf-8")
    page.evaluate(LIVE_HOST, [src, pg._block(), pg.config()])
    assert answer_requests(page, pg) == 1  # the run at epoch 0
    region0 = state(page)["region"]
    page.click("#pg [data-act=step]")
    page.click("#pg [data-act=step]")
    assert answer_requests(page, pg) == 2 and pg.epoch == 2
    assert state(page)["epoch"] == 2 and state(page)["region"] != region0
    assert page.inner_text("#pg .nnx-readout") == pg.readout()  # the page's sentence from nnlib's history
    # a weight keyed on the graph starts a new run in the kernel from the weights shown
    page.focus('#pg [data-edge="1,0,0"]')
    page.keyboard.press("PageUp")
    answer_requests(page, pg)
    assert pg.epoch == 0
    assert pg.model.layers[1].W[0, 0] == pytest.approx(round(pg.start[1]["W"][0][0], 2))
    page_log.assert_clean()


def test_a_view_drawn_again_is_answered_by_the_kernel(page, page_log):
    """A reloaded JupyterLab page draws the playground's view again on the kernel's model: its first request must
    reach the kernel (numbered on from the model's last request, not from 1 again: that repeated the first view's
    first request, which changed no trait, so the kernel never answered and Step brought nothing)."""
    from nnlib.explore._face import asset_path

    pg = Playground(key="pg")
    pg._view = _View()
    page.set_content("<!doctype html><html><body></body></html>")
    src = asset_path("dist/playground-live.js").read_text(encoding="utf-8")
    page.evaluate(LIVE_HOST, [src, pg._block(), pg.config()])
    assert answer_requests(page, pg) == 1  # the first view's run at epoch 0
    page.evaluate("window.__renderAgain()")
    assert answer_requests(page, pg) == 1, "the view drawn again asked nothing the kernel could see"
    assert state(page)["epoch"] == 0
    page.click("#pg [data-act=step]")
    assert answer_requests(page, pg) == 1 and pg.epoch == 1 and state(page)["epoch"] == 1
    page_log.assert_clean()
