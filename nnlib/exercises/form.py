"""The static face of an exercise: its answer form as HTML, from the pieces of form.html and form.css.

render_form(exercise) gives one <section>: the labelled fields, the verdict line, the hidden solution, the
exercise's JSON spec and the script (nn.js and exercises.js) that checks typed answers with the same rules
as Python. Without JavaScript the question stays readable, a note says checking needs JavaScript or the
notebook, and the solution is in a closed <details> inside <noscript>. With JavaScript on, the solution sits
in a <template> until two wrong tries.
"""

import functools
import html
import json
import re
from importlib import resources
from string import Template

from ..i18n import N_, catalogue_script, translate_html
from .fields import Checks, Choice, Matrix, Number, Shape, Table


def _text(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _pieces():
    """{name: Template} from form.html: each piece's lines joined without their indentation."""
    pieces, name, lines = {}, None, []
    for line in _text("form.html").splitlines():
        start = re.match(r"<!-- template ([\w-]+)", line)
        if start or line.startswith("<!--"):
            if name:
                pieces[name] = Template("".join(lines))
            name, lines = (start.group(1) if start else None), []
        elif name and line.strip():
            lines.append(line.strip())
    if name:
        pieces[name] = Template("".join(lines))
    return pieces


def _fill(piece, **values):
    """A piece of form.html with `values` put in; plain strings are escaped, html.escape'd Markup is not."""
    return _pieces()[piece].substitute(
        {k: v if isinstance(v, _Markup) else html.escape(str(v)) for k, v in values.items()}
    )


class _Markup(str):
    """HTML that goes into a template as it is (other pieces, the solution the exercise wrote)."""


def _ident(uid, key):
    return f"{uid}-{re.sub(r'[^A-Za-z0-9]+', '-', key).strip('-')}"


def _field_html(field, uid):
    if isinstance(field, (Choice, Checks)):
        kind = "radio" if isinstance(field, Choice) else "checkbox"
        options = "".join(_fill("option", type=kind, name=field.name, value=v, text=t) for v, t in field.options)
        return _fill("options", label=field.label, options=_Markup(options))
    if isinstance(field, Shape):
        return _fill("shape", ident=f"{uid}-{field.name}", label=field.label, name=field.name)
    if isinstance(field, Number):
        return _fill(
            "number", cell=_Markup(_fill("cell", ident=_ident(uid, field.name), key=field.name, label=field.label))
        )
    if isinstance(field, Table):
        head = "".join(_fill("column", column=c) for c in field.columns)
        rows = "".join(
            _fill(
                "row",
                row=N_("{row} {i}", row=field.row_label, i=i),
                cells=_Markup(
                    "".join(
                        _fill(
                            "table-cell",
                            ident=f"{uid}-{field.name}-{i}-{c}",
                            key=f"{field.name}[{i}].{c}",
                            row=N_("{row} {i}", row=field.row_label, i=i),
                            column=c,
                        )
                        for c in field.columns
                    )
                ),
            )
            for i in range(field.max_rows)
        )
        return _fill("table", label=field.label, head=_Markup(head), rows=_Markup(rows))
    cells = "".join(_fill("cell", ident=_ident(uid, key), key=key, label=label) for key, label in field.inputs())
    matrix = isinstance(field, Matrix)
    return _fill(
        "cells",
        label=field.label,
        note=_Markup(" <span data-i18n>(optional)</span>" if field.optional else ""),
        grid=" nnx-ex-grid" if matrix else "",
        style=_Markup(f' style="--nnx-ex-cols:{field.cols}"' if matrix else ""),
        cells=_Markup(cells),
    )


def _css():
    from ..explore._face import CSS_MARK

    css = "\n".join(line for line in _text("form.css").splitlines() if line and not line.startswith(("/*", "  ")))
    return CSS_MARK + css


def script():
    """The <script> of a form: nn.js (formatting, sigmoid) and exercises.js, one bundle (nnlib/explore/dist/
    exercises-form.js) between nbval's markers, then the boot call."""
    from ..explore._face import script_block

    return script_block(("nn.js", "exercises.js"), "nnlibExercises.boot();")


def render_form(exercise):
    """The static face of one exercise: a labelled form, its JSON spec, the hidden solution and the script."""
    uid = f"nnx-ex-{exercise.id}"
    spec = json.dumps(
        {**exercise.spec(), "total": exercise.chapter_total}, separators=(",", ":"), ensure_ascii=False
    ).replace("</", "<\\/")
    intro = _fill("intro", html=_Markup(exercise.intro)) if exercise.intro else ""
    # Rendered in English, then the marked words (data-i18n) put in nnlib's language (nnlib.i18n): the same
    # function translates the English forms stored in the notebooks when the Japanese book is built.
    return translate_html(
        _fill(
            "form",
            uid=uid,
            id=exercise.id,
            chapter=exercise.chapter,
            title=exercise.title,
            css=_Markup(_css()),
            intro=_Markup(intro),
            fields=_Markup("".join(_field_html(f, uid) for f in exercise.fields)),
            solution=_Markup(exercise.solution),
            spec=_Markup(spec),
            script=_Markup(catalogue_script() + script()),
        )
    )
