"""Compliance and quality checks (Qt-free, pure functions over text): length counters, advertising-law
and marketplace rules from resources/rules, brand words, SEO keywords and platform length limits."""

from desktop.core.checks.counters import (
    COUNTERS,
    count,
    count_characters,
    count_utf8_bytes,
    count_width,
    count_x_weighted,
)
from desktop.core.checks.engine import bench_check, check_fields, check_text
from desktop.core.checks.findings import (
    CheckResult,
    Finding,
    LengthReport,
    StaleFindingError,
    apply_all,
    apply_suggestion,
)
from desktop.core.checks.rules import RuleFileError, load_rules, product_categories, reload

__all__ = [
    "COUNTERS",
    "CheckResult",
    "Finding",
    "LengthReport",
    "RuleFileError",
    "StaleFindingError",
    "apply_all",
    "apply_suggestion",
    "bench_check",
    "check_fields",
    "check_text",
    "count",
    "count_characters",
    "count_utf8_bytes",
    "count_width",
    "count_x_weighted",
    "load_rules",
    "product_categories",
    "reload",
]
