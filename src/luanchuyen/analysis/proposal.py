"""Đề xuất phương án bố trí / propose a rotation plan: who goes where, each move justified.

:func:`propose_plan` builds what a ban tổ chức has to produce ("xây dựng phương án bố trí,
sắp xếp", Chi Lăng 2024 plan Mục IV.1): an assignment of cadres to open posts that obeys
the law for every move and meets the plan's targets whenever they can be met.

* **The law is a hard constraint.** Only pairs the engine finds ``eligible`` are used
  (``needs_review`` ones only with ``allow_review=True``, and marked); each cadre gets at
  most one post and each post at most one cadre. The move kind of a pair follows from the
  pair (:func:`move_kind_for`): a change of level (district → commune leadership) is a
  *luân chuyển*, the same level between bodies or communes is an *điều động*; a post in the
  cadre's own body at the same level is no move at all and is left out.
* **Targets come from the rules.** Each plan category of :mod:`luanchuyen.analysis.plan` with a
  quota parameter (``quota_district_to_commune``, ``quota_lateral_transfers``) in force on
  the as-of date becomes a target; share parameters ``plan_min_share_women``,
  ``plan_min_share_ethnic_minority``, ``plan_min_share_under_40`` (per cent of the assigned)
  and ``plan_max_per_sending_body`` are read the same way. A board adds or overrides them
  with :class:`BoardConstraints` (also: no commune secretary in their home commune,
  Chỉ thị 45; a body never loses its head and all its deputies at once).
* **The order of preference** (lexicographic): targets met (then least shortfall), posts
  filled, priority points (under 40, HTXS during rotation, planning naming the target
  title; a ``needs_review`` pair loses a point), remaining service, fewer sending bodies
  disturbed. :class:`Weights` documents and overrides the last three.
* **A real solver**: OR-Tools CP-SAT, one solve per level, with a time limit; the plan says
  whether it is proven optimal or the best found with its bound.
* **Explanations**: each assignment carries its :class:`~luanchuyen.decision.Decision`;
  each unfilled post says why; each target is met or not; targets that cannot be met
  together are named with how close each can get, in Vietnamese; each post lists the next
  best candidates.

The verdict of every pair comes from the candidate search
(:func:`luanchuyen.analysis.candidates.candidates`, one call per move kind in use); only the
pairs the plan may use, and those of a post left with no candidate (to say why), are then
evaluated row by row through :func:`luanchuyen.batch.evaluate_many`.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import ValidationError

from luanchuyen._edge import edge_function
from luanchuyen.analysis._assignment import (
    Board,
    Candidate,
    Conflict,
    Solution,
    SolverName,
    Stage,
    Target,
    TargetOutcome,
    Weights,
    assign,
)
from luanchuyen.analysis.candidates import CODES as CANDIDATE_CODES
from luanchuyen.analysis.candidates import candidates
from luanchuyen.analysis.plan import CATEGORIES, category_of
from luanchuyen.batch import evaluate_many
from luanchuyen.dates import to_date
from luanchuyen.errors import InputError
from luanchuyen.models import Cadre, Level, Move, MoveKind, Position, PostRole, TitleCode
from luanchuyen.models.enums import fold
from luanchuyen.records.frames import records as table_records
from luanchuyen.records.layout import Layout
from luanchuyen.ruleset.compile import CompiledRules, RuleSet

if TYPE_CHECKING:
    import pandas as pd

    from luanchuyen.decision import Decision
    from luanchuyen.evaluation import BackendName

__all__ = [
    "SHARE_PARAMETERS",
    "Alternative",
    "Assignment",
    "Board",
    "BoardConstraints",
    "Candidate",
    "Conflict",
    "Plan",
    "SolverName",
    "Target",
    "TargetOutcome",
    "UnfilledPost",
    "Weights",
    "assign",
    "move_kind_for",
    "propose_plan",
]

#: Share targets an overlay may set (per cent of the assigned cadres), and their labels.
SHARE_PARAMETERS: Final[Mapping[str, tuple[str, str, str]]] = {
    "plan_min_share_women": ("woman", "Tỷ lệ nữ trong số được bố trí", "Share of women"),
    "plan_min_share_ethnic_minority": (
        "ethnic_minority",
        "Tỷ lệ người dân tộc thiểu số trong số được bố trí",
        "Share of ethnic minorities",
    ),
    "plan_min_share_under_40": (
        "under_40",
        "Tỷ lệ cán bộ dưới 40 tuổi trong số được bố trí",
        "Share of cadres under 40",
    ),
}
_MAX_PER_BODY_PARAMETER: Final = "plan_max_per_sending_body"
_YOUTH_PARAMETER: Final = "youth_age_months"
_PLANNED_GROUND: Final = "planned_for_target"
_GROUND_VI: Final[Mapping[str, str]] = {
    "age_months": "cán bộ trẻ dưới 40 tuổi",
    "htxs_during_rotation": "hoàn thành xuất sắc nhiệm vụ trong thời gian luân chuyển",
    _PLANNED_GROUND: "được quy hoạch đúng chức danh đến",
}
_KIND_VI: Final[Mapping[str, str]] = {"luan_chuyen": "Luân chuyển", "dieu_dong": "Điều động"}


# --------------------------------------------------------------------------- public pieces


def move_kind_for(current: Level, target: Level) -> MoveKind:
    """The move kind of a pair, from the two levels (the one place this is decided).

    A change of level — district leaders to commune leadership, or back up — is a
    *luân chuyển* (QĐ 65 Điều 2; Chi Lăng 2024 Mục III.1 đoạn 1); the same level, between
    bodies or communes, is an *điều động* (Chi Lăng 2024 Mục III.1 đoạn 2).

    >>> move_kind_for(Level.HUYEN, Level.XA).value, move_kind_for(Level.XA, Level.XA).value
    ('luan_chuyen', 'dieu_dong')
    """
    return MoveKind.LUAN_CHUYEN if current is not target else MoveKind.DIEU_DONG


@dataclass(frozen=True, slots=True)
class BoardConstraints:
    """What a board adds to the law and the plan's quotas (everything optional).

    Attributes:
        non_local_secretary: no commune Party secretary placed in their home commune
            (Chỉ thị 45-CT/TW). Needs ``home_communes``: cadre id → home commune, compared
            (case and accents folded) with the post's locality (``Địa bàn``); a cadre whose
            home is not given is not held back, and the plan notes it.
        home_communes: see ``non_local_secretary``.
        max_per_sending_body: at most this many cadres taken from one body (overrides the
            overlay parameter ``plan_max_per_sending_body``).
        keep_body_leadership: a body never loses its head and all its deputies at once.
        min_share_women, min_share_ethnic_minority, min_share_under_40: minimum per cent of
            the assigned cadres (override the ``plan_min_share_*`` parameters).
        shares_hard: the shares are constraints (never traded) rather than targets.
    """

    non_local_secretary: bool = False
    home_communes: Mapping[str, str] = field(default_factory=dict)
    max_per_sending_body: int | None = None
    keep_body_leadership: bool = False
    min_share_women: int | None = None
    min_share_ethnic_minority: int | None = None
    min_share_under_40: int | None = None
    shares_hard: bool = False

    def share(self, parameter: str) -> int | None:
        """The board's value for a ``plan_min_share_*`` parameter, if set."""
        value: int | None = getattr(self, parameter.removeprefix("plan_"))
        return value


@dataclass(frozen=True, slots=True)
class Assignment:
    """One proposed move, with the engine's decision and the reasons it was chosen."""

    cadre_id: str
    cadre_name: str
    current_title: str
    current_body: str | None
    post_id: str
    post_title: str
    post_body: str | None
    move_kind: str
    verdict: str
    categories: tuple[str, ...]
    priorities: tuple[str, ...]
    remaining_service_months: int | None
    decision: Decision
    notes: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        """The engine's verdict is «cần xem xét» (allowed by the user, to be decided)."""
        return self.verdict == "needs_review"

    def reason_vi(self) -> str:
        """Why this pair: verdict, move kind, plan categories and priorities, in Vietnamese."""
        parts = [
            "Đủ điều kiện" if self.verdict == "eligible" else "Cần cấp có thẩm quyền xem xét",
            _KIND_VI.get(self.move_kind, self.move_kind),
        ]
        for cat in CATEGORIES:
            if cat.key in self.categories:
                head = "tính vào chỉ tiêu" if cat.parameter is not None else "thuộc diện"
                parts.append(f"{head}: {cat.vi}")
        if self.priorities:
            parts.append("ưu tiên: " + "; ".join(self.priorities))
        if self.remaining_service_months is not None:
            parts.append(f"còn {self.remaining_service_months} tháng công tác")
        return "; ".join(parts + list(self.notes)) + "."


@dataclass(frozen=True, slots=True)
class UnfilledPost:
    """A post left empty, and why."""

    post_id: str
    post_title: str
    candidates: int
    evaluated: int
    reason_vi: str
    blocking: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """A next-best candidate for a post (not the one proposed)."""

    post_id: str
    rank: int
    cadre_id: str
    cadre_name: str
    verdict: str
    priority_points: int
    remaining_service_months: int | None
    assigned_to: str | None


@dataclass(frozen=True, slots=True)
class Plan:
    """A proposed plan: assignments, unfilled posts, targets, conflicts, alternatives.

    ``status`` is ``optimal`` when every level of the order of preference was proven optimal,
    else ``feasible`` (the best found; ``gap`` is the largest relative gap to the bound).
    """

    as_of: date
    packs: tuple[str, ...]
    status: Literal["optimal", "feasible", "unknown"]
    gap: float
    stages: tuple[Stage, ...]
    assignments: tuple[Assignment, ...]
    unfilled: tuple[UnfilledPost, ...]
    targets: tuple[TargetOutcome, ...]
    conflicts: tuple[Conflict, ...]
    alternatives: tuple[Alternative, ...]
    candidates: tuple[Candidate, ...]
    input_errors: tuple[tuple[str, str, str], ...]
    notes: tuple[str, ...]
    weights: tuple[int, int, int]
    pairs_evaluated: int
    seconds: float
    allow_review: bool = False
    solver: str = "highs"

    # ----------------------------------------------------------------- text
    def conflict_text(self, conflict: Conflict) -> str:
        """One conflict explained in Vietnamese."""
        label = {o.target.key: o.target for o in self.targets}
        if len(conflict.keys) == 1:
            t = label[conflict.keys[0]]
            short = conflict.alone.get(t.key, 0)
            return (
                f"Chỉ tiêu «{t.label_vi}» ({_need(t)}) không thể đạt ngay cả khi bỏ qua mọi chỉ "
                f"tiêu khác: dù bố trí tốt nhất vẫn thiếu {short} người (số cặp đủ điều kiện "
                "thuộc loại này, sau các ràng buộc một người – một vị trí, không đủ)."
            )
        if not conflict.proven:
            names = ", ".join(f"«{label[k].label_vi}»" for k in conflict.keys)
            return (
                f"Chưa chứng minh được các chỉ tiêu {names} có thể cùng đạt hay không "
                "(hết thời gian giải)."
            )
        names = " và ".join(f"«{label[k].label_vi}» ({_need(label[k])})" for k in conflict.keys)
        details = []
        counts = [label[k].minimum for k in conflict.keys if label[k].kind == "count"]
        posts = len({c.post for c in self.candidates})
        if len(counts) == len(conflict.keys) and sum(counts) > posts:
            details.append(
                f"tổng các chỉ tiêu là {sum(counts)} người nhưng chỉ {posts} vị trí có ứng viên "
                "được phép"
            )
        for k in conflict.keys:
            others = " và ".join(f"«{label[o].label_vi}»" for o in conflict.keys if o != k)
            w = conflict.with_others.get(k)
            if w is not None:
                details.append(
                    f"riêng «{label[k].label_vi}» thì đạt được, nhưng khi đạt {others} "
                    f"thì vẫn thiếu ít nhất {w} người"
                )
        return (
            f"Các chỉ tiêu {names} không thể cùng đạt: cùng cần những cán bộ và vị trí đủ "
            f"điều kiện (mỗi người chỉ nhận một vị trí, mỗi vị trí một người); "
            + "; ".join(details)
            + ". Phương án dưới đây là phương án tốt nhất khi bỏ bớt chỉ tiêu chưa đạt."
        )

    def explain(self, lang: str = "vi") -> str:
        """The plan as text (Vietnamese; ``lang`` is kept for symmetry with other reports)."""
        del lang
        status = (
            "tối ưu (đã chứng minh)"
            if self.status == "optimal"
            else f"tốt nhất tìm được (cách cận trên {self.gap:.2%})"
        )
        lines = [
            f"Phương án bố trí tại ngày {self.as_of:%d/%m/%Y} (bộ quy tắc: "
            f"{', '.join(self.packs)}): {len(self.assignments)} vị trí được bố trí, "
            f"{len(self.unfilled)} vị trí chưa bố trí; {status}."
        ]
        for o in self.targets:
            lines.append(
                f"- Chỉ tiêu «{o.target.label_vi}» ({_need(o.target)}): đạt {_achieved(o)} — "
                + ("ĐẠT" if o.met else f"CHƯA ĐẠT (thiếu {o.shortfall})")
            )
        lines += [f"! {self.conflict_text(c)}" for c in self.conflicts]
        for a in self.assignments:
            mark = " [cần xem xét]" if a.needs_review else ""
            lines.append(f"· {a.cadre_id} → {a.post_id} ({a.post_title}){mark}: {a.reason_vi()}")
        lines += [
            f"· {u.post_id} ({u.post_title}): chưa bố trí — {u.reason_vi}" for u in self.unfilled
        ]
        lines += list(self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    # ----------------------------------------------------------------- tables
    def frames(self) -> dict[str, pd.DataFrame]:
        """The plan as tables with Vietnamese headers (one per sheet of the workbook)."""
        import pandas as pd

        labels = {c.key: c.vi for c in CATEGORIES}
        out = {
            "Phương án": pd.DataFrame(
                [
                    {
                        "STT": i,
                        "Mã cán bộ": a.cadre_id,
                        "Họ và tên": a.cadre_name,
                        "Chức vụ hiện tại": a.current_title,
                        "Đơn vị hiện tại": a.current_body,
                        "Mã vị trí": a.post_id,
                        "Vị trí dự kiến": a.post_title,
                        "Đơn vị đến": a.post_body,
                        "Hình thức": _KIND_VI.get(a.move_kind, a.move_kind),
                        "Kết luận": "Đủ điều kiện" if a.verdict == "eligible" else "Cần xem xét",
                        "Tính vào chỉ tiêu": "; ".join(labels.get(c, c) for c in a.categories),
                        "Ưu tiên": "; ".join(a.priorities),
                        "Thời gian công tác còn lại (tháng)": a.remaining_service_months,
                        "Lý do": a.reason_vi(),
                    }
                    for i, a in enumerate(self.assignments, start=1)
                ],
                columns=_ASSIGNMENT_HEADERS,
            ),
            "Vị trí chưa bố trí": pd.DataFrame(
                [
                    {
                        "Mã vị trí": u.post_id,
                        "Vị trí": u.post_title,
                        "Số ứng viên đủ điều kiện": u.candidates,
                        "Số cặp đã xét": u.evaluated,
                        "Lý do": u.reason_vi,
                    }
                    for u in self.unfilled
                ],
                columns=[
                    "Mã vị trí",
                    "Vị trí",
                    "Số ứng viên đủ điều kiện",
                    "Số cặp đã xét",
                    "Lý do",
                ],
            ),
            "Chỉ tiêu": pd.DataFrame(
                [
                    {
                        "Chỉ tiêu": o.target.label_vi,
                        "Yêu cầu": _need(o.target),
                        "Đạt được": _achieved(o),
                        "Kết quả": "Đạt" if o.met else "Chưa đạt",
                        "Thiếu (người)": o.shortfall,
                        "Loại": "bắt buộc" if o.target.hard else "mục tiêu",
                        "Nguồn": "Ban" if o.target.source == "board" else "bộ quy tắc",
                        "Tham số": o.target.parameter,
                        "Căn cứ": o.target.citation,
                    }
                    for o in self.targets
                ]
                + [
                    {"Chỉ tiêu": "Xung đột", "Kết quả": self.conflict_text(c)}
                    for c in self.conflicts
                ],
                columns=[
                    "Chỉ tiêu",
                    "Yêu cầu",
                    "Đạt được",
                    "Kết quả",
                    "Thiếu (người)",
                    "Loại",
                    "Nguồn",
                    "Tham số",
                    "Căn cứ",
                ],
            ),
            "Phương án thay thế": pd.DataFrame(
                [
                    {
                        "Mã vị trí": x.post_id,
                        "Thứ tự": x.rank,
                        "Mã cán bộ": x.cadre_id,
                        "Họ và tên": x.cadre_name,
                        "Kết luận": "Đủ điều kiện" if x.verdict == "eligible" else "Cần xem xét",
                        "Điểm ưu tiên": x.priority_points,
                        "Thời gian công tác còn lại (tháng)": x.remaining_service_months,
                        "Đang được đề xuất cho": x.assigned_to,
                    }
                    for x in self.alternatives
                ],
                columns=[
                    "Mã vị trí",
                    "Thứ tự",
                    "Mã cán bộ",
                    "Họ và tên",
                    "Kết luận",
                    "Điểm ưu tiên",
                    "Thời gian công tác còn lại (tháng)",
                    "Đang được đề xuất cho",
                ],
            ),
            "Tóm tắt": pd.DataFrame(
                [
                    {"Mục": "Ngày đánh giá", "Giá trị": f"{self.as_of:%d/%m/%Y}"},
                    {"Mục": "Bộ quy tắc", "Giá trị": ", ".join(self.packs)},
                    {"Mục": "Kết quả giải", "Giá trị": _STATUS_VI[self.status]},
                    {"Mục": "Bộ giải", "Giá trị": _SOLVER_VI[self.solver]},
                    {"Mục": "Khoảng cách tới cận trên", "Giá trị": f"{self.gap:.4%}"},
                    {"Mục": "Số cặp đã xét", "Giá trị": self.pairs_evaluated},
                    {"Mục": "Số cặp được phép dùng", "Giá trị": len(self.candidates)},
                    {"Mục": "Thời gian (giây)", "Giá trị": round(self.seconds, 2)},
                    *({"Mục": "Ghi chú", "Giá trị": n} for n in self.notes),
                    *(
                        {"Mục": f"Lỗi dữ liệu {w}", "Giá trị": f"[{code}] {msg}"}
                        for w, code, msg in self.input_errors
                    ),
                ],
                columns=["Mục", "Giá trị"],
            ),
        }
        return out

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (each assignment with its full decision)."""
        return {
            "as_of": self.as_of.isoformat(),
            "packs": list(self.packs),
            "status": self.status,
            "solver": self.solver,
            "gap": self.gap,
            "stages": [
                {
                    "name": s.name,
                    "status": s.status,
                    "value": s.value,
                    "bound": s.bound,
                    "seconds": round(s.seconds, 3),
                }
                for s in self.stages
            ],
            "weights": dict(zip(("priority", "service", "bodies"), self.weights, strict=True)),
            "assignments": [
                {
                    "cadre_id": a.cadre_id,
                    "post_id": a.post_id,
                    "move_kind": a.move_kind,
                    "verdict": a.verdict,
                    "categories": list(a.categories),
                    "priorities": list(a.priorities),
                    "remaining_service_months": a.remaining_service_months,
                    "reason_vi": a.reason_vi(),
                    "decision": a.decision.model_dump(mode="json"),
                }
                for a in self.assignments
            ],
            "unfilled": [
                {
                    "post_id": u.post_id,
                    "candidates": u.candidates,
                    "evaluated": u.evaluated,
                    "reason_vi": u.reason_vi,
                    "blocking": [list(b) for b in u.blocking],
                }
                for u in self.unfilled
            ],
            "targets": [
                {
                    "key": o.target.key,
                    "kind": o.target.kind,
                    "minimum": o.target.minimum,
                    "hard": o.target.hard,
                    "source": o.target.source,
                    "parameter": o.target.parameter,
                    "achieved": o.achieved,
                    "assigned": o.assigned,
                    "met": o.met,
                    "shortfall": o.shortfall,
                }
                for o in self.targets
            ],
            "conflicts": [
                {
                    "targets": list(c.keys),
                    "proven": c.proven,
                    "alone": dict(c.alone),
                    "with_others": dict(c.with_others),
                    "explanation_vi": self.conflict_text(c),
                }
                for c in self.conflicts
            ],
            "alternatives": [
                {
                    "post_id": x.post_id,
                    "rank": x.rank,
                    "cadre_id": x.cadre_id,
                    "verdict": x.verdict,
                    "priority_points": x.priority_points,
                    "remaining_service_months": x.remaining_service_months,
                    "assigned_to": x.assigned_to,
                }
                for x in self.alternatives
            ],
            "input_errors": [list(e) for e in self.input_errors],
            "notes": list(self.notes),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The plan as JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the plan to ``.xlsx`` (Vietnamese sheets) or ``.json``.

        The file is written beside its final name and renamed into place, so a reader never
        sees half a plan under that name.
        """
        written: Path = edge_function("luanchuyen.io.plan_workbook", "write_plan")(self, path)
        return written

    def _repr_html_(self) -> str:
        status = _STATUS_VI[self.status] + (
            "" if self.status == "optimal" else f" (cách cận trên {self.gap:.2%})"
        )
        target_rows = "".join(
            f"<tr><td>{escape(o.target.label_vi)}</td><td>{escape(_need(o.target))}</td>"
            f"<td>{escape(_achieved(o))}</td>"
            f'<td style="background:{"#c6efce" if o.met else "#ffc7ce"};font-weight:bold">'
            f"{'Đạt' if o.met else 'Chưa đạt'}</td></tr>"
            for o in self.targets
        )
        rows = "".join(
            f"<tr><td>{escape(a.cadre_id)}</td><td>{escape(a.cadre_name)}</td>"
            f"<td>{escape(a.current_title)}</td><td>{escape(a.post_title)}</td>"
            f"<td>{escape(_KIND_VI.get(a.move_kind, a.move_kind))}</td>"
            f'<td style="background:{"#c6efce" if a.verdict == "eligible" else "#ffeb9c"}">'
            f"{'Đủ điều kiện' if a.verdict == 'eligible' else 'Cần xem xét'}</td>"
            f"<td><small>{escape(a.reason_vi())}</small></td></tr>"
            for a in self.assignments
        )
        unfilled = "".join(
            f"<li><b>{escape(u.post_title)}</b>: {escape(u.reason_vi)}</li>" for u in self.unfilled
        )
        conflicts = "".join(
            f'<div style="color:#9c0006">{escape(self.conflict_text(c))}</div>'
            for c in self.conflicts
        )
        return (
            '<div style="font-family:sans-serif">'
            f"<div><b>Phương án bố trí cán bộ</b> · {self.as_of:%d/%m/%Y} · "
            f"{escape(', '.join(self.packs))} · {escape(status)}</div>"
            '<table style="border-collapse:collapse;font-size:0.9em">'
            "<tr><th>Chỉ tiêu</th><th>Yêu cầu</th><th>Đạt được</th><th>Kết quả</th></tr>"
            f"{target_rows}</table>{conflicts}"
            '<table style="border-collapse:collapse;font-size:0.9em"><tr><th>Mã CB</th>'
            "<th>Họ và tên</th><th>Chức vụ hiện tại</th><th>Vị trí dự kiến</th><th>Hình thức</th>"
            f"<th>Kết luận</th><th>Lý do</th></tr>{rows}</table>"
            + (f"<div><b>Vị trí chưa bố trí</b><ul>{unfilled}</ul></div>" if unfilled else "")
            + "</div>"
        )


_ASSIGNMENT_HEADERS: Final = [
    "STT", "Mã cán bộ", "Họ và tên", "Chức vụ hiện tại", "Đơn vị hiện tại", "Mã vị trí",
    "Vị trí dự kiến", "Đơn vị đến", "Hình thức", "Kết luận", "Tính vào chỉ tiêu", "Ưu tiên",
    "Thời gian công tác còn lại (tháng)", "Lý do",
]  # fmt: skip
_SOLVER_VI: Final[Mapping[str, str]] = {
    "highs": "HiGHS (quy hoạch nguyên tuyến tính)",
    "cp-sat": "OR-Tools CP-SAT",
}
_STATUS_VI: Final[Mapping[str, str]] = {
    "optimal": "Tối ưu (đã chứng minh)",
    "feasible": "Tốt nhất tìm được trong thời gian cho phép",
    "unknown": "Chưa tìm được phương án trong thời gian cho phép",
}


def _need(t: Target) -> str:
    return f"≥ {t.minimum}" if t.kind == "count" else f"≥ {t.minimum}%"


def _achieved(o: TargetOutcome) -> str:
    if o.target.kind == "count":
        return str(o.achieved)
    share = 0.0 if o.assigned == 0 else 100 * o.achieved / o.assigned
    return f"{o.achieved}/{o.assigned} ({share:.0f}%)"


# --------------------------------------------------------------------------- inputs


def _models(
    data: Any, cls: type[Cadre] | type[Position], kind: Literal["cadre", "position"]
) -> tuple[list[Any], list[str], list[tuple[str, str, str]]]:
    """Models from models, mappings or a table; each unreadable row becomes an error entry."""
    from luanchuyen.models.validate import input_error_from

    out: list[Any] = []
    where: list[str] = []
    errors: list[tuple[str, str, str]] = []
    if type(data).__name__ == "DataFrame":
        layout = Layout.resolve([str(c) for c in data.columns], kind)
        lines = [str(x) for x in data.index]
        for line, rec in zip(lines, table_records(data, kind), strict=True):
            if isinstance(rec, InputError):
                errors.append((f"{kind} dòng {line}", rec.code, rec.message_vi))
                continue
            raw = rec.cadre if kind == "cadre" else rec.position
            try:
                out.append(cls.model_validate(raw))
                where.append(line)
            except ValidationError as exc:
                err = layout.error_for(exc, kind)
                errors.append((f"{kind} dòng {line}", err.code, err.message_vi))
        return out, where, errors
    for i, item in enumerate(data, start=1):
        if isinstance(item, cls):
            out.append(item)
            where.append(str(i))
            continue
        try:
            out.append(cls.model_validate(item))
            where.append(str(i))
        except ValidationError as exc:
            err = input_error_from(exc, kind)
            errors.append((f"{kind} #{i}", err.code, err.message_vi))
    return out, where, errors


def _post_id(p: Position, where: str) -> str:
    return p.id if p.id else f"#{where}"


def _eligibility(
    pairs: Sequence[tuple[Cadre, Move]], *, as_of: date, rules: RuleSet, backend: Any
) -> pd.DataFrame:
    """The result rows of some pairs (priorities, service, rule ids), no reasons."""
    return evaluate_many(list(pairs), as_of=as_of, rules=rules, backend=backend, reasons=False)


def _verdicts(
    people: Sequence[Cadre],
    places: Sequence[Position],
    index: Sequence[tuple[int, int]],
    pairs: Sequence[tuple[Cadre, Move]],
    *,
    day: date,
    rules: RuleSet,
    move: Mapping[str, Any],
) -> list[str]:
    """The verdict of every pair, from the candidate search (one per move kind in use).

    :func:`luanchuyen.analysis.candidates.candidates` gives the verdict of every cadre ×
    post at once, equal to ``evaluate`` pair for pair (``tests/test_candidates.py``); each
    pair then takes the verdict of its own kind (luân chuyển across levels, điều động at one).
    """
    kinds = sorted({m.kind for _, m in pairs}, key=lambda k: k.value)
    codes = {
        k: candidates(people, places, as_of=day, rules=rules, kind=k.value, move=move).verdicts
        for k in kinds
    }
    return [
        CANDIDATE_CODES[int(codes[m.kind][i, j])]
        for (i, j), (_, m) in zip(index, pairs, strict=True)
    ]


def _targets(
    compiled: CompiledRules, rules: RuleSet, day: date, board: BoardConstraints
) -> list[Target]:
    """The targets in force: quota parameters of the plan categories, then shares."""
    owners = rules.parameters(day)
    out: list[Target] = []

    def citation(name: str) -> str | None:
        source = compiled.param_sources.get(name)
        return str(source.citation) if source is not None else None

    for cat in CATEGORIES:
        if cat.parameter is None or cat.parameter not in owners:
            continue
        if cat.parameter not in compiled.params:
            continue
        out.append(
            Target(
                key=cat.key,
                kind="count",
                category=cat.key,
                minimum=int(compiled.params[cat.parameter]),
                label_vi=cat.vi,
                label_en=cat.en,
                parameter=cat.parameter,
                citation=citation(cat.parameter),
            )
        )
    for name, (attribute, vi, en) in SHARE_PARAMETERS.items():
        value = board.share(name)
        from_board = value is not None
        if value is None and name in owners and name in compiled.params:
            value = int(compiled.params[name])
        if value is None:
            continue
        out.append(
            Target(
                key=attribute,
                kind="share",
                category=attribute,
                minimum=int(value),
                label_vi=vi,
                label_en=en,
                hard=board.shares_hard,
                parameter=None if from_board else name,
                citation=None if from_board else citation(name),
                source="board" if from_board else "rules",
            )
        )
    return out


def _rule_titles(compiled: CompiledRules) -> dict[str, str]:
    return {r.id: r.source.spec.title.vi for r in compiled.rules}


def _is_true(value: Any) -> bool:
    return value is True or (value is not None and value == value and bool(value))


def _int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    try:
        if value != value:
            return None
    except (TypeError, ValueError):  # pragma: no cover - pandas NA compares oddly
        return None
    return int(value)


# --------------------------------------------------------------------------- the facade


def propose_plan(
    cadres: Any,
    posts: Any,
    *,
    as_of: date | str,
    rules: RuleSet,
    allow_review: bool = False,
    board: BoardConstraints | None = None,
    weights: Weights | None = None,
    time_limit: float = 30.0,
    workers: int = 2,
    solver: SolverName = "highs",
    backend: BackendName = "vector",
    move: Mapping[str, Any] | None = None,
    alternatives: int = 3,
) -> Plan:
    """Propose who goes where: the law for every move, the plan's targets, the stated order.

    Args:
        cadres: cadre models or mappings, or a table in the cadre layout
            (:func:`luanchuyen.io.tables.read_table`).
        posts: the open posts: position models or mappings, or a table in the position
            layout. A post without an id is named by its line.
        as_of: the evaluation date (the targets are read on this date too).
        rules: the rule set (an overlay such as ``load_rules("chi-lang-2024")`` brings the
            quotas).
        allow_review: also use ``needs_review`` pairs (marked in the plan).
        board: the board's constraints (:class:`BoardConstraints`).
        weights: the weights of the last levels (:class:`Weights`).
        time_limit: seconds for the solver (all levels together).
        workers: CP-SAT search workers.
        solver: ``"highs"`` (HiGHS, the default: proves 2,000 × 300 in seconds) or
            ``"cp-sat"`` (OR-Tools CP-SAT).
        backend: the engine backend for the eligibility of every pair.
        move: other move fields for every pair (``planned_start``, ``decision_date``…).
        alternatives: how many next-best candidates to list per post.

    Returns:
        A :class:`Plan`. A target that cannot be met is reported with the conflict that
        stops it, never raised; only a bad argument raises :class:`InputError`.
    """
    import time

    started = time.perf_counter()
    day = to_date(as_of, "as_of")
    board = board or BoardConstraints()
    weights = weights or Weights()
    compiled = rules.compiled(day)
    people, _, cadre_errors = _models(cadres, Cadre, "cadre")
    places, place_lines, post_errors = _models(posts, Position, "position")
    errors = cadre_errors + post_errors
    notes: list[str] = []
    post_ids = [_post_id(p, w) for p, w in zip(places, place_lines, strict=True)]
    _check_unique(people, post_ids)
    extra = dict(move or {})
    try:
        template = {
            (kind, j): Move.model_validate({**extra, "kind": kind, "target": p})
            for j, p in enumerate(places)
            for kind in (MoveKind.LUAN_CHUYEN, MoveKind.DIEU_DONG)
        }
    except ValidationError as exc:
        from luanchuyen.models.validate import input_error_from

        raise input_error_from(exc, "move") from None
    pairs: list[tuple[Cadre, Move]] = []
    index: list[tuple[int, int]] = []
    no_post = 0
    for i, c in enumerate(people):
        if c.current_post is None:
            no_post += 1
            continue
        for j, p in enumerate(places):
            pairs.append((c, template[(move_kind_for(c.current_post.level, p.level), j)]))
            index.append((i, j))
    if no_post:
        notes.append(
            f"{no_post} cán bộ chưa có chức vụ hiện tại: không xác định được hình thức "
            "(luân chuyển/điều động), không đưa vào phương án."
        )
    allowed = {"eligible", "needs_review"} if allow_review else {"eligible"}
    verdict_of = _verdicts(people, places, index, pairs, day=day, rules=rules, move=extra)
    # Only the pairs the plan may use are evaluated row by row (their priorities, service…).
    usable = [r for r, v in enumerate(verdict_of) if v in allowed]
    frame = _eligibility([pairs[r] for r in usable], as_of=day, rules=rules, backend=backend)
    use_index = [index[r] for r in usable]
    use_pairs = [pairs[r] for r in usable]
    titles = _rule_titles(compiled)
    youth = compiled.params.get(_YOUTH_PARAMETER)
    cands, cand_pairs, excluded = _candidates(
        frame, use_index, people, places, post_ids, allowed, board, weights, youth, day, compiled
    )
    if board.non_local_secretary:
        unknown_home = sum(1 for c in people if c.id not in board.home_communes)
        if unknown_home:
            notes.append(
                f"{unknown_home} cán bộ chưa có quê quán (xã): chưa kiểm tra được chủ trương "
                "bí thư cấp xã không là người địa phương (Chỉ thị 45) với họ."
            )
    targets = _targets(compiled, rules, day, board)
    if any(t.category == "under_40" for t in targets) and youth is None:
        notes.append("Bộ quy tắc không có tham số youth_age_months: không xác định được «dưới 40».")
    max_body = board.max_per_sending_body
    if max_body is None and _MAX_PER_BODY_PARAMETER in compiled.params:
        max_body = int(compiled.params[_MAX_PER_BODY_PARAMETER])
    leaders = Counter(
        c.current_post.body
        for c in people
        if c.current_post is not None
        and c.current_post.body is not None
        and c.current_post.role in (PostRole.CAP_TRUONG, PostRole.CAP_PHO)
    )
    solution = assign(
        cands,
        targets,
        board=Board(max_per_sending_body=max_body, keep_body_leadership=board.keep_body_leadership),
        weights=weights,
        time_limit=max(0.5, time_limit),
        workers=workers,
        solver=solver,
        body_leaders=leaders,
    )
    chosen = [cand_pairs[k] for k in solution.chosen]
    records = [{str(a): b for a, b in r.items()} for r in frame.iloc[chosen].to_dict("records")]
    assignments = _assignments(
        solution, cands, chosen, records, use_pairs, people, places, post_ids, day, rules
    )
    taken = {a.post_id: a.cadre_id for a in assignments}
    where = {a.cadre_id: a.post_id for a in assignments}
    by_post: dict[str, list[int]] = defaultdict(list)
    for k, c in enumerate(cands):
        by_post[c.post].append(k)
    evaluated: Counter[str] = Counter(post_ids[j] for _, j in index)
    # Why a post with no usable candidate stays empty: its pairs, rule by rule.
    empty = {j for j, pid in enumerate(post_ids) if pid not in taken and not by_post.get(pid)}
    why_rows = [r for r, (_, j) in enumerate(index) if j in empty]
    why_frame = _eligibility([pairs[r] for r in why_rows], as_of=day, rules=rules, backend=backend)
    why_index = [index[r] for r in why_rows]
    unfilled = [
        _unfilled(pid, places[j].title, by_post.get(pid, []), evaluated[pid], why_frame,
                  why_index, j, titles, excluded.get(pid, Counter()), allow_review)
        for j, pid in enumerate(post_ids)
        if pid not in taken
    ]  # fmt: skip
    alts: list[Alternative] = []
    names = {c.id: c.name for c in people}
    for pid in post_ids:
        ranked = sorted(
            (cands[k] for k in by_post.get(pid, []) if cands[k].cadre != taken.get(pid)),
            key=lambda c: (-c.priority_points, -(c.remaining_service_months or 0), c.cadre),
        )
        for r, c in enumerate(ranked[:alternatives], start=1):
            alts.append(
                Alternative(
                    pid,
                    r,
                    c.cadre,
                    names.get(c.cadre, ""),
                    "needs_review" if c.review else "eligible",
                    c.priority_points,
                    c.remaining_service_months,
                    where.get(c.cadre),
                )
            )
    return Plan(
        as_of=day,
        packs=tuple(compiled.pack_ids),
        status=solution.status,
        gap=solution.gap,
        stages=solution.stages,
        assignments=tuple(assignments),
        unfilled=tuple(unfilled),
        targets=solution.targets,
        conflicts=solution.conflicts,
        alternatives=tuple(alts),
        candidates=tuple(cands),
        input_errors=tuple(errors),
        notes=tuple(notes),
        weights=solution.weights,
        pairs_evaluated=len(pairs),
        seconds=time.perf_counter() - started,
        allow_review=allow_review,
        solver=solution.solver,
    )


def _check_unique(people: Sequence[Cadre], post_ids: Sequence[str]) -> None:
    for what, ids in (("cán bộ", [c.id for c in people]), ("vị trí", list(post_ids))):
        dup = [k for k, n in Counter(ids).items() if n > 1]
        if dup:
            raise InputError(
                "invalid_input",
                f"Mã {what} trùng nhau: {', '.join(sorted(dup)[:5])}",
                f"Duplicate {'cadre' if what == 'cán bộ' else 'position'} ids: "
                f"{', '.join(sorted(dup)[:5])}",
                field="cadre.id" if what == "cán bộ" else "position.id",
            )


def _candidates(
    frame: pd.DataFrame,
    index: Sequence[tuple[int, int]],
    people: Sequence[Cadre],
    places: Sequence[Position],
    post_ids: Sequence[str],
    allowed: set[str],
    board: BoardConstraints,
    weights: Weights,
    youth: Any,
    day: date,
    compiled: CompiledRules,
) -> tuple[list[Candidate], list[int], dict[str, Counter[str]]]:
    """The pairs the plan may use, and per post why allowed verdicts were left out."""
    from luanchuyen.facts import derive_facts

    verdicts = frame["verdict"].to_numpy()
    rows = [r for r in range(len(frame)) if verdicts[r] in allowed]
    sub = [{str(a): b for a, b in rec.items()} for rec in frame.iloc[rows].to_dict("records")]
    planned: dict[tuple[int, Any, Any], bool] = {}
    cands: list[Candidate] = []
    cand_rows: list[int] = []
    excluded: dict[str, Counter[str]] = defaultdict(Counter)
    homes = {k: fold(v) for k, v in board.home_communes.items()}
    for r, rec in zip(rows, sub, strict=True):
        i, j = index[r]
        c, p = people[i], places[j]
        pid = post_ids[j]
        assert c.current_post is not None
        if c.current_post.level is p.level and rec.get("cross_unit") is not True:
            reason = (
                "cùng đơn vị (không phải điều động)"
                if rec.get("cross_unit") is False
                else "chưa rõ đơn vị hiện tại hoặc đơn vị đến"
            )
            excluded[pid][reason] += 1
            continue
        if (
            board.non_local_secretary
            and p.level is Level.XA
            and p.title_code is TitleCode.BI_THU
            and c.id in homes
            and p.locality is not None
            and homes[c.id] == fold(p.locality)
        ):
            excluded[pid]["bí thư cấp xã tại quê (Chỉ thị 45)"] += 1
            continue
        key = (i, p.title_code, p.level)
        if key not in planned:
            facts = derive_facts(c, Move(kind=rec["move_kind"], target=p), day, compiled.params)
            planned[key] = facts.facts.get(_PLANNED_GROUND) is True
        grounds = list(rec.get("priority_grounds") or [])
        if planned[key]:
            grounds.append(_PLANNED_GROUND)
        review = rec["verdict"] == "needs_review"
        cats, _unclear = category_of(rec)
        age = _int_or_none(rec.get("age_months"))
        role = c.current_post.role
        cands.append(
            Candidate(
                cadre=c.id,
                post=pid,
                categories=frozenset(cats),
                priority_points=weights.points(grounds, review),
                remaining_service_months=_int_or_none(rec.get("remaining_service_months")),
                sending_body=c.current_post.body,
                woman=c.gender.value == "nu",
                ethnic_minority=c.ethnic_minority,
                under_40=None if age is None or youth is None else age < int(youth),
                review=review,
                head=role is PostRole.CAP_TRUONG,
                deputy=role is PostRole.CAP_PHO,
            )
        )
        cand_rows.append(r)
    return cands, cand_rows, excluded


def _priorities(rec: Mapping[str, Any], planned: bool) -> tuple[str, ...]:
    labels = [str(x) for x in (rec.get("priority_labels") or [])]
    if not labels:
        labels = [_GROUND_VI.get(g, g) for g in rec.get("priority_grounds") or []]
    if planned:
        labels.append("Được quy hoạch đúng chức danh đến")
    return tuple(labels)


def _assignments(
    solution: Solution,
    cands: Sequence[Candidate],
    rows: Sequence[int],
    records: Sequence[Mapping[str, Any]],
    pairs: Sequence[tuple[Cadre, Move]],
    people: Sequence[Cadre],
    places: Sequence[Position],
    post_ids: Sequence[str],
    day: date,
    rules: RuleSet,
) -> list[Assignment]:
    from luanchuyen.evaluation import evaluate

    del people, places, post_ids
    out = []
    for n, (k, r) in enumerate(zip(solution.chosen, rows, strict=True)):
        c, m = pairs[r]
        d = evaluate(c, m, as_of=day, rules=rules, backend="reference")
        rec = records[n]
        planned = d.facts.get(_PLANNED_GROUND) is True
        cand = cands[k]
        cur = c.current_post
        assert cur is not None
        out.append(
            Assignment(
                cadre_id=c.id,
                cadre_name=c.name,
                current_title=cur.title,
                current_body=cur.body,
                post_id=cand.post,
                post_title=m.target.title,
                post_body=m.target.body,
                move_kind=m.kind.value,
                verdict=d.verdict.value,
                categories=tuple(sorted(cand.categories)),
                priorities=_priorities(rec, planned),
                remaining_service_months=cand.remaining_service_months,
                decision=d,
                notes=("cần cấp có thẩm quyền xem xét trước khi quyết định",)
                if d.verdict.value == "needs_review"
                else (),
            )
        )
    out.sort(key=lambda a: (a.post_id, a.cadre_id))
    return out


def _unfilled(
    pid: str,
    title: str,
    ks: Sequence[int],
    evaluated: int,
    frame: pd.DataFrame,
    index: Sequence[tuple[int, int]],
    j: int,
    titles: Mapping[str, str],
    excluded: Counter[str],
    allow_review: bool,
) -> UnfilledPost:
    """Why a post stays empty: no allowed candidate (and what blocks them) or none left."""
    if ks:
        reason = (
            f"có {len(ks)} ứng viên được phép, nhưng đều được đề xuất cho vị trí khác hoặc vướng "
            "ràng buộc của phương án (chỉ tiêu, giới hạn theo đơn vị)"
        )
        return UnfilledPost(pid, title, len(ks), evaluated, reason, ())
    rows = [r for r, (_, jj) in enumerate(index) if jj == j]
    counts: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for r in rows:
        rec = frame.iloc[r]
        verdicts[str(rec["verdict"])] += 1
        for col in ("blocking_rules", "review_rules", "unknown_rules"):
            if col == "review_rules" and allow_review:
                continue
            for rule in rec[col] or ():
                counts[str(rule)] += 1
    top = counts.most_common(3)
    reasons = [f"{titles.get(rule, rule)} ({n} ứng viên)" for rule, n in top]
    reasons += [f"{why} ({n})" for why, n in excluded.most_common(2)]
    if not rows:
        text = "không có cán bộ nào để xét"
    else:
        text = (
            "không có ứng viên đủ điều kiện"
            + (" (kể cả cần xem xét)" if allow_review else "")
            + f" trong {len(rows)} cán bộ đã xét"
            + (f"; vướng nhiều nhất: {'; '.join(reasons)}" if reasons else "")
        )
        if not allow_review and verdicts.get("needs_review"):
            text += f"; {verdicts['needs_review']} ứng viên cần xem xét (dùng allow_review)"
    return UnfilledPost(pid, title, 0, evaluated, text, tuple(top))
