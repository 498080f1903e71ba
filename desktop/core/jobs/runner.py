"""Running a job: item groups through the engine's parallel path, each finished item written at once.

    stop = Stop()                           # the GUI keeps it; pause()/cancel() from any thread
    job = run_job(db, engine, job_id, on_progress=show, stop=stop)

Runs on the thread that owns the engine, with a database connection opened on that thread. A group
is as many items as the engine runs as parallel sequences; the answers that pass are written one
item per transaction right after the group, the others are retried one by one with a new seed.
A crash loses at most the group in flight (its items are `running`, and go back to `pending` on the
next start); it never loses or repeats a written item.

An engine that takes many requests at once (a remote server, or a pool of them: `max_in_flight`) is
fed differently: items are claimed one by one while there is room, up to `max_in_flight` in flight,
and each is written as soon as it is judged, so the server's own batching stays busy and the rate
behind the time left is measured item by item. An item whose request fails fails with the reason
and the job goes on; when no server can be reached at all, the items in flight go back to pending
and the job pauses with that error.

When the engine host crashes mid-group (a fault in llama.cpp), the engine starts a new host and the
group's items are tried again one at a time: an item that crashes the engine on its own is found,
fails with the reason, and the job goes on.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from desktop.core.engine import Finished, TextDelta
from desktop.core.errors import EngineCrashed, ShopscribeError
from desktop.core.jobs import store
from desktop.core.jobs.model import (
    FINISHED_ITEM,
    ITEM_ACCEPTED,
    ITEM_DONE,
    ITEM_FAILED,
    ITEM_PENDING,
    ITEM_RUNNING,
    JOB_CANCELLED,
    JOB_COMPLETED,
    JOB_PAUSED,
    Job,
    JobError,
    JobProgress,
)
from desktop.core.jobs.pipeline import JobPlan, Verdict, new_group_id
from desktop.core.stop import Stop
from desktop.core.store.sqlite import Database

ProgressCallback = Callable[[JobProgress], None]
TextCallback = Callable[[int, str], None]  # (item id, text delta) of each item's first variant


class _Tracker:
    """Counts and the measured rate for progress reports."""

    def __init__(self, db: Database, job_id: int, callback: ProgressCallback | None) -> None:
        self.db, self.job_id, self.callback = db, job_id, callback
        self.started = time.perf_counter()
        self.finished_here = 0

    def emit(self, status: str, item: dict | None = None, message: str = "") -> None:
        if item is not None:
            self.finished_here += 1
        if self.callback is None:
            return
        counts = store.item_counts(self.db, self.job_id)
        total = sum(counts.values())
        failed = counts.get(ITEM_FAILED, 0)
        done = sum(n for s, n in counts.items() if s in FINISHED_ITEM) - failed
        pending = counts.get(ITEM_PENDING, 0) + counts.get(ITEM_RUNNING, 0)
        elapsed = time.perf_counter() - self.started
        rate = self.finished_here / elapsed if self.finished_here and elapsed > 0 else None
        eta = pending / rate if rate else None
        self.callback(JobProgress(self.job_id, status, total, done, failed, pending, rate, eta, elapsed, item,
                                  message))


def run_job(
    db: Database, engine, job_id: int, *, on_progress: ProgressCallback | None = None,
    stop: Stop | None = None, on_text: TextCallback | None = None, force: bool = False,
) -> Job:
    """Generate every pending item of the job; returns the job as it ends (completed, paused or
    cancelled). Starting a paused, pending or interrupted job resumes it. Any error pauses the job
    (resumable) and is raised."""
    job = store.get_job(db, job_id)
    if job.status == JOB_CANCELLED:
        raise JobError(f"Job {job_id} was cancelled; start a new job for the rest.",
                       f"批量任务 {job_id} 已取消。")
    plan = JobPlan.load(db, job)
    recovered = store.start_run(db, job_id, force=force)
    stop = stop or Stop()
    tracker = _Tracker(db, job_id, on_progress)
    status = JOB_PAUSED
    try:
        with stop.interrupts(engine):
            tracker.emit("running", message=f"{recovered} interrupted items resumed" if recovered else "")
            if getattr(engine, "max_in_flight", 0):
                status = _run_in_flight(db, engine, plan, stop, tracker, on_text)
            else:
                status = _run_grouped(db, engine, plan, stop, tracker, on_text)
    finally:
        status = store.end_run(db, job_id, status)
        tracker.emit(status)
    return store.get_job(db, job_id)


def _run_grouped(db, engine, plan: JobPlan, stop: Stop, tracker: _Tracker,
                 on_text: TextCallback | None) -> str:
    """Groups of as many items as the engine runs as parallel sequences; returns the job's status."""
    job_id = plan.job.id
    n_seq = getattr(engine, "n_seq_max", 1)  # no engine is needed when nothing is left to generate
    per_group = max(1, min(int(plan.options.get("group_size") or n_seq), n_seq) // plan.answers_per_item)
    while True:
        if stop.is_set and (stop.cancelled or _unfinished(db, job_id)):
            return JOB_CANCELLED if stop.cancelled else JOB_PAUSED
        if store.job_status(db, job_id) in (JOB_CANCELLED, JOB_PAUSED):  # set by another process
            return store.job_status(db, job_id)
        items = store.claim_items(db, job_id, per_group)
        if not items:
            return JOB_COMPLETED
        if engine is None:
            raise JobError("No model is loaded to generate the rest of the job.",
                           "没有加载模型,无法继续生成。")
        _run_group(db, engine, plan, items, stop, tracker, on_text)


def _run_in_flight(db, engine, plan: JobPlan, stop: Stop, tracker: _Tracker,
                   on_text: TextCallback | None) -> str:
    """Keep up to engine.max_in_flight items in flight; returns the job's status at the end."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    job_id = plan.job.id
    capacity = max(1, int(engine.max_in_flight))
    flights: dict = {}
    claimable, fatal = True, None
    pool = ThreadPoolExecutor(capacity, thread_name_prefix="job-item")
    try:
        while True:
            while claimable and fatal is None and len(flights) < capacity:
                if stop.is_set or store.job_status(db, job_id) in (JOB_CANCELLED, JOB_PAUSED):
                    claimable = False
                    break
                items = store.claim_items(db, job_id, 1)
                if not items:
                    claimable = False
                    break
                prepared = _prepare(db, engine, plan, items[0], tracker)
                if prepared is not None:
                    product, rendered = prepared
                    future = pool.submit(_attempt, engine, plan, items[0], rendered, stop, on_text)
                    flights[future] = (items[0], product, rendered)
            if not flights:
                break
            finished, _ = wait(flights, return_when=FIRST_COMPLETED)
            for future in finished:
                item, product, rendered = flights.pop(future)
                try:
                    outcome = future.result()
                except ShopscribeError as error:
                    if getattr(error, "unreachable", False) or isinstance(error, EngineCrashed):
                        # no server to run it: it waits for the next run
                        store.release_items(db, [item["id"]])
                        fatal = fatal or error
                        continue
                    if store.finish_item(db, item["id"], status=ITEM_FAILED, attempts=1, error=str(error)):
                        tracker.emit("running", store.get_item(db, item["id"]))
                    continue
                if outcome is None:  # stopped mid-answer: nothing half-made is kept
                    store.release_items(db, [item["id"]])
                    continue
                answers, verdicts, seeds, attempts, chosen = outcome
                _write(db, engine, plan, item, product, rendered, answers, verdicts, seeds, attempts,
                       chosen, tracker)
    finally:
        if flights:  # an error on this thread: stop what runs, and give its items back
            engine.cancel()
            wait(flights)
            store.release_items(db, [item["id"] for item, *_ in flights.values()])
        pool.shutdown(wait=True)
    if fatal is not None:
        raise fatal
    if stop.is_set:
        return JOB_CANCELLED if stop.cancelled else JOB_PAUSED
    if store.job_status(db, job_id) in (JOB_CANCELLED, JOB_PAUSED):
        return store.job_status(db, job_id)
    return JOB_COMPLETED if not _unfinished(db, job_id) else JOB_PAUSED


def _attempt(engine, plan: JobPlan, item: dict, rendered, stop: Stop, on_text: TextCallback | None):
    """One item's answers on a worker thread: its variants, then the bounded retries when none is valid.
    Returns (answers, verdicts, seeds, attempts, chosen), or None when stopped mid-answer. A request
    that fails raises its error."""
    variants = plan.answers_per_item  # every variant's best-of candidates
    seeds = [plan.seed(item["position"], 0, v) for v in range(variants)]
    answers = []
    for v, seed in enumerate(seeds):
        answer = _generate_one(engine, plan.request(rendered, seed), on_text if v == 0 else None, item["id"])
        if answer.stop_reason == "error":
            raise answer.extra["error"]
        if answer.stop_reason == "cancelled":
            return None
        answers.append(answer)
    sources = plan.sources(rendered)
    verdicts = [plan.judge(a.text, a.stop_reason, sources) for a in answers]
    chosen = plan.pick(verdicts)
    if (chosen is not None and not plan.wrong_language(verdicts[chosen])) or plan.retries == 0:
        return answers, verdicts, seeds, 1, chosen or 0
    first = chosen or 0  # valid but in the wrong language, or the first invalid answer
    outcome = _retry(engine, plan, rendered, item["position"], answers[first], verdicts[first], stop, on_text,
                     item["id"], first_seed=seeds[first])
    if outcome is None:
        return None
    answer, verdict, seed, attempts = outcome
    return [answer], [verdict], [seed], attempts, 0


def _unfinished(db: Database, job_id: int) -> int:
    counts = store.item_counts(db, job_id)
    return counts.get(ITEM_PENDING, 0) + counts.get(ITEM_RUNNING, 0)


def _prepare(db, engine, plan: JobPlan, item: dict, tracker: _Tracker):
    """(product, rendered prompt) for an item, or None when it cannot be generated (then it is
    written as failed with the reason: a missing product name, a prompt longer than the context)."""
    try:
        product = store.product_for_item(db, item)
        rendered = plan.prompt(product, engine)
        engine.check_fits(engine.count_prompt_tokens(plan.request(rendered, 0)))
        return product, rendered
    except EngineCrashed:
        raise  # the engine's fault, not the item's: the group is tried again
    except ShopscribeError as exc:
        if getattr(exc, "unreachable", False):
            raise  # no server to ask: not the item's fault either
        if store.finish_item(db, item["id"], status=ITEM_FAILED, attempts=0, error=str(exc)):
            tracker.emit("running", store.get_item(db, item["id"]))
        return None


def _run_group(db, engine, plan: JobPlan, items: list[dict], stop: Stop, tracker: _Tracker,
               on_text: TextCallback | None, *, alone: bool = False) -> None:
    try:
        _generate_group(db, engine, plan, items, stop, tracker, on_text)
    except EngineCrashed as crash:
        unfinished = [i for i in items if store.get_item(db, i["id"])["status"] == ITEM_RUNNING]
        if alone or len(unfinished) == 1:
            for item in unfinished:  # this item crashes the engine by itself: it fails, the job goes on
                if store.finish_item(db, item["id"], status=ITEM_FAILED, attempts=1, error=str(crash)):
                    tracker.emit("running", store.get_item(db, item["id"]))
            return
        tracker.emit("running", message=crash.text("en"))
        for item in unfinished:  # one at a time, each in the engine's next host
            if stop.is_set:
                store.release_items(db, [i["id"] for i in unfinished
                                         if store.get_item(db, i["id"])["status"] == ITEM_RUNNING])
                return
            _run_group(db, engine, plan, [item], stop, tracker, on_text, alone=True)


def _generate_group(db, engine, plan: JobPlan, items: list[dict], stop: Stop, tracker: _Tracker,
                    on_text: TextCallback | None) -> None:
    variants = plan.answers_per_item  # every variant's best-of candidates, as parallel sequences
    prepared = [(item, *p) for item in items if (p := _prepare(db, engine, plan, item, tracker))]
    if not prepared:
        return
    requests, owners = [], []
    for item, _product, rendered in prepared:
        for v in range(variants):
            requests.append(plan.request(rendered, plan.seed(item["position"], 0, v)))
            owners.append(item["id"] if v == 0 else None)  # the stream shows each item's first variant

    def forward(event) -> None:
        if (
            on_text is not None
            and isinstance(event, TextDelta)
            and event.text
            and owners[event.seq] is not None
        ):
            on_text(owners[event.seq], event.text)

    results: list[Finished] = engine.generate_batch(requests, forward if on_text else None)
    retry, interrupted = [], []
    for n, (item, product, rendered) in enumerate(prepared):
        answers = results[n * variants:(n + 1) * variants]
        # stopped mid-answer: nothing half-made is kept
        if any(a.stop_reason == "cancelled" for a in answers):
            interrupted.append(item["id"])
            continue
        sources = plan.sources(rendered)
        verdicts = [plan.judge(a.text, a.stop_reason, sources) for a in answers]
        chosen = plan.pick(verdicts)
        if chosen is None and plan.retries > 0:
            retry.append((item, product, rendered, answers[0], verdicts[0], None))
            continue
        if chosen is not None and plan.retries > 0 and plan.wrong_language(verdicts[chosen]):
            retry.append((item, product, rendered, answers[chosen], verdicts[chosen],
                          plan.seed(item["position"], 0, chosen)))  # the constrained language retry
            continue
        seeds = [plan.seed(item["position"], 0, v) for v in range(variants)]
        _write(db, engine, plan, item, product, rendered, answers, verdicts, seeds, 1, chosen or 0, tracker)
    if interrupted:
        store.release_items(db, interrupted + [item["id"] for item, *_ in retry])
        return
    for item, product, rendered, answer, verdict, first_seed in retry:
        if stop.is_set:
            store.release_items(db, [item["id"] for item, *_ in retry])
            return
        outcome = _retry(engine, plan, rendered, item["position"], answer, verdict, stop, on_text, item["id"],
                         first_seed=first_seed)
        if outcome is None:  # aborted mid-answer
            store.release_items(db, [item["id"] for item, *_ in retry])
            return
        answer, verdict, seed, attempts = outcome
        _write(db, engine, plan, item, product, rendered, [answer], [verdict], [seed], attempts, 0, tracker)


def _retry(engine, plan: JobPlan, rendered, position: int, answer: Finished, verdict: Verdict,
           stop: Stop, on_text: TextCallback | None, item_id: int, *, seed_base: int | None = None,
           first_seed: int | None = None):
    """Up to plan.retries more attempts, one at a time, each with a new seed. Returns (answer,
    verdict, seed, attempts made) — the last answer when none passes — or None when stopped."""
    seed = plan.seed(position, 0) if seed_base is None else seed_base
    seed = first_seed if first_seed is not None else seed  # the seed `answer` was drawn with
    attempts = 1
    # A valid answer in the wrong language is tried again too, held by a grammar to the job's script; the
    # best valid answer so far is kept if the constrained one is worse.
    kept = (answer, verdict, seed) if verdict.valid else None
    for attempt in range(1, plan.retries + 1):
        if verdict.valid and not plan.wrong_language(verdict):
            break
        script_only = plan.wrong_language(verdict)
        seed = plan.seed(position, attempt) if seed_base is None else (seed_base + attempt * 101) % 2**31
        request = plan.request(rendered, seed, script_only=script_only)
        answer = _generate_one(engine, request, on_text, item_id)
        if answer.stop_reason == "cancelled" or stop.abort:
            return None
        verdict = plan.judge(answer.text, answer.stop_reason, plan.sources(rendered))
        attempts += 1
        if verdict.valid and (kept is None or plan.wrong_language(kept[1])):
            kept = (answer, verdict, seed)
    if kept is not None and not verdict.valid:
        answer, verdict, seed = kept
    return answer, verdict, seed, attempts


def _generate_one(engine, request, on_text: TextCallback | None, item_id: int) -> Finished:
    if on_text is None:
        return engine.generate(request)
    final = None
    for event in engine.stream(request):
        if isinstance(event, TextDelta):
            on_text(item_id, event.text)
        else:
            final = event
    return final


def _write(db, engine, plan: JobPlan, item: dict, product: dict, rendered, answers: list[Finished],
           verdicts: list[Verdict], seeds: list[int], attempts: int, chosen: int, tracker: _Tracker,
           expect: tuple[str, ...] = (ITEM_RUNNING,)) -> bool:
    """One transaction: the item's result and, when valid, the history rows of its answers."""
    verdict = verdicts[chosen] = plan.with_details(verdicts[chosen], rendered)
    if verdict.valid:
        group_id = new_group_id()
        records = [plan.history_record(engine, rendered, product, a, v, seed=s, group_id=group_id,
                                       variant_index=i)
                   for i, (a, v, s) in enumerate(zip(answers, verdicts, seeds)) if v.valid]
        chosen_row = sum(1 for v in verdicts[:chosen] if v.valid)
        status = ITEM_DONE  # new words need a new review
    else:
        records, chosen_row, status = [], 0, ITEM_FAILED
    written = store.finish_item(
        db, item["id"], status=status, attempts=attempts, text=verdict.text, fields=verdict.fields,
        findings=verdict.findings, error=None if verdict.valid else verdict.reason, generations=records,
        chosen=chosen_row, expect=expect, score=verdict.score,
    )
    if written:
        tracker.emit("running", store.get_item(db, item["id"]))
    return written


def regenerate_item(
    db: Database, engine, item_id: int, *, seed: int | None = None, on_text: TextCallback | None = None,
    stop: Stop | None = None,
) -> dict:
    """Generate one finished item again (the review table's button), with retries, and write the new
    result with its history row. Returns the item. The item is not marked running meanwhile: the new
    result is written only if nobody changed the item in between."""
    item = store.get_item(db, item_id)
    if item["status"] not in FINISHED_ITEM:
        raise JobError(
            f"Item {item_id} is {item['status']}; run or resume its job instead.",
            f"条目 {item_id} 尚未生成,请运行该任务。"
        )
    job = store.get_job(db, item["job_id"])
    plan = JobPlan.load(db, job)
    product = store.product_for_item(db, item)
    rendered = plan.prompt(product, engine)
    engine.check_fits(engine.count_prompt_tokens(plan.request(rendered, 0)))
    stop = stop or Stop()
    with stop.interrupts(engine):
        base = seed if seed is not None else random.randrange(2**31)
        answer = _generate_one(engine, plan.request(rendered, base), on_text, item_id)
        if answer.stop_reason == "cancelled":
            return item
        verdict = plan.judge(answer.text, answer.stop_reason, plan.sources(rendered))
        outcome = _retry(engine, plan, rendered, item["position"], answer, verdict, stop, on_text, item_id,
                         seed_base=base)
    if outcome is None:
        return item
    answer, verdict, used_seed, attempts = outcome
    tracker = _Tracker(db, job.id, None)
    if not _write(db, engine, plan, item, product, rendered, [answer], [verdict], [used_seed], attempts, 0,
                  tracker, expect=(item["status"],)):
        raise JobError(f"Item {item_id} changed while it was regenerated; try again.",
                       f"条目 {item_id} 已被修改,请重试。")
    return store.get_item(db, item_id)


def edit_item(db: Database, item_id: int, fields: dict) -> dict:
    """The merchant's own version of an item's fields: validated and checked like a model's answer.
    Valid: done (an accepted item stays accepted); not valid: failed with the reason. The history row
    gets the edit as its edited text."""
    item = store.get_item(db, item_id)
    if item["status"] not in FINISHED_ITEM:
        raise JobError(f"Item {item_id} is not generated yet.", f"条目 {item_id} 尚未生成。")
    plan = JobPlan.load(db, store.get_job(db, item["job_id"]))
    merged = {**(item.get("fields") or {}), **fields}
    try:  # the edit is checked against the product's facts like a model's answer
        sources = plan.sources(plan.prompt(store.product_for_item(db, item)))
    except ShopscribeError:
        sources = None  # the product was deleted, or no longer renders: check without
    verdict = plan.judge_fields(merged, sources=sources)
    if verdict.valid:
        status = ITEM_ACCEPTED if item["status"] == ITEM_ACCEPTED else ITEM_DONE
    else:
        status = ITEM_FAILED
    written = store.finish_item(db, item_id, status=status, attempts=item["attempts"], text=verdict.text,
                                fields=verdict.fields, findings=verdict.findings, score=verdict.score,
                                error=None if verdict.valid else verdict.reason, expect=(item["status"],))
    if not written:
        raise JobError(f"Item {item_id} changed meanwhile; try again.", f"条目 {item_id} 已被修改,请重试。")
    if item.get("generation_id"):
        from desktop.core.store.history import set_edited_text

        with store.write(db):
            set_edited_text(db, item["generation_id"], verdict.text)
    return store.get_item(db, item_id)
