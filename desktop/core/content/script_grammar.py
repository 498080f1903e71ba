"""A GBNF grammar that lets the model write only the requested language's script, plus digits,
punctuation and white space: the constrained retry when an answer came back in the wrong language.

For Chinese: Han characters, CJK and full-width punctuation, ASCII digits and punctuation. For English:
printable ASCII and the common typographic quotes and dashes. Only plain-text templates use it (a
structured template's answer is already held to its JSON grammar).
"""

from __future__ import annotations

_SPACE = r"\n\t "
_ASCII_PUNCT = r"0-9!-/:-@\[-`{-~"  # digits and every ASCII punctuation mark (escaped where GBNF needs it)
_CLASSES = {
    "zh": r"\u4E00-\u9FFF\u3400-\u4DBF\u3000-\u303F\uFF00-\uFFEF\u2018-\u201D\u2026\u00B7"
          + _ASCII_PUNCT + _SPACE,
    "en": r"\x20-\x7E\u2018-\u201D\u2013\u2014\u2026" + r"\n\t",
}


def script_grammar(lang: str) -> str | None:
    """The grammar for `lang` (zh or en), or None for a language without one."""
    chars = _CLASSES.get(lang)
    if chars is None:
        return None
    return f"root ::= [{chars}]+\n"
