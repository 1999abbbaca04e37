"""Xếp thứ tự ứng viên cho một vị trí / rank the candidates for one position.

The order is legal-first and fully explained:

1. the verdict: eligible, then needs review, then unknown (data missing), then not
   eligible; rows that could not be read (``error``) come last;
2. the number of distinct legal priority grounds met (being under 40 — QĐ 65 and Chi Lăng C4
   count once; HTXS during the rotation — Chi Lăng B1…), more first;
3. remaining service time, more first;
4. the cadre id, so that equal candidates keep a stable order.

Women and ethnic-minority status are shown as information columns only: they count toward
the plan's structure targets, not toward an individual's rank (law brief,
``structure_women_ethnic``). Each rank comes with a one-line Vietnamese explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from luanchuyen.results import VERDICT_ORDER, decisions_frame
from luanchuyen.verdict import VERDICT_LABELS, Verdict

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.decision import Decision
    from luanchuyen.models import Position

__all__ = ["RANK_COLUMNS", "rank_candidates", "rank_key"]

#: Columns of the ranking, in order.
RANK_COLUMNS: tuple[str, ...] = (
    "rank",
    "cadre_id",
    "cadre_name",
    "target_title",
    "verdict",
    "priority_count",
    "priority_labels",
    "remaining_service_months",
    "woman",
    "ethnic_minority",
    "explanation_vi",
    "row",
)
_VERDICT_RANK = {v: i for i, v in enumerate(VERDICT_ORDER)}
_VERDICT_SHORT = {
    **{v.value: text for v, text in VERDICT_LABELS["vi"].items()},
    Verdict.UNKNOWN.value: "Chưa đủ dữ liệu",
}


def _is_na(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _months(value: Any) -> int | None:
    return None if _is_na(value) else int(value)


def _position_filter(frame: pd.DataFrame, position: Any) -> pd.DataFrame:
    if position is None:
        return frame
    pid: str | None
    title: str | None
    if isinstance(position, str):
        pid, title = position, position
    elif isinstance(position, Mapping):
        pid, title = position.get("id"), position.get("title")
    else:
        pid, title = getattr(position, "id", None), getattr(position, "title", None)
    if pid is not None and "target_id" in frame.columns and (frame["target_id"] == pid).any():
        return frame.loc[frame["target_id"] == pid]
    if title is not None:
        return frame.loc[frame["target_title"] == title]
    return frame.iloc[0:0]


def rank_key(
    verdict: str | None, priority_count: int, remaining_months: int | None, cadre_id: str
) -> tuple[int, int, int, str]:
    """Where a candidate stands (smaller first): the one order of candidates for a post.

    The verdict (best first; ``None``, an error row, last), then more distinct priority
    grounds, then more remaining service (unknown last), then the cadre id. Equal keys keep
    the input order (sort stably).

    >>> rank_key("eligible", 2, 120, "A") < rank_key("eligible", 1, 300, "A")
    True
    """
    return (
        _VERDICT_RANK.get(str(verdict), len(VERDICT_ORDER)) if verdict is not None
        else len(VERDICT_ORDER),
        -priority_count,
        -(remaining_months if remaining_months is not None else -(10**6)),
        cadre_id,
    )  # fmt: skip


def _priority_count(rec: Mapping[str, Any]) -> int:
    grounds = rec.get("priority_grounds")
    if isinstance(grounds, list | tuple):
        return len(grounds)
    return len(rec.get("priority_labels") or [])


def _explain(rank: int, rec: Mapping[str, Any]) -> str:
    verdict = str(rec.get("verdict"))
    if rec.get("status") == "error":
        parts = [f"{rank}. Lỗi dữ liệu"]
        parts.append(f"lỗi [{rec.get('error_code')}]: {rec.get('error_message_vi')}")
        return "; ".join(parts).rstrip(".") + "."
    parts = [f"{rank}. {_VERDICT_SHORT.get(verdict, verdict)}"]
    labels = [str(x) for x in (rec.get("priority_labels") or [])]
    if labels:
        parts.append(f"{_priority_count(rec)} căn cứ ưu tiên ({'; '.join(labels)})")
    else:
        parts.append("không có ưu tiên")
    remaining = _months(rec.get("remaining_service_months"))
    if remaining is not None:
        years, months = divmod(remaining, 12)
        parts.append(f"còn {remaining} tháng công tác ({years} năm {months} tháng)")
    if verdict in {"not_eligible", "needs_review", "unknown"}:
        reason = rec.get("reason_vi")
        if reason:
            parts.append(f"lý do: {reason}")
    return "; ".join(parts).rstrip(".") + "."


def rank_candidates(
    decisions_or_frame: pd.DataFrame | Iterable[Decision],
    position: Position | Mapping[str, Any] | str | None = None,
) -> pd.DataFrame:
    """Rank the candidates for ``position`` (or all rows when ``position`` is ``None``).

    Args:
        decisions_or_frame: results of :func:`luanchuyen.batch.evaluate_many` (for example
            on :func:`luanchuyen.batch.cross`) or a list of :class:`Decision`.
        position: the target: a :class:`Position`, a mapping, or a position id / title.
            Rows are matched on ``target_id`` first, then on ``target_title``.

    Returns:
        A frame with :data:`RANK_COLUMNS`: ``rank`` 1, 2, …; ``priority_count`` (distinct
        priority grounds met) and ``priority_labels`` (the priority rules met); ``woman`` and ``ethnic_minority``
        as information; ``explanation_vi``, one line per candidate; ``row``, the row of the
        input frame. Every input row of the position is ranked, error rows last.
    """
    import pandas as pd

    frame = (
        decisions_or_frame
        if isinstance(decisions_or_frame, pd.DataFrame)
        else decisions_frame(decisions_or_frame)
    )
    subset = _position_filter(frame, position)
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in subset.to_dict("records")
    ]

    def key(rec: Mapping[str, Any]) -> tuple[int, int, int, str]:
        return rank_key(
            None if rec.get("status") == "error" else rec.get("verdict"),
            _priority_count(rec),
            _months(rec.get("remaining_service_months")),
            str(rec.get("cadre_id") or ""),
        )

    ordered = sorted(records, key=key)
    rows = []
    for rank, rec in enumerate(ordered, start=1):
        gender = rec.get("gender")
        minority = rec.get("ethnic_minority")
        rows.append(
            {
                "rank": rank,
                "cadre_id": rec.get("cadre_id"),
                "cadre_name": rec.get("cadre_name"),
                "target_title": rec.get("target_title"),
                "verdict": rec.get("verdict"),
                "priority_count": _priority_count(rec),
                "priority_labels": list(rec.get("priority_labels") or []),
                "remaining_service_months": rec.get("remaining_service_months"),
                "woman": None if _is_na(gender) else gender == "nu",
                "ethnic_minority": None if _is_na(minority) else bool(minority),
                "explanation_vi": _explain(rank, rec),
                "row": rec.get("row"),
            }
        )
    out = pd.DataFrame(rows, columns=list(RANK_COLUMNS))
    out["remaining_service_months"] = out["remaining_service_months"].astype("Int64")
    out["woman"] = out["woman"].astype("boolean")
    out["ethnic_minority"] = out["ethnic_minority"].astype("boolean")
    return out
