"""The nouns of a batch job: statuses, errors and the progress report. (The stop token a runner holds is
desktop/core/stop.py's `Stop`, shared with downloads, fixing and the engine thread.)"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from desktop.core.errors import ShopscribeError

# Job statuses. A job is `pending` until a runner starts it; `running` while one works on it (or was,
# when that process was killed: the next start recovers it); `paused` by the merchant or Ctrl-C;
# `completed` when no item is left to generate; `cancelled` is final.
JOB_PENDING, JOB_RUNNING, JOB_PAUSED, JOB_COMPLETED, JOB_CANCELLED = (
    "pending", "running", "paused", "completed", "cancelled",
)
JOB_STATUSES = (JOB_PENDING, JOB_RUNNING, JOB_PAUSED, JOB_COMPLETED, JOB_CANCELLED)

# Item statuses. `done`: valid output, with its history row. `failed`: the reason is in `error` (its
# last output, when there was one, stays for the merchant to edit). `accepted` / `rejected`: the
# merchant's review of a done item. `cancelled`: the job was cancelled before the item ran.
ITEM_PENDING, ITEM_RUNNING, ITEM_DONE, ITEM_FAILED = "pending", "running", "done", "failed"
ITEM_ACCEPTED, ITEM_REJECTED, ITEM_CANCELLED = "accepted", "rejected", "cancelled"
ITEM_STATUSES = (ITEM_PENDING, ITEM_RUNNING, ITEM_DONE, ITEM_FAILED, ITEM_ACCEPTED, ITEM_REJECTED,
                 ITEM_CANCELLED)
FINISHED_ITEM = (ITEM_DONE, ITEM_FAILED, ITEM_ACCEPTED, ITEM_REJECTED)  # generated, one way or another
USABLE_ITEM = (ITEM_DONE, ITEM_ACCEPTED)  # what an export writes

EXPORT_FORMATS = ("shopify", "csv", "xlsx")
EXPORT_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
DEFAULT_RETRIES = 2  # extra attempts after the first, one at a time, each with a new seed


class JobError(ShopscribeError):
    """A job cannot do what was asked (unknown id, wrong state, bad choice)."""


class JobNotFound(JobError):
    """No job (or item) has that id."""


@dataclass
class Job:
    id: int
    status: str
    content_type: str | None
    platform: str | None
    template_id: str | None
    brand_id: int | None
    tone: str | None
    lang: str | None
    variants: int
    options: dict
    input_path: str | None
    output_path: str | None
    format: str | None
    encoding: str | None
    total: int
    created_at: str
    updated_at: str
    counts: dict = field(default_factory=dict)  # items by status

    @property
    def done(self) -> int:
        return sum(self.counts.get(s, 0) for s in USABLE_ITEM + (ITEM_REJECTED,))

    @property
    def failed(self) -> int:
        return self.counts.get(ITEM_FAILED, 0)

    @property
    def remaining(self) -> int:
        return self.counts.get(ITEM_PENDING, 0) + self.counts.get(ITEM_RUNNING, 0)

    def summary(self) -> dict:
        """The `jobs list --json` shape (and a little more)."""
        return {"id": self.id, "status": self.status, "total": self.total, "done": self.done,
                "failed": self.failed, "pending": self.remaining, "content_type": self.content_type,
                "platform": self.platform, "template_id": self.template_id, "lang": self.lang,
                "created_at": self.created_at, "updated_at": self.updated_at}

    def to_dict(self) -> dict:
        return {**asdict(self), **self.summary()}


@dataclass
class JobProgress:
    """What a progress bar shows. `eta_s` comes from the rate measured in this run (None until the
    first item of the run finishes). `item` is the item just written, when there is one."""

    job_id: int
    status: str
    total: int
    done: int
    failed: int
    pending: int
    rate_per_s: float | None = None
    eta_s: float | None = None
    elapsed_s: float = 0.0
    item: dict | None = None
    message: str = ""

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def fraction(self) -> float:
        return self.finished / self.total if self.total else 1.0

    def to_dict(self) -> dict:
        return asdict(self)
