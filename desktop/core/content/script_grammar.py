"""A GBNF grammar that lets the model write only the requested language's script, plus digits,
punctuation and white space: the constrained retry when an answer came back in the wrong language.

For Chinese: Han characters, CJK and full-width punctuation, ASCII digits and punctuation. For English:
printable ASCII and the common typographic quotes and dashes. A plain-text answer is held to it whole
(`script_grammar`); a structured answer keeps its JSON grammar, with the characters of its strings held
to the script (`with_script_strings`, applied by the engine, which builds the JSON grammar).
"""

from __future__ import annotations

import re

# Each language's own characters: Han with CJK and full-width punctuation, or printable ASCII; both
# with the typographic quotes, dashes and ellipsis.
_HAN = r"\u4E00-\u9FFF\u3400-\u4DBF\u3000-\u303F\uFF00-\uFFEF\u2018-\u201D\u2026\u00B7"
_TYPOGRAPHIC = r"\u2018-\u201D\u2013\u2014\u2026"
_CLASSES = {  # a whole answer: digits, every ASCII punctuation mark, line breaks
    "zh": _HAN + r"0-9!-/:-@\[-`{-~" + r"\n\t ",
    "en": r"\x20-\x7E" + _TYPOGRAPHIC + r"\n\t",
}
# Inside a JSON string: the same, without the quote and the backslash (those only escaped) and without
# raw line breaks (JSON writes them as \n).
_STRING_CHARS = {
    "zh": _HAN + r" 0-9!#-/:-@\[\]-`{-~",
    "en": r"\x20-\x21\x23-\x5B\x5D-\x7E" + _TYPOGRAPHIC,
}


def script_grammar(lang: str) -> str | None:
    """The grammar for `lang` (zh or en), or None for a language without one."""
    chars = _CLASSES.get(lang)
    if chars is None:
        return None
    return f"root ::= [{chars}]+\n"


_CHAR_RULE = re.compile(r"^char ::= .*$", re.MULTILINE)


def with_script_strings(json_gbnf: str, lang: str) -> str:
    """A JSON grammar (llama.cpp's json_schema_to_gbnf) whose strings may hold only `lang`'s script,
    digits and punctuation; unchanged for a language without a script class."""
    chars = _STRING_CHARS.get(lang)
    if chars is None:
        return json_gbnf
    rule = "char ::= [" + chars + '] | "\\\\" ["\\\\/bfnrt]'  # escapes: no \\u, which could write any script
    return _CHAR_RULE.sub(lambda _m: rule, json_gbnf, count=1)
