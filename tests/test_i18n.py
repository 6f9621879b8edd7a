"""nnlib's one message catalogue (nnlib/i18n): the Python face, the page's JavaScript and the book build read the
same translations (locale/ja/LC_MESSAGES/nnlib.po, compiled to nnlib/i18n/ja.json)."""

import html
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


def test_a_page_carries_only_the_messages_it_can_ask_for():
    def carried(page):
        tag = i18n.catalogue_script("ja", page=page)
        return json.loads(tag[tag.index(">") + 1 : -len("</script>")].replace("<\\/", "</")) if tag else {}

    # written in a script as JavaScript or JSON (escaped quotes, non-ASCII), as HTML text or escaped HTML
    page = (
        '<script>t("Step one epoch")</script><script type="application/json">{"label": "V\\u1d40 turn (\\u00b0)"}'
        "</script><p>Reset</p><p>the book&#x27;s network (0.9352)</p>"
    )
    assert {"Reset", "Step one epoch", "the book's network (0.9352)", "Vᵀ turn (°)"} <= set(carried(page))
    assert "Confusion matrix of the book's network on 10,000 test images" not in carried(page)
    assert len(carried(page)) < len(i18n.messages("ja")) / 20  # and a few words written inside those ("epoch")
    assert carried("<p>nothing here</p>") == {}


# -- every word a reader sees in nnlib's interfaces goes through the catalogue --------------------------------------
# The faces are rendered in English, as the English notebooks store them, and in Japanese both ways: nnlib's Python
# face with set_language("ja"), and the English face translated as the Japanese book build translates it
# (translate_html). What a reader sees of them (text, alt/title/aria-label/placeholder, the still pictures' SVG
# text; not code, scripts, styles or <code>/<pre>) must then hold no English word but those below.
ALLOWED = {
    # names: of the library, tools, frameworks, optimisers, logic gates, functions and layers written as code
    "nnlib",
    "numpy",
    "JavaScript",
    "Keras",
    "PyTorch",
    "Adam",
    "Tab",
    "MNIST",
    "AND",
    "OR",
    "NAND",
    "XOR",
    "ReLU",
    "relu",
    "tanh",
    "sigmoid",
    "softmax",
    "Mish",
    "mish",
    "identity",  # activations named as in code (the playground's menu): Dense(2, "identity")
    "elu",
    "gelu",
    "selu",
    "softplus",
    "swish",
    "exponential",
    "exp",
    "max",
    "min",
    "det",
    "Dense",
    "fit",
    "predict",
    "argmax",
    "reshape",
    "get",
    "weights",
    "shape",
    "mse",
    "mae",
    "hinge",
    "bce",
    "sgd",
    "adam",
    "rmsprop",
    "binary",
    "crossentropy",
    "logits",
    # the chapters' code and checkers named in hints, and their variables (numpy as np, x_test, W_seed...)
    "np",
    "test",
    "mean",
    "axis",
    "layers",
    "unravel",
    "index",
    "picture",
    "eights",
    "network",
    "seed",
    "float",
    "dtype",
    "array",
    "wiggly",
    "check",
    "score",
    "inside",
    "outside",
    "where",
    "inf",
    "len",
    "sum",
    "pick",
    "extra",
    "missed",
    "neurons",
    "rmse",
    "MAX",
    "RMSE",
    "SWITCH",
    "SLOPE",
    "AT",
    "KINK",
    "GATE",
    "INPUTS",
    "ROWS",
    "UNITS",
    "BATCH",
    "OUTPUT",
    "RULE",
    "TRUE",
    "ACCURACY",
    "COUNT",
    "OVERALL",
    "SIZES",
    "FASTEST",
    "FIRST",
    "SLACK",
    "WEIGHT",
    "LETTERS",
    "MIN",
    # a formula: det W = ad - bc
    "ad",
    "bc",
}


def shown_text(face):
    """What a reader sees of an HTML face: its text and text attributes, and its still pictures' text."""
    from urllib.parse import unquote

    stills = re.findall(r'src="data:image/svg\+xml,([^"]*)"', face)
    svg_text = [m for doc in stills for m in re.findall(r"<text\b[^>]*>([^<]*)</text>", unquote(doc))]
    attributes = re.findall(r'\s(?:alt|title|aria-label|placeholder)="([^"]*)"', face)
    body = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", face, flags=re.S)
    body = re.sub(r"<[^>]*>", " ", body)
    return html.unescape(" ".join([body, *attributes, *svg_text]))


def english_words(text):
    """The English words left in `text`: letters of 2 or more, outside the allow-list and code-like tokens."""
    found = set()
    for token in re.findall(r"[A-Za-z_][A-Za-z_0-9.\[\]]*", text):
        for word in re.findall(r"[A-Za-z]{2,}", token):
            if word not in ALLOWED and not ("_" in token or "." in token.strip(".")):
                found.add(word)
    return found


def interface_faces():
    """[(name, builds its static face)] for every explorer, trainer, digit canvas, playground and exercise form."""
    import numpy as np

    import nnlib
    from nnlib import Dense, Sequential
    from nnlib.exercises import ch02 as c2, ch03, ch04, ch05, ch06, ch07
    from nnlib.explore import (
        AffineExplorer,
        DecisionBoundaryExplorer,
        DigitCanvas,
        FitExplorer,
        MatrixFlowExplorer,
        NeuronExplorer,
        NeuronSumExplorer,
        Playground,
        TrainingExplorer,
    )

    def trainer():
        x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 4, dtype=float)
        net = Sequential([Dense(2, "tanh"), Dense(1, "sigmoid")], seed=1)
        net.build(2)
        xor = np.array([0, 1, 1, 0] * 4, dtype=float)
        return TrainingExplorer(
            net, x, targets={"XOR": xor, "AND": np.array([0, 0, 0, 1] * 4, dtype=float)}, batch_size=4
        )

    def flow():
        model = Sequential([Dense(2, "sigmoid", input_dim=2), Dense(2, "identity")], seed=0)
        model.build(2)
        return MatrixFlowExplorer(model, [1.0, 0.5])

    def digits():
        _, (x, t) = nnlib.load_mnist()
        sample = nnlib.load_sample_network()
        return DigitCanvas({"nnlib": sample, "nnlib again": sample}, examples=(x[:3], t[:3], [0, 1, 2]))

    faces = [
        ("neuron", lambda: NeuronExplorer(references=[dict(weight=0.5, bias=0)]).to_html()),
        ("neuronsum", lambda: NeuronSumExplorer(second_layer={}, target=np.sin, output_bias=0.0).to_html()),
        ("boundary", lambda: DecisionBoundaryExplorer(target="and").to_html()),
        ("boundary-hidden", lambda: DecisionBoundaryExplorer(hidden=dict(W=np.ones((2, 3)), b=np.zeros(3))).to_html()),
        ("affine", lambda: AffineExplorer().to_html()),
        ("affine-svd", lambda: AffineExplorer(mode="svd").to_html()),
        ("flow", lambda: flow().to_html()),
        ("fit", lambda: FitExplorer(c2.wiggly, min_r2=0.99).to_html()),
        ("trainer", lambda: trainer().to_html()),
        ("playground", lambda: Playground(data="xor", hidden=(2,), activation="tanh").to_html()),
        ("digits", lambda: digits().static_html()),
    ]
    for module in (nnlib.exercises.ch01, c2, ch03, ch04, ch05, ch06, ch07):
        for exercise in module.EXERCISES:
            faces.append((exercise.id, exercise.to_html))
    return faces


FACES = interface_faces()


@pytest.mark.parametrize("name, build", FACES, ids=[name for name, _ in FACES])
def test_every_shown_word_of_an_interface_is_in_the_catalogue(name, build):
    i18n.set_language("en")
    try:
        english = build()
        i18n.set_language("ja")
        python_face = build()
    finally:
        i18n.set_language(None)
    assert english_words(shown_text(english)) - {"a", "A"}, "the English face shows words"  # the test can see them
    for face, what in ((python_face, "the Python face"), (i18n.translate_html(english, "ja"), "the book's face")):
        left = english_words(shown_text(face))
        assert not left, f"{name}: {what} in Japanese still shows English {sorted(left)}"


def test_every_verdict_and_every_forms_message_is_in_the_catalogue(japanese):
    """The checkers' verdicts (each rule's template and the words its {...} parts pick) and the forms' messages."""
    from nnlib.exercises.fields import Shape
    from nnlib.i18n.extract import messages

    for _name, build in FACES:
        exercise = getattr(build, "__self__", None)
        if exercise is None:
            continue
        for raw in (exercise.answers, exercise.starter, {}):
            verdict = exercise.check_form(raw)
            left = english_words(verdict.message)
            assert not left, f"{exercise.id}: the verdict {verdict.message!r} shows English {sorted(left)}"
    assert english_words(Shape("s", "shape of W").parse({"s": "two"})[1]) == set()
    table = i18n.messages("ja")
    untranslated = [text for text, _ in messages() if text not in table]
    assert not untranslated, f"messages without a Japanese translation: {untranslated[:5]}"


def test_a_verdict_translation_keeps_the_english_templates_expressions():
    """A translated verdict may reorder the {...} parts, never change them (the page maps them by their text)."""
    from nnlib.exercises.language import _TEMPLATE_PART
    from nnlib.i18n.extract import messages

    table = i18n.messages("ja")
    for text, where in messages():
        if ":" in where and text in table and "{" in text:
            parts = lambda s: sorted(m.group(1) for m in _TEMPLATE_PART.finditer(s) if m.group(1))  # noqa: E731
            assert parts(table[text]) == parts(text), f"{where}: {text!r}"


def test_the_page_translates_a_verdict_by_the_english_templates_parts():
    """exercises.js renders a rule's translated template with the English template's parsed parts."""
    exercise = ch01.EXERCISES[0]
    script = (
        "const E = require(process.argv[1]); const spec = JSON.parse(process.argv[2]);"
        "const catalogue = JSON.parse(process.argv[3]);"
        "globalThis.document = {documentElement: {lang: 'ja'}, querySelector: () => ({textContent: JSON.stringify(catalogue)})};"
        "console.log(JSON.stringify(E.checkForm(spec, {w: '2', b: '-4'})));"
    )
    path = i18n.__file__.replace("i18n/__init__.py", "exercises/exercises.js")
    out = subprocess.run(
        [NODE, "-e", script, path, json.dumps(exercise.spec()), json.dumps(i18n.messages("ja"), ensure_ascii=False)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    i18n.set_language("ja")
    try:
        expected = exercise.check_form({"w": "2", "b": "-4"})
    finally:
        i18n.set_language(None)
    assert json.loads(out) == {"ok": expected.ok, "message": expected.message}
    assert "傾き" in expected.message and "0.5" in expected.message


def test_each_explorer_says_what_its_controls_are():
    from nnlib.explore import MatrixFlowExplorer, NeuronExplorer
    from nnlib import Dense, Sequential

    model = Sequential([Dense(2, "sigmoid", input_dim=2)], seed=0)
    model.build(2)
    flow = re.search(r'class="nnx-runnote"[^>]*>([^<]*)<', MatrixFlowExplorer(model, [1.0, 0.5]).to_html()).group(1)
    sliders = re.search(r'class="nnx-runnote"[^>]*>([^<]*)<', NeuronExplorer().to_html()).group(1)
    assert "type numbers into the matrices" in flow and "slider" not in flow
    assert "move the sliders" in sliders


def test_a_message_is_not_filled_with_an_untranslated_english_clause():
    # "Weights: {weights}." matches any "Weights: ..." text; a value of four or more English words that is no
    # message means the text was another sentence, and it stays English rather than half translated.
    assert i18n.translate_text("Weights: 0.5.", "ja") == "重み：0.5。"
    clause = "Weights: the ones this long clause never names."
    assert i18n.translate_text(clause, "ja") == clause


def _english_words(text):
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in {"ReLU"}]


def test_messages_nest_and_lists_translate_whole():
    # a message whose values are messages with values of their own (one level deeper than the first)
    nested = i18n.translate_text("weight from input x0 to neuron 1 of layer 1", "ja")
    assert not _english_words(nested), nested
    # a list of any length: a join is not a level of its own, each item is a message
    items = ", ".join(f"neuron {i}" for i in range(6))
    listed = i18n.translate_text(items, "ja")
    assert listed == "、".join(i18n.translate_text(f"neuron {i}", "ja") for i in range(6)), listed
    # never half: "neuron {i}" must not take "0, neuron 1" as its number
    assert i18n.translate_text("neuron 0, neuron 1", "ja") == "ニューロン 0、ニューロン 1"


def test_the_page_script_joins_sentences_as_python_does():
    # English sentences take a space between them, Japanese ones none (Python's translate_text joins them so: the
    # page's readout and the static face's must read alike)
    script = (
        "const I = require(process.argv[1]);"
        "console.log(JSON.stringify([I.sentences('One.', 'Two.'), I.sentences('一。', '二。'), I.sentences('One.', '', 'Two.')]));"
    )
    path = i18n.__file__.replace("__init__.py", "i18n.js")
    out = subprocess.run([NODE, "-e", script, path], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["One. Two.", "一。二。", "One. Two."]
    # as Python joins a translated readout of two sentences
    english = "3 sigmoid neurons; sum at x = 0: 0.868. Fit to the target: R² = 0.512 (mean squared error 0.0412)."
    assert "。 " not in i18n.translate_text(english, "ja") and "。" in i18n.translate_text(english, "ja")
