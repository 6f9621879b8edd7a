"""The faces of a chapter opened untrusted in a real JupyterLab, before any cell runs (a downloaded notebook): what
tests/browser/test_nojs_faces.py checks on JupyterLab's sanitizer alone, checked here where JupyterLab itself renders
the outputs (its sanitizer and its stylesheet): a picture, the title once, no control that looks live, a note saying
that running the cell brings it to life, a trainer's start and trained pictures with epoch and loss. Screenshots of
each face go to artifacts/untrusted-lab/."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from test_chapter_in_jupyter import _wait_outputs  # noqa: E402
from test_nojs_faces import READ_FACE, check_faces  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# Chapter 2 (the explorer the issue saw lose its layout) and the gallery (every kind, a trainer and the canvas).
CHAPTERS = ["02_many_neurons.ipynb", "90_explorer_gallery.ipynb"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_untrusted_chapter_shows_every_face_before_a_run(jupyter_server, lab_page, chapter):
    page = lab_page
    jupyter_server.fresh(chapter)  # as cloned: the sweep (test_chapter_in_jupyter.py) runs and saves its copy
    page.goto(jupyter_server.url + f"lab/tree/notebooks/{chapter}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    shots = ROOT / "artifacts" / "untrusted-lab"
    shots.mkdir(parents=True, exist_ok=True)
    faces = page.locator(".jp-OutputArea-output > .nnx, .jp-OutputArea-output > .nnx-digits")
    faces.first.wait_for(timeout=60_000)
    _wait_outputs(page, chapter)  # the scroll below ends at the bottom: every stored output must be there first
    # JupyterLab renders the cells near the view only: scroll down the notebook and read each face as it comes.
    scroller = page.locator(".jp-WindowedPanel-outer").first
    seen = {}
    for _ in range(400):
        for i in range(faces.count()):
            face = faces.nth(i)
            text = face.evaluate("f => f.textContent.slice(0, 400)")  # layout-free: the same in and out of view
            if text in seen or not face.is_visible():
                continue
            face.scroll_into_view_if_needed(timeout=5_000)
            page.wait_for_timeout(300)  # its pictures decode
            if not face.is_visible():  # windowed away meanwhile: read it when the scroll comes back to it
                continue
            seen[text] = face.evaluate(READ_FACE)
            page.screenshot(path=str(shots / f"{chapter[:-6]}-{len(seen) - 1}.png"))
        if scroller.evaluate("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 2"):
            break
        scroller.evaluate("e => e.scrollBy(0, e.clientHeight * 0.8)")
        page.wait_for_timeout(200)
    seen = list(seen.values())
    assert "model not found" not in page.content()
    expected = sum(1 for _ in _stored(chapter))
    assert len(seen) == expected, f"{chapter}: {expected} faces stored, {len(seen)} shown"
    bad = check_faces(seen, f"{chapter} (JupyterLab, untrusted)")
    assert not bad, "\n  ".join(bad)


def _stored(chapter):
    from test_nojs_faces import _stored_faces

    return _stored_faces(ROOT / "notebooks" / chapter)
