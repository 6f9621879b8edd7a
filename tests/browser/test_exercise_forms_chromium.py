"""The exercises' answer forms in headless Chromium, without the book: the same verdicts as Python
(the case tables of tests/test_exercises_forms.py), and each form used as a reader does: typed answers,
Enter, the verdict line, the worked solution only after two wrong tries, progress, JavaScript off."""

import json

import pytest

import test_exercises_forms as tables
from jsface import chromium_eval

EXERCISES = tables.all_exercises()


def test_chromium_gives_the_same_verdict_as_python_for_every_answer(blank_page):
    cases = tables.form_cases()
    tables.check_parity(cases, chromium_eval(blank_page, ["nn.js", "exercises.js"], tables.CHECK_FORM_JS,
                                             tables.js_cases(cases)))


def fill(section, raw):
    """Type `raw` ({input name: text}; check boxes: {name: [values]}) into one exercise's form."""
    for name, value in raw.items():
        if isinstance(value, list):
            for box in section.locator(f'input[type=checkbox][name="{name}"]').all():
                box.set_checked(box.get_attribute("value") in value)
        elif section.locator(f'input[type=radio][name="{name}"]').count():
            if value:
                section.locator(f'input[type=radio][name="{name}"][value="{value}"]').check()
        else:
            section.locator(f'input[name="{name}"]').fill(value)


def clear(section):
    for box in section.locator("input[type=text]").all():
        box.fill("")
    for box in section.locator("input[type=checkbox], input[type=radio]").all():
        box.evaluate("el => { el.checked = false; }")  # a reader cannot untick a radio button; a test can


def submit(section):
    """Enter in the first text box submits, as in any form; check boxes only: the Check button."""
    boxes = section.locator("input[type=text]")
    if boxes.count():
        boxes.first.press("Enter")
    else:
        section.get_by_role("button", name="Check").click()
    return section.locator(".nnx-ex-verdict").inner_text()


@pytest.fixture(scope="module")
def forms_html():
    return "".join(exercise.to_html() for exercise in EXERCISES)


@pytest.fixture
def forms_page(browser, forms_html, tmp_path):
    # From a file: URL, as a reader who opens the book from disk (localStorage works there too).
    path = tmp_path / "forms.html"
    path.write_text(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>forms</title></head>"
                    f"<body>{forms_html}</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    yield page
    context.close()
    assert not errors, errors


def test_each_form_gives_pythons_verdict_for_right_and_wrong_answers_and_hides_the_solution(forms_page):
    page = forms_page
    for exercise in EXERCISES:
        section = page.locator(f'section[data-exercise="{exercise.id}"]')
        reveal = section.locator(".nnx-ex-reveal")
        text = page.evaluate("document.body.innerText")
        for secret in exercise.secrets:
            assert secret not in text, f"{exercise.id}: {secret!r} is visible before the reader asks"
        assert not reveal.is_visible()
        # Two wrong tries: the starter, then the starter again; only then may the reader see a solution.
        fill(section, exercise.starter)
        assert submit(section) == repr(exercise.check_form(exercise.starter))
        assert not reveal.is_visible(), f"{exercise.id}: solution offered after one wrong try"
        assert submit(section) == repr(exercise.check_form(exercise.starter))
        assert reveal.is_visible()
        clear(section)
        fill(section, exercise.answers)
        verdict = submit(section)
        assert verdict == repr(exercise.check_form(exercise.answers)) and verdict.startswith("✓ Right")
        assert "This exercise: solved" in section.locator(".nnx-ex-progress").inner_text()
        reveal.click()
        shown = section.locator(".nnx-ex-solution").inner_text()
        for secret in exercise.secrets:
            assert secret in shown


def test_forms_fit_390_px_and_every_input_has_a_label(forms_page):
    page = forms_page
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, f"the forms are {overflow} px wide at 390 px"
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('section.nnx-ex input')].filter(el =>
        !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabelled == []
    live = page.locator(".nnx-ex-verdict[aria-live=polite]")
    assert live.count() == len(EXERCISES)


def test_progress_is_kept_per_chapter_and_can_be_reset(forms_page):
    page = forms_page
    exercise = EXERCISES[0]
    section = page.locator(f'section[data-exercise="{exercise.id}"]')
    fill(section, exercise.answers)
    submit(section)
    stored = json.loads(page.evaluate(f"localStorage.getItem('forward-pass-exercises:{exercise.chapter}')"))
    assert stored == {exercise.id: 1}
    other = page.locator(f'section[data-chapter="{exercise.chapter}"]').nth(1)
    assert f"1 of {exercise.chapter_total} solved" in other.locator(".nnx-ex-progress").inner_text()
    page.reload()
    again = page.locator(f'section[data-exercise="{exercise.id}"] .nnx-ex-progress')
    assert "This exercise: solved" in again.inner_text()
    again.get_by_role("button", name="Reset this chapter's progress").click()
    assert "not solved yet" in again.inner_text()
    assert page.evaluate(f"localStorage.getItem('forward-pass-exercises:{exercise.chapter}')") == "{}"


def test_without_javascript_each_exercise_reads_sensibly(browser, forms_html, tmp_path):
    path = tmp_path / "forms.html"
    path.write_text(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>f</title></head>"
                    f"<body>{forms_html}</body></html>", encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    for exercise in EXERCISES:
        section = page.locator(f'section[data-exercise="{exercise.id}"]')
        text = section.inner_text()
        assert exercise.title in text
        assert "needs JavaScript" in text and "the checker in the cell above" in text
        details = section.locator("details")
        assert details.count() == 1 and details.get_attribute("open") is None
        for secret in exercise.secrets:
            assert secret not in text, f"{exercise.id}: {secret!r} visible with JavaScript off"
        details.locator("summary").click()
        for secret in exercise.secrets:
            assert secret in section.inner_text()
    context.close()
