"""The Japanese edition's forms and trainers work, and answer in Japanese.

The same checks as the English pages' (test_exercises_book.py, test_train_explorers.py), on ja/: no answer is in a
page's visible text before the reader asks for it (with and without JavaScript); every form answers the starter and
the worked answer exactly as nnlib's Python does in Japanese (`set_language("ja")`: one catalogue
serves both faces), counts the chapter's progress in Japanese; every trainer lowers its loss when Train is pressed
and reports the pause in Japanese.

Needs the built book with its Japanese edition (`make book`) and the fixtures of tests/browser/conftest.py.
"""

import pytest

import test_exercises_book as english_forms
from nnlib import i18n
from test_exercise_forms_chromium import clear, fill
from test_train_explorers import PAGES as TRAINER_PAGES
from test_train_explorers import picture, state


def submit(section):
    """As the English test submits (Enter in the first text box), with the Japanese page's Check button."""
    boxes = section.locator("input[type=text]")
    if boxes.count():
        boxes.first.press("Enter")
    else:
        section.get_by_role("button", name=i18n.gettext("Check", "ja")).click()
    return section.locator(".nnx-ex-verdict").inner_text()


@pytest.fixture
def in_japanese():
    i18n.set_language("ja")
    yield
    i18n.set_language(None)


# What gives each answer away in the Japanese worked solution, where the English secret (Exercise.secrets) is a
# phrase the translation rewords; the other secrets are numbers or code that the translation keeps as they are.
JA_SECRETS = {
    "ch03-entry": ["x0 から y2 へは"],
    "ch06-batches": ["最初のバッチサイズは"],
    "ch06-confused": ["本当の数字 = 4"],
    "ch07-reflections": ["B と D"],
}


def _ja_secrets(exercise):
    """The strings that give `exercise`'s answer away in its Japanese solution; each is in that solution."""
    solution = i18n.gettext(exercise.solution, "ja")
    secrets = [s for s in exercise.secrets if s in solution] + JA_SECRETS.get(exercise.id, [])
    assert secrets and all(s in solution for s in secrets), (
        f"{exercise.id}: no secret of its Japanese solution is known (JA_SECRETS): {solution[:200]}"
    )
    return secrets


@pytest.mark.parametrize("chapter", sorted(english_forms.CHAPTERS))
def test_japanese_forms_answer_as_nnlib_does_in_japanese(chapter, page, page_log, open_page, in_japanese):
    exercises = english_forms.BY_CHAPTER[chapter]
    solved = 0
    for path in english_forms.CHAPTERS[chapter]:
        open_page("ja/" + path)
        # as on the English pages, no answer is in the visible text before the reader asks for it
        text = page.evaluate("document.body.innerText")
        for exercise in exercises:
            for secret in _ja_secrets(exercise):
                assert secret not in text, f"{exercise.id}: {secret!r} is in the visible text of ja/{path}"
        sections = page.locator("section.nnx-ex")
        here = [next(e for e in exercises if e.id == s.get_attribute("data-exercise")) for s in sections.all()]
        for exercise in here:
            section = page.locator(f'section[data-exercise="{exercise.id}"]')
            section.scroll_into_view_if_needed()
            fill(section, exercise.starter)
            assert submit(section) == repr(exercise.check_form(exercise.starter)), exercise.id
            clear(section)
            fill(section, exercise.answers)
            assert submit(section) == repr(exercise.check_form(exercise.answers)), exercise.id
        solved += len(here)
        progress = i18n.gettext(
            "This exercise: {mine}. This chapter: {solved} of {total} solved (kept in this browser only).",
            mine=i18n.gettext("solved \u2713"),
            solved=solved,
            total=len(exercises),
        )
        assert sections.last.locator(".nnx-ex-count").inner_text() == progress, f"ja/{path}"
        page_log.assert_clean("ja/" + path)


@pytest.mark.parametrize("path", TRAINER_PAGES)
def test_japanese_trainers_train_and_report_in_japanese(path, page, open_page, page_log):
    open_page("ja/" + path)
    root = page.locator(".nnx-train")
    page.wait_for_function("(el) => el.hasAttribute('data-epoch')", arg=root.element_handle())
    root.scroll_into_view_if_needed()
    start, before = state(root), picture(root)
    root.locator("[data-act=train]").click()
    page.wait_for_function(
        "([el, loss]) => +el.dataset.epoch >= 3 && +el.dataset.loss < 0.9 * loss",
        arg=[root.element_handle(), start["loss"]],
        timeout=2500,
    )
    root.locator("[data-act=train]").click()  # Pause
    paused = state(root)
    assert picture(root) != before, f"ja/{path}: the region did not change while training"
    said = i18n.gettext("epoch {epoch}: training loss {loss}, accuracy {accuracy}.", "ja", epoch=paused["epoch"])
    assert root.locator(".nnx-readout").text_content().startswith(said.split("{loss}")[0]), f"ja/{path}"
    assert root.locator(".nnx-train-epoch").text_content() == i18n.gettext("epoch {epoch}", "ja", epoch=paused["epoch"])
    page_log.assert_clean("ja/" + path)


@pytest.mark.parametrize("chapter", sorted(english_forms.CHAPTERS))
def test_japanese_pages_hide_the_solutions_without_javascript(chapter, browser, site_url):
    """Without JavaScript too, no answer is in a Japanese page's visible text before the reader unfolds it (with
    JavaScript, the forms test above checks it)."""
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    page = context.new_page()
    exercises = english_forms.BY_CHAPTER[chapter]
    for path in english_forms.CHAPTERS[chapter]:
        page.goto(site_url + "ja/" + path)
        text = page.evaluate("document.body.innerText")
        for exercise in exercises:
            for secret in _ja_secrets(exercise):
                assert secret not in text, f"{exercise.id}: {secret!r} is in the visible text of ja/{path}"
        # The control: unfolded, the page's solutions show the secrets (so they are the page's own words).
        page.evaluate("document.querySelectorAll('section.nnx-ex details').forEach(d => { d.open = true; })")
        text = page.evaluate("document.body.innerText")
        here = [e for e in exercises if page.locator(f'section[data-exercise="{e.id}"]').count()]
        for exercise in here:
            for secret in _ja_secrets(exercise):
                assert secret in text, f"{exercise.id}: unfolded, its solution on ja/{path} lacks {secret!r}"
    context.close()
