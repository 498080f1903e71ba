"""Shared fixtures. Every test runs with SHOPSCRIBE_HOME in its own temporary folder and Qt offscreen.

The real embedded model is loaded once per session and shared. `engine` is what the window and the
command line use: an engine host process, so a crash in llama.cpp fails a test instead of the suite.
`local_engine` is llama.cpp in this process, for the few tests that look inside the decoding.

Engine settings for this machine are found once per session (`engine_settings`): on a CPU with AMX the
probe runs in a throwaway host; the answer is then pre-filled for every test through
SHOPSCRIBE_ENGINE_SETTINGS, so tests with fresh data folders neither probe nor tune again. The tests
of the probe, the ladder and the tuning clear it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from desktop.core.embedded import embedded_model_path  # noqa: E402


@pytest.fixture(autouse=True)
def shopscribe_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SHOPSCRIBE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def model_path() -> Path:
    path = embedded_model_path()
    assert path.exists(), "the embedded model is missing: run `make test`, which installs it"
    return path


@pytest.fixture(scope="session", autouse=True)
def engine_settings(tmp_path_factory) -> dict:
    """The safe settings for this machine, found once (see the module's docstring)."""
    import json

    from desktop.core.engine import safe_mode, tuning

    if tuning.ENV in os.environ:
        return json.loads(os.environ[tuning.ENV])
    preset: dict = {}
    path = embedded_model_path()
    if path.exists():
        from desktop.core.engine.client import HostEngine

        saved = os.environ.get("SHOPSCRIBE_HOME")
        os.environ["SHOPSCRIBE_HOME"] = str(tmp_path_factory.mktemp("engine-probe"))
        try:
            probe = HostEngine(path, n_ctx=512)
            probe.load()
            probe.close()
            preset = {k: v for k, v in safe_mode.apply({}, probe.safe_mode.steps).items() if k != "n_batch"}
        finally:
            if saved is None:
                os.environ.pop("SHOPSCRIBE_HOME", None)
            else:
                os.environ["SHOPSCRIBE_HOME"] = saved
    os.environ[tuning.ENV] = json.dumps(preset)
    return preset


@pytest.fixture(scope="session")
def engine(model_path, engine_settings):
    from desktop.core.engine.client import HostEngine

    eng = HostEngine(model_path, n_ctx=2048)
    eng.load()
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def local_engine(model_path, engine_settings):
    from desktop.core.engine.local import LocalEngine

    options = {k: v for k, v in engine_settings.items() if k != "cpu_variant"}
    from desktop.core.engine.backends import ensure_cpu_backend

    ensure_cpu_backend(engine_settings.get("cpu_variant"))
    eng = LocalEngine(model_path, n_ctx=2048, **options)
    eng.load()
    yield eng
    eng.close()


MODEL_FIXTURES = {"engine", "local_engine"}


def pytest_collection_modifyitems(config, items):
    """Every test that loads the real model carries the `model` marker (so `-m "not model"` means what it
    says): a test using a model fixture without it is a collection error, not a silent mislabel."""
    unmarked = [
        item.nodeid
        for item in items
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("model") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests that load the real model need @pytest.mark.model:\n  " + "\n  ".join(unmarked)
        )


def pytest_report_header(config):
    """The CPU in the log's first lines: which llama.cpp paths a run took depends on it (AVX-512, AMX)."""
    from desktop.core.engine.machine import cpu_info, has_amx

    info = cpu_info()
    wide = sorted(f for f in info["flags"] if f.startswith(("avx512f", "avx2", "amx_")))
    return [f"cpu: {info['model']} ({info['logical']} logical), {' '.join(wide) or 'no AVX2'}, "
            f"AMX {'yes' if has_amx() else 'no'}"]
