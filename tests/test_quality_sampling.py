"""The DRY sampler's settings travel from Compose and the command line to the engine and into the
history's sampling record."""

from scripted_engine import ScriptedEngine

from desktop.core.compose import ComposeRequest, compose
from desktop.core.engine import GenerationRequest
from desktop.core.store.db import open_db
from desktop.core.store.history import get_generation


def test_dry_settings_reach_the_engine_and_the_history():
    engine = ScriptedEngine("Steel bottle, keeps drinks cold.")
    db = open_db()
    defaults = GenerationRequest()
    for asked in (None, 0.0, 1.3):
        request = ComposeRequest(content_type="product-title", platform="shopify", lang="en",
                                 fields={"name": "Steel bottle"}, max_tokens=12, seed=1, dry_multiplier=asked)
        result = compose(request, engine, db)
        expected = defaults.dry_multiplier if asked is None else asked
        assert engine.requests[-1].dry_multiplier == expected
        sampling = get_generation(db, result.results[0].history_id)["sampling"]
        assert sampling["dry_multiplier"] == expected
        assert sampling["dry_base"] == defaults.dry_base and sampling["dry_allowed_length"] == 2
