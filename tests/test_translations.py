"""The Japanese edition's catalogues (locale/ja/LC_MESSAGES/*.po) against the English source.

- The catalogues hold exactly the English text of today's pages: the text is extracted afresh (Sphinx's gettext
  builder, book/_ext/edition.py, about 15 s) and compared with the catalogues' entries. A changed or new English
  sentence fails here until `make gettext` merges it in, where it arrives untranslated or fuzzy...
- ...and then fails the next test: every entry translated, none fuzzy (a fuzzy entry is a translation of an
  earlier English sentence: never shown as if it were current).
- A translation keeps what is not prose: the glued values (both editions print the same numbers), the math, the
  inline code, and the targets of links and cross-references.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from nnlib.i18n import extract, messages

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import ja_notebooks  # noqa: E402

LOCALE = ROOT / "locale" / "ja" / "LC_MESSAGES"
CATALOGUES = sorted(p.relative_to(LOCALE).with_suffix("").as_posix() for p in LOCALE.rglob("*.po"))

# Pages whose translation is still being written (locale/ja/in_progress.txt, shared with the browser test): their
# untranslated entries are expected (xfail, strict: a finished page must leave the list, so the list only shrinks).
IN_PROGRESS = {
    line.strip()
    for line in (ROOT / "locale" / "ja" / "in_progress.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
# nnlib's own catalogue (forms, verdicts, explorers): extracted from the library by nnlib/i18n/extract.py, not by
# Sphinx; compiled into nnlib/i18n/ja.json, which the library ships.
INTERFACE = "nnlib"


def read_catalogue(path):
    with open(path, "rb") as f:
        return read_po(f, locale="ja")


def entries(catalogue):
    """The catalogue's current entries (not the header, not obsolete ones)."""
    return [m for m in catalogue if m.id]


@pytest.fixture(scope="module")
def english_text(tmp_path_factory):
    """The .pot files of the English pages as they are now, extracted into a temporary folder."""
    out = tmp_path_factory.mktemp("gettext") / "gettext"
    run = subprocess.run(
        [sys.executable, str(ROOT / "book" / "_ext" / "edition.py"), "gettext", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, f"the gettext build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    extract.write_pot(out / f"{INTERFACE}.pot")
    ja_notebooks.add_figure_alts(out)  # as `make gettext` does: the figures' alt texts live in cell metadata
    return {p.relative_to(out).with_suffix("").as_posix(): read_catalogue(p) for p in out.rglob("*.pot")}


def test_there_are_catalogues():
    assert INTERFACE in CATALOGUES, f"nnlib's catalogue {INTERFACE}.po is missing from {LOCALE}"
    assert len(CATALOGUES) >= 16, f"expected one catalogue per page under {LOCALE}, found {CATALOGUES}"
    assert IN_PROGRESS <= set(CATALOGUES), f"IN_PROGRESS names no catalogue: {IN_PROGRESS - set(CATALOGUES)}"


def test_the_catalogues_hold_todays_english_text(english_text):
    problems = []
    for page in sorted(set(english_text) - set(CATALOGUES)):
        problems.append(f"{page}: a page with no Japanese catalogue")
    for page in sorted(set(CATALOGUES) - set(english_text)):
        problems.append(f"{page}: a catalogue for a page the book no longer has (delete locale/ja/.../{page}.po)")
    for page in sorted(set(english_text) & set(CATALOGUES)):
        source = {m.id for m in entries(english_text[page])}
        catalogue = {m.id for m in entries(read_catalogue(LOCALE / f"{page}.po"))}
        problems += [f"{page}: English text not in the catalogue: {i[:100]!r}" for i in sorted(source - catalogue)]
        problems += [
            f"{page}: catalogue entry no longer in the English: {i[:100]!r}" for i in sorted(catalogue - source)
        ]
    assert not problems, (
        f"{len(problems)} differences between the English pages and the catalogues: run `make gettext`, then "
        "translate the entries it marks (untranslated or fuzzy)\n  " + "\n  ".join(problems[:40])
    )


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="translation in progress"))
        if p in IN_PROGRESS
        else p
        for p in CATALOGUES
    ],
)
def test_every_entry_is_translated_and_none_is_fuzzy(page):
    catalogue = entries(read_catalogue(LOCALE / f"{page}.po"))
    untranslated = [m.id for m in catalogue if not m.string]
    fuzzy = [m.id for m in catalogue if m.string and m.fuzzy]
    assert not untranslated and not fuzzy, (
        f"{page}.po: {len(untranslated)} of {len(catalogue)} entries untranslated, {len(fuzzy)} fuzzy "
        "(the English changed since they were translated):\n  "
        + "\n  ".join([f"untranslated: {i[:90]!r}" for i in untranslated[:15]] + [f"fuzzy: {i[:90]!r}" for i in fuzzy])
    )


# What a translation must carry over unchanged. Glue roles print the numbers; math, inline code and the targets of
# links and cross-references are not prose.
GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]+`")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
ROLE_TARGET = re.compile(r"\{(?:ref|doc|numref|term|eq|download)\}`(?:[^`<]*<([^`>]+)>|([^`]+))`")
ANY_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"(?<![}`])`([^`]+)`")


def kept_parts(text):
    targets = [a or b for a, b in ROLE_TARGET.findall(text)]
    # Code is compared once the roles (whose backticked text is not code) are out of the way.
    plain = ANY_ROLE.sub("", text)
    return {
        "glued values": sorted(GLUE.findall(text)),
        "math": sorted(m.strip() for m in MATH.findall(text)),
        "reference targets": sorted(targets),
        "link targets": sorted(LINK_TARGET.findall(text)),
        # a name may be said once more, or once less, in the other language: the same names, not the same count
        "inline code": sorted(set(CODE.findall(MATH.sub("", plain)))),
    }


@pytest.mark.parametrize("page", CATALOGUES)
def test_translations_keep_numbers_math_code_and_links(page):
    problems = []
    for m in entries(read_catalogue(LOCALE / f"{page}.po")):
        if not m.string or m.fuzzy:
            continue
        english, japanese = kept_parts(m.id), kept_parts(m.string)
        for what in english:
            if english[what] != japanese[what]:
                problems.append(f"{what}: {english[what]} became {japanese[what]} in {m.id[:70]!r}")
    assert not problems, f"{page}.po:\n  " + "\n  ".join(problems)


# a minus sign only where it is one: "layer-1" and "1-5-1" hold no negative number
NUMBER = re.compile(r"(?:(?<![\w-])-)?\d+(?:[.,]\d+)*")


@pytest.mark.parametrize("page", [p for p in CATALOGUES if p.startswith("notebooks/")])
def test_figure_alt_texts_keep_their_numbers(page):
    """A figure's alt text says what the figure shows, numbers included: each number of the English alt text is in
    the Japanese one as written (the Japanese may add digits for English number words: "three" is 3)."""
    problems = []
    for m in entries(read_catalogue(LOCALE / f"{page}.po")):
        if "a figure's alt text" not in m.auto_comments or not m.string:
            continue
        missing = [n for n in NUMBER.findall(m.id) if n not in NUMBER.findall(m.string)]
        if missing:
            problems.append(f"{missing} missing from the translation of {m.id[:70]!r}")
    assert not problems, f"{page}.po:\n  " + "\n  ".join(problems)


def test_nnlib_ships_the_translated_interface_catalogue():
    """nnlib/i18n/ja.json (what the Python and JavaScript faces read) is nnlib.po compiled: `make gettext`."""
    shipped = messages("ja")
    current = extract.compiled(LOCALE / f"{INTERFACE}.po")
    stale = sorted(k for k in set(shipped) | set(current) if shipped.get(k) != current.get(k))
    assert not stale, (
        f"nnlib/i18n/ja.json differs from {INTERFACE}.po in {len(stale)} messages (run `make gettext`): {stale[:10]}"
    )


def test_no_catalogue_calls_a_message_a_percent_format():
    # A "python-format" flag (babel's guess from "25 % of") makes `msgfmt -c` and translators' editors refuse a
    # translation whose % falls elsewhere; the book has no %-format message (make gettext drops the flag).
    flagged = [
        f"{path.relative_to(LOCALE)}:{n}"
        for path in sorted(LOCALE.rglob("*.po"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("#,") and "python-format" in line.replace("python-brace-format", "")
    ]
    assert not flagged, "python-format flags (run make gettext): " + ", ".join(flagged)
