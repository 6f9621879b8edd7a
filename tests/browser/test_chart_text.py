"""Chart text is readable on a phone: in every explorer, trainer and digit canvas of the built book, every piece of
text a reader sees renders at 11 px or more on screen, at 390 px and at 1280 px wide, with and without JavaScript,
in both editions; and no SVG text runs out of its figure (the SVG would cut it off).

The explorers draw into SVGs whose text is sized in the SVG's own units; a 640-unit figure shown 330 px wide scales
12-unit text to 6 px (issue 23). What is measured is the size on screen:
- SVG <text>: its computed font size (user units) times the scale of its screen transform (getScreenCTM);
- HTML text in a figure (labels, values, captions): its computed font size;
- canvas text (the trainers' region and loss charts): every fillText call is recorded with its font size in the
  canvas's pixels (ctx.font times the context's transform); on screen that is times the canvas's CSS width over its
  pixel width, measured when the page has settled.
"""

import re

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SMALLEST = 11.0  # px on screen
ROOTS = ".nnx, .nnx-digits"  # slider explorers and trainers (.nnx), the digit canvas (.nnx-digits)

# Before any script of the page runs: remember, per canvas, the smallest text drawn, in canvas pixels.
RECORD_CANVAS_TEXT = """(() => {
    const proto = CanvasRenderingContext2D.prototype, fill = proto.fillText, stroke = proto.strokeText;
    function record(ctx) {
        const c = ctx.canvas, m = ctx.getTransform(), px = parseFloat(/([\\d.]+)px/.exec(ctx.font)[1]);
        const size = px * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
        if (c.__textFor !== c.width) { c.__textFor = c.width; c.__smallestText = Infinity; }
        c.__smallestText = Math.min(c.__smallestText, size);
    }
    proto.fillText = function (...a) { record(this); return fill.apply(this, a); };
    proto.strokeText = function (...a) { record(this); return stroke.apply(this, a); };
})();"""

# Every visible piece of text in the figures, with its size on screen: [{figure, kind, text, px}].
MEASURE = """(roots) => {
    const out = [];
    const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility === "visible"
        && !e.closest("[hidden], details:not([open])");
    // whether a text runs out of its SVG's box (the SVG clips it: a longer translation lost its last words)
    const cut = (t) => {
        const b = t.getBoundingClientRect(), box = t.ownerSVGElement.getBoundingClientRect();
        return b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1;
    };
    const figures = [...document.querySelectorAll(roots)].filter((r) => !r.parentElement.closest(roots));
    figures.forEach((root, i) => {
        const name = root.id || root.className.split(" ").join(".") + "#" + i;
        root.querySelectorAll("svg text").forEach((t) => {
            if (!t.textContent.trim() || !shown(t) || t.getBBox().width === 0) return;
            const m = t.getScreenCTM(), scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
            out.push({figure: name, kind: "svg", text: t.textContent.trim(),
                      px: parseFloat(getComputedStyle(t).fontSize) * scale, cut: cut(t)});
        });
        root.querySelectorAll("*").forEach((e) => {
            if (e.closest("svg") || !shown(e)) return;
            const own = [...e.childNodes].filter((n) => n.nodeType === 3 && n.nodeValue.trim());
            if (own.length) out.push({figure: name, kind: "html", text: own[0].nodeValue.trim(),
                                      px: parseFloat(getComputedStyle(e).fontSize)});
        });
        // A still picture (the static face without a script, the trainers' stills): an <img> of an SVG. Its text
        // is measured as drawn: the SVG laid out at the image's size on screen, off the page.
        root.querySelectorAll("img").forEach((img) => {
            if (!shown(img) || !img.src.startsWith("data:image/svg+xml")) return;
            const data = img.src.slice(img.src.indexOf(",") + 1);
            const source = img.src.slice(0, img.src.indexOf(",")).endsWith(";base64") ? atob(data)
                : decodeURIComponent(data);
            const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
            const box = img.getBoundingClientRect(), holder = document.createElement("div");
            holder.style.cssText = `position:absolute;left:-10000px;top:0;width:${box.width}px;height:${box.height}px`;
            svg.setAttribute("width", box.width);
            svg.setAttribute("height", box.height);
            holder.appendChild(document.importNode(svg, true));
            document.body.appendChild(holder);
            holder.querySelectorAll("text").forEach((t) => {
                if (!t.textContent.trim() || t.getBBox().width === 0) return;
                const m = t.getScreenCTM(), scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
                out.push({figure: name, kind: "img", text: t.textContent.trim(),
                          px: parseFloat(getComputedStyle(t).fontSize) * scale, cut: cut(t)});
            });
            holder.remove();
        });
        root.querySelectorAll("canvas").forEach((c) => {
            if (!shown(c) || !isFinite(c.__smallestText) || !c.width) return;
            out.push({figure: name, kind: "canvas", text: c.className,
                      px: c.__smallestText * c.getBoundingClientRect().width / c.width});
        });
    });
    return out;
}"""


def figure_pages(site_dir, edition=""):
    """The pages of the built book (or of its edition under `edition`, "ja/") with an explorer, a trainer or the
    digit canvas."""
    pages = sorted(site_dir.glob(edition + "notebooks/*.html")) + sorted(site_dir.glob(edition + "book/*.html"))
    found = re.compile(r'class="nnx(-digits)?[ "]')
    return [p.relative_to(site_dir).as_posix() for p in pages if found.search(p.read_text(encoding="utf-8"))]


def settle(page):
    """Wait until every explorer has drawn and the layout has had two frames to follow (resize redraws)."""
    page.wait_for_function(
        "[...document.querySelectorAll('.nnx:not(.nnx-train)')].every((b) => b.classList.contains('nnx-live'))"
    )
    page.wait_for_timeout(300)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def too_small(texts):
    small = sorted((t for t in texts if t["px"] < SMALLEST - 1e-6), key=lambda t: t["px"])
    return [f"{t['figure']} {t['kind']} {t['text'][:40]!r}: {t['px']:.1f} px" for t in small]


def cut_off(texts):
    return [f"{t['figure']} {t['kind']} {t['text'][:50]!r}" for t in texts if t.get("cut")]


def test_the_figure_pages_are_found(site_dir):
    pages = figure_pages(site_dir)
    assert "notebooks/90_explorer_gallery.html" in pages and len(pages) >= 7, pages


# The Japanese edition too: its labels are other words, of other widths.
@pytest.mark.parametrize(
    "viewport, edition",
    [(PHONE, ""), (DESKTOP, ""), (PHONE, "ja/"), (DESKTOP, "ja/")],
    ids=["390px", "1280px", "390px-ja", "1280px-ja"],
)
def test_chart_text_is_at_least_11px_and_whole(browser, site_url, site_dir, viewport, edition):
    """Every chart text is at least 11 px on screen and lies inside its figure's SVG (which would cut it off: the
    Japanese "b = (−0.5, −0.4) だけ平行移動" lost its last character at 1280 px)."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(RECORD_CANVAS_TEXT)
    page = context.new_page()
    problems, report = [], []
    try:
        pages = figure_pages(site_dir, edition)
        assert pages, f"no page with a figure under {site_dir / edition}: build the book"
        for path in pages:
            page.goto(site_url + path, wait_until="load")
            settle(page)
            texts = page.evaluate(MEASURE, ROOTS)
            kinds = {t["kind"] for t in texts}
            only_the_canvas = page.locator(".nnx").count() == 0  # its text is HTML: no SVG or canvas chart
            assert texts and ("svg" in kinds or "canvas" in kinds or only_the_canvas), f"{path}: no chart text measured"
            report.append(f"{path}: {len(texts)} texts, smallest {min(t['px'] for t in texts):.1f} px")
            problems += [f"{path}: {p}" for p in too_small(texts)[:8]]
            problems += [f"{path}: cut off by its figure: {p}" for p in cut_off(texts)[:8]]
    finally:
        context.close()
    print("\n".join(report))
    assert not problems, f"chart text under {SMALLEST} px or cut off at {viewport['width']} px:\n" + "\n".join(problems)


def test_prerendered_chart_text_is_at_least_11px_without_javascript(browser, site_url, site_dir):
    """Without JavaScript the figure is the one drawn at build time (in Node); on a phone it must stay legible.
    (At 1280 px, test_nojs_faces.py measures it in its own visit of each page.)"""
    for viewport in (PHONE,):
        context = browser.new_context(viewport=viewport, java_script_enabled=False)
        page = context.new_page()
        problems, measured = [], 0
        try:
            for path in figure_pages(site_dir):
                page.goto(site_url + path, wait_until="load")
                texts = [t for t in page.evaluate(MEASURE, ROOTS) if t["kind"] != "canvas"]
                measured += sum(t["kind"] == "img" for t in texts)
                problems += [f"{path}: {p}" for p in too_small(texts)[:8]]
        finally:
            context.close()
        assert measured > 0, "no text found in a still picture: the test would check nothing"
        assert not problems, f"without JavaScript at {viewport['width']} px:\n" + "\n".join(problems)
