"""Shorter pages: no chapter is taller than 20,000 px at 1280 px, and code that only draws is folded behind a toggle.

A page's height is measured as the reader meets it after scrolling to the end: every figure loaded (the book loads
images lazily, so a page measured right after loading looks thousands of pixels shorter than it is), MathJax done.

Cells tagged `hide-input` (the matplotlib code of a figure that is not the lesson) are folded by myst-nb into a
native <details>: its <summary> "Show code cell source" is reachable with Tab and opens with Enter or Space, and it
works without JavaScript (sphinx-togglebutton's script and style come from the site itself, never a CDN).
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

MAX_HEIGHT = 20_000  # px, at 1280 px wide (issue 23)
DESKTOP = {"width": 1280, "height": 900}

# Loads every image now (the article's images are loading="lazy"), then measures the whole document.
FULL_HEIGHT = """async () => {
    const images = [...document.images];
    images.forEach((img) => { img.loading = "eager"; });
    await Promise.all(images.map((img) => img.complete ? null
        : new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);
}"""


def chapters():
    """The chapters' pages in _toc.yml, as paths of the built site: the numbered part ("The forward pass") and
    the pages of a chapter kept outside the numbering (chapter 6's second page, notebooks/06_*)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    numbered = {chapter["file"] for part in toc["parts"] if part.get("numbered") for chapter in part["chapters"]}
    return [f"{f}.html" for f in files if f in numbered or re.fullmatch(r"notebooks/0\d_\w+", f)]


def full_height(page, open_page, path):
    open_page(path)
    return page.evaluate(FULL_HEIGHT)


# Every chapter page fits at 1280 px once the code that only draws is folded. Chapter 6 (24,202 px, 9,000 of them
# figures, the digit canvas and the exercise forms) fitted only split in two pages: the data and the network's
# accuracy, then what it gets wrong, what its neurons look for and the canvas.


def test_the_chapters_are_found():
    # Seven chapters in eight pages: chapter 6 is two.
    assert len(chapters()) == 8 and all(re.fullmatch(r"notebooks/0\d_\w+\.html", c) for c in chapters())
    assert len({c[len("notebooks/") :][:2] for c in chapters()}) == 7
    assert "notebooks/06_inside_the_digit_network.html" in chapters()


@pytest.mark.parametrize("path", chapters())
def test_no_chapter_is_taller_than_20000_px(page, open_page, path):
    page.set_viewport_size(DESKTOP)
    height = full_height(page, open_page, path)
    assert height <= MAX_HEIGHT, f"{path} is {height:,} px tall at 1280 px (at most {MAX_HEIGHT:,})"


def test_drawing_code_is_folded_behind_a_keyboard_toggle(page, page_log, open_page):
    # Chapter 2 folds the code of several figures; each fold is a <details> whose <summary> names what it shows.
    open_page("notebooks/02_many_neurons.html")
    folds = page.locator("div.cell.tag_hide-input > details.hide")
    assert folds.count() >= 5
    for k in range(folds.count()):
        fold = folds.nth(k)
        code = fold.locator(".cell_input")
        assert fold.get_attribute("open") is None and not code.is_visible(), "a folded cell's code shows"
        # The figure itself stays on the page, outside the fold.
        assert fold.locator("xpath=..").locator(".cell_output img").count() == 1
    first = folds.first
    summary = first.locator("summary")
    assert summary.evaluate("(s) => s.tabIndex") >= 0
    assert summary.inner_text().strip() == "Show code cell source"
    assert summary.get_attribute("aria-label") is None  # the visible text is the name (offline_book.py)
    summary.focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("open") is not None and first.locator(".cell_input").is_visible()
    assert summary.inner_text().strip() == "Hide code cell source"
    page.keyboard.press("Space")
    assert first.get_attribute("open") is None
    page_log.assert_clean("chapter 2")


def test_folds_open_without_javascript(browser, site_url):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "notebooks/02_many_neurons.html")
    fold = page.locator("div.cell.tag_hide-input > details.hide").first
    fold.locator("summary").click()
    assert fold.locator(".cell_input").is_visible()
    context.close()
