"""Graphviz pictures of neurons and networks, drawn from layer sizes or from a model's real weights.

    network_diagram([2, 3, 2])                 layers left to right: input, hidden, output
    network_diagram(model)                     the same from a Sequential, arrows coloured by its weights
    network_diagram([2, 3], labels="symbols")  the book's notation: w_12^(1) on the arrow from x2 to neuron 1
    neuron_diagram()                           x1, x2 and the constant 1 -> a -> h() -> y (one neuron)
    softmax_diagram(3)                         every a_k feeds every y_k

Each function returns a `Diagram`, a graphviz.Digraph that Jupyter shows as SVG, with a title and
a text description for screen readers (`.title`, `.description`; `role="img"`, `aria-label`,
<title> and <desc> in the SVG). `.svg()` gives the SVG text, identical from run to run; `.png(dpi)`
a PNG for print and PDF. Needs the graphviz Python package; Graphviz's programs draw the SVG when
they are installed, and where `dot` is missing nnlib draws it itself (`_draw_svg`, saying so once).

The layout is computed here, not by Graphviz's heuristics: neurons stay in index order, top to
bottom, and the picture does not change with the Graphviz version (only the drawing is Graphviz's).

Notation (the book's, "Deep Learning from Scratch" ch. 3): w_ji^(l) is the weight from neuron i of
layer l-1 to neuron j of layer l, so in Keras' layout it is W[i-1, j-1] of layer l's kernel.
"""

import difflib
import functools
import hashlib
import html
import math
import re
import sys

import numpy as np

try:
    import graphviz
except ImportError as err:  # pragma: no cover - depends on the installation
    raise ImportError(
        "nnlib.diagram needs the graphviz Python package and Graphviz itself: "
        "pip install graphviz (or pip install 'nnlib[explore]') and install Graphviz "
        "(apt install graphviz, brew install graphviz, conda install graphviz)"
    ) from err

# The course's colours, shared with the figures (nnlib.colors needs no matplotlib).
from .colors import NEGATIVE_COLOR, NEURON_COLORS, POSITIVE_COLOR  # noqa: E402  (shared with the figures)

# The words a diagram shows, in the reader's language (nnlib.i18n.set_language; English by default).
from .i18n.figures import figure_text as _t  # noqa: E402

INPUT_COLOR = "#555555"
OUTPUT_COLOR = "#000000"
EDGE_COLOR = "#444444"
BIAS_FILL = "#EEEEEE"
MUTED = "#999999"  # arrows of zero weight, and the arrows that stand for many
BOX_COLOR = "#BBBBBB"  # the frame around a layer
FONT = "Helvetica,Arial,sans-serif"

LABEL_CHOICES = ("auto", "values", "symbols", "none")
AUTO_LABEL_LIMIT = 20  # "auto" writes every weight only while there are at most this many to read

# Geometry in points (1/72 inch).
NODE = 36  # neuron diameter
ROW = 56  # vertical distance between neurons
ROW_LABELLED = 66
COLUMN = 170  # horizontal distance between layers
COLUMN_LABELLED = 210
BOX_WIDTH = 104
BOX_HEADER = 34  # room for the layer's name above its first neuron


class Diagram(graphviz.Digraph):
    """A graphviz Digraph with a title and a description, displayed as accessible SVG.

    Jupyter shows it as SVG (image/svg+xml), and as the same SVG inline in HTML (text/html), so
    that the built book keeps the title and description where screen readers find them (an
    <img> of an SVG file, how myst-nb shows image/svg+xml, hides them). `nodes` lists the neurons
    and other circles drawn (ids), `edges` the arrows as (tail, head, label) triples.
    """

    # Also put a PNG into the notebook output (for LaTeX/PDF builds, which cannot show SVG or HTML).
    include_png = False

    def __init__(self, *args, title="", description="", **kwargs):
        kwargs.setdefault("engine", "neato")
        # What was drawn, kept for nnlib's own renderer (used when Graphviz's programs are missing).
        self._defaults = {"graph": {}, "node": {}, "edge": {}}
        self._node_specs, self._edge_specs = [], []
        super().__init__(*args, **kwargs)
        self.title = title
        self.description = description
        self.nodes = []
        self.edges = []

    def attr(self, kw=None, _attributes=None, **attrs):
        super().attr(kw, _attributes=_attributes, **attrs)
        self._defaults[kw or "graph"].update(attrs)

    def node(self, name, label=None, _attributes=None, **attrs):
        super().node(name, label, _attributes=_attributes, **attrs)
        self._node_specs.append((name, label, attrs))

    def edge(self, tail_name, head_name, label=None, _attributes=None, **attrs):
        super().edge(tail_name, head_name, label, _attributes=_attributes, **attrs)
        self._edge_specs.append((tail_name, head_name, attrs))

    def _copy_kwargs(self, **kwargs):
        return super()._copy_kwargs(title=self.title, description=self.description, **kwargs)

    @property
    def alt_text(self):
        """The text alternative of the figure: its title and description."""
        return (
            _t("{title}. {description}", title=self.title, description=self.description)
            if self.title
            else self.description
        )

    def _render(self, fmt):
        # neato -n: take the positions computed here as they are.
        try:
            return self.pipe(format=fmt, neato_no_op=1)
        except graphviz.ExecutableNotFound:
            if fmt != "svg":
                raise RuntimeError(
                    f"a {fmt.upper()} of a diagram needs Graphviz's programs, which are not "
                    "installed: apt install graphviz (brew install graphviz, conda install "
                    "graphviz); the SVG works without them"
                ) from None
            _say_no_dot()
            return _draw_svg(self).encode("utf-8")

    def svg(self):
        """The diagram as SVG text: deterministic, with <title> and <desc> for screen readers."""
        raw = self._render("svg").decode("utf-8")
        # Drop what varies between machines or does not belong inline (XML prolog, doctype, generator).
        raw = re.sub(r"<\?xml[^>]*\?>\s*", "", raw)
        raw = re.sub(r"<!DOCTYPE[^>]*>\s*", "", raw)
        raw = re.sub(r"<!-- Generated by graphviz[^>]*-->\s*", "", raw)
        raw = re.sub(r"<!-- Title: [^>]*-->\s*", "", raw)
        # Ids unique to this diagram, so two diagrams on one page do not both have "node1".
        prefix = "nnd" + hashlib.sha256(self.source.encode()).hexdigest()[:8] + "-"
        raw = raw.replace(' id="', f' id="{prefix}')
        title = html.escape(self.title or "Diagram", quote=False)
        # aria-label carries title and description together: the form screen readers announce most reliably.
        head = f'<svg role="img" aria-label="{html.escape(self.alt_text, quote=True)}"'
        raw = raw.replace("<svg", head, 1)
        raw = re.sub(
            r"(<svg[^>]*>)",
            lambda m: (
                f'{m.group(1)}\n<title id="{prefix}title">{title}</title>\n'
                f'<desc id="{prefix}desc">{html.escape(self.description, quote=False)}'
                "</desc>"
            ),
            raw,
            count=1,
        )
        return raw.strip() + "\n"

    def png(self, dpi=144):
        """The diagram as PNG bytes (for print and PDF) at `dpi` dots per inch."""
        copy = self.copy()
        copy.attr(dpi=str(int(dpi)))
        return copy._render("png")

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        svg = self.svg()
        bundle = {
            "image/svg+xml": svg,
            # Inline in HTML it scales down on narrow screens and keeps role and aria-label.
            "text/html": (
                '<div class="nnlib-diagram" style="max-width:100%;overflow-x:auto">\n'
                + svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)
                + "</div>\n"
            ),
            "text/plain": repr(self),
        }
        if self.include_png and graphviz_available():
            bundle["image/png"] = self.png()
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in set(include)}
        return {k: v for k, v in bundle.items() if k not in set(exclude or ())}

    def __repr__(self):
        return f"Diagram({self.title!r}: {len(self.nodes)} nodes, {len(self.edges)} arrows)"


# -- drawing without Graphviz ---------------------------------------------------------------------
# Every node has its position here already (neato -n only draws), so nnlib can draw the same picture
# itself: circles, rounded frames, labels on white grounds, straight arrows, the title on top. The SVG
# follows Graphviz's structure (<g class="node">/<g class="edge"> with a <title>) and units (points).

_SAID_NO_DOT = False


def graphviz_available():
    """True if Graphviz's programs (neato, which draws the diagrams) are on PATH."""
    import shutil

    return shutil.which("neato") is not None


def _say_no_dot():
    global _SAID_NO_DOT
    if not _SAID_NO_DOT:
        _SAID_NO_DOT = True
        print(
            "nnlib.diagram: Graphviz is not installed, so nnlib draws the diagrams itself "
            "(apt install graphviz for Graphviz's drawing)",
            file=sys.stderr,
        )


def _num(value, default=0.0):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _label_lines(label, size):
    """A node label as lines of runs (text, italic, bold, shift, size) from plain or HTML-like text."""
    if label is None:
        return []
    if not (label.startswith("<") and label.endswith(">")):
        return [[(part, False, False, 0, size)] for part in label.replace("\\n", "\n").split("\n")]
    lines, runs = [], []
    italic = bold = False
    shift, sizes = 0, [size]
    for token in re.split(r"(<[^>]+>)", label[1:-1]):
        tag = token.upper()
        if tag in ("<I>", "</I>"):
            italic = tag == "<I>"
        elif tag in ("<B>", "</B>"):
            bold = tag == "<B>"
        elif tag in ("<SUB>", "<SUP>"):
            shift = 1 if tag == "<SUB>" else -1
        elif tag in ("</SUB>", "</SUP>"):
            shift = 0
        elif tag.startswith("<FONT"):
            found = re.search(r'POINT-SIZE="([\d.]+)"', tag)
            sizes.append(float(found.group(1)) if found else sizes[-1])
        elif tag == "</FONT>":
            sizes.pop() if len(sizes) > 1 else None
        elif tag.startswith("<BR"):
            lines.append(runs)
            runs = []
        elif token:
            runs.append((html.unescape(token), italic, bold, shift, sizes[-1]))
    lines.append(runs)
    return lines


def _svg_text(lines, x, y_top, color, font):
    """SVG <text> elements for label lines, centred on x, the first line's top at y_top."""
    out, y = [], y_top
    for runs in lines:
        height = max([r[4] for r in runs] or [0]) * 1.2
        if not any(r[0].strip() for r in runs):
            y += height
            continue
        spans = []
        for text, italic, bold, shift, size in runs:
            attrs = f' font-size="{size * (0.75 if shift else 1):.2f}"'
            attrs += ' font-style="italic"' if italic else ""
            attrs += ' font-weight="bold"' if bold else ""
            attrs += f' baseline-shift="{"sub" if shift > 0 else "super"}"' if shift else ""
            spans.append(f"<tspan{attrs}>{html.escape(text, quote=False)}</tspan>")
        base = y + height * 0.8
        out.append(
            f'<text text-anchor="middle" x="{x:.2f}" y="{base:.2f}" font-family="{font}" '
            f'fill="{color}">{"".join(spans)}</text>'
        )
        y += height
    return "\n".join(out)


def _text_block_height(lines):
    return sum(max([r[4] for r in runs] or [0]) * 1.2 for runs in lines)


def _text_block_width(lines):
    return max([sum(len(r[0]) * r[4] * (0.45 if r[3] else 0.56) for r in runs) for runs in lines] or [0])


def _node_geometry(attrs):
    """(shape, half width, half height) in points."""
    shape = attrs.get("shape", "ellipse")
    w, h = _num(attrs.get("width"), 0.75) * 36, _num(attrs.get("height"), 0.5) * 36
    if shape == "circle":
        h = w
    return shape, w, h


def _draw_svg(d):
    """The diagram `d` as SVG text, drawn by nnlib from the positions and attributes it was given."""
    graph, node_default, edge_default = d._defaults["graph"], d._defaults["node"], d._defaults["edge"]
    font = html.escape(graph.get("fontname", FONT))
    nodes = []
    for name, label, attrs in d._node_specs:
        merged = dict(node_default, **attrs)
        if "pos" not in merged:
            continue
        x, y = (float(v) for v in merged["pos"].rstrip("!").split(",")[:2])
        size = _num(merged.get("fontsize"), 14)
        lines = _label_lines(label if label is not None else name, size)
        shape, hw, hh = _node_geometry(merged)
        if shape == "plaintext":  # sized by its text
            hw = _text_block_width(lines) / 2 + 2
            hh = _text_block_height(lines) / 2 + 1
        elif merged.get("fixedsize") == "false":
            hw = max(hw, _text_block_width(lines) / 2 + 4)
            hh = max(hh, _text_block_height(lines) / 2 + 3)
        nodes.append((name, x, -y, shape, hw, hh, lines, merged))  # SVG's y grows downwards
    where = {n[0]: n for n in nodes}
    pad = 18.0
    x0 = min(n[1] - n[4] for n in nodes) - pad
    x1 = max(n[1] + n[4] for n in nodes) + pad
    y0 = min(n[2] - n[5] for n in nodes)
    y1 = max(n[2] + n[5] for n in nodes) + pad
    title_lines = _label_lines(graph.get("label"), _num(graph.get("fontsize"), 14))
    title_h = _text_block_height(title_lines)
    y0 -= pad + title_h
    width, height = x1 - x0, y1 - y0
    tx, ty = -x0, -y0
    out = [
        f'<svg width="{width:.0f}pt" height="{height:.0f}pt" viewBox="0.00 0.00 {width:.2f} {height:.2f}" '
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">',
        f'<g id="graph0" class="graph" transform="translate({tx:.2f} {ty:.2f})">',
        f"<title>{html.escape(d.name or '')}</title>",
        f'<polygon fill="{graph.get("bgcolor", "white")}" stroke="none" points="{x0:.2f},{y0:.2f} '
        f'{x1:.2f},{y0:.2f} {x1:.2f},{y1:.2f} {x0:.2f},{y1:.2f}"/>',
    ]
    if title_lines:
        out.append(_svg_text(title_lines, (x0 + x1) / 2, y0 + pad * 0.6, "#222222", font))

    for k, (tail, head, attrs) in enumerate(d._edge_specs, start=1):
        if tail not in where or head not in where:
            continue
        a = dict(edge_default, **attrs)
        (_, ax, ay, ashape, ahw, ahh, _, _), (_, bx, by, bshape, bhw, bhh, _, _) = where[tail], where[head]
        length = math.hypot(bx - ax, by - ay) or 1.0
        ux, uy = (bx - ax) / length, (by - ay) / length
        start = min(ahw, ahh) if ashape != "circle" else ahw
        end = min(bhw, bhh) if bshape != "circle" else bhw
        sx, sy = ax + ux * start, ay + uy * start
        ex, ey = bx - ux * end, by - uy * end
        color, pen = a.get("color", "black"), _num(a.get("penwidth"), 1.0)
        dash = ' stroke-dasharray="5,2"' if "dashed" in a.get("style", "") else ""
        title = html.escape(f"{tail}->{head}").replace("-", "&#45;")
        parts = [f'<g id="edge{k}" class="edge">', f"<title>{title}</title>"]
        arrow = a.get("arrowhead", "normal") != "none"
        size = 10 * _num(a.get("arrowsize"), 1.0)
        tip_x, tip_y = ex, ey
        if arrow:
            ex, ey = ex - ux * size, ey - uy * size
        parts.append(
            f'<path fill="none" stroke="{color}" stroke-width="{pen:g}"{dash} '
            f'd="M{sx:.2f},{sy:.2f}L{ex:.2f},{ey:.2f}"/>'
        )
        if arrow:
            px, py = -uy * size * 0.35, ux * size * 0.35
            parts.append(
                f'<polygon fill="{color}" stroke="{color}" stroke-width="{pen:g}" points="'
                f'{tip_x:.2f},{tip_y:.2f} {ex + px:.2f},{ey + py:.2f} {ex - px:.2f},{ey - py:.2f}"/>'
            )
        parts.append("</g>")
        out.append("\n".join(parts))

    for k, (name, x, y, shape, hw, hh, lines, a) in enumerate(nodes, start=1):
        color, pen = a.get("color", "black"), _num(a.get("penwidth"), 1.0)
        style = a.get("style", "")
        fill = a.get("fillcolor", "white") if "filled" in style else "none"
        parts = [f'<g id="node{k}" class="node">', f"<title>{html.escape(name).replace('-', '&#45;')}</title>"]
        if shape == "circle":
            parts.append(
                f'<ellipse fill="{fill}" stroke="{color}" stroke-width="{pen:g}" cx="{x:.2f}" '
                f'cy="{y:.2f}" rx="{hw:.2f}" ry="{hh:.2f}"/>'
            )
        elif shape == "plaintext":
            parts.append(
                f'<rect fill="{fill}" stroke="none" x="{x - hw:.2f}" y="{y - hh:.2f}" '
                f'width="{2 * hw:.2f}" height="{2 * hh:.2f}"/>'
            )
        else:
            radius = 8 if "rounded" in style else 0
            stroke = "none" if color == "white" else color
            parts.append(
                f'<rect fill="{fill if "filled" in style else "none"}" stroke="{stroke}" '
                f'stroke-width="{pen:g}" x="{x - hw:.2f}" y="{y - hh:.2f}" width="{2 * hw:.2f}" '
                f'height="{2 * hh:.2f}" rx="{radius}"/>'
            )
        text_color = a.get("fontcolor", "#000000")
        block = _text_block_height(lines)
        top = y - hh + 4 if a.get("labelloc") == "t" and shape == "box" else y - block / 2
        if lines:
            parts.append(_svg_text(lines, x, top, text_color, font))
        parts.append("</g>")
        out.append("\n".join(parts))
    out.append("</g>\n</svg>")
    return "\n".join(out) + "\n"


class _Canvas:
    """Places nodes at given points and draws arrows with labels along them (neato -n layout)."""

    def __init__(self, title, description, note=None, name="network", note_is_html=False):
        # The graph's name becomes the SVG's outer <title>, shown when the pointer rests on the figure.
        self.d = Diagram(name=title or name, title=title, description=description)
        self.d.attr(
            fontname=FONT,
            bgcolor="white",
            splines="false",
            outputorder="edgesfirst",
            pad="0.25",
            labelloc="t",
            label=_title_label(title, note, note_is_html),
        )
        self.d.attr(
            "node",
            shape="circle",
            fontname=FONT,
            fontsize="14",
            width=str(NODE / 72),
            fixedsize="true",
            style="filled",
            fillcolor="white",
            penwidth="1.5",
        )
        self.d.attr("edge", fontname=FONT, arrowsize="0.6", color=EDGE_COLOR, penwidth="1.2")
        self.pos = {}
        self.placed = []  # label rectangles (x0, y0, x1, y1) already drawn, to keep new ones clear of them

    def node(self, node_id, label, x, y, **attrs):
        self.d.nodes.append(node_id)
        self.pos[node_id] = (x, y)
        self.d.node(node_id, label, pos=f"{x:.1f},{y:.1f}", **attrs)

    def box(self, box_id, label, x, y_top, y_bottom, **attrs):
        """A rounded frame around a column of nodes, its label at the top (drawn under the nodes)."""
        height = y_top - y_bottom + NODE + BOX_HEADER + 12
        y = (y_top + BOX_HEADER + NODE / 2 + 6 + y_bottom - NODE / 2 - 6) / 2
        style = dict(
            shape="box",
            style="rounded",
            color=BOX_COLOR,
            fontsize="12",
            fontcolor="#333333",
            labelloc="t",
            width=f"{BOX_WIDTH / 72:.3f}",
            height=f"{height / 72:.3f}",
            penwidth="1",
        )
        style.update(attrs)
        self.d.node(box_id, label, pos=f"{x:.1f},{y:.1f}", **style)

    def text(self, text_id, label, x, y, color="#222222", size=11):
        """A label on a white, slightly transparent ground, so the lines under it do not cross it."""
        self.d.node(
            text_id,
            label,
            pos=f"{x:.1f},{y:.1f}",
            shape="plaintext",
            fixedsize="false",
            width="0",
            height="0",
            margin="0.02,0.01",
            fontsize=str(size),
            fontcolor=color,
            style="filled",
            fillcolor="#FFFFFFE6",
        )

    def arrow(self, tail, head, label=None, at=0.5, span=(0.33, 0.67), label_color="#222222", **attrs):
        """An arrow, its label on it near `at` (0 tail, 1 head), moved along within `span` if that spot is taken."""
        self.d.edges.append((tail, head, _plain(label) if label else None))
        self.d.edge(tail, head, **attrs)
        if label:
            (x0, y0), (x1, y1) = self.pos[tail], self.pos[head]
            half_w, half_h = 3.3 * len(_plain(label)) + 4, 8
            steps = [span[0] + k * 0.02 for k in range(int(round((span[1] - span[0]) / 0.02)) + 1)]
            best = None
            for t in sorted(steps, key=lambda t: (abs(t - at), t)):
                x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                rect = (x - half_w, y - half_h, x + half_w, y + half_h)
                clash = sum(_overlap(rect, other) for other in self.placed)
                if best is None or clash < best[0]:
                    best = (clash, x, y, rect)
                if clash == 0:
                    break
            _, x, y, rect = best
            self.placed.append(rect)
            self.text(f"label:{tail}->{head}", label, x, y, color=label_color)


def _overlap(a, b):
    """Area shared by two rectangles (x0, y0, x1, y1)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


# -- small helpers --------------------------------------------------------------------------------


def _math(symbol, sub="", sup=""):
    """An HTML-like graphviz label: italic symbol, subscript, parenthesised superscript."""
    text = f"<I>{symbol}</I>"
    if sub != "":
        text += f"<SUB>{sub}</SUB>"
    if sup != "":
        text += f"<SUP>({sup})</SUP>"
    return f"<{text}>"


def _plain(label):
    """A label as plain text (for descriptions and tests): <<I>w</I><SUB>12</SUB>> -> w_12."""
    if not (label.startswith("<") and label.endswith(">")):
        return label
    text = label[1:-1].replace("<SUB>", "_").replace("<SUP>", "^")
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _title_label(title, note=None, note_is_html=False):
    text = f"<B>{html.escape(title)}</B>"
    if note:
        text += f'<BR/><FONT POINT-SIZE="10">{note if note_is_html else html.escape(note)}</FONT>'
    return f'<{text}<BR/><FONT POINT-SIZE="4"> </FONT>>'  # a little air between title and drawing


def _choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"{name}={value!r} is not an option; choose one of {', '.join(repr(c) for c in choices)}{hint}"
        )
    return value


def _whole(name, value, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def _fmt(value, precision):
    """A weight as the label shows it: 0.5, -1.08, 2 (no trailing zeros, no "-0")."""
    text = f"{value:.{precision}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _names(name, given, n, default):
    if given is None:
        return [default(i) for i in range(n)]
    if isinstance(given, str) or not hasattr(given, "__len__"):
        raise ValueError(f"{name} takes a list of {n} labels, got {given!r}")
    if len(given) != n:
        raise ValueError(f"{name} has {len(given)} labels, but the layer has {n} neurons")
    return [f"<{html.escape(str(g))}>" for g in given]


def _layer_names(sizes, english=False):
    """The layers' names as the diagram shows them (english: as error messages say them)."""
    t = (lambda text, **values: text.format(**values)) if english else _t
    L = len(sizes) - 1
    hidden = [t("hidden layer {l}", l=l) if L > 2 else t("hidden layer") for l in range(1, L)]
    return [t("input layer")] + hidden + [t("output layer")]


def _shown(n, max_nodes):
    """The neuron indices a layer draws, None standing for the hidden middle (an ellipsis)."""
    if n <= max_nodes:
        return list(range(n))
    return list(range(max_nodes - 2)) + [None, n - 1]


def _label_positions(m):
    """Where along its arrow (0 tail, 1 head) the label of tail k of m sits: staggered, so labels of
    arrows leaving different nodes do not land on one spot, and far enough from the tail for the
    labels of one node's arrows to be a readable distance apart."""
    if m == 1:
        return [0.5]
    return [0.36 + 0.28 * k / (m - 1) for k in range(m)]


def _network_from(model_or_sizes, weights, activations):
    """(sizes, activation names or None, [(W, b), ...] or None, use_bias per layer)."""
    from .network import Sequential

    if isinstance(model_or_sizes, Sequential):
        model = model_or_sizes
        if not model.built and model.layers and model.layers[0].built:
            model.build()  # what its first predict would do, from the same seed: the same weights
        if not model.built:
            raise ValueError(
                "the model has no weights yet, so its input size is unknown: give the first layer "
                "input_dim=..., call model.build(input_dim), or pass the layer sizes, e.g. [2, 3, 1]"
            )
        sizes = [model.layers[0].input_dim] + [layer.units for layer in model.layers]
        names = [layer.activation.name for layer in model.layers]
        use_bias = [layer.use_bias for layer in model.layers]
        if weights is None or weights is True:
            params = [(layer.W, layer.b) for layer in model.layers]
        elif weights is False:
            params = None
        else:
            raise ValueError(
                "weights= takes True or False with a model (its own weights are drawn); "
                "to draw other weights, load them first with model.set_weights([...])"
            )
        if activations not in (True, False, None):
            raise ValueError("activations= takes True or False with a model (the model knows its activations)")
        return sizes, names, params, use_bias

    if isinstance(model_or_sizes, (str, bytes)) or not hasattr(model_or_sizes, "__len__"):
        raise TypeError(
            "network_diagram takes a Sequential or the list of layer sizes, e.g. [2, 3, 1] "
            f"(inputs, hidden neurons, outputs); got {model_or_sizes!r}"
        )
    sizes = list(model_or_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer sizes need the inputs and at least one layer, e.g. [2, 1]; got {sizes!r}")
    for i, n in enumerate(sizes):
        _whole(f"size of the {_layer_names(sizes, english=True)[i]} (entry {i} of {sizes})", n, 1)
    sizes = [int(n) for n in sizes]
    L = len(sizes) - 1

    names = None
    if isinstance(activations, (list, tuple)):
        if len(activations) != L:
            raise ValueError(
                f"activations has {len(activations)} names but sizes {sizes} make {L} layers; "
                f"give one per layer, e.g. {['sigmoid'] * (L - 1) + ['softmax']}"
            )
        from . import activations as acts

        names = [acts.get(a).name for a in activations]
    elif activations not in (True, False, None):
        raise ValueError(f"activations= takes True, False or a list of one name per layer, got {activations!r}")

    params = None
    if weights is True:
        raise ValueError("weights=True needs a model; with layer sizes, pass the arrays [W1, b1, W2, b2, ...]")
    if weights is not None and weights is not False:
        weights = list(weights)
        if len(weights) != 2 * L:
            raise ValueError(
                f"weights needs {2 * L} arrays [W1, b1, ..., W{L}, b{L}] for the {L} layers of "
                f"sizes {sizes}, got {len(weights)}"
            )
        params = []
        for l in range(1, L + 1):
            W = np.asarray(weights[2 * l - 2], dtype=float)
            b = np.asarray(weights[2 * l - 1], dtype=float)
            need = (sizes[l - 1], sizes[l])
            if W.shape != need:
                hint = " It looks like PyTorch's (units, inputs) layout: pass W.T." if W.shape == need[::-1] else ""
                raise ValueError(f"W{l} has shape {W.shape}, but layer {l} needs (inputs, units) = {need}.{hint}")
            if b.shape != (sizes[l],):
                raise ValueError(f"b{l} has shape {b.shape}, but layer {l} needs ({sizes[l]},)")
            params.append((W, b))
    return sizes, names, params, [True] * L


def _sentences(*sentences):
    """Sentences of a description, one after the other (a space between them in English)."""
    return functools.reduce(lambda a, b: _t("{first} {second}", first=a, second=b), [s for s in sentences if s])


def _listing(items):
    """Items of a description's list: "a, b, c"."""
    return functools.reduce(lambda a, b: _t("{first}, {second}", first=a, second=b), items)


def _describe(sizes, names, labels, params, collapsed, biases):
    L = len(sizes) - 1

    def layer(l):
        n, act = sizes[l], names[l - 1] if names else None
        if act:
            return _t("{n} {activation} neuron" if n == 1 else "{n} {activation} neurons", n=n, activation=act)
        return _t("{n} neuron" if n == 1 else "{n} neurons", n=n)

    parts = [_t("{n} input" if sizes[0] == 1 else "{n} inputs", n=sizes[0])]
    parts += [
        _t("hidden layer {l} of {layer}", l=l, layer=layer(l))
        if L > 2
        else _t("hidden layer of {layer}", layer=layer(l))
        for l in range(1, L)
    ]
    parts.append(_t("output layer of {layer}", layer=layer(L)))
    return _sentences(
        _t(
            "Layers from left to right: {layers}. An arrow runs from every input or neuron to every neuron of the "
            "next layer.",
            layers=_listing(parts),
        ),
        biases and _t("A constant 1 at the top of each layer feeds the next layer's biases (dashed arrows)."),
        collapsed and _t("Large layers show their first and last neurons and an ellipsis for the rest."),
        labels == "values"
        and _t("Each arrow is labelled with its weight; the arrows from the constant 1 with the biases."),
        labels == "symbols"
        and _t(
            "Each arrow is labelled w_ji^(l), the weight from neuron i of layer l-1 to neuron j of layer l;"
            " the arrows from the constant 1 carry the biases b_j^(l)."
        ),
        params is not None
        and _t("Arrow colour shows the sign of the weight (vermillion positive, blue negative), width its size."),
    )


# -- the diagrams ---------------------------------------------------------------------------------


def network_diagram(
    model_or_sizes,
    weights=None,
    biases=True,
    activations=True,
    labels="auto",
    title=None,
    max_nodes=10,
    input_names=None,
    output_names=None,
    precision=2,
):
    """A layered network, inputs on the left, as in the figures of the book and seeds 002-003.

    model_or_sizes  a Sequential, or layer sizes [inputs, hidden..., outputs] such as [2, 3, 2]
    weights         None: a model's own weights (none for sizes); False: the structure only;
                    [W1, b1, W2, b2, ...] with sizes: these weights (W of shape (inputs, units))
    biases          draw the constant input 1 of each layer and its bias arrows (dashed)
    activations     name each layer's activation (True/False; with sizes, a list of names)
    labels          "values": each weight on its arrow; "symbols": w_ji^(l) and b_j^(l); "none";
                    "auto": the values if there are at most 20 to show and no layer is collapsed
    max_nodes       a bigger layer shows its first max_nodes-2 neurons, an ellipsis and its last
    input_names, output_names   node labels for inputs and outputs (default x1..., y1...)
    precision       decimals of the weight labels

    Known weights colour their arrows by sign (vermillion +, blue -) and make them wider with |w|,
    relative to the largest |w| in the same layer. Returns a `Diagram`.
    """
    labels = _choice("labels", labels, LABEL_CHOICES)
    max_nodes = _whole("max_nodes", max_nodes, 3)
    precision = _whole("precision", precision, 0)
    sizes, names, params, use_bias = _network_from(model_or_sizes, weights, activations)
    if activations is False:
        names = None
    L = len(sizes) - 1
    n_labels = sum(a * b for a, b in zip(sizes, sizes[1:])) + (sum(sizes[1:]) if biases else 0)
    collapsed = any(n > max_nodes for n in sizes)
    if labels == "auto":
        labels = "values" if params is not None and n_labels <= AUTO_LABEL_LIMIT and not collapsed else "none"
    if labels == "values" and params is None:
        raise ValueError(
            "labels='values' needs weights: pass a model or weights=[W1, b1, ...] "
            "(labels='symbols' writes w_ji^(l) instead)"
        )

    if title is None:
        title = _t("A {sizes} network", sizes="-".join(str(n) for n in sizes))
    else:
        title = _t(title)
    note = (
        _t("arrows: vermillion = positive weight, blue = negative, wider = larger |w|") if params is not None else None
    )
    canvas = _Canvas(title, _describe(sizes, names, labels, params, collapsed, biases), note)
    row = ROW_LABELLED if labels in ("values", "symbols") else ROW
    column = COLUMN_LABELLED if labels in ("values", "symbols") else COLUMN
    inputs = _names(
        "input_names",
        input_names,
        sizes[0],
        lambda i: _math("x", i + 1) if sizes[0] > 1 or labels == "symbols" else _math("x"),
    )
    outputs = _names(
        "output_names",
        output_names,
        sizes[L],
        lambda j: _math("y", j + 1) if sizes[L] > 1 or labels == "symbols" else _math("y"),
    )

    # Columns: each layer's nodes, top to bottom: the constant 1 for the next layer, then the neurons.
    columns = []
    for l, n in enumerate(sizes):
        items = [(f"one{l + 1}", "bias")] if biases and l < L and use_bias[l] else []
        items += [
            (f"more{l}" if j is None else (f"x{j + 1}" if l == 0 else f"n{l}_{j + 1}"), j) for j in _shown(n, max_nodes)
        ]
        columns.append(items)
    for l, items in enumerate(columns):
        x = l * column
        ys = [((len(items) - 1) / 2 - k) * row for k in range(len(items))]  # centred on y = 0
        box_label = _layer_names(sizes)[l] + (f"\\n{names[l - 1]}" if l > 0 and names else "")
        canvas.box(f"layer{l}", box_label, x, ys[0], ys[-1])
        for (node_id, j), y in zip(items, ys):
            if j == "bias":
                canvas.node(node_id, "1", x, y, fillcolor=BIAS_FILL, color=INPUT_COLOR)
            elif j is None:
                canvas.node(
                    node_id,
                    "⋮\\n" + _t("{n} more", n=sizes[l] - max_nodes + 1),
                    x,
                    y,
                    shape="box",
                    fontsize="11",
                    fontcolor="#555555",
                    color="white",
                    fixedsize="false",
                    width="0",
                    height="0",
                    margin="0.04,0.02",
                )
            elif l == 0:
                canvas.node(node_id, inputs[j], x, y, color=INPUT_COLOR)
            elif l == L:
                canvas.node(node_id, outputs[j], x, y, color=OUTPUT_COLOR)
            else:
                extra = {"width": "0.62"} if labels == "symbols" else {}  # room for z_j^(l)
                label = _math("z", j + 1, l) if labels == "symbols" else ""
                canvas.node(node_id, label, x, y, color=NEURON_COLORS[j % len(NEURON_COLORS)], penwidth="2.5", **extra)

    # Arrows, layer by layer. In a big drawing arrowheads would pile up at every neuron, and the
    # direction is plain anyway (left to right), so they go; widths shrink to keep the mesh legible.
    n_arrows = sum(len(a) * len([h for h in b if h[1] != "bias"]) for a, b in zip(columns, columns[1:]))
    big = n_arrows > 40
    widest = 2.3 if big else 4.0
    if big:
        canvas.d.attr("edge", arrowhead="none")
    for l in range(1, L + 1):
        W, b = params[l - 1] if params is not None else (None, None)
        w_ref = float(np.max(np.abs(W))) if W is not None and W.size else 0.0
        b_ref = float(np.max(np.abs(b))) if b is not None and b.size else 0.0
        tails = columns[l - 1]
        heads = [(node_id, j) for node_id, j in columns[l] if j != "bias"]
        wide_index = max(sizes[l], sizes[l - 1]) >= 10  # w_12 is ambiguous past 9: write w_1,12
        for (tail, i), at in zip(tails, _label_positions(len(tails))):
            for head, j in heads:
                if i is None or j is None:  # one arrow standing for many
                    canvas.arrow(tail, head, style="dashed", color="#C8C8C8", arrowhead="none", penwidth="0.7")
                    continue
                if i == "bias":
                    value, ref = (None if b is None else float(b[j])), b_ref
                    symbol = _math("b", j + 1, l)
                else:
                    value, ref = (None if W is None else float(W[i, j])), w_ref
                    symbol = _math("w", f"{j + 1},{i + 1}" if wide_index else f"{j + 1}{i + 1}", l)
                attrs = {"style": "dashed"} if i == "bias" else {}
                if value is not None:
                    attrs["color"] = POSITIVE_COLOR if value > 0 else NEGATIVE_COLOR if value < 0 else MUTED
                    attrs["penwidth"] = f"{0.3 + (widest - 0.3) * abs(value) / ref:.2f}" if ref > 0 else "0.3"
                label = symbol if labels == "symbols" else _fmt(value, precision) if labels == "values" else None
                canvas.arrow(tail, head, label, at=at, label_color=attrs.get("color", "#222222"), **attrs)
    return canvas.d


def neuron_diagram(
    inputs=2, weights=None, bias=None, activation=None, title="One neuron", input_names=None, precision=2
):
    """One neuron, as in "Deep Learning from Scratch" fig. 3-4 (seed 003):

        1 --b--> a,   x1 --w1--> a,   x2 --w2--> a,   a --h()--> y
        a = b + w1 x1 + w2 x2,   y = h(a)

    inputs       number of inputs n (x1 ... xn)
    weights      n numbers to write on the arrows instead of w1 ... wn
    bias         a number to write instead of b (None: the symbol b; False: no bias input)
    activation   an activation name to write instead of h, e.g. "sigmoid"
    """
    n = _whole("inputs", inputs, 1)
    precision = _whole("precision", precision, 0)
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float).ravel()
        if w.shape != (n,):
            raise ValueError(f"weights has {w.size} numbers, but the neuron has {n} input{'s' if n > 1 else ''}")
    if bias is not None and bias is not False:
        if (
            isinstance(bias, bool)
            or not isinstance(bias, (int, float, np.integer, np.floating))
            or not np.isfinite(bias)
        ):
            raise ValueError(f"bias must be a number, None (the symbol b) or False (no bias), got {bias!r}")
    if activation is not None:
        from . import activations as acts

        activation = acts.get(activation).name
    names = _names("input_names", input_names, n, lambda i: _math("x", i + 1) if n > 1 else _math("x"))
    h = activation or "h"
    has_bias = bias is not False
    if has_bias:
        feed = _t(
            "The constant 1 and {n} input on the left feed a neuron, drawn as a frame around two circles: a, the "
            "weighted sum of the inputs plus the bias b, and y = {h}(a), the output of the activation function {h}."
            if n == 1
            else "The constant 1 and {n} inputs on the left feed a neuron, drawn as a frame around two circles: a, "
            "the weighted sum of the inputs plus the bias b, and y = {h}(a), the output of the activation function {h}.",
            n=n,
            h=h,
        )
    else:
        feed = _t(
            "{n} input on the left feed a neuron, drawn as a frame around two circles: a, the weighted sum of the "
            "inputs, and y = {h}(a), the output of the activation function {h}."
            if n == 1
            else "{n} inputs on the left feed a neuron, drawn as a frame around two circles: a, the weighted sum of "
            "the inputs, and y = {h}(a), the output of the activation function {h}.",
            n=n,
            h=h,
        )
    description = _sentences(
        feed,
        w is not None
        and _t("Weights: {weights}.", weights=", ".join(f"w{i + 1} = {_fmt(v, precision)}" for i, v in enumerate(w))),
        has_bias and bias is not None and _t("Bias: b = {b}.", b=_fmt(float(bias), precision)),
    )
    canvas = _Canvas(_t(title), description, name="neuron")
    rows = (["one"] if has_bias else []) + [f"x{i + 1}" for i in range(n)]
    ys = [((len(rows) - 1) / 2 - k) * ROW_LABELLED for k in range(len(rows))]
    for node_id, y in zip(rows, ys):
        if node_id == "one":
            canvas.node(node_id, "1", 0, y, fillcolor=BIAS_FILL, color=INPUT_COLOR)
        else:
            canvas.node(node_id, names[int(node_id[1:]) - 1], 0, y, color=INPUT_COLOR)
    ax = COLUMN_LABELLED  # a sits here, y 150 points further right, both inside the neuron's frame
    canvas.d.node(
        "neuron",
        _t("neuron"),
        shape="box",
        style="rounded",
        color=NEURON_COLORS[0],
        penwidth="2",
        fontsize="12",
        fontcolor="#333333",
        labelloc="t",
        width=f"{(150 + NODE + 30) / 72:.3f}",
        height=f"{(NODE + 50) / 72:.3f}",
        pos=f"{ax + 75:.1f},10",
    )
    canvas.node("a", _math("a"), ax, 0)
    canvas.node("y", _math("y"), ax + 150, 0)
    canvas.arrow("a", "y")
    canvas.d.edges[-1] = ("a", "y", f"{h}()")
    canvas.text("label:a->y", f"{h}()", ax + 75, 11, size=13)
    for node_id in rows:
        if node_id == "one":
            label = _math("b") if bias is None else _fmt(float(bias), precision)
            canvas.arrow("one", "a", label, at=0.45, style="dashed")
        else:
            i = int(node_id[1:]) - 1
            label = _math("w", i + 1 if n > 1 else "") if w is None else _fmt(float(w[i]), precision)
            canvas.arrow(node_id, "a", label, at=0.45)
    return canvas.d


def softmax_diagram(n=3, title="The softmax layer"):
    """A softmax output layer: y_k = exp(a_k) / sum_i exp(a_i), so every a_i feeds every y_k."""
    n = _whole("n", n, 1)
    description = _t(
        "{n} weighted sums a1 to a{n} on the left and {n} outputs y1 to y{n} on the right, with an arrow from every "
        "a to every y: each softmax output depends on all the sums, y_k = exp(a_k) / (exp(a_1) + ... + exp(a_n)).",
        n=n,
    )
    formula = "<I>y</I><SUB>k</SUB> = exp(<I>a</I><SUB>k</SUB>) / Σ<SUB>i</SUB> exp(<I>a</I><SUB>i</SUB>)"
    canvas = _Canvas(_t(title), description, note=formula, name="softmax", note_is_html=True)
    ys = [((n - 1) / 2 - k) * ROW for k in range(n)]
    for c, (prefix, name) in enumerate((("a", _t("weighted sums")), ("y", _t("softmax outputs")))):
        x = c * (COLUMN + 20)
        canvas.box(f"box_{prefix}", name, x, ys[0], ys[-1])
        for k, y in enumerate(ys):
            if prefix == "a":
                canvas.node(
                    f"a{k + 1}", _math("a", k + 1), x, y, color=NEURON_COLORS[k % len(NEURON_COLORS)], penwidth="2.5"
                )
            else:
                canvas.node(f"y{k + 1}", _math("y", k + 1), x, y, color=OUTPUT_COLOR)
    for i in range(n):
        for k in range(n):
            canvas.arrow(
                f"a{i + 1}", f"y{k + 1}", color=NEURON_COLORS[i % len(NEURON_COLORS)], penwidth="2" if i == k else "1.2"
            )
    return canvas.d
