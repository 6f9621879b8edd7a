"""Chapter 5's network with every weight editable and chapter 2's "fit with N neurons" control, in the built book.

Chapter 5: the page shows the seed's output exactly as the chapter prints it, a typed weight (or an arrow key on it)
changes Y to what nnlib computes, and Reset brings the seed's numbers back. Chapter 2: the control's R^2 is the
chapter's figure's for the figure's N (the chapter's own `fit`, run here), and stepping N by keyboard answers
exercise 2 as nnlib's table of the recipe does.

Needs the built book (`make book`) and the fixtures of tests/browser/conftest.py.
"""

import json
import re
from pathlib import Path

import numpy as np

import nnlib
from nnlib.exercises import ch02, ch05

ROOT = Path(__file__).resolve().parents[2]


def nnlib_output(W2_10):
    """The seed network's output for X = [1.0, 0.5] with W2[1, 0] changed, as numpy prints it."""
    model = ch05.seed_network()
    weights = model.get_weights()
    weights[2][1, 0] = W2_10
    model.set_weights(weights)
    y = model.predict(np.array([1.0, 0.5]))
    return "[" + " ".join(f"{v:.8f}".replace("-", "\u2212") for v in y) + "]"


def test_chapter_5_explorer_shows_the_seeds_numbers_takes_typed_weights_and_resets(page, page_log, open_page):
    open_page("notebooks/05_neurons_to_matrices.html")
    root = page.locator("#ch05-flow")
    readout = root.locator(".nnx-readout")
    seed = "[0.31682708 0.69627909]"
    assert page.locator(".cell_output", has_text=f"Y = {seed}").count() >= 1  # the chapter's printout
    assert readout.inner_text() == f"Output Y = {seed}, the starting network's."
    box = root.get_by_label("weight W⁽²⁾₁₀: from input 1 to neuron 0 of layer 2")
    assert box.input_value() == "0.2"
    box.fill("-1.5")  # typing fires the reader's input event
    assert readout.inner_text() == (
        f"Output Y = {nnlib_output(-1.5)}; the starting network gives {seed} (Reset brings it back)."
    )
    # what moved is bold: A⁽²⁾₀ and Z⁽²⁾₀ (W⁽²⁾₁₀ feeds neuron 0 of layer 2), then both entries of A⁽³⁾ and Y
    bold = root.locator("svg text[font-weight='700']").all_text_contents()
    assert len(bold) == 1 + 1 + 2 + 2, bold
    box.focus()
    page.keyboard.press("ArrowUp")  # the arrow keys step a box by 0.1
    assert nnlib_output(-1.4) in readout.inner_text()
    root.get_by_role("button", name="Reset to the starting weights").click()
    assert readout.inner_text() == f"Output Y = {seed}, the starting network's."
    assert box.input_value() == "0.2"
    assert root.locator("svg text[font-weight='700']").count() == 0
    page_log.assert_clean("chapter 5")


def chapter_fit():
    """The chapter's own `fit` (its code cell, run here) and its x_test."""
    cells = json.loads((ROOT / "notebooks" / "02_many_neurons.ipynb").read_text())["cells"]
    source = next("".join(c["source"]) for c in cells if "def fit(target, n" in "".join(c["source"]))
    source = source[: source.index("x_test = ")]
    space = {"np": np, "nnlib": nnlib, "ch02": ch02}
    exec(source, space)
    return space["fit"], np.linspace(-5, 5, 1001)


def test_chapter_2_fit_control_reproduces_the_figure_and_answers_exercise_2(page, page_log, open_page):
    open_page("notebooks/02_many_neurons.html")
    root = page.locator("#ch02-fit-n")
    readout, title = root.locator(".nnx-readout"), root.locator("svg text", has_text="R²").first
    slider, menu = root.locator("input[type=range]"), root.locator("select")
    fit, x_test = chapter_fit()
    for activation in ("sigmoid", "relu"):
        menu.select_option(activation)
        slider.focus()
        page.keyboard.press("Home")
        scores = []
        for n in range(1, ch02.FIT_MAX_NEURONS + 1):
            text = readout.inner_text()
            assert text.startswith(f"{n} {'sigmoid' if activation == 'sigmoid' else 'ReLU'} neuron"), text
            scores.append(float(re.search(r"R² = (\d\.\d{4})", text).group(1)))
            predict, _ = fit(ch02.wiggly, n, activation)
            r2 = ch02.fit_score(predict(x_test), ch02.wiggly(x_test))
            # the figure's panel title (show_fits) and the readout's four decimals
            assert title.text_content() == f"N = {n}: R² = {round(r2, 3) + 0.0:.3f}"
            assert scores[-1] == round(r2, 4)
            page.keyboard.press("ArrowRight")
        fewest = next(n for n, s in enumerate(scores, 1) if s >= ch02.FIT_MIN_R2)
        assert fewest == ch02.WIGGLY.constants[f"FEWEST_{activation.upper()}"], activation
        assert scores == ch02._recipe_scores(activation)
    page_log.assert_clean("chapter 2")
