"""Every interactive figure shows something true before its script runs, in two places:

- the built book with JavaScript off (every page, every explorer, trainer and digit canvas);
- a chapter opened untrusted in JupyterLab 4 / Notebook 7, before any cell runs: each stored HTML face goes
  through JupyterLab's own sanitizer (@jupyterlab/apputils from node_modules, tests/sanitize_untrusted.cjs), which
  drops <style>, <script>, inline <svg> and the `hidden` attribute, and is shown with JavaScript off.

For each face: a picture that loaded and has a size; the title once (an inline SVG's <title> leaked beside it);
no control that looks live (every shown button, slider and menu is disabled) and a note saying what brings it to
life; a trainer shows its start and a trained state with the epoch and loss printed; untrusted, exactly the
controls the book shows (rows of neurons that are off stay hidden without the stylesheet).
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nnlib.i18n import gettext
from test_chart_text import MEASURE, ROOTS, too_small
from words import count_words

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SITE_DIR = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()  # as conftest.py
FACES = ".nnx, .nnx-digits"

# What one face shows (run in the page on its root element).
READ_FACE = """(f) => {
    const shown = (e) => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
    const pictures = [...f.querySelectorAll('img, svg')].filter(shown).map((e) => {
        const r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), w: r.width, h: r.height, loaded: e.tagName !== 'IMG' || (e.complete
            && e.naturalWidth > 0), alt: e.getAttribute('alt') || e.getAttribute('aria-label') || '',
            out: r.right > f.getBoundingClientRect().right + 1, natural: e.naturalWidth || 0, raster: /^data:image[/](png|jpeg)/.test(e.getAttribute('src') || '')};
    });
    // words for screen readers only (.nnx-sr) that a sighted reader sees: more than a pixel square
    const sr = [...f.querySelectorAll('.nnx-sr')].filter((e) => { const r = e.getBoundingClientRect();
        return r.width > 1 || r.height > 1; }).map((e) => e.textContent);
    const controls = [...f.querySelectorAll('button, input, select, textarea')].filter(shown);
    const title = f.querySelector('.nnx-h');
    return {
        kind: f.className, id: f.id, text: f.innerText, title: title ? title.innerText : '',
        pictures, still: [...f.querySelectorAll('.nnx-still img')].filter(shown).length,
        live: controls.filter((c) => !c.disabled).map((c) => c.outerHTML.slice(0, 80)),
        controls: [...f.querySelectorAll('.nnx-ctl')].filter(shown).length,
        note: [...f.querySelectorAll('.nnx-runnote')].filter(shown).map((e) => e.innerText).join(' '),
        sr,
    };
}"""
READ_FACES = (
    f"(sel) => [...document.querySelectorAll(sel)].filter((f) => !f.parentElement.closest(sel)).map({READ_FACE})"
)


# The words every run note has ("A still picture. Run this cell (or ...) to move the sliders.", in each language).
RUN_THIS_CELL = {"en": "Run this cell", "ja": "このセルを実行"}


def _epochs_said(lang):
    """A regex with one group, the epoch, for a trainer's printed "epoch 3: training loss 0.1234" in `lang`."""
    said = re.escape(gettext("epoch {epoch}: training loss {loss}, accuracy {accuracy}.", lang))
    return (
        said.replace(re.escape("{epoch}"), r"(\d+)")
        .replace(re.escape("{loss}"), r"\d+\.\d{4}")
        .split(re.escape("{accuracy}"))[0]
    )


# How far a face may enlarge its pictures. A drawing (SVG) may grow with the text column, as the book's live figures
# do (the gallery's explorers: 1.04 to 1.27 at 1280 px); more, and its words stand out larger than every other
# figure's. A raster picture (PNG) is made at the size it is shown: enlarged, a browser smooths it, and a grid of
# neurons turns into a blur (JupyterLab's sanitizer drops `image-rendering: pixelated`).
MAX_DRAWING_SCALE, MAX_RASTER_SCALE = 1.5, 1.02


def check_faces(faces, where, lang="en"):
    """Problems of the faces read by READ_FACES (an empty list when all is well), on a page in `lang`."""
    bad = []
    for face in faces:
        name = f"{where} {face['id'] or face['kind']}"
        big = [p for p in face["pictures"] if p["w"] >= 100 and p["h"] >= 60]
        if not big:
            bad.append(f"{name}: no picture of a readable size ({face['pictures']})")
        if any(p["out"] for p in face["pictures"]):
            bad.append(f"{name}: a picture runs past the right edge of its box (cut off)")
        if any(not p["loaded"] for p in face["pictures"]):
            bad.append(f"{name}: a picture did not load")
        if any(count_words(p["alt"]) < 3 for p in big):
            bad.append(f"{name}: a picture without a text alternative")
        if face["sr"]:
            bad.append(f"{name}: words meant for screen readers only show on the screen: {face['sr'][:2]}")
        for p in face["pictures"]:
            scale = p["w"] / p["natural"] if p["natural"] else 1
            if p["raster"] and scale > MAX_RASTER_SCALE:
                bad.append(f"{name}: a raster picture blown up {scale:.1f} times (blurred): {p['alt'][:60]!r}")
            elif scale > MAX_DRAWING_SCALE:
                bad.append(
                    f"{name}: a picture drawn at {scale:.1f} times its size, its words that much larger than the "
                    f"other figures': {p['alt'][:60]!r}"
                )
        if face["live"]:
            bad.append(f"{name}: controls that look live but cannot work: {face['live'][:3]}")
        if RUN_THIS_CELL[lang] not in face["note"] or "JavaScript" not in face["note"]:
            bad.append(f"{name}: no note saying that running the cell or JavaScript brings it to life")
        if face["title"] and face["text"].count(face["title"]) != 1:
            bad.append(f"{name}: the title {face['title']!r} shows {face['text'].count(face['title'])} times")
        if "nnx-train" in face["kind"]:
            epochs = [int(e) for e in re.findall(_epochs_said(lang), face["text"])]
            if face["still"] < 2 or 0 not in epochs or not any(e > 0 for e in epochs):
                bad.append(
                    f"{name}: a trainer shows its start and a trained state with epoch and loss "
                    f"({face['still']} pictures, epochs {epochs})"
                )
    return bad


def _page_faces(page, html, where):
    page.set_content(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{html}</body></html>")
    page.wait_for_load_state("load")
    return page.evaluate(READ_FACES, FACES)


@pytest.fixture
def no_js(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _book_pages():
    if not (SITE_DIR / "index.html").is_file():
        return ["<book not built>"]
    return sorted(
        p.relative_to(SITE_DIR).as_posix()
        for p in SITE_DIR.rglob("*.html")
        if p.relative_to(SITE_DIR).parts[0] not in ("_static", "_sources", "_images", "assets", "genindex")
        and re.search(r'class="nnx(-digits)?[ "]', p.read_text(encoding="utf-8"))
    )


# Each explorer's still picture: an <img> of the pre-rendered SVG (it survives an untrusted notebook's sanitizer
# too): [block id, shapes drawn, says "drawn by JavaScript", height on the page, natural width (0: not loaded)].
STILL_FIGURES = """() => Array.from(document.querySelectorAll('.nnx img.nnx-img')).map(i => {
    const svg = decodeURIComponent(i.getAttribute('src').split(',').slice(1).join(','));
    return [i.closest('.nnx').id, (svg.match(/<(path|circle|image|line)\\b/g) || []).length,
        svg.includes('drawn by JavaScript') ? 1 : 0, i.getBoundingClientRect().height, i.naturalWidth];
})"""


@pytest.mark.parametrize("rel", _book_pages())
def test_book_faces_without_javascript(no_js, site_url, rel, screenshot_dir):
    """Every page with a face, without JavaScript (one visit a page serves four checks): the faces' contract
    (check_faces), every explorer's still picture drawn and loaded, the header's background, and, on the English
    pages, no chart text under 11 px at 1280 px (test_chart_text.py measures the phone width and the pages with
    JavaScript)."""
    if rel == "<book not built>":
        pytest.fail(f"the built book is missing ({SITE_DIR}/index.html): run `make book` first", pytrace=False)
    no_js.goto(site_url + rel)
    faces = no_js.evaluate(READ_FACES, FACES)
    assert faces, f"{rel}: no interactive figure found"
    bad = check_faces(faces, rel, lang=no_js.evaluate("document.documentElement.lang || 'en'").split("-")[0])
    if rel.startswith("notebooks/") and re.search(r'class="nnx ', (SITE_DIR / rel).read_text(encoding="utf-8")):
        figures = no_js.evaluate(STILL_FIGURES)
        assert figures, f"{rel}: no explorer's still picture"
        for key, drawn, note, height, loaded in figures:
            if not (drawn >= 10 and note == 0 and height > 150 and loaded > 0):
                bad.append(f"{rel} {key}: still picture with {drawn} shapes, note {note}, {height} px, loaded {loaded}")
    # the sticky header over the article hides what scrolls under it (the theme colours it for light and dark only)
    header = no_js.evaluate("getComputedStyle(document.querySelector('.bd-header-article')).backgroundColor")
    if header in ("transparent", "rgba(0, 0, 0, 0)"):
        bad.append(f"{rel}: the sticky header has no background: the page scrolls under its buttons")
    if not rel.startswith("ja/"):
        texts = [t for t in no_js.evaluate(MEASURE, ROOTS) if t["kind"] != "canvas"]
        bad += [f"{rel}: chart text at 1280 px: {p}" for p in too_small(texts)[:8]]
    # The first face as the reader without JavaScript sees it (test_pages.py keeps a full-page shot of every page:
    # rasterising a 16,000 px page again here cost a second of CPU a page).
    no_js.locator(FACES).first.screenshot(path=str(screenshot_dir / f"nojs__{rel.replace('/', '__')[:-5]}.png"))
    assert not bad, "\n  ".join(bad)


def _stored_faces(path):
    """The HTML faces an untrusted JupyterLab shows for notebook `path`: its text/html outputs with a figure."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    faces = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            html = "".join(html) if isinstance(html, list) else html
            if html and re.search(r'class="nnx(-digits)?[ "]', html):
                faces.append(html)
    return faces


def sanitized(htmls):
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run JupyterLab's sanitizer", pytrace=False)
    out = subprocess.run(
        [node, str(ROOT / "tests" / "sanitize_untrusted.cjs")],
        input=json.dumps(htmls),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if _stored_faces(p)], ids=lambda p: p.stem)
def test_untrusted_notebook_faces(no_js, path, screenshot_dir):
    stored = _stored_faces(path)
    clean = sanitized(stored)
    faces = _page_faces(no_js, "".join(f'<div class="jp-OutputArea-output">{h}</div>' for h in clean), path.name)
    no_js.screenshot(path=str(screenshot_dir / f"untrusted__{path.stem}.png"), full_page=True)
    assert len(faces) == len(stored), f"{path.name}: {len(stored)} faces stored, {len(faces)} left after sanitizing"
    bad = check_faces(faces, f"{path.name} (untrusted)")
    # Without the stylesheet, the same controls as with it (the book's face before its script runs).
    book = _page_faces(no_js, "".join(stored), path.name)
    for face, with_css in zip(faces, book):
        if face["controls"] != with_css["controls"]:
            bad.append(
                f"{path.name} {face['id']}: {face['controls']} controls shown untrusted, "
                f"{with_css['controls']} with the stylesheet"
            )
    assert not bad, "\n  ".join(bad)


def _fresh_faces():
    """One face of each kind, made now (no book or notebook needed): what the code writes today."""
    import numpy as np

    from nnlib.explore import DecisionBoundaryExplorer, NeuronSumExplorer, TrainingExplorer
    from nnlib.explore.trainer import two_moons
    from nnlib.layers import Dense
    from nnlib.network import Sequential

    x, t = two_moons(120)
    model = Sequential([Dense(3, "tanh"), Dense(1, "sigmoid")], seed=0)
    return [
        NeuronSumExplorer(neurons=[(1, 0)] * 3, max_neurons=8, key="fresh-sum").to_html(),
        DecisionBoundaryExplorer(data=np.random.default_rng(0).random((40, 2)), labels=np.arange(40) % 2).to_html(),
        TrainingExplorer(model, x, t, learning_rate=0.1, batch_size=8, key="fresh-train").to_html(),
    ]


def test_fresh_faces_without_javascript_and_untrusted(no_js):
    stored = _fresh_faces()
    book = _page_faces(no_js, "".join(stored), "fresh")
    untrusted = _page_faces(no_js, "".join(sanitized(stored)), "fresh (untrusted)")
    bad = check_faces(book, "fresh") + check_faces(untrusted, "fresh (untrusted)")
    assert [f["controls"] for f in untrusted] == [f["controls"] for f in book], "hidden controls show untrusted"
    assert book[0]["controls"] == 2 + 3 * 3  # neurons, activation; three rows of w, b, v (five rows wait)
    assert not bad, "\n  ".join(bad)


# The colours of the code cells, as myst-nb's stylesheet chooses them, and of their text, as the theme's.
CODE_COLOURS = """() => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const cell = document.querySelector('div.cell_input'), span = cell.querySelector('pre span');
    const bg = getComputedStyle(cell).backgroundColor, fg = getComputedStyle(span).color;
    const [a, b] = [lum(bg), lum(fg)].sort((x, y) => y - x);
    return {bg, fg, ratio: (a + 0.05) / (b + 0.05)};
}"""


def test_code_stays_readable_without_javascript_in_a_dark_system_theme(browser, site_url):
    """Without JavaScript the theme cannot resolve its "auto" colour mode and draws the light page, but myst-nb's
    code cells followed the system's dark setting: black code on a dark grey box (contrast 2.6:1)."""
    context = browser.new_context(java_script_enabled=False, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site_url + "notebooks/02_many_neurons.html")
        seen = page.evaluate(CODE_COLOURS)
    finally:
        context.close()
    assert seen["ratio"] >= 4.5, f"code without JavaScript in a dark system theme: {seen}"
