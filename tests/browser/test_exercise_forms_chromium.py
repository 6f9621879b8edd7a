"""The exercises' answer forms in headless Chromium, without the book: the same verdicts as Python
(the case tables of tests/test_exercises_forms.py), and each form used as a reader does: typed answers,
Enter, the verdict line, the worked solution only after two wrong tries, progress, JavaScript off."""

import json
from pathlib import Path

import pytest

import test_exercises_forms as tables
from jsface import chromium_answers, chromium_eval

EXERCISES = tables.all_exercises()


def test_chromium_gives_the_same_verdict_as_python_for_every_answer(blank_page):
    cases = tables.form_cases()
    tables.check_parity(
        cases, chromium_eval(blank_page, ["nn.js", "exercises.js"], tables.CHECK_FORM_JS, tables.js_cases(cases))
    )


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
    path.write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>forms</title></head>"
        f"<body>{forms_html}</body></html>",
        encoding="utf-8",
    )
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


def test_progress_is_kept_per_chapter_and_one_reset_per_chapter_asks_first(forms_page):
    page = forms_page
    exercise = EXERCISES[0]
    key = f"forward-pass-exercises:{exercise.chapter}"
    section = page.locator(f'section[data-exercise="{exercise.id}"]')
    fill(section, exercise.answers)
    submit(section)
    assert json.loads(page.evaluate(f"localStorage.getItem('{key}')")) == {exercise.id: 1}
    chapter = page.locator(f'section[data-chapter="{exercise.chapter}"]')
    assert f"1 of {exercise.chapter_total} solved" in chapter.nth(1).locator(".nnx-ex-progress").inner_text()
    page.reload()
    again = page.locator(f'section[data-exercise="{exercise.id}"]')
    assert "This exercise: solved" in again.locator(".nnx-ex-progress").inner_text()
    # One reset per chapter on the page, under the chapter's last form.
    for name in sorted({e.chapter for e in EXERCISES}):
        sections = page.locator(f'section[data-chapter="{name}"]')
        assert sections.get_by_role("button", name="Reset this chapter's progress").count() == 1, name
        assert sections.last.get_by_role("button", name="Reset this chapter's progress").count() == 1, name
    # A verdict on the page, then reset: it asks first; "No" keeps everything.
    fill(again, exercise.starter)
    assert submit(again).startswith("✗ Not yet")
    reset = chapter.last.get_by_role("button", name="Reset this chapter's progress")
    reset.click()
    chapter.last.get_by_role("button", name="No, keep it").click()
    assert json.loads(page.evaluate(f"localStorage.getItem('{key}')")) == {exercise.id: 1}
    assert again.locator(".nnx-ex-verdict").inner_text().startswith("✗ Not yet")
    reset.click()
    assert "Forget which exercises of this chapter you solved" in chapter.last.inner_text()
    chapter.last.get_by_role("button", name="Yes, reset").click()
    assert page.evaluate(f"localStorage.getItem('{key}')") == "{}"
    assert "not solved yet" in again.locator(".nnx-ex-progress").inner_text()
    assert again.locator(".nnx-ex-verdict").inner_text() == "", "the old verdict is still shown after a reset"
    assert reset.is_visible()


def test_empty_or_unreadable_submissions_do_not_count_as_tries(forms_page):
    exercise = EXERCISES[0]
    section = forms_page.locator(f'section[data-exercise="{exercise.id}"]')
    reveal = section.locator(".nnx-ex-reveal")
    for _ in range(3):
        assert "is empty" in submit(section)
    fill(section, {key: "four" for key in exercise.starter})
    assert "is not a number" in submit(section)
    assert not reveal.is_visible(), "a solution offered after empty submissions"
    clear(section)
    fill(section, exercise.starter)
    submit(section)
    assert not reveal.is_visible()
    submit(section)
    assert reveal.is_visible()


def test_a_huge_or_overflowing_number_is_refused_quickly_and_never_right(forms_page):
    page = forms_page
    for exercise in EXERCISES:
        section = page.locator(f'section[data-exercise="{exercise.id}"]')
        boxes = [
            k for k, v in exercise.answers.items() if section.locator(f'input[inputmode=decimal][name="{k}"]').count()
        ]
        if not boxes:
            continue
        clear(section)
        fill(section, {**exercise.answers, boxes[0]: "1e999"})
        verdict = submit(section)
        assert verdict.startswith("✗ Not yet") and "too large to compute with" in verdict, (exercise.id, verdict)
    # 50,000 pasted digits: the check answers at once (the old pattern took seconds).
    section = page.locator(f'section[data-exercise="{EXERCISES[0].id}"]')
    clear(section)
    section.locator("input[type=text]").first.fill("9" * 50_000)
    took = page.evaluate(
        """(form) => { const t = performance.now();
        form.dispatchEvent(new Event("submit", {cancelable: true})); return performance.now() - t; }""",
        section.locator("form").element_handle(),
    )
    assert "longer than 40 characters" in section.locator(".nnx-ex-verdict").inner_text()
    assert took < 200, f"checking 50,000 digits took {took:.0f} ms"


@pytest.mark.parametrize("stored", ['"abc"', "5", "true", "[]", "null", "{not json"])
def test_progress_that_is_not_a_record_is_kept_aside_and_checking_still_works(browser, forms_html, tmp_path, stored):
    path = tmp_path / "forms.html"
    path.write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>f</title></head>"
        f"<body>{forms_html}</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context()
    page = context.new_page()
    errors, warnings = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    exercise = EXERCISES[0]
    key = f"forward-pass-exercises:{exercise.chapter}"
    page.goto(path.as_uri())
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, stored])
    page.reload()
    section = page.locator(f'section[data-exercise="{exercise.id}"]')
    fill(section, exercise.answers)
    assert submit(section).startswith("✓ Right")
    assert json.loads(page.evaluate(f"localStorage.getItem('{key}')")) == {exercise.id: 1}
    if stored != "null":  # JSON null is no progress at all, nothing to keep
        assert page.evaluate(f"localStorage.getItem('{key}:unreadable')") == stored
        assert any(key in w for w in warnings), warnings
    context.close()
    assert not errors, errors


def test_legends_keep_the_text_size_under_the_books_theme(browser, forms_html, tmp_path):
    import pydata_sphinx_theme

    theme = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme"
        / "pydata_sphinx_theme"
        / "static"
        / "styles"
        / "pydata-sphinx-theme.css"
    )
    path = tmp_path / "forms.html"
    path.write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>f</title>"
        f"<link rel='stylesheet' href='{theme.as_uri()}'></head><body>{forms_html}</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    sizes = page.evaluate("""() => [...document.querySelectorAll('section.nnx-ex legend')].map(el => [
        parseFloat(getComputedStyle(el).fontSize), parseFloat(getComputedStyle(el.closest('section')).fontSize),
        getComputedStyle(el).float])""")
    context.close()
    assert sizes and all(legend == text and floating == "none" for legend, text, floating in sizes), sizes


def test_chromium_evaluates_the_language_as_python_does(blank_page):
    """The named regressions and a sample of the random expressions of tests/test_exercises_language.py."""
    from hypothesis import Phase, given, settings

    import test_exercises_language as lang

    cases = [{"tree": t, "env": e, "spec": s} for t, e, s in lang.REGRESSIONS]

    @given(lang.trees, lang.environments(), lang.st.sampled_from(lang.SPECS))
    @settings(lang.SETTINGS, max_examples=150, phases=[Phase.generate])
    def collect(tree, env, spec):
        cases.append({"tree": tree, "env": env, "spec": spec})

    collect()
    answers = chromium_answers(blank_page, ["nn.js", "exercises.js"], lang.NODE_FUNCTION, cases)
    for case, got in zip(cases, answers):
        lang.compare(lang.python_answer(case["tree"], case["env"], case["spec"]), got, case)


def test_without_javascript_each_exercise_reads_sensibly(browser, forms_html, tmp_path):
    path = tmp_path / "forms.html"
    path.write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>f</title></head>"
        f"<body>{forms_html}</body></html>",
        encoding="utf-8",
    )
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
