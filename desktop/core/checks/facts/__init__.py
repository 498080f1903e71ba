"""The fact guard: facts in the model's output matched against the merchant's input, with their
provenance (guard.py), how facts are read (extract.py, numbers.py, vocab.py) and the coverage of the
product's key facts (coverage.py)."""

from desktop.core.checks.facts.coverage import Coverage, KeyFact, coverage, coverage_findings, key_facts
from desktop.core.checks.facts.extract import Fact, extract_facts
from desktop.core.checks.facts.guard import FactCheck, SourceIndex, check_facts, source_index, support_for

__all__ = [
    "Coverage",
    "Fact",
    "FactCheck",
    "KeyFact",
    "SourceIndex",
    "check_facts",
    "coverage",
    "coverage_findings",
    "extract_facts",
    "key_facts",
    "source_index",
    "support_for",
]
