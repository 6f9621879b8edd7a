"""What a chapter module writes its exercises with, in one import:

    from .rules import Exercise, Number, Vector, Right, NotYet, chapter

The pieces live in language.py (the expression language, specified in LANGUAGE.md), fields.py (what a
reader types), exercise.py (fields + ordered rules) and form.py (the book's answer form, with exercises.js).
"""

from .exercise import Exercise, NotYet, Right, Rule, chapter
from .fields import Checks, Choice, Matrix, Number, Shape, Table, Vector
from .language import ExpressionError

__all__ = [
    "Exercise",
    "NotYet",
    "Right",
    "Rule",
    "chapter",
    "Checks",
    "Choice",
    "Matrix",
    "Number",
    "Shape",
    "Table",
    "Vector",
    "ExpressionError",
]
