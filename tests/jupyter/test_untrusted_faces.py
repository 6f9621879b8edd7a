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
    # a workspace of its own: the default one would restore the previous chapter's tab, its faces hidden behind
    page.goto(jupyter_server.url + f"lab/workspaces/untrusted-{chapter[:2]}/tree/notebooks/{chapter}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    shots = ROOT / "artifacts" / "untrusted-lab"
    shots.mkdir(parents=True, exist_ok=True)
    faces = page.locator(".jp-OutputArea-output > .nnx, .jp-OutputArea-output > .nnx-digits")
    faces.first.wait_for(timeout=60_000)
    _wait_outputs(page, chapter)  # every stored output rendered (the server renders every cell: no windowing)
    seen = []
    for i in range(faces.count()):
        face = faces.nth(i)
        face.wait_for(state="visible", timeout=60_000)  # a large output can still be on its way through the sanitizer
        face.scroll_into_view_if_needed(timeout=5_000)
        face.evaluate(DECODED)  # its pictures decoded and painted: what the screenshot shows
        seen.append(face.evaluate(READ_FACE))
        page.screenshot(path=str(shots / f"{chapter[:-6]}-{i}.png"))
    assert "model not found" not in page.content()
    expected = sum(1 for _ in _stored(chapter))
    assert len(seen) == expected, f"{chapter}: {expected} faces stored, {len(seen)} shown"
    bad = check_faces(seen, f"{chapter} (JupyterLab, untrusted)")
    assert not bad, "\n  ".join(bad)


# Until every picture of the face is decoded, and one frame after.
DECODED = """f => Promise.all(Array.from(f.querySelectorAll('img')).map(i => i.decode().catch(() => null)))
    .then(() => new Promise(r => requestAnimationFrame(() => r())))"""


def _stored(chapter):
    from test_nojs_faces import _stored_faces

    return _stored_faces(ROOT / "notebooks" / chapter)
