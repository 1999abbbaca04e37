"""Biểu đồ cho kết quả hàng loạt / plots of batch results (matplotlib, imported lazily).

Figures are built with :class:`matplotlib.figure.Figure` directly (never ``pyplot``), so
nothing here touches a global backend or opens a window: save them with ``fig.savefig`` or
let Jupyter display them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from luanchuyen.render.labels import VERDICT_BACKGROUNDS, VERDICT_COLOURS, label
from luanchuyen.results import SUMMARY_KEYS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_THRESHOLDS",
    "overview_figure",
    "plot_remaining_service",
    "plot_verdicts_by_unit",
]

#: Remaining-service thresholds marked on the histogram: QĐ 65 (10 years), Chi Lăng C3.
DEFAULT_THRESHOLDS: tuple[tuple[int, str], ...] = (
    (120, "120 tháng: QĐ 65 (10 năm)"),
    (180, "180 tháng: 3 nhiệm kỳ (Chi Lăng C3)"),
)
_ORDER = SUMMARY_KEYS  # the verdicts best first, then rows with status error
_LABELS = {key: label("status" if key == "error" else "verdict_short", key) for key in SUMMARY_KEYS}
_COLOURS = VERDICT_COLOURS
_UNIT_LABELS = {
    "target_body": "Đơn vị đến",
    "current_body": "Đơn vị hiện tại",
    "target_title": "Vị trí đến",
    "current_level": "Cấp hiện tại",
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig.add_subplot()


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plot_verdicts_by_unit(
    frame: pd.DataFrame, *, by: str = "target_body", ax: Axes | None = None, top: int = 15
) -> Axes:
    """Stacked horizontal bars: rows by verdict for each unit (the ``top`` largest units).

    Args:
        frame: results of :func:`luanchuyen.batch.evaluate_many`.
        by: the grouping column: ``target_body`` (receiving unit, default),
            ``current_body``, ``target_title``…; missing values show as «(không rõ)».
        ax: an Axes to draw on (default: a new figure).
        top: how many units to show (largest first).
    """
    import pandas as pd

    ax = _axes(ax, (9, 5))
    units = frame[by].astype("object").where(frame[by].notna(), "(không rõ)").astype(str)
    verdicts = frame["verdict"].astype(str)
    if "status" in frame.columns:
        verdicts = verdicts.where(frame["status"] != "error", "error")
    table = pd.crosstab(units, verdicts)
    for v in _ORDER:
        if v not in table.columns:
            table[v] = 0
    table = table[list(_ORDER)]
    table = table.loc[table.sum(axis=1).sort_values(ascending=True).index[-top:]]
    left = [0] * len(table)
    labels = [_short(str(u)) for u in table.index]
    for v in _ORDER:
        counts = [int(x) for x in table[v]]
        if not any(counts):
            continue
        ax.barh(labels, counts, left=left, color=_COLOURS[v], label=_LABELS[v], edgecolor="white")
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_xlabel("Số cặp cán bộ × vị trí")
    ax.set_title(f"Kết luận theo {_UNIT_LABELS.get(by, by).lower()}")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize="small", frameon=False
    )
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_remaining_service(
    frame: pd.DataFrame,
    *,
    thresholds: Sequence[tuple[int, str]] = DEFAULT_THRESHOLDS,
    ax: Axes | None = None,
    bin_months: int = 12,
) -> Axes:
    """Histogram of remaining service (months), one count per cadre, thresholds marked.

    Rows with an error or no remaining service are left out; a cadre evaluated for several
    posts on the same date counts once.
    """
    ax = _axes(ax, (8, 4.5))
    data = frame.loc[frame["remaining_service_months"].notna()]
    keys = [c for c in ("cadre_id", "as_of") if c in data.columns]
    if keys:
        data = data.drop_duplicates(subset=keys)
    values = [int(v) for v in data["remaining_service_months"]]
    if values:
        lo = min(0, min(values))
        hi = max(max(values), max((t for t, _ in thresholds), default=0)) + bin_months
        bins = list(range(lo - lo % bin_months, hi + bin_months, bin_months))
        ax.hist(values, bins=bins, color=VERDICT_BACKGROUNDS["eligible"], edgecolor="#1b7f3b")
    styles = ("--", ":", "-.")
    for i, (months, mark) in enumerate(thresholds):
        ax.axvline(
            months, color="#b3261e", linestyle=styles[i % len(styles)], linewidth=1.6, label=mark
        )
    ax.set_xlabel("Thời gian công tác còn lại (tháng)")
    ax.set_ylabel("Số cán bộ")
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Thời gian công tác còn lại ({len(values)} cán bộ)")
    if thresholds:
        ax.legend(loc="upper left", fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def overview_figure(
    frame: pd.DataFrame, *, by: str = "target_body", title: str | None = None
) -> Figure:
    """Both plots side by side in one figure (the picture in ``docs/img/plot.png``)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(14, 5.5), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.25, 1])
    plot_verdicts_by_unit(frame, by=by, ax=left)
    plot_remaining_service(frame, ax=right)
    if title:
        fig.suptitle(title, fontweight="bold")
    return fig
