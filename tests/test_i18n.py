"""nnlib's one message catalogue (nnlib/i18n): the Python face, the page's JavaScript and the book build read the
same translations (locale/ja/LC_MESSAGES/nnlib.po, compiled to nnlib/i18n/ja.json)."""

import json
import re
import subprocess

import pytest

from jsface import NODE
from nnlib import i18n
from nnlib.exercises import Feedback, ch01


@pytest.fixture
def japanese():
    i18n.set_language("ja")
    yield
    i18n.set_language(None)


def test_the_checker_answers_in_the_chosen_language(japanese):
    assert repr(Feedback(True, "x")) == "✓ 正解です: x"
    assert repr(Feedback(False, "x")) == "✗ まだです: x"


def test_english_is_the_default_and_unknown_languages_are_refused(monkeypatch):
    i18n.set_language(None)
    monkeypatch.delenv("NNLIB_LANG", raising=False)
    assert repr(Feedback(True, "x")) == "✓ Right: x"
    with pytest.raises(ValueError, match="nnlib speaks en, ja"):
        i18n.set_language("fr")
    monkeypatch.setenv("NNLIB_LANG", "ja_JP.UTF-8")
    assert i18n.language() == "ja"


def test_a_form_rendered_in_japanese_is_the_english_form_translated(japanese):
    exercise = ch01.EXERCISES[0]
    japanese_form = exercise.to_html()
    i18n.set_language("en")
    english_form = exercise.to_html()
    # What the Japanese book build does to the English notebooks' stored forms gives the Python face's form.
    # (the Python face's form also carries the catalogue for its script; the book adds it once per page)
    assert i18n.translate_html(english_form, "ja") == japanese_form.replace(i18n.catalogue_script("ja"), "")
    for words in ("答え合わせ", "解答例を見る", "演習1：x = 2 で切り替わるシグモイドのニューロン"):
        assert words in japanese_form
    # (outside the inlined script, whose catalogue names every English message)
    shown = re.sub(r"<script\b.*?</script>", "", japanese_form, flags=re.S)
    for words in (">Check<", "Show a worked solution", exercise.title):
        assert words in english_form and words not in shown


def test_placeholders_and_unknown_messages():
    assert i18n.gettext("not in the catalogue {n}", "ja", n=3) == "not in the catalogue 3"
    assert i18n.fill("{a} and {b} and {c}", {"a": 1, "b": "x"}) == "1 and x and {c}"


def test_the_page_script_picks_the_page_language():
    # A page in Japanese carries the catalogue once (catalogue_script); i18n.js reads it from there.
    script = (
        "const I = require(process.argv[1]);"
        "const catalogue = JSON.parse(process.argv[2]);"
        "const page = (lang) => ({documentElement: {lang},"
        '  querySelector: (s) => s.includes(`data-lang="${lang}"`) ? {textContent: JSON.stringify(catalogue)} : null});'
        "console.log(JSON.stringify(["
        "  I.t('Check', null, page('ja')), I.t('Check', null, page('en')), I.t('Check', null, page('ja-JP')),"
        "  I.t('This exercise: {mine}. This chapter: {solved} of {total} solved (kept in this browser only).',"
        "      {mine: I.t('not solved yet', null, page('ja')), solved: 1, total: 2}, page('ja'))]));"
    )
    path = i18n.__file__.replace("__init__.py", "i18n.js")
    catalogue = json.dumps(i18n.messages("ja"), ensure_ascii=False)
    out = subprocess.run([NODE, "-e", script, path, catalogue], capture_output=True, text=True, check=True).stdout
    ja, en, ja_jp, progress = json.loads(out)
    assert (ja, en, ja_jp) == ("答え合わせ", "Check", "答え合わせ")
    assert progress == i18n.gettext(
        "This exercise: {mine}. This chapter: {solved} of {total} solved (kept in this browser only).",
        "ja",
        mine=i18n.gettext("not solved yet", "ja"),
        solved=1,
        total=2,
    )
    assert "2 問中 1 問" in progress


def test_the_catalogue_goes_into_a_page_once_and_only_in_japanese():
    assert i18n.catalogue_script("en") == ""
    tag = i18n.catalogue_script("ja")
    assert tag.startswith('<script type="application/json" class="nnlib-i18n" data-lang="ja">')
    assert json.loads(tag[tag.index(">") + 1 : -len("</script>")].replace("<\\/", "</")) == i18n.messages("ja")
