"""The warehouse's thresholds that the planted processes follow (dbt vars, `simulator.dbt_vars`)."""

from __future__ import annotations

import unicodedata

import numpy as np

from simulator.vocabulary import MODALITIES

REPEAT_AWARDS_MIN = 3  # a group fires with this many distinct awards (indicators.md §1)
BACKGROUND_MAX = REPEAT_AWARDS_MIN - 1


def _folded_label(text: str) -> str:
    """How the warehouse compares free-text categories: trimmed, lower case, accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Indicator rules of the warehouse that the planted ground truth follows (dbt vars, dbt_project.yml).
NON_COMPETITIVE_MODALITIES = frozenset(
    {
        "contratacion directa",
        "contratacion directa (con ofertas)",
        "contratacion regimen especial",
        "contratacion regimen especial (con ofertas)",
    }
)
SUBMISSION_MIN_DAYS = 15  # days from publication to the offer deadline; lower minima by modality:
SUBMISSION_MIN_DAYS_BY_MODALITY = {"minima cuantia": 1, "seleccion abreviada subasta inversa": 3}
CLOSE_TO_BASE = (0.98, 1.0)  # award / base price ratio that fires in a competitive process
SPLITTING_THRESHOLD = 36_400_000  # COP: each award under it, the awards of a 30-day window above it
SPLITTING_WINDOW_DAYS = 30
DIRECT_SHARE_MIN_AWARDS = 20  # entities with fewer awards are not compared
DIRECT_SHARE_MIN_PEERS = 5  # entity orders with fewer compared entities are not evaluated
MAX_SIGNING_DELAY = 19  # simulator.datasets signs a contract 0-19 days after its award, in the award's year
# Background awards of one (organisation, supplier) are this many days apart: no 30-day window holds two.
BACKGROUND_PAIR_GAP = SPLITTING_WINDOW_DAYS + MAX_SIGNING_DELAY + 1

COMPETITIVE = np.array([_folded_label(m[0]) not in NON_COMPETITIVE_MODALITIES for m in MODALITIES])
MIN_SUBMISSION_DAYS = np.array(
    [SUBMISSION_MIN_DAYS_BY_MODALITY.get(_folded_label(m[0]), SUBMISSION_MIN_DAYS) for m in MODALITIES]
)
COMPETITIVE_MODALITIES = np.flatnonzero(COMPETITIVE & (np.array([m[3] for m in MODALITIES]) > 0))
