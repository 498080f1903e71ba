"""The remote engines the user added by hand (Settings > Engines), and which engine generates.

Stored in the store's settings: `engines` is a list of {name, url, model, api_key}; `engine` names the
one the window uses (None: this computer). The command line takes `--engine URL-or-NAME` and
`--engine-key`, or SHOPSCRIBE_ENGINE and SHOPSCRIBE_ENGINE_KEY from the environment.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from desktop.core.errors import EngineError

ENGINES_SETTING = "engines"
ACTIVE_SETTING = "engine"
ENV_URL = "SHOPSCRIBE_ENGINE"
ENV_KEY = "SHOPSCRIBE_ENGINE_KEY"


@dataclass
class Server:
    name: str
    url: str
    model: str | None = None
    api_key: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _settings(db: Any | None):
    from desktop.core.models.settings_store import open_settings

    return open_settings(db)


def list_servers(db: Any | None = None) -> list[Server]:
    with _settings(db) as settings:
        raw = settings.get(ENGINES_SETTING, []) or []
    return [Server(str(s.get("name") or s.get("url")), str(s["url"]), s.get("model") or None,
                   s.get("api_key") or None)
            for s in raw if isinstance(s, dict) and s.get("url")]


def save_servers(servers: list[Server], db: Any | None = None) -> None:
    names = [s.name for s in servers]
    if len(set(names)) != len(names):
        raise EngineError("Two engines have the same name; give each its own.",
                          "两个引擎同名，请为每个引擎起不同的名字。")
    from desktop.core.engine.remote import api_base

    for server in servers:
        api_base(server.url)  # a clear error for an address that is not one
    with _settings(db) as settings:
        settings.set(ENGINES_SETTING, [s.to_dict() for s in servers])


def active_server(db: Any | None = None) -> Server | None:
    """The server the window generates with, or None for this computer."""
    with _settings(db) as settings:
        name = settings.get(ACTIVE_SETTING)
    return next((s for s in list_servers(db) if s.name == name), None) if name else None


def set_active(name: str | None, db: Any | None = None) -> None:
    with _settings(db) as settings:
        settings.set(ACTIVE_SETTING, name)


def offline_on(db: Any | None = None) -> bool:
    from desktop.core.models.hub_http import offline_reason

    return offline_reason(db) is not None


def resolve_all(engine: str | None, key: str | None = None, model: str | None = None,
                db: Any | None = None) -> list[Server]:
    """The servers for `--engine` (URLs or saved servers' names, separated by commas), else
    SHOPSCRIBE_ENGINE, else [] (this computer)."""
    engine = engine or os.environ.get(ENV_URL) or ""
    return [s for part in engine.split(",") if (s := resolve(part.strip(), key, model, db)) is not None]


def resolve(engine: str | None, key: str | None = None, model: str | None = None,
            db: Any | None = None) -> Server | None:
    """The server for one `--engine` value (a URL or a saved server's name), else SHOPSCRIBE_ENGINE,
    else None (this computer). A saved server's key and model apply unless given."""
    engine = engine or os.environ.get(ENV_URL) or None
    if not engine:
        return None
    key = key or os.environ.get(ENV_KEY) or None
    saved = list_servers(db)
    match = next((s for s in saved if s.name == engine), None)
    if match is None:
        from desktop.core.engine.remote import api_base

        base = api_base(engine)
        match = next((s for s in saved if api_base(s.url) == base), None)
        if match is None:
            return Server(engine, engine, model, key)
    return Server(match.name, match.url, model or match.model, key or match.api_key)


def is_saved(server: Server, db: Any | None = None) -> bool:
    from desktop.core.engine.remote import api_base

    base = api_base(server.url)
    return any(api_base(s.url) == base for s in list_servers(db))


def open_remotes(servers: list[Server], *, db: Any | None = None, load: bool = True):
    """One server's RemoteEngine, or a pool over several (see pool.py)."""
    if len(servers) == 1:
        return open_remote(servers[0], db=db, load=load)
    from desktop.core.engine.pool import EnginePool

    pool = EnginePool([open_remote(s, db=db, load=False) for s in servers])
    if load:
        pool.load()
    return pool


def open_remote(server: Server, *, db: Any | None = None, load: bool = True, **options):
    """A RemoteEngine for the server, after Offline mode's check of its address."""
    from desktop.core.engine.addresses import check_offline
    from desktop.core.engine.remote import RemoteEngine

    check_offline(server.url, offline=offline_on(db), added_by_hand=is_saved(server, db))
    engine = RemoteEngine(server.url, server.api_key, server.model, name=server.name, **options)
    if load:
        try:
            engine.load()
        except BaseException:
            engine.close()
            raise
    return engine
