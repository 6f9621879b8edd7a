"""Every built page, opened in headless Chromium as a reader would: clean console, no failed or off-site request,
every image and diagram loaded, every widget and explorer rendered, every internal link resolving.

A screenshot of each page goes to artifacts/screenshots/ (not committed).
"""

import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from watched import PageLog, open_path, watched_page
from words import count_words

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()
# Folders of the site that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "vendor", "_downloads", "_sphinx_design_static"}


# The Japanese edition's pages checked here as well: a sample holding every kind of page (the front page, a page of
# the book, a chapter with an explorer and forms, the gallery with every figure). tests/browser/test_japanese.py
# checks every Japanese page for its language switch, English left untranslated, axe and the phone width; CI's
# 15 minutes do not hold this whole file twice.
JA_SAMPLE = {
    "ja/index.html",
    "ja/book/notation.html",
    "ja/notebooks/01_one_neuron.html",
    "ja/notebooks/90_explorer_gallery.html",
}


def _pages():
    if not (SITE_DIR / "index.html").is_file():
        # Not an empty parameter set (pytest would skip it quietly): one case that fails and says why.
        return ["<book not built>"]
    pages = []
    for path in sorted(SITE_DIR.rglob("*.html")):
        rel = path.relative_to(SITE_DIR)
        parts = rel.parts[1:] if rel.parts[0] == "ja" else rel.parts  # the Japanese edition is a site of its own
        if parts[0] not in ASSET_DIRS and (rel.parts[0] != "ja" or rel.as_posix() in JA_SAMPLE):
            pages.append(rel.as_posix())
    return pages


PAGES = _pages()


@lru_cache(maxsize=None)
def _ids(path):
    """The ids and anchor names a built page defines (link fragments must point at one of them)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r'\b(?:id|name)="([^"]+)"', text))


def _check_links(page, rel):
    """Every link to a page of this site resolves to a built file, and its #fragment to an id in it."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    broken = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "javascript") or parts.hostname != "127.0.0.1":
            continue  # external links are not fetched (no network in CI); they must not be CDN assets either
        path = unquote(parts.path).lstrip("/")
        target = SITE_DIR / path
        if path == "" or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {target.relative_to(SITE_DIR)})")
            continue
        if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(str(target)):
            broken.append(f"{href} (no id #{parts.fragment} in {target.relative_to(SITE_DIR)})")
    return broken


def _check_images(page):
    """<img> elements that did not load (naturalWidth 0) and inline SVG diagrams drawn with no size."""
    page.evaluate("""async () => {
        // Decode every image, lazily loaded ones included, before looking at their sizes.
        const imgs = Array.from(document.images);
        imgs.forEach(img => { img.loading = 'eager'; });
        await Promise.all(imgs.map(img => img.decode().catch(() => null)));
    }""")
    bad = page.evaluate("""() => {
        const bad = [];
        for (const img of document.images) {
            if (!img.complete || img.naturalWidth === 0) bad.push('img ' + img.getAttribute('src'));
        }
        for (const svg of document.querySelectorAll('.cell_output svg, .bd-article svg.graphviz')) {
            const box = svg.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) {
                // Hidden on purpose (collapsed output) is fine; a visible container with an empty SVG is not.
                const shown = svg.closest('details:not([open])') === null;
                if (shown) bad.push('svg ' + (svg.id || svg.getAttribute('class') || '(no id)'));
            }
        }
        return bad;
    }""")
    return bad


def _check_widgets(page):
    """Widget views that the html-manager left unrendered, and explorers whose script did not run."""
    return page.evaluate("""() => {
        const bad = [];
        // A widget view the html-manager rendered gets a sibling widget element; an unrendered one only
        // leaves its <script>. (The book shows the explorers' static face, so usually there are none.)
        for (const s of document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')) {
            const host = s.parentElement;
            if (!host.querySelector('.jupyter-widgets, .widget-subarea, .lm-Widget')) {
                bad.push('widget view not rendered: ' + s.textContent.slice(0, 80));
            }
        }
        // The explorers' static face (nnlib.explore): an SVG (a canvas for the training explorer) with size,
        // controls, and the no-JS notice gone.
        for (const x of document.querySelectorAll('.nnx')) {
            const name = x.id || x.className;
            const svg = x.querySelector('svg, canvas');
            const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
            if (box.width === 0 || box.height === 0) bad.push('explorer without a drawn figure: ' + name);
            const nojs = x.querySelector('.nnx-nojs');
            if (nojs && nojs.getBoundingClientRect().width > 0 && getComputedStyle(nojs).display !== 'none'
                && getComputedStyle(nojs).visibility !== 'hidden' && nojs.isConnected) {
                bad.push('explorer script did not run (no-JS notice visible): ' + name);
            }
            for (const input of x.querySelectorAll('input, select')) {
                const labelled = (input.id && x.querySelector('label[for="' + input.id + '"]'))
                    || input.getAttribute('aria-label') || input.getAttribute('aria-labelledby');
                if (!labelled) bad.push('control without a label in ' + name + ': ' + (input.id || input.outerHTML.slice(0, 60)));
            }
        }
        return bad;
    }""")


def _check_layout(page):
    """Display equations cut off by the text column (a reader would have to scroll sideways to read them)."""
    return page.evaluate("""() => {
        const bad = [];
        for (const m of document.querySelectorAll('.bd-article mjx-container[display="true"]')) {
            const column = m.closest('.math, div, section') || m.parentElement;
            const width = m.getBoundingClientRect().width, room = column.getBoundingClientRect().width;
            const inner = m.firstElementChild ? m.firstElementChild.getBoundingClientRect().width : width;
            if (inner > room + 2 || m.scrollWidth > m.clientWidth + 2) {
                bad.push('display math ' + Math.round(Math.max(inner, m.scrollWidth)) + ' px wide in a '
                         + Math.round(Math.min(room, m.clientWidth)) + ' px column: '
                         + (m.closest('[id]') ? '#' + m.closest('[id]').id : '') + ' '
                         + (m.textContent || '').slice(0, 50));
            }
        }
        return bad;
    }""")


@pytest.mark.parametrize("rel", PAGES)
def test_page(rel, first_visit):
    """The reader's first visit at 1280 px (shared with the accessibility, alt text and weight tests below: one
    load per page): a clean console and network, every image and widget drawn, every link resolving, no display
    equation cut off. Its screenshot goes to artifacts/screenshots/."""
    problems = first_visit(rel)["problems"]
    assert not problems, f"{rel}:\n  " + "\n  ".join(problems)


def test_every_toc_page_was_built(site_dir, toc_files):
    """The site holds a page for every entry of _toc.yml (a page missing from the build is not tested above)."""
    files = toc_files
    missing = [f for f in files if not (site_dir / f"{f}.html").is_file()]
    assert not missing, f"pages in _toc.yml with no built HTML: {missing}"
    assert len(files) >= 10


def test_dark_mode_keeps_figures_on_white(browser, site_url, site_dir, screenshot_dir):
    """In dark mode, figure outputs sit on a white card so dark axes and labels stay legible."""
    pages = [p for p in PAGES if p.startswith("notebooks/")]
    with_figure = [
        p
        for p in pages
        if "<img" in (site_dir / p).read_text(encoding="utf-8")
        and "cell_output" in (site_dir / p).read_text(encoding="utf-8")
    ]
    assert with_figure, "no notebook page with a figure output was built"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site_url + with_figure[0], wait_until="networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        backgrounds = page.eval_on_selector_all(
            ".cell_output img", "els => els.map(e => getComputedStyle(e).backgroundColor)"
        )
        assert backgrounds and all(b == "rgb(255, 255, 255)" for b in backgrounds), backgrounds
        assert page.eval_on_selector(".cell_output img", "e => getComputedStyle(e).filter") == "none"
        page.locator(".cell_output img").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "dark_mode.png"), full_page=False)
    finally:
        context.close()


def test_dark_mode_draws_controls_on_white_cards_light(browser, site_url):
    """In dark mode, native controls on a figure's white card (the digit canvas' radio buttons, the forms' inputs)
    are drawn for a light background: dark-scheme radios on the white card looked inverted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site_url + "notebooks/06_inside_the_digit_network.html", wait_until="networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.wait_for_selector(".cell_output input[type=radio]")
        schemes = page.eval_on_selector_all(
            ".cell_output input[type=radio], .cell_output input[type=text]",
            "els => els.map(e => getComputedStyle(e).colorScheme)",
        )
        assert schemes and all(s == "light" for s in schemes), sorted(set(schemes))
    finally:
        context.close()


def test_search_finds_a_page(page, page_log, site_url):
    """The built-in search works offline: searching for a word of the preface lists the preface."""
    page.goto(site_url + "search.html?q=neuron", wait_until="networkidle")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    assert any("preface" in h or "notebooks/" in h for h in hits), hits
    page_log.assert_clean("search.html")


# Hosts that serve libraries and fonts to web pages. The vendored libraries in vendor/ still name some of them
# as defaults that the book's configuration overrides (the page tests above prove no request goes out), so
# vendor/ is checked by the browser, not by this scan.
CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "ajax.googleapis.com",
    "code.jquery.com",
    "stackpath.bootstrapcdn.com",
    "maxcdn.bootstrapcdn.com",
    "cdn.plot.ly",
    "polyfill.io",
    "use.fontawesome.com",
    "kit.fontawesome.com",
    "esm.sh",
    "cdn.skypack.dev",
)
LOADING_ATTR = re.compile(
    r"<(script|link|img|iframe|source|embed|object|video|audio)\b[^>]*?\b(src|href|data)=\"([^\"]+)\"", re.I
)


def test_built_site_names_no_cdn(site_dir):
    """No page, style sheet or script of the site (outside vendor/) loads from, or even names, a CDN host; and
    every resource a page loads is a path of the site itself."""
    problems = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir)
        vendored = rel.parts[0] == "vendor" or rel.parts[:2] == ("ja", "vendor")  # ja/: the same copies
        if not path.is_file() or vendored or path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        problems += [f"{rel}: names {host}" for host in CDN_HOSTS if host in text]
        if path.suffix == ".html":
            for tag, attr, url in LOADING_ATTR.findall(text):
                if re.match(r"(https?:)?//", url):
                    problems.append(f'{rel}: <{tag} {attr}="{url}"> loads from outside the site')
    assert not problems, "\n".join(problems)


def test_chapters_have_launch_and_download_buttons(site_dir):
    """Every chapter page offers Binder and Colab for its own notebook in the configured repository, and a
    download of the .ipynb (whose file is in the site)."""
    import yaml

    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].removeprefix("https://github.com/")
    chapters = sorted((site_dir / "notebooks").glob("*.html"))
    assert chapters, "no chapter page was built"
    for page in chapters:
        html = page.read_text(encoding="utf-8")
        nb = f"notebooks/{page.stem}.ipynb"
        assert f"https://mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/{nb}" in html, f"{page.name}: no Binder link"
        assert f"https://colab.research.google.com/github/{repo}/blob/main/{nb}" in html, f"{page.name}: no Colab link"
        assert f"_sources/{nb}" in html and (site_dir / "_sources" / nb).is_file(), f"{page.name}: no .ipynb download"


def test_every_page_has_a_favicon_and_loads_widget_scripts_only_when_needed(site_dir):
    """A favicon link on every page (else browsers ask for /favicon.ico: a 404); require.js and the widgets'
    html-manager only on pages that render a widget view (myst-nb adds them wherever widget state is saved)."""
    for rel in PAGES:
        if rel == "<book not built>":
            pytest.fail(f"the built book is missing ({SITE_DIR}/index.html): run `make book` first", pytrace=False)
        html = (site_dir / rel).read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in html or 'http-equiv="refresh"' in html:
            continue  # index.html redirects to the preface
        icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert icon, f"{rel}: no <link rel=icon>"
        assert (site_dir / rel).parent.joinpath(icon.group(1)).resolve().is_file(), f"{rel}: favicon file missing"
        views = "application/vnd.jupyter.widget-view+json" in html
        for script in ("vendor/requirejs/require.js", "vendor/html-manager/embed-amd.js"):
            assert (script in html) == views, (
                f"{rel}: {script} {'missing' if views else 'loaded without a widget view'}"
            )
        assert "THEBE_JS_URL" not in html, f"{rel}: sphinx-thebe's configuration script is still there"


# --- accessibility, phone width, alt text and page weight (issue 15) ---------------------------------------------
# Each page is opened twice (light at 1280 px, light at 390 px), the dark sample once more at 1280 px, each time in a
# fresh browser context (an empty cache, as on a first visit); the tests below share those visits.

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# First visit with an empty cache: every byte the page requests while it opens (HTML, CSS, scripts, fonts, the
# figures in view), uncompressed. Figures further down load lazily, when the reader scrolls to them.
FIRST_VISIT_BUDGET = 1_500_000
# Every page within the common budget. Every explorer, trainer and form output inlines its JavaScript bundle (a
# notebook output cannot load another's): the gallery carried the same 48 kB nine times and came to 2.0 MB. The
# book now hoists each bundle into one file that the blocks load (book/_ext/offline_book.py), so a page downloads
# each bundle once (the gallery: 2.00 MB -> 1.58 MB, chapter 2: 1.66 -> 1.52 MB). Two pages keep a budget of their
# own: the gallery (every figure of the course, the playground and, since issue 23, the digit canvas, whose 8-bit
# networks and example digits are 89 kB of the page: 1.60 MB measured) and chapter 2 (three explorers, the fit's
# 1,202-point target, two forms).
PAGE_BUDGETS = {
    "notebooks/90_explorer_gallery.html": 1_650_000,
    "notebooks/02_many_neurons.html": 1_550_000,
}
# The Japanese edition carries more, measured on the gallery (1.71 MB against 1.60): its search index (154 kB against
# 79: Japanese is indexed by shorter terms), the part of nnlib's catalogue the page's scripts can ask for and longer
# UTF-8 text (the page 594 kB against 567).
JA_EXTRA = 120_000
# An alt text that is a file name or path (what myst-nb writes when a figure has no alt text of its own).
PATH_LIKE_ALT = re.compile(r"\.(png|jpe?g|svg|gif|webp)\b|^(_images|\.\.?)/|^[\w.-]+(/[\w.-]+)+$", re.I)

AXE_SCRIPT = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.impact + ' ' + v.id + ' (' + v.nodes.length + 'x): ' + v.help + ' e.g. '
             + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
}"""

IMAGES_SCRIPT = """els => els.map(e => ({
    src: e.getAttribute('src'), alt: e.getAttribute('alt'), figure: e.closest('.bd-article') !== null,
    decorative: e.getAttribute('role') === 'presentation' || e.getAttribute('aria-hidden') === 'true'}))"""

# Elements that reach past the right edge of the viewport without a sideways-scrolling box around them, and
# display equations that scroll without the cue (edge shadow) or without being reachable from the keyboard.
WIDTH_SCRIPT = """() => {
    const bad = [];
    const vw = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll('.bd-article *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= vw + 1) continue;
        let p = el.parentElement, inBox = false;
        while (p && p !== document.body) {
            const o = getComputedStyle(p).overflowX;
            if (o !== 'visible' && p.getBoundingClientRect().right <= vw + 1) { inBox = true; break; }
            p = p.parentElement;
        }
        if (!inBox) bad.push(el.tagName.toLowerCase() + ' reaches ' + Math.round(box.right) + ' px: '
                             + (el.textContent || '').trim().slice(0, 40));
        if (bad.length > 5) break;
    }
    for (const m of document.querySelectorAll('.bd-article mjx-container[display="true"]')) {
        if (m.scrollWidth > m.clientWidth + 1) {
            const style = getComputedStyle(m);
            if (!(style.overflowX === 'auto' || style.overflowX === 'scroll') || m.tabIndex < 0
                || !style.backgroundImage.includes('gradient')) {
                bad.push('display math scrolls without a cue: ' + (m.textContent || '').slice(0, 40));
            }
        }
    }
    return bad;
}"""


def _first_visit(browser, site_url, site_dir, rel, mode, viewport, screenshot_dir):
    """Open `rel` in a fresh context and measure it: bytes loaded, images, axe-core's findings, overflow; in light
    mode at desktop width also what test_page checks (its "problems") and a full-page screenshot."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run `make vendor` (npm ci installs it)", pytrace=False)
    page_log = PageLog()
    context, page = watched_page(browser, page_log, viewport=viewport, color_scheme=mode, service_workers="block")
    sizes = {}

    def record(response):
        url = urlsplit(response.url)
        if url.hostname == "127.0.0.1" and response.status == 200:
            path = site_dir / unquote(url.path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            # The file's size is what a server without compression sends.
            sizes[url.path] = path.stat().st_size if path.is_file() else len(response.body())

    try:
        page.on("response", record)
        open_path(page, site_url, rel)
        seen = {
            "bytes": dict(sizes),
            "theme": page.evaluate("document.documentElement.dataset.theme"),
            "images": page.eval_on_selector_all("img", IMAGES_SCRIPT),
            "page_width": page.evaluate("document.documentElement.scrollWidth"),
            "too_wide": page.evaluate(WIDTH_SCRIPT),
        }
        if viewport == PHONE:
            page.screenshot(path=str(screenshot_dir / f"phone_{mode}__{rel.replace('/', '__')[:-5]}.png"))
        elif mode == "light":  # test_page's visit
            name = rel.replace("/", "__").removesuffix(".html") + ".png"
            page.screenshot(path=str(screenshot_dir / name), full_page=True)
            problems = page_log.problems()
            problems += [f"image or diagram not loaded: {b}" for b in _check_images(page)]
            problems += [f"widget: {b}" for b in _check_widgets(page)]
            problems += [f"broken internal link: {b}" for b in _check_links(page, rel)]
            problems += [f"layout: {b}" for b in _check_layout(page)]
            # Images checked after the page settled may have requested more (lazy images): look at the log again.
            seen["problems"] = problems + [p for p in page_log.problems() if p not in problems]
        if viewport != PHONE:  # axe's findings are read at desktop width only (test_axe_finds_no_serious_violation)
            page.add_script_tag(path=str(AXE))
            seen["axe"] = page.evaluate(AXE_SCRIPT)
    finally:
        context.close()
    return seen


@pytest.fixture(scope="session")
def first_visit(browser, site_url, site_dir, screenshot_dir):
    cache = {}

    def visit(rel, mode="light", viewport=None):
        if rel == "<book not built>":
            pytest.fail(f"the built book is missing ({SITE_DIR}/index.html): run `make book` first", pytrace=False)
        viewport = viewport or DESKTOP
        key = (rel, mode, viewport["width"])
        if key not in cache:
            cache[key] = _first_visit(browser, site_url, site_dir, rel, mode, viewport, screenshot_dir)
        return cache[key]

    return visit


# Dark mode is one set of CSS rules for every page; axe checks it on the pages that hold every kind of component
# between them (CI time, issue 25): the gallery (every explorer and trainer), chapter 6's second page (the digit canvas, exercise
# forms, code, formulas, figures) and the preface (a page of text, the navigation and the launch buttons).
DARK_SAMPLE = {"book/preface.html", "notebooks/06_inside_the_digit_network.html", "notebooks/90_explorer_gallery.html"}


def test_the_dark_sample_names_built_pages():
    assert DARK_SAMPLE <= set(PAGES), f"DARK_SAMPLE names pages the book does not have: {DARK_SAMPLE - set(PAGES)}"


@pytest.mark.parametrize(
    "rel, mode", [(rel, "light") for rel in PAGES] + [(rel, "dark") for rel in sorted(DARK_SAMPLE)]
)
def test_axe_finds_no_serious_violation(rel, mode, first_visit):
    """axe-core, the accessibility engine, on every page in light mode and on the dark sample: no serious or
    critical issue."""
    seen = first_visit(rel, mode)
    assert seen["theme"] == mode
    assert not seen["axe"], f"{rel} ({mode}):\n  " + "\n  ".join(seen["axe"])


@pytest.mark.parametrize("rel", PAGES)
def test_every_image_has_meaningful_alt_text(rel, first_visit):
    """Every <img> says what it shows: an alt text of words, never missing, never a file path; a figure in the text
    in at least three words."""
    bad = []
    for img in first_visit(rel)["images"]:
        alt = (img["alt"] or "").strip()
        if img["decorative"] and img["alt"] == "":
            continue
        if not alt:
            bad.append(f"{img['src']}: no alt text")
        elif PATH_LIKE_ALT.search(alt) or alt == img["src"]:
            bad.append(f"{img['src']}: alt text is a file path ({alt!r})")
        elif img["figure"] and count_words(alt) < 3:  # a figure in the text; an icon may say "Binder logo"
            bad.append(f"{img['src']}: alt text too short to say what the figure shows ({alt!r})")
    assert not bad, f"{rel}:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("rel", PAGES)
def test_no_page_is_wider_than_a_phone(rel, first_visit):
    """At 390x844 nothing makes the page scroll sideways; a display equation wider than the column scrolls inside
    its own box, keyboard-focusable, with a shadow at the edge that has more."""
    seen = first_visit(rel, "light", PHONE)
    assert seen["page_width"] <= PHONE["width"] and not seen["too_wide"], (
        f"{rel}: {seen['page_width']} px wide at {PHONE['width']} px:\n  " + "\n  ".join(seen["too_wide"])
    )


@pytest.mark.parametrize("rel", PAGES)
def test_first_visit_weight_is_within_budget(rel, first_visit):
    """Opening a page with an empty cache downloads at most 1.5 MB (uncompressed bytes of every request)."""
    sizes = first_visit(rel)["bytes"]
    total = sum(sizes.values())
    heaviest = sorted(sizes.items(), key=lambda kv: -kv[1])[:6]
    english = rel.removeprefix("ja/")
    budget = PAGE_BUDGETS.get(english, FIRST_VISIT_BUDGET) + (JA_EXTRA if english != rel else 0)
    assert total <= budget, f"{rel}: first visit {total / 1e6:.2f} MB > {budget / 1e6} MB; largest: " + ", ".join(
        f"{p} {n / 1e3:.0f} kB" for p, n in heaviest
    )
