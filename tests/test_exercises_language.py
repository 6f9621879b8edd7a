"""The exercise language's two interpreters agree on random expressions (LANGUAGE.md is their contract).

Hypothesis draws expression trees and environments (numbers with NaN, +-inf, -0, subnormals; empty and
non-empty vectors; matrices; strings; a list of strings) and typed answers for the real exercises; each case
is evaluated by language.py and by exercises.js in one long-lived Node process, and the two must give the
same value (to the bit, -0 included), the same message text, or both an error. A sample runs in Chromium.
Derandomized: the same cases every run. Regressions found by the search are kept as @example cases.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import test_exercises_forms as tables
from jsface import node_session
from nnlib.exercises import fields, language

SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NUMBERS = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.0,
    3.0,
    0.5,
    -2.5,
    0.1,
    0.125,
    1e308,
    -1e308,
    5e-324,
    1.0000000000000002,
    math.inf,
    -math.inf,
    math.nan,
]
STRINGS = ["", "a", "B"]
OPS = ["+", "-", "*", "/", "**", "@"]
COMPARISONS = ["<", "<=", ">", ">=", "==", "!="]
SPECS = ["", "g", ".4g", ".2f", "+.3f", ".0%", ".8f", ".3g"]

numbers = st.sampled_from(NUMBERS)


def vectors(max_size=3):
    return st.lists(numbers, min_size=0, max_size=max_size)


@st.composite
def matrices(draw):
    rows, cols = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return [[draw(numbers) for _ in range(cols)] for _ in range(rows)]


@st.composite
def environments(draw):
    return {
        "a": draw(numbers),
        "b": draw(numbers),
        "u": draw(vectors()),
        "v": draw(vectors()),
        "M": draw(matrices()),
        "N": draw(matrices()),
        "s": draw(st.sampled_from(STRINGS)),
        "L": draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3)),
    }


NAMES = ["a", "b", "u", "v", "M", "N", "s", "L"]
leaves = st.one_of(
    st.builds(lambda x: ["num", x], st.one_of(numbers, st.integers(0, 3).map(float))),
    st.builds(lambda n: ["name", n], st.sampled_from(NAMES)),
    st.builds(lambda s: ["str", s], st.sampled_from(STRINGS)),
)


def _calls(children):
    @st.composite
    def call(draw):
        name = draw(st.sampled_from(sorted(language.FUNCTIONS)))
        low, high = language.FUNCTIONS[name]
        return ["call", name, [draw(children) for _ in range(draw(st.integers(low, min(high, 3))))]]

    return call()


def _extend(children):
    index = st.one_of(st.integers(0, 3).map(lambda i: ["num", float(i)]), children)
    return st.one_of(
        st.builds(lambda op, x, y: ["bin", op, x, y], st.sampled_from(OPS), children, children),
        st.builds(lambda x: ["neg", x], children),
        st.builds(lambda x: ["not", x], children),
        st.builds(lambda k, xs: [k, xs], st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda op, x, y: ["cmp", op, x, y], st.sampled_from(COMPARISONS), children, children),
        st.builds(lambda c, x, y: ["if", c, x, y], children, children, children),
        st.builds(lambda xs: ["list", xs], st.lists(children, max_size=3)),
        st.builds(lambda x, i: ["index", x, i], children, st.lists(index, min_size=1, max_size=2)),
        _calls(children),
    )


trees = st.recursive(leaves, _extend, max_leaves=10)


# A value and its text in a message (null if the value cannot be shown); the same in Node and in Chromium.
NODE_FUNCTION = """(EX, c) => {
  const v = EX.evaluate(c.tree, (n) => c.env[n]);
  let text;
  try { text = EX.formatValue(v, c.spec); } catch (e) { text = null; }
  return { value: v, text: text };
}"""


@pytest.fixture(scope="module")
def node():
    with node_session().bind(["nn.js", "exercises.js"], NODE_FUNCTION) as session:
        yield session


def python_answer(tree, env, spec):
    """What the JavaScript function above returns, computed by language.py."""
    values = {k: language.value(v) for k, v in env.items()}
    try:
        v = language.evaluate(tree, values.__getitem__)
    except language.ExpressionError as err:
        return {"error": str(err)}
    try:
        text = language.format_value(v, spec)
    except language.ExpressionError:
        text = None
    return {"value": v, "text": text}


def same(py, js):
    """Equal values of the language: bools count as numbers, NaN equals NaN, 0 and -0 differ."""
    if isinstance(py, np.ndarray):
        py = py.tolist()
    if isinstance(py, str) or isinstance(js, str):
        return py == js
    if isinstance(py, list) or isinstance(js, list):
        return (
            isinstance(py, list)
            and isinstance(js, list)
            and len(py) == len(js)
            and all(same(p, j) for p, j in zip(py, js))
        )
    if isinstance(js, dict) or js is None:
        return False
    p, j = float(py), float(js)
    return (math.isnan(p) and math.isnan(j)) or (p == j and math.copysign(1, p) == math.copysign(1, j))


def check_case(node, tree, env, spec):
    compare(python_answer(tree, env, spec), node({"tree": tree, "env": env, "spec": spec}), (tree, env, spec))


def compare(want, got, case):
    """Python's answer against the JavaScript one: both errors, or the same value and text."""
    where = f"case {case}: Python {want} JavaScript {got}"
    if "error" in want or "error" in got:
        assert "error" in want and "error" in got, where
        assert got["error"].startswith("exercise rules: "), f"JavaScript failed outside the language: {where}"
        return
    assert same(want["value"], got["value"]["value"]), where
    assert want["text"] == got["value"]["text"], where


# Disagreements of the interpreters before LANGUAGE.md (the issue named argmax, len and unary minus; the
# others were found by reading and by this search), kept as regressions.
REGRESSIONS = [
    (["call", "argmax", [["list", [["num", 1.0], ["num", math.nan], ["num", 3.0]]]]], {}, ""),
    (["call", "len", [["str", "abc"]]], {}, ""),
    (["neg", ["str", "abc"]], {}, ""),
    (["call", "min", [["num", 0.0], ["num", -0.0]]], {}, "g"),
    (["call", "max", [["num", 1.0], ["num", math.nan]]], {}, ""),
    (["bin", "**", ["num", 1.0], ["num", math.nan]], {}, ""),
    (["if", ["num", math.nan], ["str", "yes"], ["str", "no"]], {}, ""),
    (["call", "where", [["num", 1.0], ["num", 1.0], ["list", [["num", 1.0], ["num", 2.0]]]]], {}, ""),
    (["call", "round", [["num", math.inf], ["num", 2.0]]], {}, ""),
    (["call", "linspace", [["num", 0.0], ["num", 1.0], ["num", 0.0]]], {}, ""),
    (
        [
            "bin",
            "+",
            ["list", [["list", [["num", 1.0]]]]],
            ["list", [["list", [["num", 1.0]]], ["list", [["num", 2.0]]]]],
        ],
        {},
        "",
    ),
    (["cmp", "==", ["str", "a"], ["list", [["num", 1.0]]]], {}, ""),
    (["call", "outer", [["list", []], ["num", 1.0]]], {}, ""),
    (["call", "pick", [["num", math.nan], ["name", "L"]]], {"L": ["A"]}, ""),
    (["call", "tanh", [["num", 0.125]]], {}, ""),
    (["num", 1e308], {}, ".0%"),
]


def _with_regressions(test):
    for tree, env, spec in REGRESSIONS:
        test = example(tree, env, spec)(test)
    return test


@_with_regressions
@given(tree=trees, env=environments(), spec=st.sampled_from(SPECS))
@SETTINGS
def test_random_expressions_evaluate_alike_in_python_and_node(node, tree, env, spec):
    check_case(node, tree, env, spec)


# -- what a reader types: the same value or the same message, in both faces --------------------------------

TYPED = [
    "1",
    "-2",
    "1.5",
    ".5",
    "5.",
    "1e3",
    "1E-3",
    "+7",
    "−0.5",
    " 2 ",
    "-0",
    "0.0",
    "1e999",
    "-1e999",
    "1e-999",
    "1e308",
    "nan",
    "inf",
    "Infinity",
    "1_000",
    "0x10",
    "1,5",
    "",
    "   ",
    "\u00a03",
    "e5",
    "1e",
    ".",
    "-",
    "12.",
    "1" * 40,
    "1" * 41,
    "9" * 400,
    "\U0001f600" * 21,
    "1.7976931348623157e308",
    "1.8e308",
]
typed = st.one_of(
    st.sampled_from(TYPED), st.text(alphabet="0123456789.eE+-−, ()[]\t\x1c\u2003\ufeff\u00a0", max_size=14)
)


@pytest.fixture(scope="module")
def node_fields():
    with node_session().bind(["nn.js", "exercises.js"], "(EX, c) => EX.parseField(c.field, c.raw)") as session:
        yield session


FIELDS = [
    fields.Number("w"),
    fields.Number("n", integer=True),
    fields.Vector("y", 2, optional=True),
    fields.Shape("W_shape", "shape of W"),
    fields.Table("neurons", ["w", "b"], 2, row_label="neuron"),
]


# Python's \s and JavaScript's \s differ (U+001C, U+FEFF): a shape split on either read "3<U+001C>5" as (3, 5) in
# Python only.
@example(field=FIELDS[3], texts=["3\x1c5", "", "", ""])
@example(field=FIELDS[3], texts=["(3\ufeff5)", "", "", ""])
@given(field=st.sampled_from(FIELDS), texts=st.lists(typed, min_size=4, max_size=4))
@settings(SETTINGS, max_examples=150)
def test_typed_answers_parse_alike_in_python_and_node(node_fields, field, texts):
    keys = [key for key, _ in field.inputs()] if not isinstance(field, fields.Shape) else [field.name]
    raw = dict(zip(keys, texts))
    value, problem = field.parse(raw)
    got = node_fields({"field": field.spec(), "raw": raw})["value"]
    if problem is not None:
        assert got == {"problem": problem}, (raw, problem, got)
    else:
        assert "problem" not in got and same(value, got["value"]), (raw, value, got)


@pytest.fixture(scope="module")
def node_forms():
    with node_session().bind(["nn.js", "exercises.js"], tables.CHECK_FORM_JS) as session:
        yield session


EXERCISES = tables.all_exercises()
SPECS_JSON = {e.id: e.spec() for e in EXERCISES}
EXTREME = ["1e999", "-1e999", "1e308", "-1e308", "5e-324", "-0", "0", "1", "-1", "0.5", "2", "9" * 41, ""]


@given(exercise=st.sampled_from(EXERCISES), data=st.data())
@settings(SETTINGS, max_examples=150)
def test_extreme_answers_get_the_same_verdict_in_python_and_node(node_forms, exercise, data):
    raw = dict(exercise.answers)
    for key in raw:
        if not isinstance(raw[key], list) and data.draw(st.booleans()):
            raw[key] = data.draw(st.sampled_from(EXTREME))
    want = exercise.check_form(raw)
    got = node_forms({"spec": SPECS_JSON[exercise.id], "raw": raw})["value"]
    assert got == {"ok": want.ok, "message": want.message}, (exercise.id, raw)
    if any(not isinstance(v, list) and v.lstrip("-") == "1e999" for v in raw.values()):
        assert not want.ok, f"{exercise.id}: {raw} is right"


def test_python_refuses_non_finite_numbers_in_checks():
    with pytest.raises(ValueError, match="finite"):
        tables.ch01.SWITCH.check(w=math.inf, b=-8.0)


def test_a_long_paste_is_refused_in_linear_time():
    # 50,000 digits: refused by length before any pattern runs (Python's float() alone takes seconds on it).
    field = fields.Number("w")
    value, problem = field.parse({"w": "9" * 50_000})
    assert value is None and problem == "w: the text is longer than 40 characters; write a number like 1.5 or -2."
