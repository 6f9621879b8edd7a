"""The explorer gallery holds every interactive figure of the course: each kind of explorer that a chapter shows (and
each variant of it, e.g. a decision boundary with a hidden layer, the affine map set by its SVD parts) appears in the
gallery too, the digit canvas included.

Kinds are read from the built pages after their scripts ran: an interactive figure is an element `.nnx` (an
explorer's static face, `class="nnx nnx-<kind>"`) or `.nnx-digits` (the digit canvas) not nested in another one.
"""

import pytest

# For each interactive figure on the page: its kind, plus the variants its config names.
FIGURES = """() => {
    const roots = [...document.querySelectorAll(".nnx, .nnx-digits")]
        .filter((el) => !el.parentElement.closest(".nnx, .nnx-digits"));
    return roots.map((el) => {
        const kind = [...el.classList].find((c) => /^nnx-[a-z]+$/.test(c)) || "nnx";
        let variant = "";
        const script = el.querySelector("script.nnx-config");
        if (script) {
            const config = JSON.parse(script.textContent);
            if (config.mode) variant += ` mode=${config.mode}`;
            if (config.hidden) variant += " with hidden layer";
        }
        return kind + variant;
    });
}"""


def figure_kinds(page, open_page, path):
    open_page(path)
    return set(page.evaluate(FIGURES))


def chapter_pages(site_dir):
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob("notebooks/0*.html"))


def test_the_gallery_has_every_interactive_figure_of_the_chapters(page, page_log, open_page, site_dir):
    chapters = chapter_pages(site_dir)
    assert len(chapters) >= 7, chapters
    in_chapters = {}
    for path in chapters:
        for kind in figure_kinds(page, open_page, path):
            in_chapters.setdefault(kind, []).append(path)
    # The course's figures as of issue 23; more may come, none may silently vanish from the scan.
    assert {"nnx-neuron", "nnx-neuronsum", "nnx-boundary", "nnx-train", "nnx-digits"} <= {
        k.split(" ")[0] for k in in_chapters
    }, in_chapters
    in_gallery = figure_kinds(page, open_page, "notebooks/90_explorer_gallery.html")
    missing = {kind: pages for kind, pages in in_chapters.items() if kind not in in_gallery}
    assert not missing, f"interactive figures of the chapters missing from the gallery: {missing}"
    page_log.assert_clean("chapters and gallery")


@pytest.mark.parametrize("path", ["notebooks/06_inside_the_digit_network.html", "notebooks/90_explorer_gallery.html"])
def test_the_digit_canvas_is_live(page, page_log, open_page, path):
    # The canvas in the gallery is the real one: its script mounted the drawing area and the buttons.
    open_page(path)
    canvas = page.locator(".nnx-digits").first
    canvas.locator("canvas.nnx-digits-draw").wait_for()
    assert canvas.get_by_role("button", name="Example digit").is_enabled()
    assert canvas.locator(".nnx-digits-static").count() == 0  # the no-JavaScript face is gone
    page_log.assert_clean(path)
