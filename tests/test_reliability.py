"""Privacy promises that the offline and privacy tests leave open: huggingface_hub's telemetry is off
even when the environment does not say so and only the Hub calls a download needs are made, and an
export writes the file the merchant chose and nothing anywhere else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from desktop.cli import main
from desktop.core import embedded
from desktop.core.store import open_db
from desktop.core.store.history import save_generation
from tests.fakehub import FakeHub, FakeRepo

ROOT = Path(__file__).resolve().parents[1]
REPO = "acme/SmolLM2-135M-Instruct-GGUF"
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

DOWNLOAD = """
import sys
from desktop.core.models.download import download_model
model = download_model(sys.argv[1], sys.argv[2], backoff_base=0.01)
from huggingface_hub import constants
print(model.sha256, constants.HF_HUB_DISABLE_TELEMETRY)
"""


def test_hub_telemetry_is_off_and_a_download_makes_only_the_calls_it_needs(model_path, shopscribe_home):
    server = FakeHub()
    server.add(FakeRepo(REPO, {NAME: model_path}))._sha[NAME] = embedded.SHA256
    server.start()
    try:
        # nothing switched off for us
        env = {k: v for k, v in os.environ.items() if not k.startswith("HF_HUB_")}
        env.update({"HF_ENDPOINT": server.url, "PYTHONPATH": str(ROOT)})
        result = subprocess.run([sys.executable, "-c", DOWNLOAD, REPO, NAME], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [embedded.SHA256, "True"]
    paths = {path for _method, path, _headers in server.requests}
    assert paths <= {f"/api/models/{REPO}", f"/api/models/{REPO}/revision/main",
                     *(f"/{REPO}/resolve/{rev}/{NAME}" for rev in ("main", server.repos[REPO].commit))}, paths
    agents = {headers.get("User-Agent", "") for _m, _p, headers in server.requests}
    assert not any("telemetry" in agent.lower() for agent in agents)


def _files(*roots: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size,
                p.stat().st_mtime_ns) for root in roots for p in root.rglob("*") if p.is_file()}


def test_exports_write_only_the_file_the_merchant_chose(shopscribe_home, tmp_path):
    db = open_db()
    for i in range(5):
        save_generation(db, {"content_type": "product-title", "platform": "taobao", "lang": "zh",
                             "inputs": {"name": f"保温杯 {i}"}, "text": f"第{i}条 暖山保温杯"})
    db.close()
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    (tmp_path / "elsewhere").mkdir()
    before = _files(shopscribe_home, tmp_path)
    outputs = [chosen / "history.csv", chosen / "history.md", chosen / "history.json"]
    for out in outputs:
        result = CliRunner().invoke(main,
                                    ["history", "export", "--format", out.suffix[1:], "--out", str(out)])
        assert result.exit_code == 0, result.output
    from desktop.core.catalog import export_csv, export_xlsx

    export_csv([{"title": "保温杯", "body": "=1+1"}], chosen / "products.csv")
    export_xlsx([{"title": "保温杯"}], chosen / "products.xlsx")
    outputs += [chosen / "products.csv", chosen / "products.xlsx"]

    after = _files(shopscribe_home, tmp_path)
    changed = {p for p, facts in after.items() if before.get(p) != facts}
    logs = {p for p in changed if p.is_relative_to(shopscribe_home / "logs")}
    assert changed - logs == set(outputs)  # no temporary file left, no copy in the data folder
    for log in logs:
        assert "暖山" not in log.read_text(encoding="utf-8", errors="replace")  # nor in the logs
