"""The warehouse's thresholds that the planted processes follow (dbt vars, `simulator.dbt_vars`)."""

from __future__ import annotations

import unicodedata

import numpy as np

from simulator.dates import calendar_year
from simulator.dbt_vars import dbt_vars, minimum_wages
from simulator.processes.model import LAST_AWARD_DAY
from simulator.vocabulary import MODALITIES

VARS = dbt_vars()
REPEAT_AWARDS_MIN: int = VARS["repeat_awards_min"]  # a group fires with this many distinct awards
BACKGROUND_MAX = REPEAT_AWARDS_MIN - 1


def folded_label(text: str) -> str:
    """How the warehouse compares free-text categories: trimmed, lower case, accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Indicator rules of the warehouse that the planted ground truth follows.
NON_COMPETITIVE_MODALITIES = frozenset(VARS["non_competitive_modalities"])
SUBMISSION_MIN_DAYS: int = VARS["short_submission_min_days"]  # publication to offer deadline; by modality:
SUBMISSION_MIN_DAYS_BY_MODALITY: dict[str, int] = VARS["short_submission_min_days_by_modality"]
# award / base price ratio that fires in a competitive process
CLOSE_TO_BASE = (VARS["award_close_to_base_min_ratio"], VARS["award_close_to_base_max_ratio"])
SPLITTING_WINDOW_DAYS: int = VARS["contract_splitting_window_days"]
DIRECT_SHARE_MIN_AWARDS: int = VARS["direct_award_share_min_awards"]  # entities with fewer awards are not compared
DIRECT_SHARE_MIN_PEERS: int = VARS["direct_award_share_min_peers"]  # orders with fewer compared entities are not
# (order, sector) groups with fewer compared entities fall back to the order; sectors that name none
DIRECT_SHARE_MIN_SECTOR_PEERS: int = VARS["direct_award_share_min_sector_peers"]
DIRECT_SHARE_UNKNOWN_SECTORS = frozenset(VARS["direct_award_share_unknown_sectors"])
MAX_SIGNING_DELAY = 19  # simulator.datasets signs a contract 0-19 days after its award, in the award's year
# Background awards of one (organisation, supplier) are this many days apart: no 30-day window holds two.
BACKGROUND_PAIR_GAP = SPLITTING_WINDOW_DAYS + MAX_SIGNING_DELAY + 1

COMPETITIVE = np.array([folded_label(m[0]) not in NON_COMPETITIVE_MODALITIES for m in MODALITIES])
# contract_splitting's ceilings are in minimum wages per modality: each award under its year's, a window's sum
# above it. `splitting_threshold` prices them in COP with the seed legal_minimum_wages.
_SPLITTING_SMMLV_BY_MODALITY: dict[str, int] = VARS["contract_splitting_threshold_smmlv_by_modality"]
SPLITTING_DEFAULT_SMMLV: int = VARS["contract_splitting_threshold_smmlv"]
_WAGE_YEARS = np.array(sorted(minimum_wages()))
_WAGES = np.array([minimum_wages()[int(year)] for year in _WAGE_YEARS])


def splitting_smmlv(modality: str | None) -> int:
    """contract_splitting's ceiling in minimum wages for a modality label (None: unknown)."""
    return _SPLITTING_SMMLV_BY_MODALITY.get(folded_label(modality or ""), SPLITTING_DEFAULT_SMMLV)


SPLITTING_SMMLV = np.array([splitting_smmlv(m[0]) for m in MODALITIES])  # per modality index


def splitting_threshold(day: np.ndarray | int, smmlv: np.ndarray | int) -> np.ndarray:
    """contract_splitting's ceilings in COP of awards dated `day` with ceilings of `smmlv` minimum wages: times
    the legal minimum wage of the award year (a year after the seed's last: the last wage)."""
    at = np.searchsorted(_WAGE_YEARS, calendar_year(np.asarray(day)), side="right") - 1
    if np.any(at < 0):
        raise ValueError("an award dated before the first year of the seed legal_minimum_wages")
    return np.asarray(smmlv) * _WAGES[at]


# The least value of a planted repeat group's award (and other `big` awards): 1.25 x the highest default
# (mínima-cuantía) ceiling of the award years, so that it is never a piece of a split purchase. A big award
# is never of a modality with a higher ceiling (`LOW_CEILING`: its modality is changed to one that has it).
BIG_FLOOR = 1.25 * float(splitting_threshold(LAST_AWARD_DAY, SPLITTING_DEFAULT_SMMLV))
LOW_CEILING = SPLITTING_SMMLV == SPLITTING_DEFAULT_SMMLV  # per modality index


MIN_SUBMISSION_DAYS = np.array(
    [SUBMISSION_MIN_DAYS_BY_MODALITY.get(folded_label(m[0]), SUBMISSION_MIN_DAYS) for m in MODALITIES]
)
COMPETITIVE_MODALITIES = np.flatnonzero(COMPETITIVE & (np.array([m[3] for m in MODALITIES]) > 0))
