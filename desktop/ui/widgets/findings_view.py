"""Checks shown where the merchant writes: findings underlined in the editor (with a tooltip), the facts
that the merchant's input backs, dotted and linked to their source ("from: Key features"), length
meters that turn red past the limit, the quality score with what took points off, and a list of
findings with a one-click fix."""

from __future__ import annotations

import html
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.theme import colour

REMOVE = "remove"
BUTTON_WORDS = 16  # characters of a fix button's quoted words; the rest in its tooltip


def qt_pos(text: str, offset: int) -> int:
    """A code-point offset as a QTextDocument position (UTF-16 units: an emoji counts 2)."""
    return len(text[:offset].encode("utf-16-le")) // 2


def clear_layout(layout) -> None:
    """Remove every item; widgets leave their parent at once (so findChild no longer sees them)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


@dataclass
class PlacedFinding:
    """A finding with its place in the editor's whole text (code points), or None when it has none."""

    finding: object  # desktop.core.checks.Finding
    start: int | None
    end: int | None


@dataclass
class PlacedFact:
    """A fact of the text that the merchant's input backs, with its place and the source's name."""

    text: str
    source: str
    start: int
    end: int


def _from_source(source: str) -> str:
    return QCoreApplication.translate("FindingsList", "From: %1").replace("%1", source)


class _Underlines(QSyntaxHighlighter):
    """Underlines as formats of the text's own layout, so they are drawn with the text. Qt's usual way,
    extra selections, draws the text again for each one: with 45 of them, one repaint of a
    3,000-character result took about seven times as long as without (measured offscreen)."""

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)  # attached to a document only while it has something to underline
        self.ranges: list[tuple[int, int, QTextCharFormat]] = []  # document positions, end excluded

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        block = self.currentBlock()
        first, last = block.position(), block.position() + block.length() - 1
        for start, end, fmt in self.ranges:
            if start < last and end > first:
                self.setFormat(max(start, first) - first, min(end, last) - max(start, first), fmt)


class FindingHighlighter(QObject):
    """Underlines placed findings in a QPlainTextEdit and shows their message on hover.

    `restyling` is true while the underlines change: the text's layout changes then, and the editor
    emits textChanged although its text stays the same."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.placed: list[PlacedFinding] = []
        self.facts: list[PlacedFact] = []
        self.restyling = False
        # Owned by the document, so it goes with it: owned by this object, it would take its formats off
        # the text in its destructor, and the editor would report an edit while it is being destroyed.
        self._underlines = _Underlines(None)
        self._underlines.setParent(editor.document())
        editor.viewport().installEventFilter(self)

    def show(self, placed: list[PlacedFinding], facts: list[PlacedFact] = ()) -> None:
        self.placed = [p for p in placed if p.start is not None]
        text = self.editor.toPlainText()
        taken = [(p.start, p.end) for p in self.placed]
        self.facts = [f for f in facts if not any(s < f.end and f.start < e for s, e in taken)]
        # backed facts: a quiet dotted line; findings: a wave, red when they block
        ranges = [self._underline(text, f.start, f.end, "ok", dotted=True) for f in self.facts]
        for p in self.placed:
            severe = getattr(p.finding, "severity", "") in ("block", "error")
            ranges.append(self._underline(text, p.start, p.end, "underline" if severe else "accent"))
        self._restyle(ranges)

    @staticmethod
    def _underline(text: str, start: int, end: int, colour_name: str,
                   dotted: bool = False) -> tuple[int, int, QTextCharFormat]:
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine if dotted
                              else QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(colour(colour_name))
        first, last = qt_pos(text, start), qt_pos(text, end)
        if first == last:  # an insertion point: mark the character before it
            first = max(0, first - 1)
        return first, last, fmt

    def _restyle(self, ranges: list[tuple[int, int, QTextCharFormat]]) -> None:
        underlines = self._underlines
        if not shiboken6.isValid(underlines):  # its document is gone: the editor is being destroyed
            return
        if not ranges and underlines.document() is None:
            return
        self.restyling = True
        try:
            underlines.ranges = ranges
            if not ranges:
                underlines.setDocument(None)  # takes its formats off the text
            else:
                if underlines.document() is None:
                    underlines.setDocument(self.editor.document())  # its own first pass waits a turn
                underlines.rehighlight()  # now: the card's review is shown whole, in one turn
        finally:
            self.restyling = False

    def underlined(self) -> list[tuple[int, int, str]]:
        """(start, end, style) of every underline drawn now, in document positions: "wave" or "dots"."""
        out = []
        block = self.editor.document().firstBlock()
        while block.isValid():
            for r in block.layout().formats():
                style = r.format.underlineStyle()
                if style != QTextCharFormat.UnderlineStyle.NoUnderline:
                    kind = "dots" if style == QTextCharFormat.UnderlineStyle.DotLine else "wave"
                    out.append((block.position() + r.start, block.position() + r.start + r.length, kind))
            block = block.next()
        return out

    def clear(self) -> None:
        self.placed = []
        self.facts = []
        self._restyle([])

    def finding_at(self, position: int) -> object | None:
        text = self.editor.toPlainText()
        for p in self.placed:
            if qt_pos(text, p.start) <= position <= qt_pos(text, p.end):
                return p.finding
        return None

    def tip_at(self, position: int) -> str | None:
        """What hovering at `position` (a document position) shows: a finding's message, or where a
        backed fact comes from."""
        finding = self.finding_at(position)
        if finding is not None:
            return finding.message
        text = self.editor.toPlainText()
        for fact in self.facts:
            if qt_pos(text, fact.start) <= position <= qt_pos(text, fact.end):
                return _from_source(fact.source)
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and (self.placed or self.facts):
            tip = self.tip_at(self.editor.cursorForPosition(event.pos()).position())
            if tip is not None:
                QToolTip.showText(event.globalPos(), tip, self.editor.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)


class MetersBar(QLabel):
    """The measured lengths in one wrapping line: "Title 18 / 30 · Body 120 / 1000", red when over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lengthMeters")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.meters: list[tuple[str, int, int | None, bool]] = []  # (label, value, limit, over)

    def set_meters(self, meters: list[tuple[str, int, int | None, str]]) -> None:
        """meters: (label, value, limit or None, counter)."""
        self.meters = []
        parts = []
        muted, danger = colour("muted").name(), colour("danger").name()
        for name, value, limit, _counter in meters:
            over = limit is not None and value > limit
            self.meters.append((name, value, limit, over))
            text = html.escape(f"{name} {value} / {limit}" if limit is not None else f"{name} {value}")
            style = f"color:{danger};font-weight:600" if over else f"color:{muted}"
            parts.append(f'<span style="{style}">{text}</span>')
        self.setText(f' <span style="color:{muted}">·</span> '.join(parts))

    @property
    def any_over(self) -> bool:
        return any(m[3] for m in self.meters)


def score_band(value: int) -> str:
    """The colour a score is shown in: good from 80, doubtful from 50, else poor."""
    return "ok" if value >= 80 else "accent_text" if value >= 50 else "danger"


class ScoreLine(QLabel):
    """The quality score and each part that took points off ("Facts −20: 1 unsupported fact"); the
    tooltip lists every part, so the merchant sees why a result scored as it did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreLine")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.value: int | None = None
        self.hide()

    def set_score(self, score: dict | None, lang: str) -> None:
        self.value = score.get("value") if score else None
        if self.value is None:
            self.clear()
            self.setToolTip("")
            self.hide()
            return
        muted = colour("muted").name()
        head = QCoreApplication.translate("FindingsList", "Quality %1 / 100").replace("%1", str(self.value))
        lost, every = [], []
        for part in score.get("parts", []):
            label = part["label"].get(lang) or part["label"].get("en", part["id"])
            detail = part["detail"].get(lang) or part["detail"].get("en", "")
            points = part.get("points", 0)
            line = f"{label} \u2212{-points}: {detail}" if points else f"{label}: {detail}"
            every.append(line)
            if points:
                lost.append(html.escape(line))
        nothing = QCoreApplication.translate("FindingsList", "nothing taken off")
        tail = " · ".join(lost) if lost else html.escape(nothing)
        self.setText(f'<b style="color:{colour(score_band(self.value)).name()}">{html.escape(head)}</b>'
                     f' <span style="color:{muted}">· {tail}</span>')
        self.setToolTip("\n".join([head, *every]))
        self.show()


class SourcesLine(QLabel):
    """The facts of the text that the merchant's input backs, each with its source: "750 ml — Key
    features". Unbacked facts are findings instead (underlined, in the list)."""

    SHOWN = 8  # more would crowd the card; the rest are counted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("factSources")
        self.setWordWrap(True)
        self.setProperty("role", "muted")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_facts(self, facts: list[PlacedFact]) -> None:
        unique = list(dict.fromkeys((f.text, f.source) for f in facts))
        if not unique:
            self.clear()
            self.hide()
            return
        each = QCoreApplication.translate("FindingsList", "%1 — %2")
        parts = [each.replace("%1", text).replace("%2", source) for text, source in unique[: self.SHOWN]]
        if len(unique) > self.SHOWN:
            more = QCoreApplication.translate("FindingsList", "%1 more")
            parts.append(more.replace("%1", str(len(unique) - self.SHOWN)))
        line = QCoreApplication.translate("FindingsList", "Backed by your input: %1")
        self.setText(line.replace("%1", " · ".join(parts)))
        self.show()


class FindingRow(QWidget):
    """One finding: a coloured dot and its message, and (when it has a fix) a button that applies it."""

    def __init__(self, on_apply) -> None:
        super().__init__()
        self.setObjectName("findingRow")
        self.placed: PlacedFinding | None = None
        self._on_apply = on_apply
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.message, 1)
        self.button: QPushButton | None = None  # made the first time this row shows a fix

    def set_finding(self, placed: PlacedFinding) -> None:
        self.placed, finding = placed, placed.finding
        severe = finding.severity in ("block", "error")
        dot = colour("underline" if severe else "accent").name()
        # non-breaking spaces: a long first word wraps with its dot, never leaving the dot alone on a line
        self.message.setText(f'<span style="color:{dot}">●</span>&nbsp;&nbsp;{html.escape(finding.message)}')
        fixable = finding.suggestion not in ("", None) and placed.start is not None
        if fixable and self.button is None:
            self.button = QPushButton()
            self.button.setObjectName("applySuggestionButton")
            self.button.clicked.connect(lambda _=False: self._on_apply(self.placed))
            self._layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        if self.button is not None:
            if fixable:
                full = _apply_text(finding)
                shown = _apply_text(finding, BUTTON_WORDS)
                self.button.setText(shown)
                self.button.setToolTip(full if shown != full else "")
            self.button.setVisible(fixable)


class FindingsList(QWidget):
    """The findings, the most serious first, each with its message and (when it has one) a button that
    applies the fix. Up to SHOWN are listed; the rest wait behind "Show all" (every finding stays
    underlined in the text). Its rows are kept and refilled: a check runs after every generation and
    every edit, and making and styling new widgets each time held the GUI thread as a result finished."""

    applyRequested = Signal(object)  # PlacedFinding
    SHOWN = 6  # more crowd the card, and each row costs the window a layout pass

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsList")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._pool: list[FindingRow] = []
        self._placed: list[PlacedFinding] = []
        self._expanded = False
        self._limit = self.SHOWN  # rows listed for now (see reveal_row)
        self.rows: list[FindingRow] = []  # the rows shown, in order
        self.more = QPushButton()
        self.more.setObjectName("showAllFindingsButton")
        self.more.setProperty("role", "flat")
        self.more.clicked.connect(self._expand)
        self.more.hide()
        self._layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        # Several key facts left out: one click adds them all, in the order they were found.
        self.add_all = QPushButton()
        self.add_all.setObjectName("addAllFactsButton")
        self.add_all.clicked.connect(self._add_all)
        self.add_all.hide()
        self._layout.addWidget(self.add_all, 0, Qt.AlignmentFlag.AlignLeft)

    def reserve(self, count: int) -> None:
        """Have `count` rows made and styled ahead (hidden), so the first findings show quickly."""
        while len(self._pool) < count:
            row = FindingRow(self.applyRequested.emit)
            row.hide()
            self._layout.insertWidget(len(self._pool), row)  # before "Show all"
            row.ensurePolished()
            self._pool.append(row)

    def set_findings(self, placed: list[PlacedFinding], rows: int | None = None) -> None:
        """`rows`: list only that many for now; reveal_row() lists the others, one at a time."""
        from desktop.core.checks.findings import SEVERITY_RANK  # loaded by the review, on a worker

        self._placed = sorted(placed, key=lambda p: SEVERITY_RANK.get(p.finding.severity, 1))  # stable
        self._expanded = False
        self._limit = self.SHOWN if rows is None else rows
        self._fill()

    def reveal_row(self) -> bool:
        """List one more of the rows due; True while more are due. Each row is a layout pass of the whole
        card: the Compose card reveals a review's rows a frame apart, so that no turn of the GUI thread
        lays out six of them at once."""
        if not self.revealing:
            return False
        self._limit += 1
        self.hide()  # refilled hidden and shown once: one layout pass
        self._fill()
        return self.revealing

    @property
    def revealing(self) -> bool:
        """Rows of the current findings are still to come (see reveal_row)."""
        return self._limit < self._due()

    def _due(self) -> int:
        """How many rows the findings get: all once expanded, else up to SHOWN."""
        return len(self._placed) if self._expanded else min(len(self._placed), self.SHOWN)

    def _expand(self) -> None:
        self._expanded, self._limit = True, len(self._placed)
        self._fill()

    def _fill(self) -> None:
        shown = self._placed[: min(self._limit, self._due())]
        complete = len(shown) == self._due()
        self.reserve(len(shown))
        for row, p in zip(self._pool, shown, strict=False):
            row.set_finding(p)
            if row.isHidden():  # show and hide only on a change: each costs a layout pass
                row.show()
        for row in self._pool[len(shown):]:
            if not row.isHidden():
                row.hide()
        self.rows = self._pool[: len(shown)]
        rest = len(self._placed) - len(shown) if complete else 0  # the buttons come after the last row
        if rest:
            self.more.setText(QCoreApplication.translate("FindingsList", "Show all %1 findings")
                              .replace("%1", str(len(self._placed))))
        self.more.setVisible(bool(rest))
        facts = self._missing_facts() if complete else []
        if len(facts) > 1:
            self.add_all.setText(QCoreApplication.translate("FindingsList", "Add all %1 missing facts")
                                 .replace("%1", str(len(facts))))  # always 2 or more: no singular form
        self.add_all.setVisible(len(facts) > 1)
        self.setVisible(bool(shown))

    def _missing_facts(self) -> list[PlacedFinding]:
        """The key facts left out that can be added (each a place to insert, all at one place)."""
        facts = [p for p in self._placed if p.finding.category == "coverage" and p.finding.suggestion
                 and p.start is not None and p.start == p.end]
        return [p for p in facts if p.start == facts[0].start]

    def _add_all(self) -> None:
        """One insert of every missing fact's line, in order: applied and undone as one edit."""
        from dataclasses import replace

        facts = self._missing_facts()
        if not facts:
            return
        lines = list(dict.fromkeys(p.finding.suggestion for p in facts))
        first = facts[0]
        self.applyRequested.emit(PlacedFinding(replace(first.finding, suggestion="".join(lines)), first.start,
                                               first.end))

    def clear(self) -> None:
        """No findings (a new generation starts): the list hides, its rows stay as they were until the
        next findings refill them."""
        self._placed, self.rows, self._limit = [], [], self.SHOWN
        self.hide()

    def fix_buttons(self) -> list[QPushButton]:
        """The fix buttons shown, in the findings' order."""
        return [row.button for row in self.rows if row.button is not None and not row.button.isHidden()]


def _elide(words: str, limit: int | None) -> str:
    """`words` cut to `limit` characters with "…", at a space when there is one (never mid-word)."""
    if limit is None or len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if words[limit - 1].isalnum() and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def _apply_text(finding, limit: int | None = None) -> str:
    """The fix button's words; the quoted part cut to `limit` characters (a long one squeezed the
    finding's message into a column a word wide), the whole in the tooltip."""
    if finding.suggestion == REMOVE:
        removed = _elide(finding.text, limit)
        return QCoreApplication.translate("FindingsList", "Remove “%1”").replace("%1", removed)
    if finding.start == finding.end:  # a missing phrase, or a key fact added as a line ("· 750 ml")
        from desktop.core.checks.facts.coverage import detail_text  # loaded by the review, on a worker

        added = _elide(detail_text(finding.suggestion), limit)
        return QCoreApplication.translate("FindingsList", "Add “%1”").replace("%1", added)
    used = _elide(finding.suggestion.strip(), limit)
    return QCoreApplication.translate("FindingsList", "Use “%1”").replace("%1", used)


def apply_placed(editor: QPlainTextEdit, placed: PlacedFinding) -> bool:
    """Replace the finding's words in the editor by its suggestion (undoable). False when the text
    changed since the check (the words are no longer there)."""
    finding = placed.finding
    text = editor.toPlainText()
    if placed.start is None or text[placed.start : placed.end] != finding.text:
        return False
    start, end = placed.start, placed.end
    replacement = "" if finding.suggestion == REMOVE else finding.suggestion
    if replacement == "" and start > 0 and text[start - 1] == " " and end < len(text) and text[end] == " ":
        end += 1  # "a best seller item" -> "a item", not "a  item"
    cursor = QTextCursor(editor.document())
    cursor.setPosition(qt_pos(text, start))
    cursor.setPosition(qt_pos(text, end), QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(replacement)
    return True
