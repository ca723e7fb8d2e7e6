"""The warehouse's thresholds that the planted processes follow (dbt vars, `simulator.dbt_vars`)."""

from __future__ import annotations

import unicodedata

import numpy as np

from simulator.dbt_vars import dbt_vars
from simulator.vocabulary import MODALITIES

VARS = dbt_vars()
REPEAT_AWARDS_MIN: int = VARS["repeat_awards_min"]  # a group fires with this many distinct awards
BACKGROUND_MAX = REPEAT_AWARDS_MIN - 1


def _folded_label(text: str) -> str:
    """How the warehouse compares free-text categories: trimmed, lower case, accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Indicator rules of the warehouse that the planted ground truth follows.
NON_COMPETITIVE_MODALITIES = frozenset(VARS["non_competitive_modalities"])
SUBMISSION_MIN_DAYS: int = VARS["short_submission_min_days"]  # publication to offer deadline; by modality:
SUBMISSION_MIN_DAYS_BY_MODALITY: dict[str, int] = VARS["short_submission_min_days_by_modality"]
# award / base price ratio that fires in a competitive process
CLOSE_TO_BASE = (VARS["award_close_to_base_min_ratio"], VARS["award_close_to_base_max_ratio"])
SPLITTING_THRESHOLD: int = VARS["contract_splitting_threshold"]  # COP: each award under it, a window's sum above
SPLITTING_WINDOW_DAYS: int = VARS["contract_splitting_window_days"]
DIRECT_SHARE_MIN_AWARDS: int = VARS["direct_award_share_min_awards"]  # entities with fewer awards are not compared
DIRECT_SHARE_MIN_PEERS: int = VARS["direct_award_share_min_peers"]  # orders with fewer compared entities are not
MAX_SIGNING_DELAY = 19  # simulator.datasets signs a contract 0-19 days after its award, in the award's year
# Background awards of one (organisation, supplier) are this many days apart: no 30-day window holds two.
BACKGROUND_PAIR_GAP = SPLITTING_WINDOW_DAYS + MAX_SIGNING_DELAY + 1

COMPETITIVE = np.array([_folded_label(m[0]) not in NON_COMPETITIVE_MODALITIES for m in MODALITIES])
MIN_SUBMISSION_DAYS = np.array(
    [SUBMISSION_MIN_DAYS_BY_MODALITY.get(_folded_label(m[0]), SUBMISSION_MIN_DAYS) for m in MODALITIES]
)
COMPETITIVE_MODALITIES = np.flatnonzero(COMPETITIVE & (np.array([m[3] for m in MODALITIES]) > 0))
