"""Looking things up by the names readers type: "ReLU", "linear", "binary_crossentropy", "adam".

Activations, losses and optimisers are all chosen by name, as in Keras; this is the one place
that forgives case and spelling variants and answers a typo with the closest valid name.
"""

import difflib


def lookup(kind, name, table, aliases=None, example="..."):
    """table[key] for the name a reader gave, where key is the name lower-cased and resolved through aliases.

    kind names what is looked up in the error messages ("activation", "loss").
    An unknown name raises ValueError listing every valid name and the closest one.
    """
    aliases = aliases or {}
    if not isinstance(name, str):
        raise TypeError(
            f"a{'n' if kind[0] in 'aeiou' else ''} {kind} is named by a string such as {example!r}, got {name!r}"
        )
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = aliases.get(key, key)
    if key not in table:
        valid = sorted(set(table) | set(aliases))
        close = difflib.get_close_matches(key, valid, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown {kind} {name!r}.{hint} Valid names: {', '.join(valid)}.")
    return table[key]
