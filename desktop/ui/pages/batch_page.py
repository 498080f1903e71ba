"""Batch: a whole catalog at once. Import the shop's product file and correct the mapping, choose what to
write, start (the job and every item are stored first), watch progress with an ETA, pause, resume or
cancel, then review each item (edit, accept, reject, regenerate) and export a file the shop imports.

A job runs as one engine job, so it holds the model until it ends; its `Stop` token is the engine job's
too, so Pause, Cancel and a closing window all reach the runner and the model. A job stopped by a crash
or a closed window is offered for resuming the next time the page opens."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.core.stop import Stop
from desktop.ui.engine_worker import EngineJob
from desktop.ui.errors import error_message
from desktop.ui.i18n import Retranslating
from desktop.ui.widgets import batch_work as work
from desktop.ui.widgets.batch_import import ImportPanel
from desktop.ui.widgets.batch_review import ReviewPanel
from desktop.ui.widgets.batch_setup import IDLE, PAUSED, PAUSING, RUNNING, SetupPanel
from desktop.ui.widgets.kit import ask, make_button, message_label, page_heading, show_message
from desktop.ui.workers import StoreOp


def create_page(ctx) -> QWidget:
    return BatchPage(ctx)


class BatchPage(Retranslating, QWidget):
    IMPORT, SETUP, REVIEW = range(3)

    def __init__(self, ctx) -> None:
        super().__init__()
        self.ctx = ctx
        self.job_id: int | None = None  # the job this page runs (or last ran)
        self.engine_job: EngineJob | None = None  # its engine job while it runs
        self.stop: Stop | None = None  # the running job's token: pause, resume, cancel
        self.regenerating: dict[EngineJob, int] = {}  # engine job -> item id
        self.resumable: list = []
        self._live: dict[int, str] = {}
        self._loaded = False

        self.title, self.subtitle = page_heading()
        self.message = message_label("batchMessage")
        self.resume_box = QFrame()
        self.resume_box.setObjectName("resumeBanner")
        self.resume_box.setProperty("role", "card")
        self.resume_label = QLabel()
        self.resume_label.setWordWrap(True)
        self.resume_button = make_button("resumeJobButton", None, self.resume_interrupted, primary=True)
        self.review_old_button = make_button("reviewInterruptedButton", None, self._review_interrupted)
        resume_row = QHBoxLayout(self.resume_box)
        resume_row.addWidget(self.resume_label, 1)
        resume_row.addWidget(self.review_old_button)
        resume_row.addWidget(self.resume_button)
        self.resume_box.hide()

        self.importer = ImportPanel()
        self.setup = SetupPanel()
        self.review = ReviewPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("batchTabs")
        for panel in (self.importer, self.setup, self.review):
            self.tabs.addTab(panel, "")
        box = QVBoxLayout(self)
        box.setContentsMargins(20, 16, 20, 12)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        box.addWidget(self.resume_box)
        box.addWidget(self.message)
        box.addWidget(self.tabs, 1)

        self.importer.changed.connect(self._update_startable)
        self.setup.startRequested.connect(self.start)
        self.setup.pauseRequested.connect(self.pause)
        self.setup.resumeRequested.connect(self.resume)
        self.setup.cancelRequested.connect(self.cancel)
        self.review.regenerateRequested.connect(self.regenerate)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._pause_for_exit)
        self.retranslate()
        self._update_startable()

    # ----- opening -----------------------------------------------------------------------------------
    def page_shown(self) -> None:
        from desktop.ui.compose_bridge import load_choices

        StoreOp(self, load_choices).on_success(self.setup.set_choices).on_failure(self._error).run()
        self.refresh_jobs()
        if not self._loaded:
            self._loaded = True
            self.check_resumable()

    def refresh_jobs(self, select: int | None = None) -> None:
        StoreOp(self, work.recent_jobs).on_success(lambda jobs: self.review.set_jobs(jobs, select)) \
            .on_failure(self._error).run()

    def check_resumable(self) -> None:
        def found(jobs) -> None:
            self.resumable = [j for j in jobs if j.id != self.job_id or self.engine_job is None]
            self._show_resumable()

        StoreOp(self, work.resumable_jobs).on_success(found).on_failure(self._error).run()

    def _show_resumable(self) -> None:
        jobs = self.resumable
        self.resume_box.setVisible(bool(jobs) and self.engine_job is None)
        if jobs:
            job = jobs[0]
            text = self.tr("Job %1 stopped before it finished: %2 of %3 products are written. Resume it to "
                           "write the rest; nothing already written is generated again.") \
                .replace("%1", str(job.id)).replace("%2", str(job.done + job.failed)) \
                .replace("%3", str(job.total))
            if len(jobs) > 1:
                text += " " + self.tr("(%1 more unfinished jobs are in the Review list.)") \
                    .replace("%1", str(len(jobs) - 1))
            self.resume_label.setText(text)

    def resume_interrupted(self) -> None:
        if self.resumable and self.engine_job is None:
            job = self.resumable.pop(0)
            self.job_id = job.id
            self._run(job.id)

    def _review_interrupted(self) -> None:
        if self.resumable:
            self.refresh_jobs(select=self.resumable[0].id)
            self.tabs.setCurrentIndex(self.REVIEW)

    # ----- starting and controlling a job --------------------------------------------------------------
    def _update_startable(self) -> None:
        result = self.importer.result
        if result is None:
            self.setup.set_startable(False, self.tr("Open a product file first (step 1)."))
        elif not self.importer.selected():
            self.setup.set_startable(False, self.tr("Choose at least one product (step 1)."))
        else:
            self.setup.set_startable(True, self.tr(
                "%1 products will be written. The job is saved first: if the computer sleeps or Shopscribe "
                "closes, it resumes where it stopped.").replace("%1", str(len(self.importer.selected()))))

    def start(self, setup: dict) -> None:
        if self.engine_job is not None or self.importer.result is None:
            return
        show_message(self.message, "")
        StoreOp(self, work.create_batch_job, self.importer.result, self.importer.selected(), setup,
                self.importer.path).on_success(self._on_created).on_failure(self._error).run()

    def _on_created(self, job) -> None:
        self.job_id = job.id
        self._run(job.id)

    def _run(self, job_id: int) -> None:
        stop = self.stop = Stop()
        self._live.clear()
        job = self.engine_job = self.ctx.engine.submit(work.run_work(job_id, stop), stop=stop, parent=self)
        job.event.connect(self._on_event)
        job.text.connect(self._on_text)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.skipped.connect(self._on_skipped)
        self.setup.set_state(RUNNING)
        self.review.set_busy(True)
        self.resume_box.hide()
        self.refresh_jobs(select=job_id)
        self.tabs.setCurrentIndex(self.SETUP)
        self.ctx.status(self.tr("Batch job %1 started").replace("%1", str(job_id)))

    def pause(self) -> None:
        if self.stop is not None and self.engine_job is not None:
            self.stop.pause(abort=True)  # the group in flight goes back to pending: nothing half-written
            self.setup.set_state(PAUSING)

    def resume(self) -> None:
        if self.engine_job is None and self.job_id is not None:
            self._run(self.job_id)

    def cancel(self) -> None:
        job_id = self.job_id
        if job_id is None:
            return

        def go() -> None:
            if self.engine_job is not None and self.stop is not None:
                self.stop.cancel()
            else:
                from desktop.core.jobs import cancel_job

                StoreOp(self, cancel_job, job_id).on_success(lambda _job: self._ended()) \
                    .on_failure(self._error).run()

        ask(self, self.tr("Cancel the job"),
            self.tr("Cancel job %1 for good? What is written stays and can be exported; the rest is not "
                    "generated.").replace("%1", str(job_id)),
            go, self.tr("Cancel job"))

    def regenerate(self, item_id: int) -> None:
        if self.engine_job is not None:
            show_message(self.message,
                         self.tr("Wait for the job to finish (or pause it) to regenerate one item."))
            return
        stop = Stop()
        job = self.ctx.engine.submit(work.regenerate_work(item_id, stop), stop=stop, parent=self)
        job.finished.connect(lambda item: self._regenerated(job, item))
        job.failed.connect(lambda message: self._regenerated(job, None, message))
        job.skipped.connect(lambda: self._regenerated(job, None))
        self.regenerating[job] = item_id
        self.review.set_busy(True)
        self.ctx.status(self.tr("Regenerating one item…"))

    # ----- the running job's reports ------------------------------------------------------------------------
    def _on_event(self, event) -> None:
        from desktop.core.jobs import JobProgress

        if isinstance(event, JobProgress):
            self.setup.show_progress(event)
            if event.item is not None and self.review.job_combo.currentData() == self.job_id:
                self.review.reload_soon()

    def _on_text(self, stream: int, text: str) -> None:
        self._live[stream] = self._live.get(stream, "")[-400:] + text
        self.setup.show_live(self._live[stream])

    def _on_finished(self, result) -> None:
        self.engine_job = None
        if result.status == "completed":
            text = self.tr("Job %1 is complete: %2 written, %3 failed. Review them, then export.") \
                .replace("%1", str(result.id)).replace("%2", str(result.done)) \
                .replace("%3", str(result.failed))
            show_message(self.message, text, "info")
            self.tabs.setCurrentIndex(self.REVIEW)
        elif result.status == "paused":
            show_message(self.message, self.tr("Job %1 is paused. Resume continues with the products not yet "
                                               "written.").replace("%1", str(result.id)), "info")
        self._ended(result.status)

    def _on_failed(self, message: str) -> None:
        self.engine_job = None
        show_message(self.message, self.tr("The job stopped: %1 It is paused; resume it when the problem "
                                           "is solved.").replace("%1", error_message(message)))
        self._ended("paused")

    def _on_skipped(self) -> None:
        self.engine_job = None
        self._ended("paused")

    def _regenerated(self, job: EngineJob, item: dict | None, failure: str = "") -> None:
        """A regeneration ended: with the item written again, a failure, or skipped."""
        self.regenerating.pop(job, None)
        self.review.set_busy(bool(self.regenerating) or self.engine_job is not None)
        if item is not None:
            self.review.item_updated(item)
            self.ctx.status(self.tr("Item regenerated"))
        elif failure:
            show_message(self.message, error_message(failure))

    def _ended(self, status: str = "cancelled") -> None:
        self.setup.set_state(PAUSED if status == "paused" else IDLE)
        self.review.set_busy(bool(self.regenerating))
        self.setup.live.clear()
        self.refresh_jobs(select=self.job_id)
        if status in ("completed", "cancelled"):
            self.stop = None

    def _error(self, exc) -> None:
        show_message(self.message, error_message(exc))

    # ----- window -----------------------------------------------------------------------------------------
    def _pause_for_exit(self) -> None:
        if self.stop is not None and self.engine_job is not None:
            self.stop.pause(abort=True)

    def can_close(self) -> bool:
        """Closing pauses a running job (it is resumable at the next start); it never blocks the close."""
        self._pause_for_exit()
        return True

    @property
    def running(self) -> bool:
        return self.engine_job is not None

    def retranslate(self) -> None:
        self.title.setText(self.tr("Batch"))
        self.subtitle.setText(self.tr("Write copy for a whole product file at once, review it, and export a "
                                      "file your shop imports. Everything runs on this computer."))
        self.tabs.setTabText(self.IMPORT, self.tr("1 · Products"))
        self.tabs.setTabText(self.SETUP, self.tr("2 · Generate"))
        self.tabs.setTabText(self.REVIEW, self.tr("3 · Review and export"))
        self.resume_button.setText(self.tr("Resume"))
        self.review_old_button.setText(self.tr("Review"))
        self._show_resumable()
        self._update_startable()
