"""`shopscribe models`: list, inspect, search, download, import, remove and choose the default model.

Every command takes `--json` (one document on stdout); downloads print progress on stderr. Ctrl-C during
a download keeps what arrived: the same command resumes it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from desktop.cli import main
from desktop.cli.common import EXIT_INTERRUPTED, fail, print_json, progress, user_errors

JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")


def _registry():
    from desktop.core.models.registry import ModelRegistry

    return ModelRegistry()


def _size(n: int | None) -> str:
    if not n:
        return "-"
    return f"{n / 1024**3:.2f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"


@main.group()
def models() -> None:
    """Local models, the curated catalog, and Hugging Face downloads."""


@models.command("list")
@JSON
@user_errors
def list_cmd(as_json: bool) -> None:
    """Every model on disk (broken files are listed with the reason, never loaded)."""
    items = _registry().list_models()
    if as_json:
        print_json([m.to_json() for m in items])
        return
    for m in items:
        mark = "*" if m.default else " "
        if m.ok:
            click.echo(f"{mark} {m.id:40} {m.info.parameters_label:>6} {m.quantization or '?':8} "
                       f"ctx {m.context_length or '?':>6}  {_size(m.size_bytes):>9}  {m.source}")
        else:
            click.echo(f"{mark} {m.id:40} BROKEN: {m.error}")


@models.command("info")
@click.argument("model_id")
@JSON
@user_errors
def info_cmd(model_id: str, as_json: bool) -> None:
    """One model: header facts, settings and whether it fits this machine."""
    from desktop.core.models.fit import estimate_for_info

    registry = _registry()
    model = registry.get_model(model_id, with_sha256=True)
    data = model.to_json()
    data["settings"] = registry.model_settings(model.id)
    if model.info is not None:
        fit = estimate_for_info(model.info, data["settings"]["n_ctx"],
                                n_gpu_layers=data["settings"]["n_gpu_layers"])
        data.update(fit=fit.to_json(), version=model.info.version, n_layers=model.info.n_layers,
                    embedding_length=model.info.embedding_length, n_head=model.info.n_head,
                    n_head_kv=model.info.n_head_kv, tensor_count=model.info.tensor_count,
                    vocab_size=model.info.vocab_size)
    data["engine"] = _engine_report(model.sha256)
    if model.ok and model.sha256:
        from desktop.core.engine.remembered import remembered

        data["engine"].update(remembered(model.sha256))
    if as_json:
        print_json(data)
        return
    for key in ("id", "name", "path", "source", "architecture", "parameters_label", "quantization",
                "context_length", "size_bytes", "sha256", "has_chat_template", "default", "error"):
        click.echo(f"{key:18} {data.get(key)}")
    click.echo(f"{'settings':18} {data['settings']}")
    if "fit" in data:
        click.echo(f"{'fit':18} {data['fit']['label']}: {data['fit']['detail']['en']}")
    engine = data["engine"]
    click.echo(f"{'llama.cpp':18} {_engine_line(engine)}")
    if "safe_mode" in engine:
        click.echo(f"{'safe mode':18} {engine['safe_mode']['en'] or 'off'}")
        click.echo(f"{'tuned':18} {engine['tuned']['en'] if engine['tuned'] else 'not measured yet'}")


@models.command("tune")
@click.argument("model_id", required=False)
@JSON
@user_errors
def tune_cmd(model_id: str | None, as_json: bool) -> None:
    """Measure flash attention and thread counts for a model on this computer and keep the fastest."""
    from desktop.cli.common import progress
    from desktop.core.engine.client import HostEngine

    engine = HostEngine(model_id)
    progress(f"measuring {engine.model_id} on this computer (a few seconds) ...")
    record = engine.tune()
    if as_json:
        print_json(record)
        return
    for m in record["measurements"]:
        cached = f", {m['cached_tokens']} cached" if m.get("cached_tokens") else ""
        click.echo(f"flash attention {m['flash_attn']:3}  {m['n_threads']:>2} threads  prompt "
                   f"{m['prompt_s']:.3f} s ({m['prompt_tokens']} tokens{cached})  "
                   f"decode {m['decode_tps']:.1f} tok/s")
    click.echo(f"kept: flash attention {record['flash_attn']}, {record['n_threads']} threads")


@models.command("reset-engine")
@click.argument("model_id")
@user_errors
def reset_engine_cmd(model_id: str) -> None:
    """Forget a model's safe mode and tuned settings on this computer (the next start probes again)."""
    from desktop.core.engine.remembered import forget

    model = _registry().get_model(model_id, with_sha256=True)
    forget(model.sha256)
    click.echo(f"{model.id}: safe mode and tuned settings forgotten")


def _engine_report(model_sha256: str | None) -> dict:
    """The llama.cpp build and the CPU variant an engine host loads for this model (its safe mode
    applied), asked of a throwaway host; the error, should that host fail."""
    from desktop.core.engine import safe_mode
    from desktop.core.engine.host_process import list_backends
    from desktop.core.engine.machine import llama_cpp_version
    from desktop.core.errors import ShopscribeError

    report: dict = {"version": llama_cpp_version()}
    choice = None
    if model_sha256:
        choice = safe_mode.apply({}, safe_mode.load(model_sha256).steps).get("cpu_variant")
    try:
        report.update(list_backends(choice))
    except ShopscribeError as exc:
        report["error"] = exc.text("en")
    return report


def _engine_line(engine: dict) -> str:
    if "error" in engine:
        return f"{engine['version']}, engine error: {engine['error']}"
    variants = engine.get("cpu_variants") or []
    cpu = (f"CPU variant {engine['cpu_variant']} (of {len(variants)} shipped)" if engine.get("cpu_variant")
           else "CPU backend built in (a build for one CPU)")
    gpus = ", ".join(engine.get("gpu_backends") or []) or "none (CPU only)"
    return f"{engine['version']}, {cpu}, GPU backends: {gpus}"


@models.command("devices")
@JSON
@user_errors
def devices_cmd(as_json: bool) -> None:
    """The compute devices llama.cpp sees (CPU, GPUs), with their free and total memory."""
    from desktop.core.engine.device_list import describe
    from desktop.core.engine.host_process import list_backends

    report = list_backends()
    if as_json:
        print_json(report)
        return
    click.echo(f"llama.cpp {_engine_line({'version': _version(), **report})}")
    for device in report["devices"]:
        click.echo(f"  {describe(device)}")
    if not report["gpu_backends"]:
        from desktop.core.engine.backend_files import cpu_only_notice

        click.echo(cpu_only_notice("en"))


def _version() -> str:
    from desktop.core.engine.machine import llama_cpp_version

    return llama_cpp_version()


@models.command("search")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="How many repositories.")
@click.option("--files", "show_files", is_flag=True, help="Also list the GGUF files of the first result.")
@click.option("--token", envvar="HF_TOKEN", help="Access token (default: HF_TOKEN).")
@JSON
@user_errors
def search_cmd(query: str, limit: int, show_files: bool, token: str | None, as_json: bool) -> None:
    """Search Hugging Face for GGUF repositories (a REPO_ID lists that repository's files)."""
    from desktop.core.models import hub

    if "/" in query.strip() and " " not in query.strip():
        files = hub.repo_files(query.strip(), token=token)
        if as_json:
            print_json(files.to_json())
            return
        for quant, items in files.groups.items():
            for item in items:
                fit = item.fit.label if item.fit else "?"
                note = " (split: not downloadable)" if item.split else ""
                click.echo(f"{quant:8} {_size(item.size_bytes):>9}  {fit:9} {item.filename}{note}")
        return
    repos = hub.search(query, limit=limit, token=token)
    data = [r.to_json() for r in repos]
    if show_files and repos:
        data[0]["files"] = hub.repo_files(repos[0].repo_id, token=token).to_json()
    if as_json:
        print_json(data)
        return
    for r in repos:
        click.echo(f"{r.repo_id:60} {r.downloads:>10,} downloads {r.likes:>6,} "
                   f"likes{'  gated' if r.gated else ''}")


class _Printer:
    """Progress on stderr: one updating line on a terminal, a line per 10% otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_tenth = -1
        self.last_state = ""

    def __call__(self, p) -> None:
        if p.state == "retrying":
            progress(f"connection lost; retry {p.attempt} ...")
            return
        pct = p.fraction * 100
        eta = f" ETA {int(p.eta_s)}s" if p.eta_s is not None else ""
        line = (f"{p.state} {pct:5.1f}% {_size(p.bytes_done)} / {_size(p.total_bytes)} "
                f"{p.speed_bps / 1024**2:.1f} MB/s{eta}")
        if self.tty:
            click.echo("\r" + line.ljust(78), err=True, nl=p.state == "done")
        elif int(pct // 10) != self.last_tenth or p.state != self.last_state:
            self.last_tenth, self.last_state = int(pct // 10), p.state
            progress(line)


@models.command("download")
@click.argument("repo_id")
@click.argument("filename")
@click.option("--revision", help="Branch, tag or commit (default: main).")
@click.option("--token", envvar="HF_TOKEN", help="Access token for gated repositories (default: HF_TOKEN).")
@JSON
@user_errors
def download_cmd(repo_id: str, filename: str, revision: str | None, token: str | None, as_json: bool) -> None:
    """Download FILENAME from REPO_ID, verify its sha256 and header, and add it to the models."""
    from desktop.core.models.download import download_model

    started = time.monotonic()
    try:
        model = download_model(repo_id, filename, revision=revision, token=token, progress=_Printer())
    except KeyboardInterrupt:
        click.echo("\ninterrupted: what arrived is kept; run the same command to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    progress(f"downloaded and verified {model.path.name} in {time.monotonic() - started:.0f}s (id "
             f"{model.id})")
    if as_json:
        print_json(model.to_json())
    else:
        click.echo(model.id)


@models.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reference", is_flag=True, help="Use the file where it is instead of copying it.")
@JSON
@user_errors
def import_cmd(path: Path, reference: bool, as_json: bool) -> None:
    """Add a local .gguf file (its header is checked first; a broken file is refused)."""
    model = _registry().import_model(path, copy=not reference)
    if as_json:
        print_json(model.to_json())
    else:
        click.echo(model.id)


@models.command("remove")
@click.argument("model_id")
@JSON
@user_errors
def remove_cmd(model_id: str, as_json: bool) -> None:
    """Remove a model (a copied or downloaded file is deleted; a referenced file is left in place)."""
    model = _registry().remove_model(model_id)
    if as_json:
        print_json({"removed": model.id, "path": str(model.path),
                    "file_deleted": model.source != "reference"})
    else:
        click.echo(f"removed {model.id}")


@models.command("default")
@click.argument("model_id")
@JSON
@user_errors
def default_cmd(model_id: str, as_json: bool) -> None:
    """Use MODEL_ID by default."""
    model = _registry().set_default(model_id)
    if as_json:
        print_json(model.to_json())
    else:
        click.echo(f"default model: {model.id}")


@models.command("set")
@click.argument("model_id")
@click.option("--ctx", "n_ctx", type=int, help="Context length in tokens.")
@click.option("--gpu-layers", "n_gpu_layers", type=int,
              help="Layers to offload to the GPU (-1: auto, as many as fit; 0: none).")
@click.option("--threads", "n_threads", type=int, help="CPU threads.")
@click.option("--chat-template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file with a Jinja chat template to use instead of the model's.")
@click.option("--reset-chat-template", is_flag=True, help="Use the model's own chat template again.")
@JSON
@user_errors
def set_cmd(model_id: str, n_ctx: int | None, n_gpu_layers: int | None, n_threads: int | None,
            chat_template: Path | None, reset_chat_template: bool, as_json: bool) -> None:
    """Per-model settings."""
    changes: dict = {k: v for k, v in {"n_ctx": n_ctx, "n_gpu_layers": n_gpu_layers, "n_threads": n_threads}
                     .items() if v is not None}
    if chat_template is not None:
        changes["chat_template"] = chat_template.read_text(encoding="utf-8")
    if reset_chat_template:
        changes["chat_template"] = None
    if not changes:
        fail("nothing to set: give --ctx, --gpu-layers, --threads or --chat-template")
    settings = _registry().set_model_settings(model_id, **changes)
    if as_json:
        print_json(settings)
    else:
        click.echo(settings)


@models.command("catalog")
@click.option("--ctx", "n_ctx", default=4096, show_default=True, help="Context length for the estimate.")
@JSON
@user_errors
def catalog_cmd(n_ctx: int, as_json: bool) -> None:
    """The curated models, whether each fits this machine, and the recommendation."""
    from desktop.core.models.catalog import load_catalog
    from desktop.core.models.fit import detect_machine, recommend

    machine = detect_machine()
    catalog = load_catalog()
    best = recommend(catalog, machine, n_ctx)
    rows = []
    for entry in catalog:
        file = entry.recommended_file()
        fit = entry.estimate(file, min(n_ctx, entry.context_length), machine)
        rows.append({**entry.to_json(), "fit": fit.to_json(), "recommended": bool(best and best[0] is entry)})
    if as_json:
        print_json({"models": rows, "recommended": best[0].id if best else None})
        return
    for row in rows:
        star = "*" if row["recommended"] else " "
        click.echo(f"{star} {row['id']:26} {row['parameters_label']:>5} {row['fit']['label']:9} "
                   f"{row['repo_id']}  {row['good_for']['en']}")


@models.command("downloads")
@click.option("--cancel", nargs=2, metavar="REPO_ID FILENAME", help="Delete a paused download.")
@JSON
@user_errors
def downloads_cmd(cancel: tuple[str, str] | None, as_json: bool) -> None:
    """Paused or interrupted downloads (resume one with `models download`)."""
    from desktop.core.models.download import cancel_pending
    from desktop.core.models.download_state import pending_downloads

    if cancel:
        cancel_pending(*cancel)
    items = [p.to_json() for p in pending_downloads()]
    if as_json:
        print_json(items)
        return
    for p in items:
        click.echo(f"{p['repo_id']} {p['filename']}  {_size(p['bytes_done'])} / {_size(p['total_bytes'])}")
