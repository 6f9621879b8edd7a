"""On a phone (390 px wide), no table breaks a code name: each piece of code in a table cell stays on one line.

The book lets inline code wrap anywhere (course.css), so that a long name in a sentence does not widen the page;
inside a narrow table column that rule broke `layer.W` in the notation table letter by letter. A table cell's code
now keeps its width and the table scrolls sideways in its own box, so the page itself never gets wider.
"""

import re

import pytest

PHONE = {"width": 390, "height": 844}

# Every line box of every code element in an article table, and whether the page got wider than the screen.
MEASURE = """() => {
    const codes = [...document.querySelectorAll("article table code")];
    const broken = codes.filter((c) => c.getClientRects().length > 1).map((c) => c.innerText.trim());
    const scrollers = [...document.querySelectorAll("article table")].map((t) => {
        const box = t.closest(".pst-scrollable-table-container, .text_html, .nnx-ex-field, .nnx-ex-intro");
        return box ? getComputedStyle(box).overflowX : "none";
    });
    return {codes: codes.length, broken, pageWidth: document.documentElement.scrollWidth, scrollers};
}"""


def pages_with_tables(site_dir):
    """The pages with a table, in both editions (English and ja/)."""
    pages = [
        p
        for edition in ("", "ja/")
        for folder in ("book", "notebooks")
        for p in site_dir.glob(f"{edition}{folder}/*.html")
    ]
    pages = sorted(pages)
    return [p.relative_to(site_dir).as_posix() for p in pages if re.search(r"<table\b", p.read_text(encoding="utf-8"))]


def test_the_notation_table_has_code(site_dir):
    # The page the bug was found on must stay among the pages checked below, with code in its table.
    assert {"book/notation.html", "ja/book/notation.html"} <= set(pages_with_tables(site_dir))


def test_no_table_breaks_a_code_name_on_a_phone(page, open_page, site_dir):
    pages = pages_with_tables(site_dir)
    assert pages, "no page of the built book has a table"
    page.set_viewport_size(PHONE)
    problems, codes_seen = [], 0
    for path in pages:
        open_page(path)
        found = page.evaluate(MEASURE)
        codes_seen += found["codes"]
        if found["broken"]:
            problems.append(f"{path}: code broken over several lines: {found['broken']}")
        if found["pageWidth"] > PHONE["width"]:
            problems.append(f"{path}: the page is {found['pageWidth']} px wide on a {PHONE['width']} px screen")
    assert codes_seen > 0, f"no code in any table of {pages}: the test would check nothing"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["book/notation.html"])
def test_a_wide_table_scrolls_in_its_own_box(page, open_page, path):
    page.set_viewport_size(PHONE)
    open_page(path)
    box = page.locator("article .pst-scrollable-table-container").first
    sizes = box.evaluate(
        "(b) => ({scroll: b.scrollWidth, client: b.clientWidth, overflow: getComputedStyle(b).overflowX})"
    )
    assert sizes["overflow"] in ("auto", "scroll"), sizes
    # The notation table's code column no longer squeezes: the table is wider than the phone's text column.
    assert sizes["scroll"] > sizes["client"], sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
