"""Each edition's launch buttons open its own notebooks: Colab and Binder on an English chapter open
notebooks/NN_x.ipynb, on a Japanese chapter notebooks/ja/NN_x.ipynb (book/_ext/ja_notebooks.py), whose .ipynb the
Japanese page's download button also serves. The Japanese notebooks are no pages of the English edition.

Reads the built HTML only (no browser): run after `make html`."""

import re
from html import unescape
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
REPO = REPOSITORY["url"].removeprefix("https://github.com/")
BRANCH = REPOSITORY["branch"]
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))


def launch_links(html: str) -> dict[str, str]:
    """{"Binder": url, "Colab": url} of a page's launch menu (sphinx-book-theme's dropdown)."""
    menu = re.search(r'<div class="dropdown dropdown-launch-buttons">(.*?)</ul>', html, re.S)
    assert menu, "no launch menu on the page"
    links = {}
    for href, body in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', menu.group(1), re.S):
        text = re.sub(r"<[^>]+>", " ", body)
        for name in ("Binder", "Colab"):
            if name in text:
                links[name] = unescape(href)
    return links


def expected(notebook: str) -> dict[str, str]:
    return {
        "Binder": f"https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/{notebook}",
        "Colab": f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{notebook}",
    }


def page(site_dir: Path, rel: str) -> str:
    path = site_dir / rel
    if not path.is_file():
        pytest.fail(f"{path} is missing: run make book first", pytrace=False)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_english_chapters_launch_english_notebooks(site_dir, chapter):
    assert launch_links(page(site_dir, f"notebooks/{chapter}.html")) == expected(f"notebooks/{chapter}.ipynb")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_japanese_chapters_launch_and_download_japanese_notebooks(site_dir, chapter):
    html = page(site_dir, f"ja/notebooks/{chapter}.html")
    assert launch_links(html) == expected(f"notebooks/ja/{chapter}.ipynb")
    assert (ROOT / "notebooks" / "ja" / f"{chapter}.ipynb").is_file()
    # the download button's file is the Japanese notebook (its setup cell switches nnlib to Japanese)
    assert f"_sources/notebooks/{chapter}.ipynb" in html
    download = nbformat.read(site_dir / "ja" / "_sources" / "notebooks" / f"{chapter}.ipynb", as_version=4)
    assert any('nnlib.i18n.set_language("ja")' in c.source for c in download.cells if c.cell_type == "code")


def test_the_english_edition_publishes_no_japanese_notebook(site_dir):
    assert not (site_dir / "notebooks" / "ja").exists(), "notebooks/ja/ became pages of the English edition"
    assert not list((site_dir / "_sources" / "notebooks").glob("ja/*")), "notebooks/ja/ copied into _sources/"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_japanese_chapters_carry_nnlib_catalogue_once(site_dir, chapter):
    """The Japanese notebooks' forms each carry nnlib's catalogue (for the notebook); the page keeps one copy."""
    html = page(site_dir, f"ja/notebooks/{chapter}.html")
    assert html.count('class="nnlib-i18n"') == 1
