""""Fix with the model" as the merchant sees it: the button on a result card, and the dialog with the
model's version as a diff, the findings before and after, and the choice: use it, or keep mine."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.i18n import Retranslating
from desktop.ui.icons import icon
from desktop.ui.theme import colour

if TYPE_CHECKING:  # desktop.core.fixing loads the checks: imported when a dialog opens, not at start
    from desktop.core.fixing import FixResult


class FixButton(Retranslating, QPushButton):
    """On each result card: enabled when the card has findings; says which round runs while it works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fixWithModelButton")
        self.setIcon(icon("generate"))
        self.setEnabled(False)
        self._round: tuple[int, int] | None = None
        self._findings = False
        self.retranslate()

    def set_findings(self, present: bool) -> None:
        """The card's latest check found something (the button is for texts with findings)."""
        self._findings = present
        self.setEnabled(present and self._round is None)

    def set_working(self, round_: int | None, of: int = 0) -> None:
        """Show "round n of m" while the model works (None: done, back to the button's own text)."""
        self._round = (round_, of) if round_ is not None else None
        self.setEnabled(self._findings and self._round is None)
        self.retranslate()

    @property
    def working(self) -> bool:
        return self._round is not None

    def retranslate(self) -> None:
        if self._round is None:
            self.setText(self.tr("Fix with the model"))
        elif self._round[0] == 0:
            self.setText(self.tr("Fixing…"))
        else:
            self.setText(self.tr("Fixing… round %1 of %2").replace("%1", str(self._round[0]))
                         .replace("%2", str(self._round[1])))
        self.setToolTip(self.tr("The model rewrites the text with the findings as instructions; you see the "
                                "changes before anything is replaced. Stop (Esc) ends it."))


def _key(finding: dict) -> tuple:
    """The same finding before and after: a length is the same problem whatever part of it is cut."""
    if finding.get("category") == "length":
        return (finding.get("field"), finding["rule"])
    return (finding.get("field"), finding["rule"], finding.get("text", ""))


def compare(before: list[dict], after: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """(fixed, still there, new): findings of `before` gone from `after`, in both, and only in `after`."""
    left = [_key(f) for f in after]
    fixed, kept = [], []
    for finding in before:
        key = _key(finding)
        if key in left:
            left.remove(key)
            kept.append(finding)
        else:
            fixed.append(finding)
    seen = [_key(f) for f in before]
    new = []
    for finding in after:
        key = _key(finding)
        if key in seen:
            seen.remove(key)
        else:
            new.append(finding)
    return fixed, kept, new


class FixDialog(Retranslating, QDialog):
    """Shows a FixResult; accepted means "use the fixed text" (`fixed_text`)."""

    def __init__(self, result: FixResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fixDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.result = result
        self.fixed_text = result.text
        self.summary = QLabel()
        self.summary.setObjectName("fixSummary")
        self.summary.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("fixNote")
        self.note.setProperty("role", "banner")
        self.note.setWordWrap(True)
        self.diff_title, self.findings_title = QLabel(), QLabel()
        for title in (self.diff_title, self.findings_title):
            title.setProperty("role", "section")
        self.legend = QLabel()
        self.legend.setProperty("role", "muted")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.diff = QTextBrowser()
        self.diff.setObjectName("fixDiff")
        from desktop.core.fixing import diff_html

        self.diff.setHtml(diff_html(result.original, result.text))
        self.findings = QTextBrowser()
        self.findings.setObjectName("fixFindings")
        self.buttons = QDialogButtonBox()
        self.use_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setObjectName("useFixedButton")
        self.keep_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setObjectName("keepMineButton")
        self.use_button.setEnabled(result.changed)
        self.use_button.setProperty("role", "primary")
        chosen = self.use_button if result.changed else self.keep_button
        chosen.setDefault(True)
        for view in (self.diff, self.findings):  # the first focus goes to the choice, not a view (whose
            view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # accent focus frame reads as an error)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.note)
        box.addWidget(self.diff_title)
        box.addWidget(self.diff, 1)
        box.addWidget(self.legend)
        box.addWidget(self.findings_title)
        box.addWidget(self.findings, 1)
        box.addWidget(self.buttons)
        self.resize(700, 540)
        self.retranslate()

    # ----- text -------------------------------------------------------------------------------------------
    def _findings_html(self) -> str:
        fixed, kept, new = compare(self.result.findings_before, self.result.findings_after)
        groups = [
            (self.tr("Fixed (%n)", "", len(fixed)), fixed, colour("ok").name(), "✓"),
            (self.tr("Still there (%n)", "", len(kept)), kept, colour("danger").name(), "•"),
            (self.tr("New (%n)", "", len(new)), new, colour("danger").name(), "!"),
        ]
        parts = []
        for title, findings, tint, mark in groups:
            if not findings:
                continue
            parts.append(f"<p style='margin:6px 0 2px 0'><b>{html.escape(title)}</b></p>")
            for f in findings:
                said = f.get("message", "")
                quoted = f.get("text") and f.get("category") != "length" and f["text"] not in said
                words = f"“{html.escape(f['text'])}” " if quoted else ""
                parts.append(
                    f"<p style='margin:0 0 2px 12px'><span style='color:{tint}'>{mark}</span> "
                    f"{words}{html.escape(said)}</p>"
                )
        none = self.tr("No findings before or after.")
        return "".join(parts) or f"<p>{html.escape(none)}</p>"

    def _note(self) -> str:
        result = self.result
        if not result.changed:
            return self.tr("The model found no better version: your text stays as it is.")
        notes = []
        if result.details:
            notes.append(self.tr("The model left out %n key fact(s): they were added at the end, in your "
                                 "words, a line each. Keep them, edit them, or undo.", "",
                                 len(result.details)))
        if any(f.get("severity") == "block" for f in result.findings_after):
            notes.append(self.tr(
                "Some blocking findings are still there: fix them by hand, or with a suggestion."))
        return " ".join(notes)

    def retranslate(self) -> None:
        result = self.result
        self.setWindowTitle(self.tr("Fix with the model"))

        def blocking(findings: list[dict]) -> int:
            return sum(1 for f in findings if f.get("severity") == "block")

        self.summary.setText(
            self.tr("Blocking findings: %1 → %2 · All findings: %3 → %4 · Model rounds: %5")
            .replace("%1", str(blocking(result.findings_before)))
            .replace("%2", str(blocking(result.findings_after)))
            .replace("%3", str(len(result.findings_before)))
            .replace("%4", str(len(result.findings_after)))
            .replace("%5", str(result.rounds))
        )
        note = self._note()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.diff_title.setText(self.tr("Changes"))
        self.findings_title.setText(self.tr("Findings before → after"))
        from desktop.core.fixing import DEL_STYLE, INS_STYLE

        removed, added = html.escape(self.tr("removed")), html.escape(self.tr("added"))
        self.legend.setText(f'<del style="{DEL_STYLE}">{removed}</del> &nbsp; <ins '
                            f'style="{INS_STYLE}">{added}</ins>')
        self.findings.setHtml(self._findings_html())
        self.use_button.setText(self.tr("Use the fixed text"))
        self.keep_button.setText(self.tr("Keep mine"))
