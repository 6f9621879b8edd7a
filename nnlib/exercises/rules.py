"""Exercises as data: fields, a check written as ordered rules, and a tiny safe expression language.

An `Exercise` is defined once, in its chapter module (ch01.py, ...). The same definition

- checks an answer in Python (`Exercise.check(w=4, b=-8)` -> `Feedback`), which the chapter's checker
  functions (`ch01.check_switch_at_two`) call after validating their arguments;
- renders as an answer form for the static book (`Exercise.to_html()`), whose script
  (nnlib/explore/exercises.js) checks the same answer with the same rules in the browser.

A rule is a condition and the one-line verdict it gives; the first rule whose condition holds decides.
Conditions, derived values and the `{...}` parts of messages are expressions in a small language:

    numbers, strings, names (fields, constants, derived values), + - * / ** @, unary -, comparisons
    (chained), and / or / not, x if c else y, indexing a[i] and a[i, j], lists [..], and the functions
    in FUNCTIONS (elementwise: abs sqrt exp log tanh sigmoid relu; reductions: sum mean min max all any
    argmax len; dot det outer col T where linspace round pick)

Python parses each expression once with `ast` (only the node types above are accepted; nothing is ever
eval'd) into a small JSON tree, which both interpreters walk: `evaluate` here (numpy, float64) and
exercises.js in the browser (JavaScript numbers, also float64). Arithmetic is elementwise with numpy's
broadcasting for scalars, vectors and matrices; comparisons on arrays give arrays of 1.0 / 0.0; sums and
matrix products add in index order in both, so the two give the same numbers. Messages format values
with Python's format specs ({slope:.4g}), which nn.js's `format` reproduces digit for digit.
"""

import ast
import html
import json
import math
import re

import numpy as np

from . import Feedback

# -- the expression language -----------------------------------------------------------------------

FUNCTIONS = {
    # name: (min args, max args)
    "abs": (1, 1), "sqrt": (1, 1), "exp": (1, 1), "log": (1, 1), "tanh": (1, 1), "sigmoid": (1, 1),
    "relu": (1, 1), "sum": (1, 1), "mean": (1, 1), "min": (1, 9), "max": (1, 9), "all": (1, 1), "any": (1, 1),
    "argmax": (1, 1), "len": (1, 1), "dot": (2, 2), "det": (1, 1), "outer": (2, 2), "col": (2, 2), "T": (1, 1),
    "where": (3, 3), "linspace": (3, 3), "round": (2, 2), "pick": (2, 2),
}
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
# Specs that nn.js's format() reproduces exactly: [+][.N](f|g|%).
_SPEC = re.compile(r"^\+?(\.\d+)?[fg%]$")


class ExpressionError(ValueError):
    """An expression outside the language, or one that cannot be evaluated (an index out of range, ...)."""


def parse(source):
    """The JSON tree of one expression, e.g. "w / 4" -> ["bin", "/", ["name", "w"], ["num", 4.0]]."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as err:
        raise ExpressionError(f"cannot parse {source!r}: {err.msg}") from None
    return _node(tree, source)


def _node(n, source):
    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
        return ["num", float(n.value)]
    if isinstance(n, ast.Constant) and isinstance(n.value, str):
        return ["str", n.value]
    if isinstance(n, ast.Name):
        return ["name", n.id]
    if isinstance(n, ast.BinOp) and type(n.op) in _BINARY:
        return ["bin", _BINARY[type(n.op)], _node(n.left, source), _node(n.right, source)]
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        inner = _node(n.operand, source)
        return ["neg", inner] if isinstance(n.op, ast.USub) else inner
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
        return ["not", _node(n.operand, source)]
    if isinstance(n, ast.BoolOp):
        return ["and" if isinstance(n.op, ast.And) else "or", [_node(v, source) for v in n.values]]
    if isinstance(n, ast.Compare) and all(type(op) in _COMPARE for op in n.ops):
        return ["cmp", [_COMPARE[type(op)] for op in n.ops], [_node(v, source) for v in [n.left, *n.comparators]]]
    if isinstance(n, ast.IfExp):
        return ["if", _node(n.test, source), _node(n.body, source), _node(n.orelse, source)]
    if isinstance(n, ast.List):
        return ["list", [_node(v, source) for v in n.elts]]
    if isinstance(n, ast.Subscript):
        index = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
        return ["index", _node(n.value, source), [_node(i, source) for i in index]]
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and not n.keywords:
        if n.func.id not in FUNCTIONS:
            raise ExpressionError(f"unknown function {n.func.id!r} in {source!r}; known: {', '.join(FUNCTIONS)}")
        low, high = FUNCTIONS[n.func.id]
        if not low <= len(n.args) <= high:
            raise ExpressionError(f"{n.func.id}() takes {low}..{high} arguments, in {source!r}")
        return ["call", n.func.id, [_node(a, source) for a in n.args]]
    raise ExpressionError(f"{type(n).__name__} is not part of the exercise language, in {source!r}")


def _names(tree):
    """Every name an expression tree reads."""
    found = set()

    def walk(node):
        if isinstance(node, list):
            if len(node) == 2 and node[0] == "name" and isinstance(node[1], str):
                found.add(node[1])
            else:
                for part in node:
                    walk(part)

    walk(tree)
    return found


def _arr(v):
    return v if isinstance(v, np.ndarray) else np.asarray(v, dtype=np.float64)


def _num(v):
    """A Python float for a 0-d value; arrays stay arrays."""
    if isinstance(v, np.ndarray):
        return float(v) if v.ndim == 0 else v
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    return float(v) if isinstance(v, (int, float, np.floating, np.integer)) else v


def _truth(v, what="condition"):
    if isinstance(v, np.ndarray) and v.ndim > 0:
        raise ExpressionError(f"a {what} on an array is ambiguous: use any(...) or all(...)")
    if isinstance(v, str):
        return v != ""
    return bool(v)


def _seq_sum(values):
    """Left-to-right sum, the order exercises.js adds in (numpy's pairwise sum differs in the last digit)."""
    total = 0.0
    for v in np.asarray(values, dtype=np.float64).ravel().tolist():
        total += v
    return total


def _matmul(a, b):
    a, b = _arr(a), _arr(b)
    if a.ndim == 0 or b.ndim == 0 or a.ndim > 2 or b.ndim > 2 or a.shape[-1] != b.shape[0]:
        raise ExpressionError(f"@ needs shapes (.., k) and (k, ..), got {a.shape} and {b.shape}")
    a2 = a if a.ndim == 2 else a[None, :]
    out = np.zeros((a2.shape[0],) + b.shape[1:])
    for k in range(a2.shape[1]):  # k in order: the same additions as the JavaScript loops
        out = out + (a2[:, k, None] * b[k] if b.ndim == 2 else a2[:, k] * b[k])
    return out[0] if a.ndim == 1 else out


def _det(m):
    m = _arr(m)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] not in (1, 2, 3):
        raise ExpressionError(f"det() takes a square matrix of size 1..3, got shape {m.shape}")
    if m.shape[0] == 1:
        return float(m[0, 0])
    if m.shape[0] == 2:
        return float(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0])
    return float(m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
                 - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
                 + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]))


def _binary(op, a, b):
    if op == "@":
        return _matmul(a, b)
    if isinstance(a, str) or isinstance(b, str):
        raise ExpressionError(f"cannot compute {a!r} {op} {b!r}")
    a, b = _arr(a), _arr(b)
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ExpressionError(f"shapes {a.shape} and {b.shape} do not fit for {op}") from None
    if a.ndim and b.ndim and a.shape[-1] != b.shape[-1]:
        raise ExpressionError(f"shapes {a.shape} and {b.shape} do not fit for {op}")
    with np.errstate(all="ignore"):
        out = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}[op](a, b)
    return _num(out)


def _compare(op, a, b):
    if isinstance(a, str) or isinstance(b, str):
        if op not in ("==", "!="):
            raise ExpressionError(f"strings can only be compared with == and !=, not {op}")
        return (a == b) == (op == "==")
    a, b = _arr(a), _arr(b)
    if a.ndim and b.ndim and a.shape[-1] != b.shape[-1]:
        raise ExpressionError(f"shapes {a.shape} and {b.shape} do not fit for {op}")
    out = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
           "!=": np.not_equal}[op](a, b)
    return bool(out) if out.ndim == 0 else out.astype(np.float64)


def _elementwise(name, x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        if name == "sigmoid":   # the formula of nn.js: exp(-|a|) never overflows
            e = np.exp(-np.abs(x))
            out = np.where(x >= 0, 1.0, e) / (1 + e)
        elif name == "relu":
            out = np.where(x > 0, x, 0.0)
        else:
            out = {"abs": np.abs, "sqrt": np.sqrt, "exp": np.exp, "log": np.log, "tanh": np.tanh}[name](x)
    return _num(out)


def _index(value, i):
    if isinstance(i, np.ndarray) or not float(i).is_integer():
        raise ExpressionError(f"an index must be a whole number, got {i!r}")
    i = int(i)
    if isinstance(value, str) or _arr(value).ndim == 0:
        raise ExpressionError("only arrays can be indexed")
    if not 0 <= i < len(value):
        raise ExpressionError(f"index {i} is out of range for length {len(value)}")
    return _num(value[i])


def _call(name, args):
    if name in ("abs", "sqrt", "exp", "log", "tanh", "sigmoid", "relu"):
        return _elementwise(name, args[0])
    if name in ("min", "max") and len(args) > 1:
        values = [float(a) for a in args]
        return min(values) if name == "min" else max(values)
    x = args[0]
    if name == "len":
        return float(len(x)) if not isinstance(x, float) else 1.0
    flat = _arr(x).ravel()
    if name == "sum":
        return _seq_sum(flat)
    if name == "mean":
        return _seq_sum(flat) / len(flat)
    if name in ("min", "max", "argmax"):
        if len(flat) == 0:
            raise ExpressionError(f"{name}() of an empty array")
        if name == "argmax":
            return float(int(np.argmax(flat)))
        return float(flat.min() if name == "min" else flat.max())
    if name == "all":
        return bool(np.all(flat != 0))
    if name == "any":
        return bool(np.any(flat != 0))
    if name == "dot":
        return _num(_matmul(args[0], args[1]))
    if name == "det":
        return _det(x)
    if name == "outer":
        return np.outer(_arr(args[0]).ravel(), _arr(args[1]).ravel())
    if name == "col":
        m = _arr(x)
        if m.ndim != 2:
            raise ExpressionError("col() takes a matrix")
        return _num(m[:, int(_index(np.arange(m.shape[1], dtype=np.float64), args[1]))])
    if name == "T":
        m = _arr(x)
        if m.ndim != 2:
            raise ExpressionError("T() takes a matrix")
        return m.T.copy()
    if name == "where":
        c, a, b = (_arr(v) for v in args)
        return _num(np.where(c != 0, a, b))
    if name == "linspace":
        start, stop, n = float(args[0]), float(args[1]), int(args[2])
        step = (stop - start) / (n - 1)
        out = np.arange(n) * step + start
        out[-1] = stop
        return out
    if name == "round":
        return float(format(float(x), f".{int(args[1])}f"))
    if name == "pick":
        mask, options = _arr(x).ravel(), args[1]
        return ", ".join(str(o) for m, o in zip(mask, options) if m)
    raise ExpressionError(f"unknown function {name!r}")  # pragma: no cover - parse() rejects these


def evaluate(tree, env):
    """The value of an expression tree; `env(name)` looks a name up (fields, constants, derived values)."""
    kind = tree[0]
    if kind in ("num", "str"):
        return tree[1]
    if kind == "name":
        return env(tree[1])
    if kind == "bin":
        return _binary(tree[1], evaluate(tree[2], env), evaluate(tree[3], env))
    if kind == "neg":
        v = evaluate(tree[1], env)
        return _num(-_arr(v)) if not isinstance(v, str) else _binary("-", 0.0, v)
    if kind == "not":
        return not _truth(evaluate(tree[1], env))
    if kind in ("and", "or"):
        for part in tree[1]:
            value = _truth(evaluate(part, env))
            if value == (kind == "or"):
                return value
        return kind == "and"
    if kind == "cmp":
        ops, operands = tree[1], tree[2]
        left = evaluate(operands[0], env)
        result = True
        for op, right_tree in zip(ops, operands[1:]):
            right = evaluate(right_tree, env)
            step = _compare(op, left, right)
            if isinstance(step, np.ndarray):
                if len(ops) > 1:
                    raise ExpressionError("chained comparisons work on numbers, not arrays")
                return step
            if not step:
                return False
            left = right
        return result
    if kind == "if":
        return evaluate(tree[2], env) if _truth(evaluate(tree[1], env)) else evaluate(tree[3], env)
    if kind == "list":
        items = [evaluate(t, env) for t in tree[1]]
        if any(isinstance(i, str) for i in items):
            raise ExpressionError("lists hold numbers")
        return np.array([_arr(i) for i in items], dtype=np.float64)
    if kind == "index":
        value = evaluate(tree[1], env)
        for i in tree[2]:
            value = _index(value, evaluate(i, env))
        return value
    if kind == "call":
        return _call(tree[1], [evaluate(a, env) for a in tree[2]])
    raise ExpressionError(f"unknown node {kind!r}")  # pragma: no cover


# -- message templates: "slope {w / 4:.4g}" ------------------------------------------------------

_TEMPLATE_PART = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


def parse_template(text):
    """A list of literal strings and [expression tree, spec] pairs."""
    parts, pos = [], 0
    for m in _TEMPLATE_PART.finditer(text):
        parts.append(text[pos:m.start()])
        pos = m.end()
        if m.group(0) in ("{{", "}}"):
            parts.append(m.group(0)[0])
            continue
        body = m.group(1)
        # The language has no ':' (no slices, dicts or lambdas), so a colon always starts the format spec.
        expr, _, spec = body.rpartition(":") if ":" in body else (body, "", "")
        if spec and not _SPEC.match(spec):
            raise ExpressionError(f"format spec {spec!r} in {text!r}: use [+][.N](f|g|%)")
        parts.append([parse(expr), spec])
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


def format_value(value, spec):
    """value as the template shows it; numbers with a Python format spec (default "g"), arrays as [a, b]."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return "[" + ", ".join(format_value(_num(v), spec) for v in value) + "]"
    text = format(float(value), spec or "g")
    return text


def render(template, env):
    return "".join(p if isinstance(p, str) else format_value(evaluate(p[0], env), p[1]) for p in template)


# -- fields: what the reader types ----------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def parse_number(text):
    """A float from what a reader typed ("1.5", "-2", "1e-3", "−0.5"), or None if it is not a number."""
    text = text.strip().replace("\u2212", "-")
    return float(text) if _NUMBER.match(text) else None


class Field:
    """One answer the form asks for. `inputs()` lists (key, label) of its text boxes."""

    kind = "field"

    def __init__(self, name, label, *, optional=False, note=None):
        self.name, self.label, self.optional, self.note = name, label, optional, note

    def inputs(self):
        return [(self.name, self.label)]

    def spec(self):
        return {"kind": self.kind, "name": self.name, "label": self.label, "optional": self.optional,
                "inputs": [list(i) for i in self.inputs()]}

    def parse(self, raw):
        """(value, None) or (None, message) from the texts typed into this field's boxes (dict key -> text)."""
        values = []
        for key, label in self.inputs():
            text = (raw.get(key) or "").strip()
            if text == "":
                values.append(None)
                continue
            number = parse_number(text)
            if number is None:
                return None, f"{label}: “{text}” is not a number; write it like 1.5 or -2."
            values.append(number)
        blank = [label for (key, label), v in zip(self.inputs(), values) if v is None]
        if blank and self.optional and len(blank) == len(values):
            return np.zeros(0), None
        if blank:
            return None, f"{blank[0]} is empty" + (f": fill in every box of {self.label}." if len(values) > 1 else ".")
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
            return None, f"{self.label}: give a whole number."
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
        return [(f"{self.name}[{i}, {j}]", f"{self.name}[{i}, {j}]") for i in range(self.rows)
                for j in range(self.cols)]

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
        return [(f"{self.name}[{i}].{c}", f"{self.row_label} {i}: {c}") for i in range(self.max_rows)
                for c in self.columns]

    def spec(self):
        return {**super().spec(), "columns": self.columns, "rows": self.max_rows, "row_label": self.row_label}

    def parse(self, raw):
        rows = []
        for i in range(self.max_rows):
            row = []
            for c in self.columns:
                key, label = f"{self.name}[{i}].{c}", f"{self.row_label} {i}: {c}"
                text = (raw.get(key) or "").strip()
                if text == "":
                    row.append(None)
                    continue
                number = parse_number(text)
                if number is None:
                    return None, f"{label}: “{text}” is not a number; write it like 1.5 or -2."
                row.append(number)
            if all(v is None for v in row):
                continue
            if any(v is None for v in row):
                missing = self.columns[row.index(None)]
                return None, f"{self.row_label} {i}: {missing} is empty; fill in the whole row or none of it."
            rows.append(row)
        if not rows:
            return None, f"fill in at least one {self.row_label}."
        return np.array(rows, dtype=np.float64), None


class Shape(Field):
    """A shape such as (3, 5) or (5,): whole numbers separated by commas, brackets optional."""

    kind = "shape"

    def parse(self, raw):
        text = (raw.get(self.name) or "").strip()
        inner = re.sub(r"^[(\[]\s*|\s*[)\]]$", "", text)
        parts = [p.strip() for p in re.split(r"[,\s]+", inner) if p.strip() != ""]
        if not text or not parts or not all(re.fullmatch(r"[0-9]+", p) for p in parts):
            return None, f"{self.label}: write a shape as whole numbers in brackets, like (2, 7) or (7,)."
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
            return None, f"{self.label}: choose one of the options."
        return value, None


class Checks(_Options):
    """Any number of the options, as check boxes; the value is a 0/1 vector in option order."""

    kind = "checks"

    def parse(self, raw):
        picked = raw.get(self.name) or []
        return np.array([1.0 if v in picked else 0.0 for v, _ in self.options]), None


# -- rules and exercises --------------------------------------------------------------------------

class Rule:
    """When `when` holds (an expression; None: always), the verdict is `message` (a template), right if `ok`."""

    def __init__(self, when, message, ok=False):
        self.when_source, self.message_source, self.ok = when, message, ok
        self.when = parse(when) if when is not None else None
        self.message = parse_template(message)

    def spec(self):
        return {"when": self.when, "message": self.message, "ok": self.ok}


def Right(when, message):
    return Rule(when, message, ok=True)


def NotYet(when, message):
    return Rule(when, message, ok=False)


def _json_constant(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError("constants must be finite numbers")
    return array.tolist()


class Exercise:
    """One exercise, defined once: its fields, constants, derived values, rules, solution.

    id:        unique on the page and in the browser's progress store, e.g. "ch01-switch"
    chapter:   "ch01" ... (progress is kept per chapter)
    title:     a short name shown on the form ("Exercise 1: a sigmoid that switches at 2")
    fields:    the answers asked for (Number, Vector, Matrix, Table, Shape, Choice, Checks)
    constants: {name: number, array or string} the rules may read (rounded, computed once in Python)
    values:    {name: expression} derived values, computed when a rule or message first needs them
    rules:     [Rule, ...] in order; the first whose condition holds decides; the last has when=None
    solution:  HTML of a worked solution, shown in the page only after two wrong tries (or without JS,
               in a closed <details>)
    answers:   {field input key: text} a right answer as typed into the form (tests fill the form with it)
    starter:   {field input key: text} the notebook's starter answer (wrong; its reply must not give anything away)
    secrets:   strings that give the answer away; the page's visible text must not hold them before reveal
    intro:     optional HTML shown above the fields (e.g. the data a form-only variant of the exercise needs)
    """

    def __init__(self, id, chapter, title, fields, rules, *, constants=None, values=None, solution="",
                 answers=None, starter=None, secrets=(), intro="", params=None):
        self.id, self.chapter, self.title = id, chapter, title
        self.fields = list(fields)
        self.constants = {k: _json_constant(v) for k, v in (constants or {}).items()}
        self.values = {k: parse(v) for k, v in (values or {}).items()}
        self.rules = list(rules)
        self.params = dict(params or {})
        self.solution, self.answers, self.secrets, self.intro = solution, dict(answers or {}), list(secrets), intro
        self.starter = dict(starter or {})
        if not self.rules or self.rules[-1].when is not None:
            raise ValueError(f"exercise {id}: the last rule must have when=None (it decides when nothing else does)")
        known = ({f.name for f in self.fields} | set(self.constants) | set(self.values) | set(self.params)
                 | {"inf"})
        for tree in [r.when for r in self.rules if r.when] + list(self.values.values()) + [
                p[0] for r in self.rules for p in r.message if not isinstance(p, str)]:
            unknown = _names(tree) - known
            if unknown:
                raise ValueError(f"exercise {id}: unknown name(s) {', '.join(sorted(unknown))} in a rule")

    def __repr__(self):
        return f"<Exercise {self.id}: {self.title} (answer form; in a notebook, use the checker in the cell above)>"

    # -- checking
    def _env(self, answers, params):
        cache = {}

        def env(name):
            if name in answers:
                return answers[name]
            if name in params:
                value = params[name]
                return value if isinstance(value, str) else _num(np.asarray(value, dtype=np.float64))
            if name in self.constants:
                value = self.constants[name]
                if isinstance(value, str) or (isinstance(value, list) and value and isinstance(value[0], str)):
                    return value
                return _num(np.asarray(value, dtype=np.float64))
            if name == "inf":
                return math.inf
            if name in self.values:
                if name not in cache:
                    cache[name] = None  # a value that needs itself is an error, not a hang
                    cache[name] = evaluate(self.values[name], env)
                if cache[name] is None:
                    raise ExpressionError(f"value {name!r} depends on itself")
                return cache[name]
            raise ExpressionError(f"unknown name {name!r}")

        return env

    def check(self, **answers):
        """The verdict on typed answers (numbers, numpy arrays, strings), by the rules; a `Feedback`."""
        missing = [f.name for f in self.fields if f.name not in answers]
        if missing:
            raise TypeError(f"exercise {self.id}: missing answer(s) {', '.join(missing)}")
        unknown = sorted(set(answers) - {f.name for f in self.fields} - set(self.params))
        if unknown:
            raise TypeError(f"exercise {self.id}: no field named {', '.join(unknown)}; "
                            f"the fields are {', '.join(f.name for f in self.fields)}")
        params = {**self.params, **{k: answers.pop(k) for k in list(answers) if k in self.params}}
        values = {k: (v if isinstance(v, str) else _num(np.asarray(v, dtype=np.float64))) for k, v in answers.items()}
        env = self._env(values, params)
        for rule in self.rules:
            if rule.when is None or _truth(evaluate(rule.when, env)):
                return Feedback(rule.ok, render(rule.message, env))
        raise AssertionError("unreachable: the last rule always fires")  # pragma: no cover

    def check_form(self, raw):
        """The verdict on the texts typed into the form ({input key: text}; check boxes: {name: [values]})."""
        values = {}
        for field in self.fields:
            value, problem = field.parse(raw)
            if problem:
                return Feedback(False, problem)
            values[field.name] = value
        return self.check(**values)

    # -- the static face
    def spec(self):
        return {"id": self.id, "chapter": self.chapter, "title": self.title,
                "fields": [f.spec() for f in self.fields], "constants": self.constants,
                "params": self.params, "values": self.values, "rules": [r.spec() for r in self.rules]}

    chapter_total = None

    def to_html(self):
        from ..explore._base import script_block

        return render_form(self, script_block(("nn.js", "exercises.js"), "nnlibExercises.boot();"),
                           self.chapter_total)

    def _repr_html_(self):
        return self.to_html()


def _input(key, label, uid, note=""):
    ident = f"{uid}-{re.sub(r'[^A-Za-z0-9]+', '-', key).strip('-')}"
    return (f'<span class="nnx-ex-cell"><label for="{ident}">{html.escape(label)}</label>'
            f'<input id="{ident}" name="{html.escape(key)}" type="text" inputmode="decimal" autocomplete="off"'
            f' spellcheck="false" size="7"{note}></span>')


def _field_html(field, uid):
    label = html.escape(field.label)
    if isinstance(field, (Choice, Checks)):
        kind = "radio" if isinstance(field, Choice) else "checkbox"
        boxes = "".join(
            f'<label class="nnx-ex-option"><input type="{kind}" name="{html.escape(field.name)}" '
            f'value="{html.escape(v)}"> {html.escape(t)}</label>' for v, t in field.options)
        return f'<fieldset class="nnx-ex-field"><legend>{label}</legend>{boxes}</fieldset>'
    if isinstance(field, Shape):
        ident = f"{uid}-{field.name}"
        return (f'<div class="nnx-ex-field"><label for="{ident}">{label}</label> <input id="{ident}" '
                f'name="{html.escape(field.name)}" type="text" autocomplete="off" spellcheck="false" size="9" '
                f'placeholder="(2, 7)"></div>')
    if isinstance(field, Number):
        return f'<div class="nnx-ex-field">{_input(field.name, field.label, uid)}</div>'
    if isinstance(field, Table):
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in field.columns)
        rows = ""
        for i in range(field.max_rows):
            cells = ""
            for c in field.columns:
                key = f"{field.name}[{i}].{c}"
                ident = f"{uid}-{field.name}-{i}-{c}"
                cells += (f'<td><input id="{ident}" name="{html.escape(key)}" type="text" inputmode="decimal" '
                          f'autocomplete="off" spellcheck="false" size="5" '
                          f'aria-label="{html.escape(field.row_label)} {i}: {html.escape(c)}"></td>')
            rows += f'<tr><th scope="row">{html.escape(field.row_label)} {i}</th>{cells}</tr>'
        optional = " (leave rows you do not need empty)"
        return (f'<fieldset class="nnx-ex-field"><legend>{label}{optional}</legend><table class="nnx-ex-table">'
                f'<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table></fieldset>')
    cells = "".join(_input(key, lab, uid) for key, lab in field.inputs())
    note = " (optional)" if field.optional else ""
    cls = " nnx-ex-grid" if isinstance(field, Matrix) else ""
    style = f' style="--nnx-ex-cols:{field.cols}"' if isinstance(field, Matrix) else ""
    return (f'<fieldset class="nnx-ex-field"><legend>{label}{note}</legend>'
            f'<div class="nnx-ex-cells{cls}"{style}>{cells}</div></fieldset>')


_CSS = """
.nnx-ex{border:1px solid #8a8a8a;border-radius:6px;padding:.6em .9em;margin:1em 0;max-width:46em}
.nnx-ex h4{margin:.1em 0 .4em;font-size:1em;color:inherit}
.nnx-ex form{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:flex-end}
.nnx-ex fieldset{border:0;padding:0;margin:0;min-width:0}
.nnx-ex legend{padding:0;font-weight:600}
.nnx-ex .nnx-ex-cells{display:flex;flex-wrap:wrap;gap:.3em .6em}
.nnx-ex .nnx-ex-grid{display:grid;grid-template-columns:repeat(var(--nnx-ex-cols),auto);gap:.3em .6em}
.nnx-ex .nnx-ex-cell{display:inline-flex;flex-direction:column;font-size:.9em}
.nnx-ex input[type=text]{font:inherit;padding:.25em .35em;max-width:7.5em;min-height:2em}
.nnx-ex .nnx-ex-table td,.nnx-ex .nnx-ex-table th{padding:.1em .3em;border:0;font-size:.9em}
.nnx-ex .nnx-ex-table input[type=text]{max-width:5em}
.nnx-ex .nnx-ex-option{display:inline-block;margin-right:.8em;min-height:2em}
.nnx-ex button{font:inherit;padding:.3em .9em;min-height:2.2em;cursor:pointer}
.nnx-ex .nnx-ex-verdict{margin:.5em 0 .2em;min-height:1.4em}
.nnx-ex .nnx-ex-verdict.ok{border-left:4px solid #009E73;padding-left:.5em}
.nnx-ex .nnx-ex-verdict.no{border-left:4px solid #D55E00;padding-left:.5em}
.nnx-ex .nnx-ex-progress{font-size:.9em;margin:.3em 0 0;display:flex;flex-wrap:wrap;gap:.3em 1em;align-items:center}
.nnx-ex .nnx-ex-progress button{font-size:.85em;padding:.1em .6em;min-height:1.8em}
.nnx-ex .nnx-ex-intro table{border-collapse:collapse;font-size:.9em}
.nnx-ex .nnx-ex-intro td,.nnx-ex .nnx-ex-intro th{border:1px solid #aaa;padding:.1em .4em;text-align:right}
""".strip()


def render_form(exercise, script, chapter_total=None):
    """The static face of one exercise: a labelled form, its JSON spec, the hidden solution and the script.

    With JavaScript off: the question stays readable (it is in the text above), a note says checking needs
    JavaScript or the notebook, and the solution is in a closed <details> inside <noscript>. With JavaScript
    on, <noscript> is not rendered, and the solution sits in a <template> until two wrong tries.
    """
    from ..explore._base import CSS_MARK

    uid = f"nnx-ex-{exercise.id}"
    spec = json.dumps({**exercise.spec(), "total": chapter_total}, separators=(",", ":"), ensure_ascii=False)
    spec = spec.replace("</", "<\\/")
    fields = "".join(_field_html(f, uid) for f in exercise.fields)
    intro = f'<div class="nnx-ex-intro">{exercise.intro}</div>' if exercise.intro else ""
    return (
        f'<section class="nnx-ex" id="{uid}" data-exercise="{html.escape(exercise.id)}" '
        f'data-chapter="{html.escape(exercise.chapter)}" aria-labelledby="{uid}-title">'
        f"<style>{CSS_MARK}{_CSS}</style>"
        f'<h4 id="{uid}-title">{html.escape(exercise.title)}</h4>{intro}'
        f'<form class="nnx-ex-form" novalidate autocomplete="off">{fields}'
        f'<div class="nnx-ex-field"><button type="submit">Check</button></div></form>'
        f'<p class="nnx-ex-verdict" role="status" aria-live="polite"></p>'
        f'<p class="nnx-ex-nojs"><em>Checking an answer here needs JavaScript; in the notebook, the checker in '
        f"the cell above does it.</em></p>"
        f'<div class="nnx-ex-after" hidden><button type="button" class="nnx-ex-reveal">Show a worked solution'
        f'</button><div class="nnx-ex-solution" tabindex="-1"></div></div>'
        f'<p class="nnx-ex-progress" hidden></p>'
        f'<template class="nnx-ex-solution-text">{exercise.solution}</template>'
        # Without JavaScript the fields could not be checked: show the question's note and solution only.
        f"<noscript><style>#{uid} form{{display:none}}</style>"
        f"<details><summary>Worked solution</summary>{exercise.solution}</details></noscript>"
        f'<script type="application/json" class="nnx-ex-spec">{spec}</script>'
        f"{script}</section>"
    )


def chapter(*exercises):
    """The exercises of one chapter, in order; each form then shows the chapter's progress out of len(...)."""
    for exercise in exercises:
        exercise.chapter_total = len(exercises)
    return list(exercises)
