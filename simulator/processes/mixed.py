"""The mixed world's background processes (docs/simulator.md#the-mixed-world): the boundary populations a
planted world avoids, on untagged awards only, so that every planted process keeps its role.

`mix_background` gives some background awards a twin (another award of the same unit and supplier, 0 to
`contract_splitting_window_days` days later: ties on dates and split pairs), then fixes attributes at
the rules' thresholds (simulator.dbt_vars): award / base price ratios exactly at the close-to-base
bounds and just outside them, single and unknown bidders, submission periods around the minimum days,
values exactly at the contract-splitting threshold of their year and twins worth half of it each (the default,
mínima-cuantía ceiling: a twin of a modality with a higher ceiling is only a small pair).
"""

from __future__ import annotations

import numpy as np

from simulator.processes.model import NULL, Processes
from simulator.processes.rules import (
    SPLITTING_DEFAULT_SMMLV,
    SPLITTING_WINDOW_DAYS,
    SUBMISSION_MIN_DAYS,
    splitting_threshold,
)

TWIN_SHARE = 0.03  # background awards that copy another award's unit and supplier
FIXED_SHARE = 0.15  # background awards with an attribute fixed at a threshold


def default_ceiling(day: np.ndarray) -> np.ndarray:
    """The default contract-splitting ceiling (COP) of awards dated `day`: two twins of half of it sum to it."""
    return splitting_threshold(day, SPLITTING_DEFAULT_SMMLV)


def _twins(rng: np.random.Generator, procs: Processes, candidates: np.ndarray, last_day: int) -> np.ndarray:
    """Copy the unit and supplier of an award onto another, dated 0..window days later; returns the
    copies (the first half of them, like their originals, worth half the default ceiling of the original's day)."""
    n = int(len(candidates) * TWIN_SHARE)
    chosen = rng.choice(candidates, 2 * n, replace=False)
    original, copy = chosen[:n], chosen[n:]
    procs.entity[copy] = procs.entity[original]
    procs.supplier[copy] = procs.supplier[original]
    procs.award_day[copy] = np.minimum(
        procs.award_day[original] + rng.integers(0, SPLITTING_WINDOW_DAYS + 1, n), last_day
    )
    procs.pub_day[copy] = procs.award_day[copy] - rng.integers(1, 46, n)
    halves = np.concatenate([original[: n // 2], copy[: n // 2]])
    half = default_ceiling(procs.award_day[original[: n // 2]]) // 2
    procs.value[halves] = np.concatenate([half, half])
    return np.setdiff1d(candidates, halves)


def mix_background(rng: np.random.Generator, procs: Processes, last_day: int) -> Processes:
    """The background awards `procs` (untagged) with twins and attributes fixed at the rules' bounds."""
    awarded = np.flatnonzero(procs.awarded & (procs.supplier >= 0))
    free = _twins(rng, procs, awarded, last_day)
    fixed = rng.choice(free, int(len(free) * FIXED_SHARE), replace=False)
    parts = np.array_split(fixed, 8)
    m = rng.integers(1_000_000, 50_000_000, len(fixed))  # base price = 50 m, award 49 m: ratio 0.98 exactly
    cut = np.cumsum([len(p) for p in parts])[:-1]
    (exact_min, exact_max, below, above, single, unknown, short, threshold), ms = parts, np.split(m, cut)
    procs.base[exact_min], procs.value[exact_min] = 50 * ms[0], 49 * ms[0]
    procs.base[exact_max], procs.value[exact_max] = 50 * ms[1], 50 * ms[1]
    procs.base[below], procs.value[below] = 50 * ms[2], 49 * ms[2] - 1
    procs.base[above], procs.value[above] = 50 * ms[3], 50 * ms[3] + 1
    procs.unique[single], procs.responses[single] = 1, rng.integers(1, 4, len(single))
    procs.unique[unknown], procs.responses[unknown] = NULL, rng.integers(1, 3, len(unknown))
    procs.reception[short] = rng.integers(0, SUBMISSION_MIN_DAYS + 2, len(short))
    procs.value[threshold] = default_ceiling(procs.award_day[threshold])
    return procs
