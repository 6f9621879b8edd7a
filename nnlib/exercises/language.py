"""The exercise language: parse an expression into a JSON tree, evaluate a tree, render a message template.

The language is specified in LANGUAGE.md (next to this file); exercises.js is its second interpreter, for
the book's pages. Both follow that page, and tests/test_exercises_language.py holds them to each other on
random expression trees and environments (Hypothesis, in Node and in Chromium).

Python values: a number is a float (or a bool, which counts as 1 / 0), a string a str, a vector a 1-d and
a matrix a 2-d float64 ndarray, a list of strings a Python list of str. Every failure is an ExpressionError.
"""

import ast
import math
import re

import numpy as np

from ..i18n import gettext

FUNCTIONS = {
    # name: (min args, max args)
    "abs": (1, 1),
    "sqrt": (1, 1),
    "tanh": (1, 1),
    "sigmoid": (1, 1),
    "relu": (1, 1),
    "sum": (1, 1),
    "min": (1, 9),
    "max": (1, 9),
    "argmax": (1, 1),
    "all": (1, 1),
    "any": (1, 1),
    "len": (1, 1),
    "dot": (2, 2),
    "det": (1, 1),
    "outer": (2, 2),
    "col": (2, 2),
    "T": (1, 1),
    "where": (3, 3),
    "linspace": (3, 3),
    "round": (2, 2),
    "pick": (2, 2),
}
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
# Format specs that nn.js's format() reproduces exactly: [+][.N](f|g|%), N at most 20.
_SPEC = re.compile(r"^\+?(\.([0-9]|1[0-9]|20))?[fg%]$")
MAX_LINSPACE = 100_000  # linspace's n: a grid for a check, not a way to fill the reader's memory
MAX_ROUND_DECIMALS = 15  # round(x, d): float64 holds about 15-17 significant digits


class ExpressionError(ValueError):
    """An expression outside the language, or one that cannot be evaluated (an index out of range, ...)."""


# -- parsing: Python's own parser, then a whitelist of node types ----------------------------------------


def parse(source):
    """The JSON tree of one expression, e.g. "w / 4" -> ["bin", "/", ["name", "w"], ["num", 4.0]]."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as err:
        raise ExpressionError(f"cannot parse {source!r}: {err.msg}") from None
    return _node(tree, source)


def _node(n, source):
    def sub(v):
        return _node(v, source)

    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
        return ["num", float(n.value)]
    if isinstance(n, ast.Constant) and isinstance(n.value, str):
        return ["str", n.value]
    if isinstance(n, ast.Name):
        return ["name", n.id]
    if isinstance(n, ast.BinOp) and type(n.op) in _BINARY:
        return ["bin", _BINARY[type(n.op)], sub(n.left), sub(n.right)]
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
        return ["neg", sub(n.operand)]
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
        return ["not", sub(n.operand)]
    if isinstance(n, ast.BoolOp):
        return ["and" if isinstance(n.op, ast.And) else "or", [sub(v) for v in n.values]]
    if isinstance(n, ast.Compare) and len(n.ops) == 1 and type(n.ops[0]) in _COMPARE:
        return ["cmp", _COMPARE[type(n.ops[0])], sub(n.left), sub(n.comparators[0])]
    if isinstance(n, ast.Compare) and len(n.ops) > 1:
        raise ExpressionError(f"write a chained comparison as two joined by 'and' (a < b and b < c), in {source!r}")
    if isinstance(n, ast.IfExp):
        return ["if", sub(n.test), sub(n.body), sub(n.orelse)]
    if isinstance(n, ast.List):
        return ["list", [sub(v) for v in n.elts]]
    if isinstance(n, ast.Subscript):
        index = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
        return ["index", sub(n.value), [sub(i) for i in index]]
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and not n.keywords:
        if n.func.id not in FUNCTIONS:
            raise ExpressionError(f"unknown function {n.func.id!r} in {source!r}; known: {', '.join(FUNCTIONS)}")
        low, high = FUNCTIONS[n.func.id]
        if not low <= len(n.args) <= high:
            raise ExpressionError(f"{n.func.id}() takes {low}..{high} arguments, in {source!r}")
        return ["call", n.func.id, [sub(a) for a in n.args]]
    raise ExpressionError(f"{type(n).__name__} is not part of the exercise language, in {source!r}")


def names(tree):
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


# -- values ----------------------------------------------------------------------------------------------


def value(v):
    """A value of the language from Python data: str, a list of str, or numbers (a float or an array)."""
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)) and v and all(isinstance(s, str) for s in v):
        return list(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    array = np.asarray(v, dtype=np.float64)
    if array.ndim > 2:
        raise ExpressionError(f"values are numbers, vectors or matrices, not arrays of shape {array.shape}")
    return _out(array)


def _out(array):
    """A float for a 0-d result; vectors and matrices stay arrays (a matrix has at least one row and column)."""
    if array.ndim == 0:
        return float(array)
    if array.ndim == 2 and 0 in array.shape:
        raise ExpressionError(f"a matrix needs at least one row and one column, got shape {array.shape}")
    return array


def _is_strings(v):
    return isinstance(v, list)


def _numeric(v, what):
    """v as a float64 array (0-d for a number); strings are refused."""
    if isinstance(v, str) or _is_strings(v):
        raise ExpressionError(f"{what} takes numbers, not {v!r}")
    return np.asarray(v, dtype=np.float64)


def _scalar(v, what):
    array = _numeric(v, what)
    if array.ndim:
        raise ExpressionError(f"{what} takes a number, not an array of shape {array.shape}")
    return float(array)


def _whole(v, what, low, high):
    x = _scalar(v, what)
    if not (math.isfinite(x) and x.is_integer() and low <= x <= high):
        raise ExpressionError(f"{what} needs a whole number from {low} to {high}, got {x!r}")
    return int(x)


def _flat(v, what):
    """The numbers of v in order (a number counts as a vector of one; a matrix row by row)."""
    return _numeric(v, what).ravel().tolist()


def _fit(op, *shapes):
    """The shape of an elementwise result: equal shapes, a number with anything, a vector with a matrix's rows."""
    real = [s for s in shapes if s]
    if not real:
        return ()
    out = max(real, key=len)
    for s in real:
        if s != out and not (len(s) == 1 and len(out) == 2 and s[0] == out[1]):
            raise ExpressionError(f"shapes {' and '.join(str(x) for x in shapes)} do not fit for {op}")
    return out


def truth(v):
    """A condition's truth: a number is true unless it is 0 (NaN is true); a string unless it is empty."""
    if isinstance(v, str):
        return v != ""
    if _is_strings(v) or (isinstance(v, np.ndarray) and v.ndim > 0):
        raise ExpressionError("a condition on an array is ambiguous: use any(...) or all(...)")
    return bool(v != 0)


# -- operators -------------------------------------------------------------------------------------------

_ARITH = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}
_ORDER = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def _binary(op, a, b):
    if op == "@":
        return _matmul(a, b)
    x, y = _numeric(a, op), _numeric(b, op)
    _fit(op, x.shape, y.shape)
    with np.errstate(all="ignore"):
        return _out(_ARITH[op](x, y))


def _matmul(a, b):
    """u @ v, summing in index order (the order exercises.js adds in)."""
    x, y = _numeric(a, "@"), _numeric(b, "@")
    if x.ndim == 0 or y.ndim == 0 or x.shape[-1] != y.shape[0]:
        raise ExpressionError(f"@ needs shapes (.., k) and (k, ..), got {x.shape} and {y.shape}")
    rows = x if x.ndim == 2 else x[None, :]
    out = np.zeros((rows.shape[0],) + y.shape[1:])
    with np.errstate(all="ignore"):
        for k in range(rows.shape[1]):
            out = out + (rows[:, k, None] * y[k] if y.ndim == 2 else rows[:, k] * y[k])
    return _out(out[0] if x.ndim == 1 else out)


def _compare(op, a, b):
    if isinstance(a, str) or isinstance(b, str):
        if op not in ("==", "!=") or _is_strings(a) or _is_strings(b):
            raise ExpressionError(f"a string can only be compared with == and !=, not {op}")
        same = isinstance(a, str) and isinstance(b, str) and a == b
        return same == (op == "==")
    x, y = _numeric(a, op), _numeric(b, op)
    _fit(op, x.shape, y.shape)
    out = _ORDER[op](x, y)
    return bool(out) if out.ndim == 0 else out.astype(np.float64)


# -- functions -------------------------------------------------------------------------------------------


def _sigmoid(a):
    e = math.exp(-abs(a))  # nn.js's formula: exp(-|a|) never overflows
    return (1.0 if a >= 0 else e) / (1 + e)


def _tanh(a):
    return math.tanh(a) if not math.isnan(a) else a


# tanh and exp come from the C library, one number at a time: numpy's vectorised versions pick a code path
# by CPU and may differ from it (and from JavaScript's Math) in the last bit.
_ELEMENTWISE = {
    "abs": np.abs,
    "sqrt": np.sqrt,
    "tanh": np.vectorize(_tanh, otypes=[np.float64]),
    "sigmoid": np.vectorize(_sigmoid, otypes=[np.float64]),
    "relu": lambda x: np.where(x > 0, x, 0.0),
}


def _extreme(values, better):
    """The first value no other beats; NaN if there is one (numpy's rule)."""
    best = values[0]
    for v in values:
        if math.isnan(v):
            return v
        if better(v, best):
            best = v
    return best


def _det(m):
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] > 3:
        raise ExpressionError(f"det() takes a square matrix of size 1..3, got shape {m.shape}")
    if m.shape[0] == 1:
        return float(m[0, 0])
    if m.shape[0] == 2:
        return float(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0])
    return float(
        m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
        - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
        + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0])
    )


def _call(name, args):
    what = f"{name}()"
    if name in _ELEMENTWISE:
        with np.errstate(all="ignore"):
            return _out(_ELEMENTWISE[name](_numeric(args[0], what)))
    if name in ("min", "max") and len(args) > 1:
        values = [_scalar(a, what) for a in args]
        return _extreme(values, (lambda v, b: v < b) if name == "min" else (lambda v, b: v > b))
    x = args[0]
    if name == "len":
        if isinstance(x, str) or _is_strings(x):
            raise ExpressionError("len() takes a number, vector or matrix")
        return float(len(x)) if isinstance(x, np.ndarray) else 1.0
    if name in ("sum", "min", "max", "argmax", "all", "any"):
        flat = _flat(x, what)
        if name == "sum":
            total = 0.0
            for v in flat:  # left to right, as exercises.js adds (numpy's pairwise sum differs in the last digit)
                total += v
            return total
        if name == "all":
            return all(v != 0 for v in flat)
        if name == "any":
            return any(v != 0 for v in flat)
        if not flat:
            raise ExpressionError(f"{what} of an empty vector")
        if name == "argmax":
            nan = [i for i, v in enumerate(flat) if math.isnan(v)]
            return float(nan[0] if nan else flat.index(_extreme(flat, lambda v, b: v > b)))
        return _extreme(flat, (lambda v, b: v < b) if name == "min" else (lambda v, b: v > b))
    if name == "dot":
        return _matmul(args[0], args[1])
    if name == "det":
        return _det(_numeric(x, what))
    if name == "outer":
        u, v = _numeric(args[0], what), _numeric(args[1], what)
        if u.ndim > 1 or v.ndim > 1:
            raise ExpressionError("outer() takes numbers or vectors")
        with np.errstate(all="ignore"):
            return _out(np.outer(u, v))
    if name in ("col", "T"):
        m = _numeric(x, what)
        if m.ndim != 2:
            raise ExpressionError(f"{what} takes a matrix")
        if name == "T":
            return m.T.copy()
        return m[:, _whole(args[1], "col()'s column", 0, m.shape[1] - 1)].copy()
    if name == "where":
        c, a, b = (_numeric(v, what) for v in args)
        _fit(what, c.shape, a.shape, b.shape)
        return _out(np.where(c != 0, a, b))
    if name == "linspace":
        start, stop = _scalar(args[0], what), _scalar(args[1], what)
        n = _whole(args[2], "linspace()'s count", 2, MAX_LINSPACE)
        with np.errstate(all="ignore"):
            out = np.arange(n) * ((stop - start) / (n - 1)) + start
        out[-1] = stop
        return out
    if name == "round":
        number, decimals = _scalar(x, what), _whole(args[1], "round()'s decimals", 0, MAX_ROUND_DECIMALS)
        return float(format(number, f".{decimals}f")) if math.isfinite(number) else number
    if name == "pick":
        mask, options = _flat(x, what), args[1]
        if not _is_strings(options):
            raise ExpressionError("pick() takes a mask and a list of strings")
        return ", ".join(o for m, o in zip(mask, options) if m != 0)
    raise ExpressionError(f"unknown function {name!r}")  # pragma: no cover - parse() refuses these


def _index(v, i):
    position = _whole(i, "an index", 0, math.inf)
    if isinstance(v, str) or not (_is_strings(v) or (isinstance(v, np.ndarray) and v.ndim > 0)):
        raise ExpressionError("only vectors, matrices and lists of strings can be indexed")
    if position >= len(v):
        raise ExpressionError(f"index {i!r} is out of range for length {len(v)}")
    item = v[position]
    return item if isinstance(item, str) else _out(np.array(item, dtype=np.float64))


def _list(items):
    if any(isinstance(i, str) or _is_strings(i) for i in items):
        raise ExpressionError("lists hold numbers or vectors, not strings")
    arrays = [np.asarray(i, dtype=np.float64) for i in items]
    ranks = {a.ndim for a in arrays}
    if ranks <= {0}:
        return np.array(arrays, dtype=np.float64).reshape(len(arrays))
    if ranks == {1} and len({a.shape for a in arrays}) == 1:
        return _out(np.array(arrays, dtype=np.float64))
    raise ExpressionError("a list holds numbers, or vectors of one length (the rows of a matrix)")


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
        return _out(-_numeric(evaluate(tree[1], env), "unary -"))
    if kind == "not":
        return not truth(evaluate(tree[1], env))
    if kind in ("and", "or"):
        for part in tree[1]:
            if truth(evaluate(part, env)) == (kind == "or"):
                return kind == "or"
        return kind == "and"
    if kind == "cmp":
        return _compare(tree[1], evaluate(tree[2], env), evaluate(tree[3], env))
    if kind == "if":
        return evaluate(tree[2], env) if truth(evaluate(tree[1], env)) else evaluate(tree[3], env)
    if kind == "list":
        return _list([evaluate(t, env) for t in tree[1]])
    if kind == "index":
        v = evaluate(tree[1], env)
        for i in tree[2]:
            v = _index(v, evaluate(i, env))
        return v
    if kind == "call":
        return _call(tree[1], [evaluate(a, env) for a in tree[2]])
    raise ExpressionError(f"unknown node {kind!r}")


# -- message templates: "slope {w / 4:.4g}" --------------------------------------------------------------

_TEMPLATE_PART = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


def parse_template(text):
    """A list of literal strings and [expression tree, spec] pairs."""
    parts, pos = [], 0
    for m in _TEMPLATE_PART.finditer(text):
        parts.append(text[pos : m.start()])
        pos = m.end()
        if m.group(0) in ("{{", "}}"):
            parts.append(m.group(0)[0])
            continue
        body = m.group(1)
        # The language has no ':' (no slices, dicts or lambdas), so a colon always starts the format spec.
        expr, _, spec = body.rpartition(":") if ":" in body else (body, "", "")
        if spec and not _SPEC.match(spec):
            raise ExpressionError(f"format spec {spec!r} in {text!r}: use [+][.N](f|g|%), N at most 20")
        parts.append([parse(expr), spec])
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


def format_value(v, spec):
    """v as a message shows it: numbers with a Python format spec (default "g"), arrays as [a, b]."""
    if isinstance(v, str):
        return gettext(v)  # a word a message picks ('rises'), in nnlib's language
    if _is_strings(v):
        raise ExpressionError("a list of strings cannot be shown; pick() some of them")
    if isinstance(v, np.ndarray) and v.ndim > 0:
        return "[" + ", ".join(format_value(_out(np.asarray(x)), spec) for x in v) + "]"
    return format(float(v), spec or "g")


def render(template, env):
    """The text of a parsed template, its expressions evaluated in env."""
    return "".join(p if isinstance(p, str) else format_value(evaluate(p[0], env), p[1]) for p in template)
