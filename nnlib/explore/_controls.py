"""The controls an explorer offers (sliders and menus), the checks on its arguments, and their HTML.

Both faces show the same controls from the same HTML (`controls_html`): the book's page wires them to
nn.js, the Jupyter view (an anywidget) to the kernel.
"""

import html
import math

import numpy as np

from .. import activations
from ..i18n import N_
from ._face import CONTROL_STYLE

# Activations a reader can pick in the explorers (their JavaScript knows exactly these, from nn.js).
ACTIVATION_LABELS = {
    "step": N_("step"),
    "sigmoid": N_("sigmoid"),
    "tanh": "tanh",
    "relu": "ReLU",
    "mish": "Mish",
    "identity": N_("identity"),
}


def check_activation(name, allowed=tuple(ACTIVATION_LABELS), what="activation"):
    """The canonical name of activation `name` (via nnlib.activations.get), if the explorer offers it."""
    act = activations.get(name)  # raises a clear error naming the valid activations
    if act.name not in allowed:
        raise ValueError(f"{what} {name!r} is not offered here; choose one of {', '.join(allowed)}")
    return act.name


def check_bias_sign(bias_sign):
    if bias_sign not in ("-", "+"):
        raise ValueError(
            f"bias_sign must be '-' (y = f(w x - b), as in seed 002) or '+' "
            f"(y = f(w x + b), as in Keras), got {bias_sign!r}"
        )
    return bias_sign


def check_range(name, lo_hi):
    try:
        lo, hi = (float(v) for v in lo_hi)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) of numbers, got {lo_hi!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be a pair (low, high) of finite numbers with low < high, got {lo_hi!r}")
    return lo, hi


def fmt(value, decimals):
    """f"{value:.{decimals}f}" with a true minus sign and no "-0" (as format.js's fmt prints it)."""
    text = f"{value:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text.replace("-", "\u2212")


class Slider:
    """A numeric control: `name` (the state key), `label` shown to the reader, range lo..hi, step.

    `integer=True` makes whole-number values. `neuron=i` marks a per-neuron control, shown only while
    the explorer's neuron count is larger than i. `group` puts consecutive controls on one labelled row;
    `long` is the label read to screen readers.
    """

    def __init__(self, name, label, lo, hi, step, value, integer=False, neuron=None, group=None, long=None):
        self.name, self.label = name, label
        self.long = long or label
        self.min, self.max, self.step = float(lo), float(hi), float(step)
        if not (self.min < self.max and self.step > 0):
            raise ValueError(f"slider {name!r}: needs low < high and a positive step, got {lo!r}, {hi!r}, {step!r}")
        self.integer = integer
        self.neuron = neuron
        self.group = group
        self.decimals = 0 if integer else max(0, -int(math.floor(math.log10(self.step) + 1e-9)))
        self.value = self.check(value)

    def check(self, value):
        """`value` as a number on this slider's grid, or a ValueError saying what is allowed."""
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{self.name} must be a number, got {value!r}")
        value = float(value)
        if not math.isfinite(value) or value < self.min - 1e-12 or value > self.max + 1e-12:
            raise ValueError(
                f"{self.name}={value:g} is outside its slider range [{self.min:g}, {self.max:g}]; "
                f"pick a value inside or widen the range"
            )
        k = (value - self.min) / self.step
        if abs(k - round(k)) > 1e-4:  # float32 weights (np.float32(4.3)) still count as on the grid
            lo = self.min + math.floor(k) * self.step
            raise ValueError(
                f"{self.name}={value:g} is not on the slider's grid (step {self.step:g}); "
                f"use e.g. {lo:.{self.decimals}f} or {lo + self.step:.{self.decimals}f}, "
                f"or a finer step"
            )
        value = round(self.min + round(k) * self.step, self.decimals + 6)
        return int(round(value)) if self.integer else value

    def html(self, cid, value):
        text = fmt(value, self.decimals)
        return (
            f'<input type="range" id="{cid}" data-param="{self.name}" min="{self.min:g}" max="{self.max:g}" '
            f'step="{self.step:g}" value="{value:g}" data-decimals="{self.decimals}" aria-valuetext="{text}" '
            f'{SUPPRESS_SHORTCUTS}="true" disabled><output for="{cid}">{text}</output>'
        )


class Choice:
    """A menu: `options` is a list of (value, label) pairs."""

    def __init__(self, name, label, options, value, neuron=None, group=None, long=None):
        self.name, self.label, self.options = name, label, list(options)
        self.long = long or label
        self.neuron = neuron
        self.group = group
        self.value = self.check(value)

    def check(self, value):
        values = [v for v, _ in self.options]
        if value not in values:
            raise ValueError(f"{self.name}={value!r} is not one of the choices {', '.join(map(repr, values))}")
        return value

    def html(self, cid, value):
        opts = "".join(
            f'<option value="{html.escape(str(v))}"{" selected" if v == value else ""} data-i18n>{html.escape(label)}</option>'
            for v, label in self.options
        )
        return f'<select id="{cid}" data-param="{self.name}" {SUPPRESS_SHORTCUTS}="true" disabled>{opts}</select>'


# Notebook 7 listens to keydown in the capture phase, so its command-mode shortcuts (ArrowUp/ArrowDown:
# select the cell above/below) would read an arrow key before a focused slider does. Lumino matches no
# shortcut for a key whose target carries this mark: every control of both faces carries it.
SUPPRESS_SHORTCUTS = "data-lm-suppress-shortcuts"


# Words for screen readers only (class nnx-sr), hidden by an inline style: it holds where the block's <style> is
# dropped too (an untrusted notebook; JupyterLab's sanitizer keeps each of these properties).
SR_STYLE = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"


def label_html(cid, control):
    """The <label> of the control with id `cid`: its short label shown, its long one (if another) read aloud."""
    long = (
        f'<span class="nnx-sr" style="{SR_STYLE}"> (<span data-i18n>{html.escape(control.long)}</span>)</span>'
        if control.long != control.label
        else ""
    )
    return (
        f'<label for="{cid}" title="{html.escape(control.long)}" data-i18n-attrs>'
        f"<span data-i18n>{html.escape(control.label)}</span>{long}</label>"
    )


def controls_html(
    key, controls, state, group_label=lambda group: None, group_columns=lambda group, n: min(n, 3), hidden_groups=()
):
    """The controls as HTML; consecutive controls of one group share a labelled row.

    A per-neuron control (or row) is hidden while state["count"] <= its neuron; rows of `hidden_groups`
    start hidden (the page's script shows them when they apply). Every control starts disabled: the page's
    script (or the live face) enables it, so a face whose script does not run shows no control that looks live.
    Hidden parts also carry an inline display:none, and shown ones an inline layout, for front ends that drop
    the block's <style> (an untrusted notebook, see _face.BLOCK_STYLE).
    """

    def hidden_attr(neuron, hidden=False, style=CONTROL_STYLE):
        hidden = hidden or (neuron is not None and "count" in state and neuron >= state["count"])
        return (f' data-neuron="{neuron}"' if neuron is not None else "") + (
            ' hidden style="display:none"' if hidden else (f' style="{style}"' if style else "")
        )

    def control(c, in_row):
        cid = f"{key}-{c.name}"
        label = label_html(cid, c)
        attrs = f' style="{CONTROL_STYLE}"' if in_row else hidden_attr(c.neuron)
        # a <span>: inline (one line of controls) where the stylesheet is gone, a flex box where it is not
        return f'<span class="nnx-ctl"{attrs}>{label}{c.html(cid, state[c.name])}</span>'

    parts, i = [], 0
    while i < len(controls):
        c = controls[i]
        if c.group is None:
            parts.append(control(c, False))
            i += 1
            continue
        j = i
        while j < len(controls) and controls[j].group == c.group:
            j += 1
        label = group_label(c.group)
        head = (
            f'<span class="nnx-rowh" style="font-weight:600;margin-right:12px" data-i18n>{html.escape(label)}</span>'
            if label
            else "<span></span>"
        )
        aria = f' aria-label="{html.escape(label)}" data-i18n-attrs' if label else ""
        hidden = hidden_attr(c.neuron, c.group in hidden_groups, style=f"--cols:{group_columns(c.group, j - i)}")
        hidden = hidden.replace('style="display:none"', f'style="--cols:{group_columns(c.group, j - i)};display:none"')
        inner = "".join(control(cc, True) for cc in controls[i:j])
        parts.append(f'<div class="nnx-row" role="group"{aria}{hidden}>{head}{inner}</div>')
        i = j
    return "".join(parts)
