"""Figures in the reader's language: matplotlib's text translated through nnlib's catalogue when it is drawn.

The chapters draw their figures in English (the English notebooks stay the one source). Under Japanese
(`nnlib.i18n.set_language("ja")` or NNLIB_LANG=ja), `install()` makes every Text artist of a figure (titles, axis
labels, legend entries, annotations, the helpers' labels) look its string up in the catalogue just before it is
measured or drawn, and write the translation in a Japanese font, so a figure made by the English code comes out in
Japanese. Strings the code composes (f-strings such as f"neuron {i}: w = {w}") are catalogued as templates,
"neuron {i}: w = {w}", and matched with their values filled in: the translation gets the same values, so both
editions print the same numbers. A string not in the catalogue (a number on an axis) is left as it is.

The figure strings are extracted by `make gettext` (nnlib/i18n/extract.py: `messages()` in this module reads the
chapters' code cells and the plotting helpers); their entries carry the comment "figure" in nnlib.po.

Font: the first installed of JAPANESE_FONTS (Debian's fonts-noto-cjk gives Noto Sans CJK JP, `make check-font-ja`),
DejaVu Sans after it for any glyph it lacks; math ($...$) is still drawn by mathtext. With no Japanese font installed
the figures stay English (with one warning): English is better than boxes.
"""

import ast
import functools
import json
import re
import warnings
from pathlib import Path

from . import fill, language, messages as catalogue

JAPANESE_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "Hiragino Sans")
JAPANESE_FILES = re.compile(r"CJK|JP|ipa|Takao|Hiragino", re.I)  # the files those fonts come in
FALLBACK_FONT = "DejaVu Sans"  # matplotlib's own font: Latin, Greek, math symbols

# -- extraction: which strings a chapter's figure shows ------------------------------------------------------

# Calls whose string arguments are shown in a figure, and keyword arguments that carry figure text.
TEXT_CALLS = {
    "set_title",
    "set_xlabel",
    "set_ylabel",
    "suptitle",
    "supxlabel",
    "supylabel",
    "text",
    "figtext",
    "annotate",
    "legend",
    "set_label",
    "title",
    "xlabel",
    "ylabel",
    "set_text",
    "set_xticks",
    "set_yticks",
    "set_xticklabels",
    "set_yticklabels",
    "xticks",
    "yticks",
    "DigitCanvas",
}  # fmt: skip  (the canvas shows its networks' names: {"the book's network": model})
TEXT_KEYWORDS = {"label", "labels", "title", "titles", "xlabel", "ylabel", "suptitle"}
# Calls whose strings are never figure text (file names, colour maps, printed output).
NOT_TEXT = {"print", "open", "glue", "display", "HTML", "Markdown", "format", "join", "get_cmap", "savefig"}


# Keywords that are not figure text: network_diagram(labels="values") names a mode; an explorer's keywords are its
# data (labels=t), except the title a chapter gives it (its block marks the title for translation).
def _not_text(call, keyword):
    name = _call_name(call)
    return (name.endswith("Explorer") and keyword != "title") or (name == "network_diagram" and keyword == "labels")


WORD = re.compile(r"[A-Za-z]{2,}")
NOT_LATIN = re.compile(r"[^\x00-\u024f\s]")  # a translated line has some (kana, kanji, full-width punctuation)
MATH = re.compile(r"\$[^$]*\$")
ROOT = Path(__file__).resolve().parents[2]


def has_words(text):
    """Whether `text` has a word to translate (two letters or more outside $math$ and {placeholders})."""
    return bool(WORD.search(re.sub(r"\{\w+\}", "", MATH.sub("", text))))


def _placeholder_name(node):
    """A readable placeholder for an f-string's value: {i}, {kernel} for kernel[i, 0], {value} otherwise."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "len":
        return "n"
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Call)):
        if isinstance(node, ast.Attribute):
            return node.attr
        node = node.value if isinstance(node, ast.Subscript) else node.func
    return node.id if isinstance(node, ast.Name) else "value"


def template(node, words=True):
    """The catalogue form of a string constant or f-string: "neuron {i}: w = {w}"; None if it has no words (and
    `words` asks for them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        parts, names = [], {}
        for value in node.values:
            if isinstance(value, ast.Constant):
                if re.search(r"\{\w+\}", value.value):
                    return None  # a literal {name} (math such as $W_{ij}$) would read as a placeholder
                parts.append(value.value)
            else:
                expr = ast.unparse(value.value)
                if expr not in names:
                    name, k = _placeholder_name(value.value), 2
                    while name in names.values():
                        name, k = f"{_placeholder_name(value.value)}{k}", k + 1
                    names[expr] = name
                parts.append("{" + names[expr] + "}")
        text = "".join(parts)
    else:
        return None
    text = text.strip()
    if re.fullmatch(r"[\w{}]*_[\w{}]*", text):  # a name in the code ("val_loss", f"FEWEST_{name}"), not words
        return None
    return text if text and (has_words(text) or not words) else None


def _strings(node, words=True):
    """Every string constant and f-string inside `node` (f-strings whole), skipping calls that are not text."""
    if isinstance(node, ast.Call) and _call_name(node) in NOT_TEXT:
        return
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        if (text := template(node, words)) is not None:
            yield text
        return
    if isinstance(node, ast.Dict):  # {key: shown text}: keys are look-up names, values are what is shown...
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and " " in key.value.strip():
                yield from _strings(key, words)  # ...unless a key is a phrase: {"blog post's weights": model}
            yield from _strings(value, words)
        return
    if isinstance(node, ast.Call):  # a call's options (layout="constrained", kind="stable") are not text
        for child in [node.func, *node.args, *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]:
            yield from _strings(child, words)
        return
    for child in ast.iter_child_nodes(node):
        yield from _strings(child, words)


def _call_name(call):
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _names(target):
    """The variable names a target binds (`title`, `(name, title)`, `titles[key]` -> titles)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*map(_names, target.elts))
    if isinstance(target, ast.Starred):
        return _names(target.value)
    return set()


def _sources(node):
    """The variables a loop takes its items from: `targets` in `zip(axes, targets)`, `enumerate(names)`, `names`."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Call) and _call_name(node) in ("zip", "enumerate", "reversed", "sorted", "list"):
        return set().union(set(), *map(_sources, node.args))
    if isinstance(node, ast.Call) and _call_name(node) in ("items", "keys", "values"):  # networks.items()
        return {_root_name(node.func.value)} - {None}
    return set()


def _root_name(node):
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _parse(source):
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        return ast.parse(code)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def figure_strings(*sources, calls=TEXT_CALLS, keywords=TEXT_KEYWORDS, words=True, assignments=True):
    """The figure text of some Python code (a notebook's cells): [template] in order of appearance.

    Strings passed to the text calls (TEXT_CALLS, TEXT_KEYWORDS), and, when such a call is given a variable
    (`ax.set_title(title)`), the strings that the code assigns to that variable (`for title, W in [("...", W1)]`),
    in any of the sources (a dictionary of words defined in the setup cell, used by a later one). `words`: only
    strings with words (not "{first}, {second}"); `assignments`: follow variables into assignments and loops, not
    only into the defaults of a function's parameters.
    """
    tree = ast.Module(body=[node for source in sources for node in _parse(source).body], type_ignores=[])
    found, variables = [], set()

    def take(node):
        if isinstance(node, (ast.Name, ast.Subscript, ast.Attribute)):
            if (name := _root_name(node)) is not None:
                variables.add(name)
        elif isinstance(node, ast.IfExp):
            take(node.body)
            take(node.orelse)
        else:
            found.extend(_strings(node, words))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if _call_name(node) in calls:
                for arg in node.args[:1] if calls is not TEXT_CALLS else node.args:
                    take(arg)
            for keyword in node.keywords:
                if keyword.arg in keywords and not _not_text(node, keyword.arg):
                    take(keyword.value)
        elif isinstance(node, ast.JoinedStr) and assignments:  # f"ReLU: {FOLD_WORDS[k]}": its words are shown too
            for value in node.values:
                if isinstance(value, ast.FormattedValue) and isinstance(value.value, (ast.Name, ast.Subscript)):
                    take(value.value)
    # The strings given to the variables the text calls show, and to the variables those come from
    # (`for name, target in zip(axes, targets)` shows the names in `targets`), until no new variable turns up.
    calls_of = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls_of.setdefault(_call_name(node), []).append(node)
    done = set()
    while variables - done:
        done |= variables
        for node in ast.walk(tree):
            if not assignments and not isinstance(node, ast.FunctionDef):
                continue
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if set().union(*map(_names, targets)) & variables and node.value is not None:
                    found.extend(_strings(node.value, words))
            elif isinstance(node, ast.Call) and _call_name(node) in ("append", "extend", "insert"):
                if _root_name(node.func.value) in variables:  # texts.append((x, y, f"weights of z{j}"))
                    found.extend(s for arg in node.args for s in _strings(arg, words))
            elif isinstance(node, (ast.For, ast.comprehension)):
                if _names(node.target) & variables:
                    found.extend(_strings(node.iter, words))
                    variables.update(_sources(node.iter))
            elif isinstance(node, ast.FunctionDef):
                shown = {a.arg for a in node.args.args + node.args.kwonlyargs} & variables
                for default, arg in zip(reversed(node.args.defaults), reversed(node.args.args)):
                    if arg.arg in shown:
                        found.extend(_strings(default, words))
                if not assignments:
                    continue
                # What the code passes for a shown parameter: draw_layer(ax, W, ["from $x_0$", ...], "Hidden layer")
                positions = {a.arg: k for k, a in enumerate(node.args.args)}
                for call in calls_of.get(node.name, ()):
                    for name in sorted(shown):
                        if positions.get(name, len(call.args)) < len(call.args):
                            take(call.args[positions[name]])
                        for keyword in call.keywords:
                            if keyword.arg == name:
                                take(keyword.value)
    return list(dict.fromkeys(found))


def messages(root=ROOT):
    """[(template, where)] of the figures: the English chapters' code cells, then nnlib's plotting helpers."""
    found = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):  # notebooks/ja/* are made from these
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
        found += [(text, f"notebooks/{path.name}") for text in figure_strings(*sources)]
    # The names nnlib.geometry gives the stages of a layer, which chapter 7's panels show ("2. scale: ...").
    geometry = ast.parse((root / "nnlib" / "geometry.py").read_text(encoding="utf-8"))
    for node in geometry.body:
        if isinstance(node, ast.Assign) and _names(node.targets[0]) == {"STAGE_NAMES"}:
            found += [(text, "nnlib/geometry.py") for text in _strings(node.value)]
    plotting, diagram = root / "nnlib" / "plotting.py", root / "nnlib" / "diagram.py"
    found += [(text, "nnlib/plotting.py") for text in figure_strings(plotting.read_text(encoding="utf-8"))]
    # The diagrams mark their words with _t (figure_text), the layer names' helper calls it t.
    code = diagram.read_text(encoding="utf-8")
    found += [
        (text, "nnlib/diagram.py")
        for text in figure_strings(code, calls={"_t", "t"}, keywords=(), words=False, assignments=False)
    ]
    return found


# -- drawing: translate each Text artist as it is laid out ----------------------------------------------------


@functools.lru_cache(maxsize=None)
def _templates(lang):
    """[(regex, translation, loose)] for the catalogue's messages with {placeholders}, the longest first. `loose`: the
    message has one word of its own ("{n} inputs"), too few to tell it from other text ("first inputs") unless
    its values are numbers, symbols or catalogued words."""
    out = []
    for english, translated in catalogue(lang).items():
        names = re.findall(r"\{(\w+)\}", english)
        if not names or not has_words(english):
            continue
        pieces, pattern, seen = re.split(r"\{(\w+)\}", english), "", set()
        for k, piece in enumerate(pieces):
            if k % 2 == 0:
                pattern += re.escape(piece)
            else:
                pattern += f"(?P={piece})" if piece in seen else f"(?P<{piece}>.+?)"
                seen.add(piece)
        loose = len(WORD.findall(MATH.sub("", re.sub(r"\{\w+\}", "", english)))) < 2
        out.append((re.compile(pattern, re.S), translated, loose))
    return sorted(out, key=lambda item: -len(item[0].pattern))


def translate(text, lang=None):
    """`text` as a figure shows it in `lang` (default: language()): the catalogue's translation, a template's filled
    in, else `text`."""
    return _translate(text, lang or language())


@functools.lru_cache(maxsize=4096)
def _translate(text, lang):
    table = catalogue(lang)
    if not table or not text or not has_words(text):
        return text
    stripped = text.strip()
    if stripped in table:
        return text.replace(stripped, table[stripped])
    for pattern, translated, loose in _templates(lang):
        m = pattern.fullmatch(stripped)
        if m and not (loose and any(has_words(v) and v not in table for v in m.groupdict().values())):
            values = {name: table.get(value, value) for name, value in m.groupdict().items()}  # "OR" in "{name} line"
            return text.replace(stripped, fill(translated, values))
    if "\n" in stripped:  # title += f"\nread as {digit}": each line is a message of its own
        lines = [translate(line, lang) for line in stripped.split("\n")]
        if not any(has_words(line) and not NOT_LATIN.search(line) for line in lines):
            return text.replace(stripped, "\n".join(lines))
    # Words put into a string without words of its own, f"{FOLD_WORDS[k]} ({count})": translate the phrases it is
    # made of, but only if that leaves no English word (half-translated text reads worse than English).
    phrases = _phrases(lang)
    if phrases is not None:
        shown = phrases.sub(lambda m: table[m[0]], stripped)
        if shown != stripped and not has_words(phrases.sub("", stripped)):
            return text.replace(stripped, shown)
    return text


@functools.lru_cache(maxsize=None)
def _phrases(lang):
    """One regex matching any whole catalogue message without placeholders, the longest first."""
    words = sorted((m for m in catalogue(lang) if has_words(m) and not re.search(r"\{\w+\}", m)), key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, words)) + r")(?![A-Za-z])")


@functools.lru_cache(maxsize=None)
def japanese_font():
    """The family name of the first installed font of JAPANESE_FONTS, or None."""
    from matplotlib import font_manager

    def first():
        installed = {font.name for font in font_manager.fontManager.ttflist}
        return next((name for name in JAPANESE_FONTS if name in installed), None)

    if first() is None:
        # matplotlib lists the system's fonts once, in a cache: a font installed after that (make check-font-ja) is
        # not in the list until the cache is rebuilt. Add the Japanese ones to this process's list.
        known = {font.fname for font in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known and JAPANESE_FILES.search(Path(path).name):
                font_manager.fontManager.addfont(path)
    return first()


def font_families(lang=None):
    """The font families a figure's translated text is written in (the first with the glyph draws it)."""
    if (lang or language()) == "en":
        return None
    font = japanese_font()
    return None if font is None else [font, FALLBACK_FONT]


def localize(artist):
    """Show `artist` (a matplotlib Text) in the current language: swap its string and font, or put English back."""
    lang = language()
    shown = getattr(artist, "_nnlib_shown", None)
    current = artist.get_text()
    if shown is not None and current != shown[0]:  # the code gave it a new string since: that is the English
        artist._nnlib_shown = shown = None
    if shown is not None and shown[1] == lang:
        return
    english, english_font = (shown[2], shown[3]) if shown is not None else (current, artist.get_fontproperties())
    families = font_families(lang)
    translated = translate(english, lang) if families else english
    if translated == english and shown is None:
        return
    artist.set_text(translated)
    if translated != english:
        artist.set_fontproperties(english_font.copy())
        artist.set_fontfamily(families)
    else:
        artist.set_fontproperties(english_font)
    artist._nnlib_shown = (artist.get_text(), lang, english, english_font)


_original = {}


def install():
    """Translate figure text from now on (while language() is not English). Idempotent; set_language calls it."""
    if _original:
        return
    from matplotlib.text import Text

    if font_families("ja") is None:
        warnings.warn(
            "nnlib: no Japanese font is installed, so figures stay in English (install one: "
            "sudo apt-get install fonts-noto-cjk, i.e. `make check-font-ja`; then restart the kernel)",
            stacklevel=3,
        )
    _original["draw"], _original["_get_layout"] = Text.draw, Text._get_layout

    # Text.draw lays the text out inside a context that restores the string afterwards: translate before it, so the
    # artist keeps the translation; _get_layout is where legends and tight layouts measure the text first.
    def draw(self, renderer):
        localize(self)
        return _original["draw"](self, renderer)

    def _get_layout(self, renderer):
        localize(self)
        return _original["_get_layout"](self, renderer)

    Text.draw, Text._get_layout = draw, _get_layout


def uninstall():
    """Stop translating figure text (figures already drawn keep theirs until drawn again under English)."""
    from matplotlib.text import Text

    if _original:
        Text.draw, Text._get_layout = _original.pop("draw"), _original.pop("_get_layout")


def figure_text(text, **values):
    """`text`, words a figure shows (nnlib's diagrams), in the current language, with `values` put into its
    {placeholders}. Marks `text` for the catalogue's figure block (extracted from nnlib/diagram.py)."""
    if values:
        return fill(catalogue(language()).get(text, text), values)
    return translate(text)
