"""Annual ratings: the bands stated, and the bands that points give under Quy định 366-QĐ/TW.

A rating record may give a ``score`` (0–100) instead of a band. The dated parameter
``rating_score_bands`` holds the thresholds of Quy định 366-QĐ/TW (from 30/08/2025: HTXS ≥ 90
with its extra conditions, HTT 70 to < 90, HT 50 to < 70) and the first review date they apply
to (``reviews_from``); the flag ``rating_score_kht_below_ht`` says whether a score under the HT
threshold is KHT (tagged [R]: the sources say "presumably"). A review before ``reviews_from``,
or with no such parameter on the evaluation date, gets no band from its score (unknown). A
score of 90 or more with the HTXS conditions unknown is HTXS or HTT (unknown band, but known
to be "HTT or better").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from luanchuyen.models import Cadre, Rating, RatingRecord

__all__ = ["GOOD_BANDS", "annual_ratings", "band_of", "good_in_every_year", "merge_ratings"]

#: The bands that are "hoàn thành tốt nhiệm vụ" or better.
GOOD_BANDS = frozenset({Rating.HTXS, Rating.HTT})
_GOOD = GOOD_BANDS


def band_of(record: RatingRecord, params: Mapping[str, Any]) -> tuple[Rating | None, bool | None]:
    """(band, HTT or better) of one record; ``None`` where the inputs do not decide it."""
    if record.band is not None:
        return record.band, record.band in _GOOD
    bands = params.get("rating_score_bands")
    if record.score is None or not isinstance(bands, Mapping):
        return None, None
    start = bands.get("reviews_from")
    if not isinstance(start, date) or record.review_date < start:
        return None, None
    score = record.score
    if score >= bands["htxs_min"]:
        met = record.htxs_conditions_met
        return (None if met is None else (Rating.HTXS if met else Rating.HTT)), True
    if score >= bands["htt_min"]:
        return Rating.HTT, True
    if score >= bands["ht_min"]:
        return Rating.HT, False
    if params.get("rating_score_kht_below_ht") is True:
        return Rating.KHT, False
    return None, False


def annual_ratings(
    cadre: Cadre, params: Mapping[str, Any]
) -> tuple[dict[int, Rating | None], dict[int, bool | None]] | None:
    """The bands by year (``None`` = not decided) and whether each is HTT or better.

    ``None`` when neither ``Cadre.ratings`` nor ``Cadre.rating_records`` is known.
    """
    return merge_ratings(cadre.ratings, cadre.rating_records, params)


def merge_ratings(
    ratings: Mapping[int, Rating] | None,
    records: Sequence[RatingRecord] | None,
    params: Mapping[str, Any],
) -> tuple[dict[int, Rating | None], dict[int, bool | None]] | None:
    """:func:`annual_ratings` from the two inputs: a year ``ratings`` states keeps its band."""
    if ratings is None and records is None:
        return None
    bands: dict[int, Rating | None] = dict(ratings or {})
    good: dict[int, bool | None] = {y: b in _GOOD for y, b in bands.items()}
    for record in records or ():
        if record.year in bands:
            continue
        bands[record.year], good[record.year] = band_of(record, params)
    return bands, good


def good_in_every_year(
    good: Mapping[int, bool | None] | None, years: Sequence[int], last_rated: int
) -> bool | None:
    """HTT or better in every one of ``years`` (the NĐ 170/2025 Đ23 look-back).

    A year after ``last_rated`` (the year of ``as_of``) has no rating yet. ``False`` as soon
    as one year is known to be below HTT, ``True`` when every year is known to be HTT or
    better (a score of 90+ with the HTXS conditions unknown counts: it is HTT or better
    either way), ``None`` otherwise (a year not rated or not decided).
    """
    if good is None:
        return None
    got = [good.get(y) if y <= last_rated else None for y in years]
    if any(g is False for g in got):
        return False
    return True if all(g is True for g in got) else None
