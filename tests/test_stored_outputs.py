"""The book shows the notebooks' stored outputs (_config.yml: execute_notebooks off): nothing is executed at build
time, in either edition. What makes that safe is nbval (make test): it re-runs every chapter in a fresh kernel
and compares each output with the stored one, strictly, with this CPU's numeric kernels and an older CPU's.

nbval's sanitizers (tests/nbval_sanitize.cfg) hide one part of an output from that comparison: the browser code
and stylesheets the explorers and exercise forms inline (megabytes of identical text that would drown a real
difference). This file holds that part to today's files without executing anything: every inlined script is
today's bundle (nnlib/explore/dist/) and every inlined stylesheet today's CSS, so a notebook not re-run after a
change to the browser code fails here, with the command that mends it, before the book could publish yesterday's
JavaScript.
"""

import json
import re
from pathlib import Path

import pytest

from nnlib.exercises import form
from nnlib.explore import _face

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")) + sorted((ROOT / "notebooks" / "ja").glob("*.ipynb"))
BUNDLES = sorted((ROOT / "nnlib" / "explore" / "dist").glob("*.js"))
STYLESHEETS = sorted(p.name for p in (ROOT / "nnlib" / "explore").glob("*.css") if p.name != "explore.css")

SCRIPT = re.compile(re.escape(_face.JS_MARK) + r"\n(.*?)\n" + re.escape(_face.JS_END), re.S)
STYLE = re.compile(r"<style>(" + re.escape(_face.CSS_MARK) + r".*?)</style>", re.S)


def _html_outputs(path):
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                yield index, "".join(html) if isinstance(html, list) else html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_no_stored_output_is_an_error(path):
    """The build executes nothing, so nothing at build time would notice a traceback saved in a chapter."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    errors = [
        f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(cells)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors, f"{path.name} was saved with an error (the book would show it): {errors}; run {_mend(path)}"


def _is_bundles(text, bundles):
    """Whether `text` is whole bundles joined by line ends (how _face.script_block inlines several)."""
    while text:
        head = next((b for b in bundles if text.startswith(b)), None)
        if head is None:
            return False
        text = text[len(head) :].removeprefix("\n")
    return True


def _mend(path):
    return "make notebooks-ja" if path.parent.name == "ja" else "make notebooks (then make notebooks-ja)"


def test_the_check_knows_every_inlined_part():
    """The markers this file looks for are the ones the library writes, and the notebooks hold some of each."""
    found = {"script": 0, "style": 0}
    for path in NOTEBOOKS:
        for _, html in _html_outputs(path):
            found["script"] += len(SCRIPT.findall(html))
            found["style"] += len(STYLE.findall(html))
    assert found["script"] > 20 and found["style"] > 20, found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_inlined_code_and_styles_are_todays(path):
    bundles = sorted((b.read_text(encoding="utf-8") for b in BUNDLES), key=len, reverse=True)
    shared = _face.CSS_MARK + _face.css()
    styles = {shared, form._css()} | {f"{shared}\n{_face.asset(name)}" for name in STYLESHEETS}
    stale = []
    for index, html in _html_outputs(path):
        for text in SCRIPT.findall(html):
            if not _is_bundles(text, bundles):
                stale.append(f"cell {index}: a script that is no bundle of today ({text[:60]!r}...)")
        for text in STYLE.findall(html):
            if text not in styles:
                stale.append(
                    f"cell {index}: a stylesheet that is not today's ({text[len(_face.CSS_MARK) :][:60]!r}...)"
                )
    assert not stale, (
        f"{path.name} holds browser code or styles older than nnlib's (the book would publish them): run {_mend(path)}. "
        + "; ".join(stale[:5])
    )
