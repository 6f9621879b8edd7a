"""The exercises in the built book: every chapter's forms answer a right and a wrong answer as Python does, no
answer is in a page's visible text before the reader asks for it, and with JavaScript off each exercise still
reads sensibly (question, a note on checking, a folded solution)."""

import pytest

import test_exercises_forms as tables
from test_exercise_forms_chromium import clear, fill, submit

# A chapter's pages in reading order (chapter 6 has two); its forms are spread over them in the order of its
# EXERCISES, and its progress ("This chapter: 3 of 4 solved") counts the forms of all its pages.
CHAPTERS = {
    "ch01": "notebooks/01_one_neuron.html",
    "ch02": "notebooks/02_many_neurons.html",
    "ch03": "notebooks/03_dense_learns_and.html",
    "ch04": "notebooks/04_reading_weights.html",
    "ch05": "notebooks/05_neurons_to_matrices.html",
    "ch06": ("notebooks/06_handwritten_digits.html", "notebooks/06_inside_the_digit_network.html"),
    "ch07": "notebooks/07_geometry_of_a_layer.html",
}
CHAPTERS = {chapter: (pages,) if isinstance(pages, str) else pages for chapter, pages in CHAPTERS.items()}
BY_CHAPTER = {}
for _exercise in tables.all_exercises():
    BY_CHAPTER.setdefault(_exercise.chapter, []).append(_exercise)


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_every_form_answers_a_right_and_a_wrong_answer_and_hides_the_solutions(chapter, page, page_log, open_page):
    exercises = BY_CHAPTER[chapter]
    on_pages = []
    for path in CHAPTERS[chapter]:
        open_page(path)
        sections = page.locator("section.nnx-ex")
        here = [next(e for e in exercises if e.id == s.get_attribute("data-exercise")) for s in sections.all()]
        on_pages += here
        text = page.evaluate("document.body.innerText")
        for exercise in exercises:
            for secret in exercise.secrets:
                assert secret not in text, f"{exercise.id}: {secret!r} is in the visible text of {path}"
        # The notebook's solution cells are not in the page at all (remove-cell), nor their outputs.
        assert "assert ch" not in page.content()
        for exercise in here:
            section = page.locator(f'section[data-exercise="{exercise.id}"]')
            section.scroll_into_view_if_needed()
            fill(section, exercise.starter)
            assert submit(section) == repr(exercise.check_form(exercise.starter))
            clear(section)
            fill(section, exercise.answers)
            assert submit(section) == repr(exercise.check_form(exercise.answers))
            assert section.locator(".nnx-ex-reveal").is_visible()
        # Progress is the chapter's, across its pages: the forms solved on an earlier page count here too.
        solved = len(on_pages)
        assert f"This chapter: {solved} of {len(exercises)} solved" in sections.last.inner_text(), path
        # One reset for the chapter, under the page's last form; legends at the text's size (not the theme's heading
        # size).
        assert page.get_by_role("button", name="Reset this chapter's progress").count() == 1
        assert sections.last.get_by_role("button", name="Reset this chapter's progress").count() == 1
        sizes = page.evaluate("""() => [...document.querySelectorAll('section.nnx-ex legend')].map(el =>
            [getComputedStyle(el).fontSize, getComputedStyle(el.closest('section')).fontSize])""")
        assert all(legend == text for legend, text in sizes), sizes
        page_log.assert_clean(path)
    assert on_pages == exercises, f"{chapter}: one form per exercise, in order, over the chapter's pages"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_without_javascript_exercises_read_sensibly(chapter, browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    found = []
    for path in CHAPTERS[chapter]:
        page.goto(site_url + path)
        for exercise in BY_CHAPTER[chapter]:
            section = page.locator(f'section[data-exercise="{exercise.id}"]')
            if not section.count():
                continue
            found.append(exercise.id)
            text = section.inner_text()
            assert exercise.title in text and "needs JavaScript" in text
            assert section.locator("details").get_attribute("open") is None
        body = page.evaluate("document.body.innerText")
        for exercise in BY_CHAPTER[chapter]:
            for secret in exercise.secrets:
                assert secret not in body, f"{exercise.id}: {secret!r} visible with JavaScript off on {path}"
    assert found == [e.id for e in BY_CHAPTER[chapter]]
    context.close()
