"""Figures in Japanese (nnlib/i18n/figures.py): the English code's figures drawn with Japanese words, in a font that
has every glyph, and English figures untouched.

- Under set_language("ja"), a figure's Text artists (title, axis labels, legend, annotations) hold the catalogue's
  translation once drawn, f-string templates filled with the same numbers, in the Japanese font; math still renders.
- Every figure message extracted from the chapters and helpers has a translation that keeps its {placeholders} and
  $math$, and every glyph of every translation is in the chosen fonts (checked on the fonts' character maps, and
  by drawing them all with matplotlib's missing-glyph warning as an error): no boxes.
- Under English, the hook changes nothing: the same PNG bytes as without it.
"""

import functools
import io
import os
import re
import warnings

import pytest

pytest.importorskip("matplotlib")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from nnlib import i18n  # noqa: E402
from nnlib.i18n import figures  # noqa: E402

CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language(None)
    plt.close("all")


def japanese():
    """The catalogue (English: Japanese), or skip when this machine has no Japanese font (make check-font-ja)."""
    if figures.japanese_font() is None:
        pytest.skip("no Japanese font installed: make check-font-ja (fonts-noto-cjk)")
    i18n.set_language("ja")
    return i18n.messages("ja")


@functools.lru_cache(maxsize=None)
def figure_messages():
    """The figure messages of today's chapters and helpers (reading the notebooks takes a second)."""
    return list(dict.fromkeys(text for text, _ in figures.messages()))


def shown_texts(fig):
    return {t.get_text(): t for t in fig.findobj(Text) if t.get_text()}


def test_a_drawn_figure_holds_the_translations_in_the_japanese_font():
    table = japanese()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="learned boundary (output 0)")
    ax.plot([0, 1], [1, 0], label="true line $x_0 + x_1 = 0.5$")
    i, w, b = 3, 2, -1
    ax.plot([0, 1], [0.5, 0.5], label=f"neuron {i}: w = {w}, b = {b}")
    ax.set_title("Sign of the network's output against the true boundary")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("weighted sum a")
    ax.legend()
    fig.canvas.draw()
    texts = shown_texts(fig)
    expected = [
        table["learned boundary (output 0)"],
        table["true line $x_0 + x_1 = 0.5$"],
        i18n.fill(table["neuron {i}: w = {w}, b = {b}"], {"i": i, "w": w, "b": b}),
        table["Sign of the network's output against the true boundary"],
        table["weighted sum a"],
    ]
    for text in expected:
        assert CJK.search(text), f"the catalogue's translation {text!r} is not Japanese"
        assert text in texts, f"{text!r} is not what the figure shows: {sorted(texts)}"
        assert texts[text].get_fontfamily()[0] == figures.japanese_font()
    assert "$x_0$" in texts  # math alone is not translated, and keeps matplotlib's font
    assert texts["$x_0$"].get_fontfamily() == plt.rcParams["font.family"]
    # The English strings are gone from the figure, and a second draw changes nothing.
    assert not {"learned boundary (output 0)", "weighted sum a"} & set(texts)
    fig.canvas.draw()
    assert shown_texts(fig).keys() == texts.keys()


def test_the_legend_is_sized_for_the_translation():
    """Legends measure their entries before drawing them: the translation must be in place then, so the frame of the
    first drawing is the frame of the translated text (a second drawing, of text translated already, agrees)."""
    japanese()
    fig, ax = plt.subplots()
    ax.plot([0, 1], label="sum (network output)")
    legend = ax.legend()
    fig.canvas.draw()
    first = legend.legendPatch.get_window_extent().width
    assert CJK.search(legend.get_texts()[0].get_text())
    fig.canvas.draw()
    assert legend.legendPatch.get_window_extent().width == pytest.approx(first)


def test_every_figure_message_has_a_translation_that_keeps_placeholders_and_math():
    table = japanese()
    problems = []
    for text in figure_messages():
        translated = table.get(text)
        if not translated:
            problems.append(f"untranslated: {text!r}")
            continue
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(translated)):
            problems.append(f"placeholders differ: {text!r} -> {translated!r}")
        if re.findall(r"\$[^$]+\$", text) != re.findall(r"\$[^$]+\$", translated):
            problems.append(f"math differs: {text!r} -> {translated!r}")
    assert not problems, (
        f"{len(problems)} figure messages of locale/ja/LC_MESSAGES/nnlib.po (the block marked 'figure') need work "
        "(run `make gettext`, then translate):\n  " + "\n  ".join(problems[:20])
    )


def _cmap(family):
    """The set of characters the installed font `family` has glyphs for (its character map)."""
    from fontTools.ttLib import TTCollection, TTFont

    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    if path.lower().endswith((".ttc", ".otc")):
        faces = TTCollection(path, lazy=True).fonts
        face = next(f for f in faces if family in {f["name"].getDebugName(1), f["name"].getDebugName(16)})
    else:
        face = TTFont(path, lazy=True)
    return {chr(code) for code in face.getBestCmap()}


def test_every_glyph_of_every_translation_is_in_the_chosen_fonts():
    table = japanese()
    families = figures.font_families("ja")
    covered = set().union(*(_cmap(family) for family in families))
    missing = {}
    for text in figure_messages():
        drawn = re.sub(r"\$[^$]*\$", "", table.get(text, ""))  # mathtext draws the math, in its own fonts
        for char in set(drawn) - covered - {"\n"}:
            missing.setdefault(char, text)
    assert not missing, f"glyphs missing from {families} (drawn as boxes): " + ", ".join(
        f"{c!r} U+{ord(c):04X} in {t!r}" for c, t in sorted(missing.items())
    )


def test_drawing_every_translation_warns_of_no_missing_glyph():
    """The same, as matplotlib sees it: it warns 'Glyph ... missing from font(s)' when it draws a box."""
    japanese()
    fig = plt.figure(figsize=(8, 8))
    for k, text in enumerate(figure_messages()):
        fig.text(0.01, k / 300, text, fontsize=6)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        fig.canvas.draw()
    assert sum(bool(CJK.search(t.get_text())) for t in fig.texts) > 0.8 * len(fig.texts)


def _png(draw):
    fig, ax = plt.subplots()
    draw(ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _english_figure(ax):
    ax.plot([0, 1], [0, 1], label="learned boundary (output 0)")
    ax.set_title("Sign of the network's output against the true boundary")
    ax.set_xlabel("weighted sum a")
    ax.legend()


def test_english_figures_are_untouched(monkeypatch):
    japanese()  # the hook is installed...
    i18n.set_language("en")  # ...but English is chosen
    with_hook = _png(_english_figure)
    monkeypatch.setattr(Text, "draw", figures._original["draw"])
    monkeypatch.setattr(Text, "_get_layout", figures._original["_get_layout"])
    assert _png(_english_figure) == with_hook
    monkeypatch.undo()
    # A figure drawn in Japanese comes back in English, in the English font, when drawn under English again.
    i18n.set_language("ja")
    fig, ax = plt.subplots()
    _english_figure(ax)
    fig.canvas.draw()
    i18n.set_language("en")
    fig.canvas.draw()
    title = ax.title
    assert title.get_text() == "Sign of the network's output against the true boundary"
    assert title.get_fontfamily() == plt.rcParams["font.family"]


def test_without_a_japanese_font_figures_stay_english(monkeypatch):
    monkeypatch.setattr(figures, "JAPANESE_FONTS", ("No Such Font JP",))
    monkeypatch.setattr(figures, "JAPANESE_FILES", re.compile("no-such-file"))
    figures.japanese_font.cache_clear()
    # matplotlib as it is without the hook (restored afterwards), so set_language installs it afresh
    monkeypatch.setattr(Text, "draw", figures._original.get("draw", Text.draw))
    monkeypatch.setattr(Text, "_get_layout", figures._original.get("_get_layout", Text._get_layout))
    monkeypatch.setattr(figures, "_original", {})
    try:
        with pytest.warns(UserWarning, match="no Japanese font"):
            i18n.set_language("ja")
        fig, ax = plt.subplots()
        ax.set_title("weighted sum a")
        fig.canvas.draw()
        assert ax.title.get_text() == "weighted sum a"
    finally:
        figures.japanese_font.cache_clear()


def test_extraction_finds_the_figure_text_of_the_code():
    code = """
FOLD = {0: "stays", 1: "drops onto an axis"}
for title, W in [("Layer one", W1), ("Layer two", W2)]:
    ax.set_title(title)
ax.imshow(W, cmap="PuOr")
fig, axes = plt.subplots(1, 2, layout="constrained")
ax.plot(x, y, label=f"neuron {i}: w = {w[i]:.2f}")
ax.scatter(x, y, label=f"{FOLD[k]} ({n})")
print("not a figure")
ax.set_xlabel("$x_0$")
"""
    found = figures.figure_strings(code)
    assert sorted(found) == sorted(["neuron {i}: w = {w}", "Layer one", "Layer two", "stays", "drops onto an axis"])


def test_templates_match_the_text_the_code_composed():
    table = japanese()
    assert figures.translate("neuron 2: w = 1.5, b = -3") == i18n.fill(
        table["neuron {i}: w = {w}, b = {b}"], {"i": 2, "w": 1.5, "b": -3}
    )
    assert figures.translate("stays (12)") == table["stays"] + " (12)"  # words put into a wordless f-string
    assert figures.translate("0.5") == "0.5"  # numbers on an axis
    assert figures.translate("first inputs") == "first inputs"  # "{n} inputs" wants a number, not a word
    assert figures.translate("weighted sum a") == table["weighted sum a"]
    assert figures.translate("weighted sum a", "en") == "weighted sum a"
    i18n.set_language("en")  # the language of the moment, not the one of the first call
    assert figures.translate("weighted sum a") == "weighted sum a"
    i18n.set_language("ja")
    # title += f"\nread as {digit}": line by line
    assert figures.translate("pre-processed like MNIST\nread as 3 (100% sure)") == (
        table["pre-processed like MNIST"]
        + "\n"
        + i18n.fill(table["read as {argmax} ({max} sure)"], {"argmax": 3, "max": "100%"})
    )
    # f"layer {k}, affine: $a^{{({k})}}$": braces of math in the template, the value in the math too
    assert figures.translate("layer 4, affine: $a^{(4)}$") == i18n.fill(
        table["layer {k}, affine: $a^{({k})}$"], {"k": 4}
    )


def test_diagrams_speak_japanese():
    pytest.importorskip("graphviz")
    from nnlib.diagram import network_diagram, neuron_diagram, softmax_diagram

    table = japanese()
    d = network_diagram([2, 3, 2], activations=["sigmoid", "softmax"])
    svg = d.svg()
    assert d.title == i18n.fill(table["A {sizes} network"], {"sizes": "2-3-2"})
    for words in ("input layer", "hidden layer", "output layer"):
        assert table[words] in svg
    for diagram in (d, neuron_diagram(weights=[0.5, -1], bias=0.25), softmax_diagram(), network_diagram([784, 50, 10])):
        english = set(re.findall(r"[A-Za-z]{2,}", diagram.alt_text)) - {"sigmoid", "softmax", "exp", "ji", "b_j"}
        assert not english, f"English words left in a Japanese diagram's text alternative: {english}"


def test_extraction_is_the_same_from_run_to_run():
    """The catalogue's figure block keeps its order (no set order leaking in): a merge then diffs only real changes."""
    import subprocess
    import sys

    code = "from nnlib.i18n import figures; print(figures.messages())"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}
        )
        for seed in ("1", "2")
    ]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
