"""Figures and the arithmetic behind them: medians, ratios, targets.

A figure is a value measured beside its reference in the same run. `ratio = value / reference_value`;
a target is a bound on the ratio (`decode >= 0.95x llama.cpp`) or on the value itself (`<= 50 ms`).
A figure reported for information has no target (`NO_TARGET`): it is neither met nor missed.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


def median(values: Sequence[float]) -> float:
    """The median of the measured repetitions (the middle one; the mean of the two middle ones)."""
    if not values:
        raise ValueError("median() of no values")
    return float(statistics.median(values))


def ratio(value: float | None, reference: float | None) -> float | None:
    """value / reference, or None when either is missing or the reference is zero."""
    if value is None or reference is None or reference == 0:
        return None
    return value / reference


@dataclass(frozen=True)
class Target:
    """`on` is "ratio" or "value"; `op` is ">=" or "<="."""

    on: str
    op: str
    bound: float
    unit: str = ""

    def met(self, value: float | None, ratio_: float | None) -> bool | None:
        if self.on == "none":
            return None
        x = ratio_ if self.on == "ratio" else value
        if x is None:
            return None
        return x >= self.bound if self.op == ">=" else x <= self.bound

    def __str__(self) -> str:
        if self.on == "none":
            return "none"
        if self.on == "ratio":
            return f"ratio {self.op} {self.bound:g}"
        return f"{self.op} {self.bound:g} {self.unit}".rstrip()


NO_TARGET = Target("none", "", 0)


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of the values."""
    if not values:
        raise ValueError("percentile() of no values")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least the first
    return float(ordered[int(rank) - 1])


@dataclass
class Figure:
    name: str
    value: float | None
    unit: str
    reference: str
    reference_value: float | None
    target: Target
    note: str = ""  # why a figure was not measured, or what to know about it
    samples: list[float] = field(default_factory=list)
    reference_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return ratio(self.value, self.reference_value)

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value, self.ratio)

    def as_json(self) -> dict[str, Any]:
        data = {
            "name": self.name,
            "value": _round(self.value),
            "unit": self.unit,
            "reference": self.reference,
            "reference_value": _round(self.reference_value),
            "ratio": _round(self.ratio, 4),
            "target": str(self.target),
            "met": self.met,
        }
        if self.note:
            data["note"] = self.note
        if self.samples:
            data["samples"] = [_round(s) for s in self.samples]
        if self.reference_samples:
            data["reference_samples"] = [_round(s) for s in self.reference_samples]
        return data


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(float(x), digits)


def figure(
    name: str,
    samples: Sequence[float],
    unit: str,
    reference: str,
    reference_samples: Sequence[float],
    target: Target,
    note: str = "",
) -> Figure:
    """A figure from repeated measurements: medians of both sides (no reference samples: none)."""
    return Figure(
        name=name,
        value=median(samples),
        unit=unit,
        reference=reference,
        reference_value=median(reference_samples) if reference_samples else None,
        target=target,
        note=note,
        samples=list(samples),
        reference_samples=list(reference_samples),
    )


def not_measured(name: str, unit: str, reference: str, target: Target, why: str) -> Figure:
    return Figure(name, None, unit, reference, None, target, note=f"not measured: {why}")


def interleaved(runs: dict[str, Callable[[], float]], repetitions: int) -> dict[str, list[float]]:
    """Run each measurement `repetitions` times, alternating between them (A B A B ...) so that a
    noisy neighbour on a shared machine hurts every side alike."""
    results: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(repetitions):
        for key, run in runs.items():
            results[key].append(run())
    return results
