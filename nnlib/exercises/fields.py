"""The answers a form asks for: what a reader may type into each box, and the value it becomes.

Each field parses the texts typed into its boxes ({input key: text}) into a value of the exercise
language, or refuses them with one line that names the box and says how to write it. exercises.js
parses with the same rules and the same messages (tests/test_exercises_forms.py compares them).
"""

import math
import re

import numpy as np

from ..i18n import N_, gettext

# A typed number is short: 40 characters hold any float64 in full ("-2.2250738585072014e-308" is 24). The
# bound keeps parsing cheap in both faces (Python's float() of 20,000 digits takes seconds).
MAX_CHARS = 40
# What a box may hold around its text: the same set in exercises.js (Python's str.strip() and JavaScript's
# trim() disagree on rarer spaces).
SPACE = " \t\n\r\f\v\u00a0"
# Linear: the fraction's digits follow a mandatory point, so no digit can be matched two ways.

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[0-9]+")
_SHAPE_GAP = re.compile("[," + SPACE + "]+")  # between a shape's numbers: commas and the spaces above
_NUMBER_WORDS = [
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
]


def _strip(text):
    return text.strip(SPACE)


def parse_number(text):
    """A finite float from what a reader typed ("1.5", "-2", "1e-3", "−0.5"); None if it is not a number.

    Raises ValueError, with the reason, for a text too long to be a typed number (the length is checked
    first, before any other work) or a number too large for a float (1e999).
    """
    if len(text) > MAX_CHARS:
        raise ValueError(gettext("is longer than {n} characters", n=MAX_CHARS))
    text = _strip(text).replace("\u2212", "-")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(gettext("is too large to compute with"))
    return value


def _typed(raw, key):
    """(the text typed into box `key`, whether it is blank); a blank box may hold only spaces."""
    text = str(raw.get(key) or "")
    return text, len(text) <= MAX_CHARS and _strip(text) == ""


def _number_problem(label, text):
    """None if `text` is a number, else the line that says what is wrong with it."""
    try:
        if parse_number(text) is not None:
            return None
    except ValueError as err:
        shown = f"“{_strip(text)}”" if len(text) <= MAX_CHARS else gettext("the text")
        return gettext(
            "{label}: {shown} {problem}; write a number like 1.5 or -2.", label=gettext(label), shown=shown, problem=err
        )
    return gettext(
        "{label}: {text} is not a number; write it like 1.5 or -2.", label=gettext(label), text=f"“{_strip(text)}”"
    )


def written_with(x, decimals):
    """x written with `decimals` decimals and read back (Python's rounding of the binary value)."""
    return float(format(x, f".{decimals}f"))


def near_miss(values, targets, decimals):
    """The fewest decimals at which the typed values are the answers rounded, if some stop short of `decimals`.

    values, targets: lists of finite floats. Each value must be its target written with `decimals` decimals,
    or with fewer (at least one) decimals; returns that fewer number for the first short value, else None.
    """
    short = None
    for x, t in zip(values, targets):
        if not (math.isfinite(x) and math.isfinite(t)):
            return None
        if written_with(t, decimals) == x:
            continue
        given = next((d for d in range(1, decimals) if written_with(x, d) == x), None)
        if given is None or written_with(t, given) != x:
            return None
        short = given if short is None else short
    return short


def number_word(n):
    """n in words ("four"), in nnlib's language."""
    return gettext(_NUMBER_WORDS[n]) if 0 <= n < len(_NUMBER_WORDS) else str(n)


class Field:
    """One answer the form asks for. `inputs()` lists (key, label) of its text boxes.

    close: optional (expression, decimals): the answer this field is compared with and the decimals asked
    for; a wrong answer that is that answer rounded to fewer decimals is told "close: give N decimals".
    """

    kind = "field"

    def __init__(self, name, label, *, optional=False, close=None):
        self.name, self.label, self.optional = name, label, optional
        self.close = close

    def inputs(self):
        return [(self.name, self.label)]

    def spec(self):
        return {
            "kind": self.kind,
            "name": self.name,
            "label": self.label,
            "optional": self.optional,
            "inputs": [list(i) for i in self.inputs()],
        }

    def parse(self, raw):
        """(value, None) or (None, message) from the texts typed into this field's boxes (dict key -> text)."""
        values = []
        for key, label in self.inputs():
            text, blank = _typed(raw, key)
            if blank:
                values.append(None)
                continue
            problem = _number_problem(label, text)
            if problem:
                return None, problem
            values.append(parse_number(text))
        blank = [label for (key, label), v in zip(self.inputs(), values) if v is None]
        if blank and self.optional and len(blank) == len(values):
            return np.zeros(0), None
        if blank:
            if len(values) > 1:
                return None, gettext(
                    "{box} is empty: fill in every box of {label}.", box=gettext(blank[0]), label=gettext(self.label)
                )
            return None, gettext("{box} is empty.", box=gettext(blank[0]))
        return self.shape_values(values), None

    def shape_values(self, values):
        return values[0]


class Number(Field):
    kind = "number"

    def __init__(self, name, label=None, *, integer=False, **kw):
        super().__init__(name, label or name, **kw)
        self.integer = integer

    def spec(self):
        return {**super().spec(), "integer": self.integer}

    def parse(self, raw):
        value, problem = super().parse(raw)
        if problem is None and self.integer and not float(value).is_integer():
            return None, gettext("{label}: give a whole number.", label=gettext(self.label))
        return value, problem


class Vector(Field):
    kind = "vector"

    def __init__(self, name, n, label=None, **kw):
        super().__init__(name, label or name, **kw)
        self.n = n

    def inputs(self):
        return [(f"{self.name}[{i}]", f"{self.name}[{i}]") for i in range(self.n)]

    def shape_values(self, values):
        return np.array(values, dtype=np.float64)


class Matrix(Field):
    kind = "matrix"

    def __init__(self, name, rows, cols, label=None, **kw):
        super().__init__(name, label or name, **kw)
        self.rows, self.cols = rows, cols

    def inputs(self):
        return [
            (f"{self.name}[{i}, {j}]", f"{self.name}[{i}, {j}]") for i in range(self.rows) for j in range(self.cols)
        ]

    def spec(self):
        return {**super().spec(), "rows": self.rows, "cols": self.cols}

    def shape_values(self, values):
        return np.array(values, dtype=np.float64).reshape(self.rows, self.cols)


class Table(Field):
    """Up to `max_rows` rows of `columns`; blank rows are left out, at least one row is needed."""

    kind = "table"

    def __init__(self, name, columns, max_rows, label=None, row_label="row", **kw):
        super().__init__(name, label or name, **kw)
        self.columns, self.max_rows, self.row_label = list(columns), max_rows, row_label

    def inputs(self):
        return [
            (f"{self.name}[{i}].{c}", f"{self.row_label} {i}: {c}") for i in range(self.max_rows) for c in self.columns
        ]

    def spec(self):
        return {**super().spec(), "columns": self.columns, "rows": self.max_rows, "row_label": self.row_label}

    def parse(self, raw):
        rows = []
        for i in range(self.max_rows):
            row = []
            for c in self.columns:
                text, blank = _typed(raw, f"{self.name}[{i}].{c}")
                if blank:
                    row.append(None)
                    continue
                problem = _number_problem(
                    gettext("{row} {i}: {column}", row=gettext(self.row_label), i=i, column=gettext(c)), text
                )
                if problem:
                    return None, problem
                row.append(parse_number(text))
            if all(v is None for v in row):
                continue
            if any(v is None for v in row):
                missing = self.columns[row.index(None)]
                return None, gettext(
                    "{row} {i}: {column} is empty; fill in the whole row or none of it.",
                    row=gettext(self.row_label),
                    i=i,
                    column=gettext(missing),
                )
            rows.append(row)
        if not rows:
            return None, gettext("fill in at least one {row}.", row=gettext(self.row_label))
        return np.array(rows, dtype=np.float64), None


class Shape(Field):
    """A shape such as (3, 5) or (5,): whole numbers separated by commas, brackets optional."""

    kind = "shape"

    def parse(self, raw):
        text, _ = _typed(raw, self.name)
        how = gettext("write a shape as whole numbers in brackets, like (2, 7) or (7,).")
        if len(text) > MAX_CHARS:
            return None, gettext(
                "{label}: the text is longer than {n} characters; {how}",
                label=gettext(self.label),
                n=MAX_CHARS,
                how=how,
            )
        text = _strip(text)
        inner = text[1:] if text[:1] in "([" and text else text
        inner = inner[:-1] if inner[-1:] in ")]" and inner else inner
        parts = [p for p in _SHAPE_GAP.split(inner) if p != ""]
        if not text or not parts or not all(_WHOLE.fullmatch(p) for p in parts):
            return None, gettext("{label}: {how}", label=gettext(self.label), how=how)
        return np.array([float(p) for p in parts]), None


class _Options(Field):
    """A field answered by picking among `options` [(value, label), ...] (values are strings)."""

    def __init__(self, name, options, label=None, **kw):
        super().__init__(name, label or name, **kw)
        self.options = [(str(v), str(t)) for v, t in options]

    def spec(self):
        return {**super().spec(), "options": [list(o) for o in self.options]}


class Choice(_Options):
    """One of the options, as radio buttons; the value is a string."""

    kind = "choice"

    def parse(self, raw):
        value = raw.get(self.name) or ""
        if value == "" and self.optional:
            return "", None
        if value not in [v for v, _ in self.options]:
            return None, gettext("{label}: choose one of the options.", label=gettext(self.label))
        return value, None


class Checks(_Options):
    """Any number of the options, as check boxes; the value is a 0/1 vector in option order."""

    kind = "checks"

    def parse(self, raw):
        picked = raw.get(self.name) or []
        return np.array([1.0 if v in picked else 0.0 for v, _ in self.options]), None
