"""Every exercise's rules give the same verdict in Python (exercise.py) and in the page (exercises.js, in Node).

One table of typed answers per exercise: right, almost right, each kind of wrong, malformed. Python's
`Exercise.check_form` and exercises.js's `checkForm` must return the same ok and the same text, to the
character. tests/browser/test_exercise_forms_chromium.py runs the same table in headless Chromium;
tests/test_exercises_language.py searches the language itself (Hypothesis).
"""

import json
from pathlib import Path

import numpy as np
import pytest

from jsface import node_eval
from nnlib.exercises import ch01, ch02, ch03, ch04, ch05, ch06, ch07, language, rules


def all_exercises():
    return [
        *ch01.EXERCISES,
        *ch02.EXERCISES,
        *ch03.EXERCISES,
        *ch04.EXERCISES,
        *ch05.EXERCISES,
        *ch06.EXERCISES,
        *ch07.EXERCISES,
    ]


# Per exercise: answers as typed, beyond the spec's own right answer and starter (both are always tested).
EXTRA = {
    "ch01-switch": [
        {"w": "4", "b": "-7.99"},
        {"w": "4", "b": "8"},
        {"w": "0", "b": "3"},
        {"w": "-4", "b": "8"},
        {"w": "4.000000001", "b": "-8"},
        {"w": "4", "b": "−8"},
        {"w": "four", "b": "-8"},
        {"w": "", "b": "-8"},
        {"w": "1e400", "b": "0"},
        {"w": "4", "b": "-8e0"},
    ],
    "ch01-relu": [
        {"w": "2", "b": "2"},
        {"w": "0.5", "b": "0.5"},
        {"w": "1", "b": "-1"},
        {"w": "0", "b": "1"},
        {"w": "0", "b": "-1"},
        {"w": "1", "b": "0"},
        {"w": "3", "b": "3.0000001"},
        {"w": "1,5", "b": "1"},
    ],
    "ch02-tower": [
        {
            "neurons[0].w": "30",
            "neurons[0].b": "30",
            "neurons[0].v": "1",
            "neurons[1].w": "30",
            "neurons[1].b": "-30",
            "neurons[1].v": "-1",
        },
        {"neurons[0].w": "10", "neurons[0].b": "10", "neurons[0].v": "1"},
        {
            "neurons[0].w": "5",
            "neurons[0].b": "5",
            "neurons[0].v": "1",
            "neurons[2].w": "5",
            "neurons[2].b": "-5",
            "neurons[2].v": "-1",
        },
        {
            "neurons[0].w": "10",
            "neurons[0].b": "-10",
            "neurons[0].v": "1",
            "neurons[1].w": "10",
            "neurons[1].b": "10",
            "neurons[1].v": "-1",
        },
        {"neurons[0].w": "10", "neurons[0].b": "10"},
        {"neurons[1].v": "x"},
        {},
    ],
    "ch02-wiggly": [
        {"activation": "relu", "n": "15"},
        {"activation": "sigmoid", "n": "12"},
        {"activation": "sigmoid", "n": "10"},
        {"activation": "relu", "n": "16"},
        {"activation": "sigmoid", "n": "17"},
        {"activation": "sigmoid", "n": "0"},
        {"activation": "sigmoid", "n": "11.5"},
        {"n": "11"},
        {"activation": "sigmoid", "n": ""},
    ],
    "ch03-or": [
        {"w0": "2", "w1": "2", "b": "-1"},
        {"w0": "1", "w1": "1", "b": "-1.5"},
        {"w0": "20", "w1": "20", "b": "10"},
        {"w0": "1", "w1": "1", "b": "-1"},
        {"w0": "-20", "w1": "-20", "b": "10"},
        {"w0": "a"},
    ],
    "ch03-nand": [
        {"w0": "-2", "w1": "-2", "b": "3"},
        {"w0": "-1", "w1": "-1", "b": "1.5"},
        {"w0": "-20", "w1": "-20", "b": "20"},
        {"w0": "20", "w1": "20", "b": "-30"},
        {"b": "1"},
    ],
    "ch03-entry": [
        {"row": "0", "column": "0"},
        {"row": "1", "column": "1"},
        {"row": "2", "column": "0"},
        {"row": "1", "column": "0"},
        {"row": "0.5", "column": "0"},
        {"row": "", "column": "0"},
    ],
    "ch03-xor": [
        {"w0": "20", "w1": "20", "b": "-10"},
        {"w0": "0", "w1": "0", "b": "0"},
        {"w0": "1", "w1": "-1", "b": "0", "claim": "yes"},
        {"w0": "1", "w1": "1", "b": "-0.5", "claim": "maybe"},
        {"w0": "5", "w1": "5", "b": "-7", "claim": "no"},
    ],
    "ch03-xor-net": [
        {
            "W1[0, 0]": "20",
            "W1[0, 1]": "-20",
            "W1[1, 0]": "20",
            "W1[1, 1]": "-20",
            "b1[0]": "-10",
            "b1[1]": "30",
            "W2[0, 0]": "20",
            "W2[1, 0]": "20",
            "b2[0]": "-10",
        },
        {
            "W1[0, 0]": "2",
            "W1[0, 1]": "-2",
            "W1[1, 0]": "2",
            "W1[1, 1]": "-2",
            "b1[0]": "-1",
            "b1[1]": "3",
            "W2[0, 0]": "2",
            "W2[1, 0]": "2",
            "b2[0]": "-3",
        },
        {
            "W1[0, 0]": "20",
            "W1[0, 1]": "-20",
            "W1[1, 0]": "20",
            "W1[1, 1]": "-20",
            "b1[0]": "-10",
            "b1[1]": "30",
            "W2[0, 0]": "20",
            "W2[1, 0]": "20",
        },
    ],
    "ch04-hand": [
        {"y": "0.97769"},
        {"y": "0.9772"},
        {"y": "0.9783"},
        {"y": "2.2423"},
        {"y": "0.93"},
        {"y": "0.9777", "z[0]": "-0.7833", "z[1]": "0.5872", "z[2]": "0.6972", "z[3]": "0.3416", "z[4]": "-0.3548"},
        {"y": "0.9777", "z[0]": "-0.7833", "z[1]": "0.5872", "z[2]": "0.6972", "z[3]": "0.3416", "z[4]": "0.3548"},
        {"y": "0.9777", "z[0]": "-0.7833"},
        {"y": "1/2"},
        {"y": ""},
    ],
    "ch04-sum": [
        {"W[0, 0]": "2", "W[1, 0]": "2", "b[0]": "-2.4"},
        {"W[0, 0]": "-1", "W[1, 0]": "-1", "b[0]": "1.2"},
        {"W[0, 0]": "1", "W[1, 0]": "1", "b[0]": "-1.19"},
        {"W[0, 0]": "1", "W[1, 0]": "0.9", "b[0]": "-1.2"},
        {"W[0, 0]": "-1", "W[1, 0]": "-1", "b[0]": "-1.2"},
        {"W[0, 0]": "1", "W[1, 0]": "1"},
    ],
    "ch04-diagonal": [
        {"W[0, 0]": "3", "W[1, 0]": "-3", "b[0]": "0"},
        {"W[0, 0]": "-1", "W[1, 0]": "1", "b[0]": "0"},
        {"W[0, 0]": "1", "W[1, 0]": "-1", "b[0]": "0.1"},
        {"W[0, 0]": "1", "W[1, 0]": "1", "b[0]": "0"},
        {"W[0, 0]": "0", "W[1, 0]": "-1", "b[0]": "0"},
    ],
    "ch05-shapes": [
        {"W_shape": "3, 5", "b_shape": "[5]", "output_shape": "(4,5)"},
        {"W_shape": "(3, 5)", "b_shape": "(1, 5)", "output_shape": "(4, 5)"},
        {"W_shape": "(3, 5)", "b_shape": "(5,)", "output_shape": "(4, 3)"},
        {"W_shape": "(4, 5)", "b_shape": "(5,)", "output_shape": "(4, 5)"},
        {"W_shape": "(3 x 5)", "b_shape": "(5,)", "output_shape": "(4, 5)"},
        {"W_shape": "(3, 5)", "b_shape": "", "output_shape": "(4, 5)"},
        {"W_shape": "(3, 5, 1)", "b_shape": "(5,)", "output_shape": "(4, 5)"},
    ],
    "ch05-hand": [
        {"a[0]": "0.5", "a[1]": "-3", "a[2]": "1.5", "z[0]": "0.5", "z[1]": "-3", "z[2]": "1.5"},
        {"a[0]": "0.5", "a[1]": "-3", "a[2]": "1", "z[0]": "0.5", "z[1]": "0", "z[2]": "1"},
        {"a[0]": ".5", "a[1]": "-3.0", "a[2]": "1.50", "z[0]": "0.5", "z[1]": "0", "z[2]": "1.5"},
        {"a[0]": "0.5", "a[1]": "-3", "a[2]": "1.5", "z[0]": "0.5", "z[1]": "0"},
    ],
    "ch05-softmax": [
        {"y[0]": "0.24472847", "y[1]": "0.66524096", "y[2]": "0.09003057"},
        {"y[0]": "0.245", "y[1]": "0.665", "y[2]": "0.090"},
        {"y[0]": "0.6652", "y[1]": "0.2447", "y[2]": "0.0900"},
        {"y[0]": "800", "y[1]": "801", "y[2]": "799"},
        {"y[0]": "nan", "y[1]": "1", "y[2]": "0"},
    ],
    "ch06-accuracy": [
        {"accuracy": "0.91"},
        {"accuracy": "0.912"},
        {"accuracy": "0.9120"},
        {"accuracy": "1e999"},
        {"accuracy": "888"},
        {"accuracy": "0.9352"},
        {"accuracy": "91.17"},
        {"accuracy": "-1"},
        {"accuracy": "91%"},
        {"accuracy": "9" * 50_000},
    ],
    "ch06-confused": [
        {"true_digit": "4", "read_as": "4"},
        {"true_digit": "7", "read_as": "2"},
        {"true_digit": "10", "read_as": "2"},
        {"true_digit": "4.5", "read_as": "9"},
    ],
    "ch06-batches": [
        {"batch_size": "3"},
        {"batch_size": "1"},
        {"batch_size": "10000"},
        {"batch_size": "10"},
        {"batch_size": "100"},
        {"batch_size": "1000"},
        {"batch_size": "many"},
    ],
    "ch06-pixel": [
        {"row": "17", "column": "14"},
        {"row": "14", "column": "17"},
        {"row": "7", "column": "13"},
        {"row": "12", "column": "10"},
        {"row": "15", "column": "14"},
        {"row": "28", "column": "3"},
        {"row": "1.5", "column": "3"},
        {"row": "", "column": "x"},
    ],
    "ch07-quadrant": [
        {"W[0, 0]": "1", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "2.04", "b[1]": "1.32"},
        {"W[0, 0]": "1", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "2.0", "b[1]": "1.5"},
        {"W[0, 0]": "1", "W[0, 1]": "1", "W[1, 0]": "1", "W[1, 1]": "1", "b[0]": "9", "b[1]": "9"},
        {"W[0, 0]": "-1", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "0.3", "b[1]": "1.5"},
        {"W[0, 0]": "0.0001", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "1", "b[1]": "2"},
        {"W[0, 0]": "1", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "2"},
    ],
    "ch07-landing": [
        {"z[0]": "-0.5", "z[1]": "2"},
        {"z[0]": "0", "z[1]": "2.0000001"},
        {"z[0]": "2", "z[1]": "0"},
        {"z[0]": "0", "z[1]": "1.5"},
        {"z[0]": "", "z[1]": "2"},
    ],
    "ch07-reflections": [
        {"letters": ["B"]},
        {"letters": ["A", "B", "D"]},
        {"letters": ["A", "B", "C", "D", "E"]},
        {"letters": ["E"]},
        {"letters": ["C", "E"]},
        {"letters": ["B", "D", "E"]},
    ],
}


def form_cases():
    """[(exercise, typed answers)] for every exercise: its right answer, its starter, then EXTRA."""
    cases = []
    for exercise in all_exercises():
        for raw in [exercise.answers, exercise.starter, *EXTRA.get(exercise.id, [])]:
            cases.append((exercise, raw))
    return cases


CHECK_FORM_JS = "(EX, c) => EX.checkForm(c.spec, c.raw)"


def js_cases(cases):
    specs = {}
    out = []
    for exercise, raw in cases:
        spec = specs.setdefault(exercise.id, json.loads(json.dumps(exercise.spec())))
        out.append({"spec": spec, "raw": raw})
    return out


def python_verdicts(cases):
    return [{"ok": fb.ok, "message": fb.message} for fb in (e.check_form(raw) for e, raw in cases)]


def check_parity(cases, js_results):
    py = python_verdicts(cases)
    assert len(js_results) == len(py)
    for (exercise, raw), want, got in zip(cases, py, js_results):
        assert got == want, f"{exercise.id} {raw}: Python {want} but JavaScript {got}"


def test_every_exercise_has_a_table_a_right_answer_and_a_wrong_starter():
    exercises = all_exercises()
    assert len(exercises) == 22
    assert len({e.id for e in exercises}) == 22
    for exercise in exercises:
        assert exercise.id in EXTRA and len(EXTRA[exercise.id]) >= 3, exercise.id
        assert exercise.check_form(exercise.answers), f"{exercise.id}: its own answer is not right"
        starter = exercise.check_form(exercise.starter)
        assert not starter, f"{exercise.id}: the starter answer passes"
        for secret in exercise.secrets:
            assert secret not in starter.message, f"{exercise.id}: the reply to the starter gives away {secret!r}"
        assert exercise.solution.strip()


def test_tables_hold_right_and_wrong_verdicts_for_each_exercise():
    by_id = {}
    for exercise, raw in form_cases():
        by_id.setdefault(exercise.id, set()).add(exercise.check_form(raw).ok)
    # XOR's weights never pass (only the answer "no weights can" does); every other table has both verdicts.
    assert all(v == {True, False} for v in by_id.values()), by_id


def test_node_gives_the_same_verdict_as_python_for_every_answer():
    cases = form_cases()
    check_parity(cases, node_eval(["nn.js", "exercises.js"], CHECK_FORM_JS, js_cases(cases)))


# -- the expression language itself ---------------------------------------------------------------

EXPRESSIONS = [
    ("1 + 2 * 3 - 4 / 8", {}),
    ("2 ** 0.5", {}),
    ("-x", {"x": [1.0, -2.0]}),
    ("x @ M", {"x": [1.0, 2.0], "M": [[1.0, 2.0], [3.0, 4.0]]}),
    ("M @ x", {"x": [1.0, 2.0], "M": [[1.0, 2.0], [3.0, 4.0]]}),
    ("M + x", {"x": [1.0, 2.0], "M": [[1.0, 2.0], [3.0, 4.0]]}),
    ("x > 1", {"x": [0.5, 1.5]}),
    ("1 < 2 and 2 < 3", {}),
    ("not 0 or 1 and 0", {}),
    ("'a' if 2 > 1 else 'b'", {}),
    ("sum(x * x)", {"x": [0.1, 0.2, 0.3]}),
    ("argmax(x)", {"x": [1.0, 3.0, 3.0]}),
    ("min(x)", {"x": [1.0, -3.0]}),
    ("max(1, 2, -5)", {}),
    ("len(M)", {"M": [[1.0, 2.0]]}),
    ("det(M)", {"M": [[1.0, 2.0], [3.0, 4.0]]}),
    ("det(M)", {"M": [[2.0, 0, 1], [1, 3, 2], [1, 1, 1]]}),
    ("outer(x, x)", {"x": [1.0, 2.0]}),
    ("col(M, 1)", {"M": [[1.0, 2.0], [3.0, 4.0]]}),
    ("T(M)", {"M": [[1.0, 2.0]]}),
    ("where(x > 0, x, 0)", {"x": [-1.0, 2.0]}),
    ("linspace(-5, 5, 7)", {}),
    ("round(2.675, 2)", {}),
    ("round(0.125, 2)", {}),
    ("pick([1, 0, 1], L)", {"L": ["A", "B", "C"]}),
    ("sigmoid(x)", {"x": [-800.0, 0.0, 3.0]}),
    ("tanh(x) + sqrt(abs(x))", {"x": [-2.5, 0.25]}),
    ("relu(x)", {"x": [-1.0, 2.0]}),
    ("1 / 0", {}),
    ("M[1, 0] + M[0][1]", {"M": [[1.0, 2.0], [3.0, 4.0]]}),
    ("[x[0], 2]", {"x": [5.0]}),
    ("all(x > 0) and any(x > 1)", {"x": [0.5, 1.5]}),
    ("x == 'B'", {"x": "B"}),
]


def _py_value(source, env):
    values = {k: language.value(v) for k, v in env.items()}
    value = language.evaluate(language.parse(source), values.__getitem__)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def test_interpreters_agree_on_the_language():
    cases = [{"tree": language.parse(src), "env": env} for src, env in EXPRESSIONS]
    js = node_eval(["nn.js", "exercises.js"], "(EX, c) => EX.evaluate(c.tree, n => c.env[n])", cases)
    for (src, env), got in zip(EXPRESSIONS, js):
        want = _py_value(src, env)
        if isinstance(want, (bool, np.bool_)):
            assert got is bool(want), src
        else:
            np.testing.assert_equal(
                np.asarray(got, dtype=object if isinstance(want, str) else float),
                np.asarray(want, dtype=object if isinstance(want, str) else float),
                err_msg=src,
            )


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "x.y",
        "f(1)",
        "lambda: 1",
        "x[1:2]",
        "{1: 2}",
        "x + (y := 2)",
        "open('f')",
        "sum(x, key=1)",
        "1 < x < 2",
        "exp(1)",
        "mean(x)",
    ],
)
def test_parser_refuses_everything_outside_the_language(source):
    with pytest.raises(language.ExpressionError):
        language.parse(source)


def test_templates_format_like_python_and_refuse_unknown_specs():
    template = language.parse_template("{a:.4g} {b:+.3f} {c:.0%} {{x}} {d}")
    env = {"a": 1 / 3, "b": 2.0, "c": 0.25, "d": np.array([1.0, 0.5])}.__getitem__
    assert language.render(template, env) == "0.3333 +2.000 25% {x} [1, 0.5]"
    with pytest.raises(language.ExpressionError, match="format spec"):
        language.parse_template("{a:,}")


def test_an_exercise_with_an_unknown_name_or_no_final_rule_is_refused():
    with pytest.raises(ValueError, match="unknown name"):
        rules.Exercise("x", "ch00", "x", [rules.Number("w")], [rules.Right(None, "{v}")])
    with pytest.raises(ValueError, match="last rule"):
        rules.Exercise("x", "ch00", "x", [rules.Number("w")], [rules.Right("w > 0", "ok")])


# -- the committed notebooks: a form per exercise, solutions collapsed and silent ----------------------

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# A chapter's notebooks in reading order; its exercises are spread over them in the order of chNN.EXERCISES.
CHAPTER_FILES = {
    "ch01": ["01_one_neuron"],
    "ch02": ["02_many_neurons"],
    "ch03": ["03_dense_learns_and"],
    "ch04": ["04_reading_weights"],
    "ch05": ["05_neurons_to_matrices"],
    "ch06": ["06_handwritten_digits", "06_inside_the_digit_network"],
    "ch07": ["07_geometry_of_a_layer"],
}


def test_every_chapter_notebook_is_listed():
    listed = {name for names in CHAPTER_FILES.values() for name in names}
    assert listed == {p.stem for p in NOTEBOOKS.glob("0*.ipynb")}


@pytest.mark.parametrize("chapter", sorted(CHAPTER_FILES))
def test_notebooks_show_each_form_and_keep_solutions_collapsed_without_output(chapter):
    cells = [
        cell
        for name in CHAPTER_FILES[chapter]
        for cell in json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    ]
    nb = {"cells": cells}
    exercises = [e for e in all_exercises() if e.chapter == chapter]
    forms = [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code"
        and "remove-input" in c["metadata"].get("tags", [])
        and "answer form" in "".join(c["source"])
    ]
    shown = [
        next(f'data-exercise="{e.id}"' in "".join(o.get("data", {}).get("text/html", "")) for o in c["outputs"])
        for c, e in zip(forms, exercises)
    ]
    assert len(forms) == len(exercises) and all(shown), f"{chapter}: one form per exercise, in order"
    solutions = [c for c in nb["cells"] if c["metadata"].get("jupyter", {}).get("source_hidden")]
    # Every exercise has one (chapter 3's "XOR with one neuron?": its proof and brute-force search, issue 21).
    assert len(solutions) == len(exercises)
    for cell in solutions:
        source = "".join(cell["source"])
        assert cell["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        assert "remove-cell" in cell["metadata"]["tags"], "the book shows solutions in the form, not here"
        assert cell["outputs"] == [], f"{chapter}: a solution cell stores output: {source[:60]!r}"
        assert f"assert {chapter}.check_" in source, f"{chapter}: a solution must assert its checker"


def test_check_names_missing_and_unknown_answers():
    with pytest.raises(TypeError, match="missing answer"):
        ch01.SWITCH.check(w=4.0)
    with pytest.raises(TypeError, match="no field named v"):
        ch01.SWITCH.check(w=4.0, b=-8.0, v=1.0)


def test_a_rounded_copy_of_the_answer_is_told_how_many_decimals_to_give():
    accuracy = next(e for e in all_exercises() if e.id == "ch06-accuracy")
    right = accuracy.answers["accuracy"]  # four decimals, e.g. 0.9117; the chapter prints three
    three = f"{float(right):.3f}"
    assert accuracy.check_form({"accuracy": right})
    verdict = accuracy.check_form({"accuracy": three})
    assert not verdict and verdict.message == f"close: give four decimals ({three} is the answer rounded to three)."
    # Not a near miss: a wrong value with three decimals gets the rules' own reply.
    assert "close" not in accuracy.check_form({"accuracy": f"{float(right) + 0.01:.3f}"}).message
    # The same words for the notebook's checker, which gets a number.
    assert ch06.check_class_accuracy(8, float(three)).message == verdict.message


def test_non_finite_and_overlong_answers_are_refused_with_a_reason():
    switch = ch01.SWITCH
    assert (
        switch.check_form({"w": "1e999", "b": "-8"}).message
        == "w: “1e999” is too large to compute with; write a number like 1.5 or -2."
    )
    assert (
        switch.check_form({"w": "4", "b": "1" * 41}).message
        == "b: the text is longer than 40 characters; write a number like 1.5 or -2."
    )
