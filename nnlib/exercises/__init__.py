"""Checkers for the chapters' exercises: each answers in one friendly line.

A checker returns a `Feedback`, which prints as one line in a notebook and is truthy when
the answer is right, so the tests can assert on it:

    >>> from nnlib.exercises import ch01
    >>> ch01.check_switch_at_two(w=1.0, b=2.0)      # doctest: +SKIP
    ✓ Right: ...

One module per chapter (ch01.py, ch02.py, ...). Each exercise is defined there once, as data: an
`Exercise` (exercise.py; chapters import it from rules.py) with its fields, its check as ordered rules and its hints. The checker functions
validate their arguments and ask the exercise for the verdict; in the book, `Exercise.to_html()` renders
an answer form whose script (nnlib/exercises/exercises.js) applies the same rules in the page, so a typed
answer gets the same one-line verdict in both. `chNN.EXERCISES` lists a chapter's exercises in order.
"""


class Feedback:
    """The verdict on one answer: `ok` (bool) and one line for the reader."""

    def __init__(self, ok, message):
        self.ok = bool(ok)
        self.message = message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        # ✓ and ✗ are in the common text fonts (DejaVu, Liberation), unlike emoji, so they show everywhere.
        from ..i18n import gettext

        return f"{gettext('✓ Right') if self.ok else gettext('✗ Not yet')}: {self.message}"

    def _repr_html_(self):
        # Colour is not the only signal: the words "Right" / "Not yet" carry the verdict.
        import html

        colour = "#009E73" if self.ok else "#D55E00"
        return (
            f'<p role="status" style="border-left:4px solid {colour};padding-left:0.6em">{html.escape(repr(self))}</p>'
        )


def right(message):
    return Feedback(True, message)


def not_yet(message):
    return Feedback(False, message)
