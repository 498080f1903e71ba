"""Showing structured results as text a merchant reads, not JSON.

A structured template makes the model answer with a JSON object (`{"title": "...", "bullets": [...]}`).
`ReadableJsonStream` turns that JSON, as it streams, into labelled sections, and only ever *appends*
(so the editor never re-sets its text per token). The layout is the one the core saves to the history
(`desktop.core.content.structured.fields_to_text`: a label line, the value, "- " before list items,
a blank line between fields). `section_spans` finds where each value sits in such a text, edited or
not, so findings in a field can be underlined; `sections_to_fields` reads it back into fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = "- "
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "r": "", "b": "", "f": ""}


def header(label: str, lang: str) -> str:
    """The line that starts a field's section (the same in both languages, as the core writes it)."""
    return label


@dataclass
class Span:
    field: str
    item: int | None  # index in a list field, None for a plain string
    start: int  # offsets (code points) into the readable text
    end: int


class ReadableJsonStream:
    """Feed JSON text in any pieces; get readable text to append."""

    def __init__(self, labels: dict[str, str], lang: str) -> None:
        self.labels, self.lang = labels, lang
        self.spans: list[Span] = []
        self.length = 0  # characters emitted so far
        self._state = "start"
        self._key: list[str] = []
        self._field = ""
        self._fields_seen = 0
        self._item = -1
        self._escape: str | None = None  # "" after a backslash, "uXXXX" while reading \u
        self._in_list = False
        self._pending_high: int | None = None  # a UTF-16 high surrogate waiting for its pair

    def feed(self, chunk: str) -> str:
        out: list[str] = []
        for char in chunk:
            self._step(char, out)
        text = "".join(out)
        self.length += len(text)
        return text

    def _emit(self, out: list[str], text: str) -> None:
        out.append(text)

    def _pos(self, out: list[str]) -> int:
        return self.length + sum(len(piece) for piece in out)

    def _step(self, char: str, out: list[str]) -> None:
        state = self._state
        if state in ("value", "item"):
            self._string_char(char, out)
        elif state == "key":
            if self._escape is not None:
                self._key.append(char)
                self._escape = None
            elif char == "\\":
                self._escape = ""
            elif char == '"':
                self._field = "".join(self._key)
                self._state = "colon"
            else:
                self._key.append(char)
        elif state in ("start", "seek_key"):
            if char == '"':
                self._key, self._state = [], "key"
        elif state == "colon":
            if char == ":":
                self._start_field(out)
                self._state = "seek_value"
        elif state == "seek_value":
            if char == '"':
                self._open_string(out, None)
            elif char == "[":
                self._in_list, self._item, self._state = True, -1, "seek_item"
            elif not char.isspace() and char not in ",}":
                self._emit(out, char)  # a number or true/false: shown as written
                self._state = "scalar"
        elif state == "scalar":
            if char in ",}":
                self._state = "seek_key"
            elif not char.isspace():
                self._emit(out, char)
        elif state == "seek_item":
            if char == '"':
                self._item += 1
                if self._item:
                    self._emit(out, "\n")
                self._emit(out, BULLET)
                self._open_string(out, self._item)
            elif char == "]":
                self._in_list, self._state = False, "seek_key"

    def _start_field(self, out: list[str]) -> None:
        label = self.labels.get(self._field, self._field)
        self._emit(out, ("\n\n" if self._fields_seen else "") + header(label, self.lang) + "\n")
        self._fields_seen += 1

    def _open_string(self, out: list[str], item: int | None) -> None:
        self.spans.append(Span(self._field, item, self._pos(out), self._pos(out)))
        self._state = "item" if item is not None else "value"

    def _string_char(self, char: str, out: list[str]) -> None:
        if self._escape is not None:
            if self._escape == "" and char != "u":
                self._put(out, _ESCAPES.get(char, char))
                self._escape = None
                return
            self._escape += char
            if len(self._escape) == 5:  # "u" + 4 hex digits
                self._unicode_escape(out, self._escape[1:])
                self._escape = None
            return
        if char == "\\":
            self._escape = ""
        elif char == '"':
            self.spans[-1].end = self._pos(out)
            self._state = "seek_item" if self._state == "item" else "seek_key"
        else:
            self._put(out, char)

    def _unicode_escape(self, out: list[str], digits: str) -> None:
        try:
            code = int(digits, 16)
        except ValueError:
            return
        if 0xD800 <= code < 0xDC00:
            self._pending_high = code
            return
        if 0xDC00 <= code < 0xE000 and self._pending_high is not None:
            code = 0x10000 + ((self._pending_high - 0xD800) << 10) + (code - 0xDC00)
            self._pending_high = None
        self._put(out, chr(code))

    def _put(self, out: list[str], text: str) -> None:
        if text:
            self._emit(out, text)
            self.spans[-1].end = self._pos(out)


def readable_fields(fields: dict, labels: dict[str, str], lang: str) -> tuple[str, list[Span]]:
    """The readable text of finished fields (the same layout the stream produces)."""
    import json

    stream = ReadableJsonStream(labels, lang)
    text = stream.feed(json.dumps(fields, ensure_ascii=False))
    return text, stream.spans


def sections_to_fields(text: str, labels: dict[str, str], lang: str, list_fields: set[str]) -> dict:
    """Read an edited readable text back into fields (headers are the lines `header(label)`)."""
    by_header = {header(label, lang): name for name, label in labels.items()}
    fields: dict[str, list[str]] = {}
    current = None
    for line in text.split("\n"):
        name = by_header.get(line.strip())
        if name is not None:
            current = name
            fields[current] = []
        elif current is not None:
            fields[current].append(line)
    out: dict = {}
    for name, lines in fields.items():
        body = "\n".join(lines).strip("\n")
        if name in list_fields:
            out[name] = [re.sub(r"^\s*[•\-\*]\s*", "", line) for line in body.split("\n") if line.strip()]
        else:
            out[name] = body
    return out


def section_spans(text: str, labels: dict[str, str], lang: str, list_fields: set[str]) -> list[Span]:
    """Where each field's value (each item of a list field) sits in a readable text, edited or not."""
    by_header = {header(label, lang): name for name, label in labels.items()}
    spans: list[Span] = []
    offset = 0
    current: str | None = None
    item = -1
    body: list[tuple[int, int]] = []  # (start, end) of the current section's lines

    def close_section() -> None:
        if current is None or current in list_fields or not body:
            return
        lines = [b for b in body if b[1] > b[0]]
        if lines:
            spans.append(Span(current, None, lines[0][0], lines[-1][1]))

    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        name = by_header.get(line.strip())
        if name is not None:
            close_section()
            current, item, body = name, -1, []
            continue
        if current is None:
            continue
        if current in list_fields:
            if line.strip():
                item += 1
                bullet = re.match(r"^\s*[•\-\*]\s*", line)
                spans.append(Span(current, item, start + (bullet.end() if bullet else 0), end))
        else:
            body.append((start, end))
    close_section()
    return spans
