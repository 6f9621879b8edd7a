"""An exercise as data: its fields, constants, derived values and a check written as ordered rules.

A rule is a condition and the one-line verdict it gives; the first rule whose condition holds decides.
Conditions, derived values and the `{...}` parts of messages are expressions of the exercise language
(language.py, specified in LANGUAGE.md). The same definition checks an answer in Python
(`Exercise.check(w=4, b=-8)`) and, rendered as a form (form.py), in the page (exercises.js).
"""

import math

import numpy as np

from ..i18n import gettext, language
from . import Feedback
from .fields import Matrix, Number, Vector, near_miss, number_word
from .language import ExpressionError, evaluate, names, parse, parse_template, render, truth, value


class Rule:
    """When `when` holds (an expression; None: always), the verdict is `message` (a template), right if `ok`."""

    def __init__(self, when, message, ok=False):
        self.when_source, self.message_source, self.ok = when, message, ok
        self.when = parse(when) if when is not None else None
        self.message = parse_template(message)

    def spec(self):
        # the English template too: the page looks its translation up (exercises.js, renderRule)
        return {"when": self.when, "message": self.message, "ok": self.ok, "source": self.message_source}

    def render(self, env):
        """The verdict's text in nnlib's language: the template's translation, its {...} parts the English ones."""
        translated = gettext(self.message_source) if language() != "en" else self.message_source
        template = self.message if translated == self.message_source else parse_template(translated)
        return render(template, env)


def Right(when, message):
    return Rule(when, message, ok=True)


def NotYet(when, message):
    return Rule(when, message, ok=False)


def _json_constant(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)) and v and all(isinstance(s, str) for s in v):
        return list(v)
    array = np.asarray(v, dtype=np.float64)
    if array.ndim > 2 or not np.all(np.isfinite(array)):
        raise ValueError("constants must be finite numbers, vectors or matrices, strings or lists of strings")
    return array.tolist()


def close_message(field, typed, decimals, given):
    """The verdict line of a near miss (the same words in exercises.js)."""
    if np.ndim(typed) == 0:
        return gettext(
            "close: give {n} decimals ({typed} is the answer rounded to {given}).",
            n=number_word(decimals),
            typed=format(float(typed), "g"),
            given=number_word(given),
        )
    return gettext(
        "close: give {n} decimals in every box of {label}.", n=number_word(decimals), label=gettext(field.label)
    )


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
    params:    {name: value} inputs the checker may pass besides the fields (with defaults for the page)

    A field with `close=(expression, decimals)` turns a "Not yet" for an answer that is the expression
    rounded to fewer decimals into "close: give N decimals" (a reader who copied a rounded printout).
    """

    chapter_total = None  # set by chapter(): each form shows the chapter's progress out of this many

    def __init__(
        self,
        id,
        chapter,
        title,
        fields,
        rules,
        *,
        constants=None,
        values=None,
        solution="",
        answers=None,
        starter=None,
        secrets=(),
        intro="",
        params=None,
    ):
        self.id, self.chapter, self.title = id, chapter, title
        self.fields = list(fields)
        self.constants = {k: _json_constant(v) for k, v in (constants or {}).items()}
        self.values = {k: parse(v) for k, v in (values or {}).items()}
        self.rules = list(rules)
        self.params = dict(params or {})
        self.solution, self.answers, self.secrets, self.intro = solution, dict(answers or {}), list(secrets), intro
        self.starter = dict(starter or {})
        self.close = {f.name: [parse(f.close[0]), int(f.close[1])] for f in self.fields if f.close}
        if any(f.close and type(f) not in (Number, Vector, Matrix) for f in self.fields):
            raise ValueError(f"exercise {id}: close=(answer, decimals) is for Number, Vector and Matrix fields")
        if not self.rules or self.rules[-1].when is not None:
            raise ValueError(f"exercise {id}: the last rule must have when=None (it decides when nothing else does)")
        known = {f.name for f in self.fields} | set(self.constants) | set(self.values) | set(self.params) | {"inf"}
        trees = (
            [r.when for r in self.rules if r.when]
            + list(self.values.values())
            + [p[0] for r in self.rules for p in r.message if not isinstance(p, str)]
            + [c[0] for c in self.close.values()]
        )
        for tree in trees:
            unknown = names(tree) - known
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
                return value(params[name])
            if name in self.constants:
                return value(self.constants[name])
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
        """The verdict on typed answers (numbers, numpy arrays, strings), by the rules; a `Feedback`.

        Raises TypeError for a missing or unknown answer and ValueError for a number that is not finite
        (the forms refuse those as they are typed; the chapters' checkers before they get here).
        """
        missing = [f.name for f in self.fields if f.name not in answers]
        if missing:
            raise TypeError(f"exercise {self.id}: missing answer(s) {', '.join(missing)}")
        unknown = sorted(set(answers) - {f.name for f in self.fields} - set(self.params))
        if unknown:
            raise TypeError(
                f"exercise {self.id}: no field named {', '.join(unknown)}; "
                f"the fields are {', '.join(f.name for f in self.fields)}"
            )
        params = {**self.params, **{k: answers.pop(k) for k in list(answers) if k in self.params}}
        values = {k: value(v) for k, v in answers.items()}
        for name, v in values.items():
            if not isinstance(v, (str, list)) and not np.all(np.isfinite(v)):
                raise ValueError(f"exercise {self.id}: {name} must hold finite numbers, got {v!r}")
        env = self._env(values, params)
        for rule in self.rules:
            if rule.when is None or truth(evaluate(rule.when, env)):
                if not rule.ok:
                    near = self._near_miss(values, env)
                    if near:
                        return Feedback(False, near)
                return Feedback(rule.ok, rule.render(env))
        raise AssertionError("unreachable: the last rule always fires")  # pragma: no cover

    def _near_miss(self, values, env):
        """The "close: give N decimals" line, if a wrong answer is a right one rounded to fewer decimals."""
        for field in self.fields:
            if field.name not in self.close:
                continue
            tree, decimals = self.close[field.name]
            typed = np.ravel(values[field.name]).tolist()
            target = np.ravel(np.asarray(evaluate(tree, env), dtype=np.float64)).tolist()
            if not typed or len(typed) != len(target):
                continue
            given = near_miss(typed, target, decimals)
            if given:
                return close_message(field, values[field.name], decimals, given)
        return None

    def check_form(self, raw):
        """The verdict on the texts typed into the form ({input key: text}; check boxes: {name: [values]})."""
        values = {}
        for field in self.fields:
            parsed, problem = field.parse(raw)
            if problem:
                return Feedback(False, problem)
            values[field.name] = parsed
        return self.check(**values)

    # -- the static face
    def spec(self):
        spec = {
            "id": self.id,
            "chapter": self.chapter,
            "title": self.title,
            "fields": [f.spec() for f in self.fields],
            "constants": self.constants,
            "params": self.params,
            "values": self.values,
            "rules": [r.spec() for r in self.rules],
        }
        return {**spec, "close": self.close} if self.close else spec

    def to_html(self):
        from .form import render_form

        return render_form(self)

    def _repr_html_(self):
        return self.to_html()


def chapter(*exercises):
    """The exercises of one chapter, in order; each form then shows the chapter's progress out of len(...)."""
    for exercise in exercises:
        exercise.chapter_total = len(exercises)
    return list(exercises)
