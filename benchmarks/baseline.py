"""The plain-Python baseline: the national pack on the benchmark date, written by hand.

This is what a developer would write without the library: ``if``/``else`` over the
derived facts (``luanchuyen.derive_facts``), three-valued where a fact may be missing, the
verdict, and one reason string per criterion (Vietnamese), for the rules of ``rules/qd65``
in force on :data:`synth.AS_OF` (2024-06-01) with that date's parameters written in as
constants. The benchmark checks that it agrees with the library on every input: the same
verdict, priority and, per criterion in the pack's order, the same (rule id, outcome,
Vietnamese message). When a rule of ``rules/qd65`` changes, this file changes with it.

The only things taken from the library besides the derived facts are words: the fact labels
of :data:`luanchuyen.facts.registry.FACTS` (a "missing data" message names them, sorted by
fact name) and the Vietnamese words for the enum codes a message quotes (the post comparison,
its basis, the rating). No condition evaluator, no engine, no compiled rules.

It is deliberately straightforward, not deliberately slow: no regular expressions, no
objects beyond tuples, f-strings for the messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from luanchuyen.facts.registry import FACTS
from luanchuyen.facts.values import COMPUTED_VALUE_LABELS
from luanchuyen.models import Rating

__all__ = ["RULE_IDS", "decide"]

Tri = bool | None
Facts = Mapping[str, Any]
Reason = tuple[str, str, str]  # rule id, outcome, message (Vietnamese)

# The words a message uses: the registry's fact labels (quoted in "missing data" messages)
# and the Vietnamese words of the enum codes a message quotes. Imported, not copied: a label
# table has one home (docs/facts.md is generated from the same registry).
_LABEL: dict[str, str] = {name: spec.vi for name, spec in FACTS.items()}
_RELATION = dict(COMPUTED_VALUE_LABELS["target_relation"]["vi"])
_RELATION_SOURCE = dict(COMPUTED_VALUE_LABELS["target_relation_source"]["vi"])
_RATING = {r.value: r.label_vi for r in Rating}
_NA = "Không áp dụng cho trường hợp này"
LC, DD, BP, CD = "luan_chuyen", "dieu_dong", "biet_phai", "chuyen_doi_vi_tri"
ALL_KINDS = (LC, DD, BP, CD)


def _s(v: Any) -> str:
    """A value in a message, as the library prints it in Vietnamese."""
    if v is None:
        return "?"
    if v is True:
        return "có"
    if v is False:
        return "không"
    return str(v)


def _eq(v: Any, x: Any) -> Tri:
    return None if v is None else v == x


def _ge(v: int | None, x: int) -> Tri:
    return None if v is None else v >= x


def _any(*xs: Tri) -> Tri:
    if True in xs:
        return True
    return None if None in xs else False


def _all(*xs: Tri) -> Tri:
    if False in xs:
        return False
    return None if None in xs else True


def _w(table: Mapping[str, str], v: Any) -> str:
    """An enum code in a message, in words (the code itself when it has none)."""
    if v is None:
        return "?"
    return table.get(v, v)


def _missing(f: Facts, names: tuple[str, ...]) -> str:
    gone = sorted(n for n in names if f.get(n) is None)
    listed = "; ".join(_LABEL[n] for n in gone) or "—"
    return f"Chưa đủ dữ liệu để kết luận; cần bổ sung: {listed}"


def _outcome(constraint: bool, applies: Tri, test: Tri) -> str:
    if applies is False:
        return "not_applicable"
    if applies is True:
        if test is None:
            return "unknown"
        return "pass" if test else "fail"
    if test is True and constraint:
        return "pass"
    return "unknown"


# Each rule: (id, effect, kinds, applies(f), test(f), exception(f) or None, note, pass, fail,
# unknown message or None (then the missing facts are listed), facts read).
Rule = tuple[
    str,
    str,
    tuple[str, ...],
    Callable[[Facts], Tri] | None,
    Callable[[Facts], Tri],
    Callable[[Facts], Tri] | None,
    str | None,
    Callable[[Facts, Facts], str],
    Callable[[Facts, Facts], str],
    str | None,
    tuple[str, ...],
]


def _special(f: Facts) -> Tri:
    return _eq(f.get("special_case_requested"), True)


def _family_ok(f: Facts) -> Tri:
    return _all(
        _eq(f.get("pregnant"), False),
        _any(_eq(f.get("has_children"), False), _ge(f.get("youngest_child_age_months"), 36)),
    )


def _no_discipline_window(f: Facts) -> Tri:
    return _all(
        _any(
            _eq(f.get("has_discipline_khien_trach"), False),
            _ge(f.get("months_since_khien_trach"), 12),
        ),
        _any(_eq(f.get("has_discipline_canh_cao"), False), _ge(f.get("months_since_canh_cao"), 30)),
        _any(
            _eq(f.get("has_discipline_cach_chuc"), False), _ge(f.get("months_since_cach_chuc"), 60)
        ),
    )


def _post_change_family(f: Facts) -> Tri:
    male = _eq(f.get("gender"), "nam")
    sole = f.get("sole_carer")
    return _all(
        _any(male, _eq(f.get("pregnant"), False)),
        _any(
            _all(male, None if sole is None else sole is not True),
            _eq(f.get("has_children"), False),
            _ge(f.get("youngest_child_age_months"), 36),
        ),
    )


def _higher(f: Facts) -> Tri:
    return _eq(f.get("target_relation"), "higher")


def _policy_exception(f: Facts) -> Tri:
    return _any(
        _special(f),
        _all(_eq(f.get("policy_case"), True), _ge(f.get("remaining_service_months"), 60)),
    )


_DISC_WINDOW = (
    "move_kind", "target_relation", "has_discipline_khien_trach", "months_since_khien_trach",
    "has_discipline_canh_cao", "months_since_canh_cao", "has_discipline_cach_chuc",
    "months_since_cach_chuc",
)  # fmt: skip
_FAMILY = ("move_kind", "gender", "pregnant", "has_children", "youngest_child_age_months")

RULES: tuple[Rule, ...] = (
    (
        "discipline_removes_planning_pre377", "block", (LC,),
        lambda f: _eq(f.get("in_planning"), True),
        lambda f: _eq(f.get("planning_disciplined"), False),
        None, None,
        lambda f, c: "Không bị kỷ luật sau khi được phê duyệt quy hoạch.",
        lambda f, c: f"Bị kỷ luật (lần gần nhất {_s(c.get('party_discipline_date'))}) sau khi được quy hoạch: đương nhiên ra khỏi quy hoạch, không còn là đối tượng luân chuyển.",
        "Có kỷ luật nhưng thiếu ngày phê duyệt quy hoạch để biết kỷ luật trước hay sau khi quy hoạch.",
        ("move_kind", "in_planning", "planning_disciplined"),
    ),
    (
        "rating_not_completed", "block", (LC,),
        lambda f: _eq(f.get("in_planning"), True),
        lambda f: _any(
            _eq(f.get("latest_rating_htt_or_better"), True),
            None if f.get("latest_rating") is None else f["latest_rating"] != "kht",
        ),
        None, None,
        lambda f, c: f"Xếp loại năm {_s(f.get('latest_rating_year'))}: {_w(_RATING, f.get('latest_rating'))} (từ hoàn thành tốt trở lên: {_s(f.get('latest_rating_htt_or_better'))}).",
        lambda f, c: f"Năm {_s(f.get('latest_rating_year'))} xếp loại không hoàn thành nhiệm vụ: bị đưa ra khỏi quy hoạch khi rà soát hằng năm.",
        None,
        ("move_kind", "in_planning", "latest_rating", "latest_rating_htt_or_better"),
    ),
    (
        "party_discipline_in_effect", "block", (LC, DD),
        None,
        lambda f: _any(_eq(f.get("has_party_discipline"), False), _ge(f.get("months_since_party_discipline"), 12)),
        None, None,
        lambda f, c: "Không có kỷ luật Đảng còn hiệu lực.",
        lambda f, c: f"Kỷ luật Đảng từ {_s(c.get('party_discipline_date'))} còn hiệu lực ({_s(f.get('months_since_party_discipline'))}/12 tháng).",
        None,
        ("move_kind", "has_party_discipline", "months_since_party_discipline"),
    ),
    (
        "discipline_window_higher_post", "block", (LC, DD),
        _higher, _no_discipline_window, None, None,
        lambda f, c: "Không còn trong thời hạn cấm bổ nhiệm chức vụ cao hơn sau kỷ luật (khiển trách 12, cảnh cáo 30, cách chức 60 tháng).",
        lambda f, c: f"Đang trong thời hạn không bổ nhiệm chức vụ cao hơn sau kỷ luật ({_s(c.get('discipline_summary_vi'))}; thời hạn: khiển trách 12, cảnh cáo 30, cách chức 60 tháng).",
        None, _DISC_WINDOW,
    ),
    (
        "terminal_discipline", "block", ALL_KINDS,
        None, lambda f: _eq(f.get("has_terminal_discipline"), False), None, None,
        lambda f, c: "Không có hình thức kỷ luật khai trừ, buộc thôi việc, bãi nhiệm.",
        lambda f, c: "Đã bị khai trừ, buộc thôi việc hoặc bãi nhiệm.",
        None, ("move_kind", "has_terminal_discipline"),
    ),
    (
        "under_disciplinary_review", "block", ALL_KINDS,
        None, lambda f: _eq(f.get("under_disciplinary_review"), False), None, None,
        lambda f, c: "Không đang bị xem xét, xử lý kỷ luật.",
        lambda f, c: "Đang bị xem xét, xử lý kỷ luật: chưa điều động, luân chuyển.",
        None, ("move_kind", "under_disciplinary_review"),
    ),
    (
        "under_investigation_or_prosecution", "block", ALL_KINDS,
        None, lambda f: _eq(f.get("under_investigation"), False),
        _special, "Nếu chỉ là thông tin đang được xác minh: cấp có thẩm quyền xem xét.",
        lambda f, c: "Không đang bị thanh tra, kiểm tra, điều tra.",
        lambda f, c: "Đang bị thanh tra, kiểm tra, điều tra hoặc truy tố: chưa điều động, luân chuyển.",
        None, ("move_kind", "under_investigation"),
    ),
    (
        "equivalence_library_table", "warn", ALL_KINDS,
        lambda f: f.get("target_relation_source") is not None,
        lambda f: None if f.get("target_relation_source") is None else f["target_relation_source"] != "library",
        None, None,
        lambda f, c: f"Chức vụ đến {_w(_RELATION, f.get('target_relation'))} so với hiện tại, theo căn cứ: {_w(_RELATION_SOURCE, f.get('target_relation_source'))}.",
        lambda f, c: f"Chức vụ đến {_w(_RELATION, f.get('target_relation'))} so với hiện tại chỉ theo bảng mặc định của thư viện [I]: đối chiếu danh mục chức danh, chức vụ tương đương của tỉnh (QĐ 368) hoặc ghi bậc (rank) của hai chức vụ.",
        None, ("move_kind", "target_relation_source"),
    ),
    (
        "near_retirement_no_post_change", "block", (CD,),
        None, lambda f: _ge(f.get("remaining_service_months"), 18), None, None,
        lambda f, c: f"Còn {_s(f.get('remaining_service_months'))} tháng đến tuổi nghỉ hưu (≥ 18).",
        lambda f, c: f"Chỉ còn {_s(f.get('remaining_service_months'))} tháng đến tuổi nghỉ hưu (< 18): không chuyển đổi vị trí.",
        None, ("move_kind", "remaining_service_months"),
    ),
    (
        "post_change_deferral", "block", (CD,),
        None, _post_change_family, None, None,
        lambda f, c: "Không thuộc trường hợp chưa chuyển đổi vị trí vì hoàn cảnh gia đình.",
        lambda f, c: f"Chưa chuyển đổi vị trí: đang mang thai hoặc nuôi con dưới 36 tháng (con nhỏ nhất {_s(f.get('youngest_child_age_months'))} tháng, sinh {_s(c.get('youngest_child_dob'))}).",
        None, (*_FAMILY, "sole_carer"),
    ),
    (
        "periodic_post_change_window", "warn", (CD,),
        None, lambda f: _ge(f.get("months_in_current_post"), 24), None, None,
        lambda f, c: f"Đã giữ vị trí {_s(f.get('months_in_current_post'))} tháng (≥ 24): thuộc diện định kỳ chuyển đổi.",
        lambda f, c: f"Mới giữ vị trí {_s(f.get('months_in_current_post'))} tháng, chưa đủ 24 tháng để định kỳ chuyển đổi.",
        None, ("move_kind", "months_in_current_post"),
    ),
    (
        "post_change_overdue", "info", (CD, DD, LC),
        lambda f: _eq(f.get("current_on_post_change_list"), True),
        lambda f: None if f.get("months_in_current_post") is None else f["months_in_current_post"] <= 60,
        None, None,
        lambda f, c: f"Vị trí thuộc danh mục định kỳ chuyển đổi, đã giữ {_s(f.get('months_in_current_post'))} tháng (≤ 60).",
        lambda f, c: f"Đã giữ vị trí thuộc danh mục định kỳ chuyển đổi {_s(f.get('months_in_current_post'))} tháng, quá 60 tháng (5 năm): đã đến hạn phải chuyển đổi.",
        None, ("move_kind", "current_on_post_change_list", "months_in_current_post"),
    ),
    (
        "rotation_requires_planning", "block", (LC,),
        None, lambda f: _any(_eq(f.get("in_planning"), True), _eq(f.get("policy_case"), True)),
        _special, "Trường hợp khác do cấp có thẩm quyền quyết định (Điều 4.2c).",
        lambda f, c: f"Đang trong quy hoạch (trong quy hoạch: {_s(f.get('in_planning'))}; luân chuyển theo chủ trương: {_s(f.get('policy_case'))}).",
        lambda f, c: "Không trong quy hoạch chức danh lãnh đạo, quản lý và không thuộc diện luân chuyển theo chủ trương không là người địa phương.",
        None, ("move_kind", "in_planning", "policy_case"),
    ),
    (
        "min_remaining_service_10y", "block", (LC,),
        None, lambda f: _ge(f.get("remaining_service_months"), 120),
        _policy_exception, "Trường hợp đặc biệt hoặc luân chuyển theo chủ trương (còn đủ 1 nhiệm kỳ): cấp có thẩm quyền xem xét.",
        lambda f, c: f"Còn {_s(f.get('remaining_service_months'))} tháng công tác tại {_s(c.get('reference_date'))} (cần ≥ 120); nghỉ hưu {_s(c.get('retirement_date'))}.",
        lambda f, c: f"Chỉ còn {_s(f.get('remaining_service_months'))} tháng công tác tại {_s(c.get('reference_date'))}, dưới 120 tháng (10 năm); nghỉ hưu {_s(c.get('retirement_date'))}.",
        None, ("move_kind", "remaining_service_months"),
    ),
    (
        "placement_equivalence", "review", (LC,),
        None, lambda f: None if f.get("target_relation") is None else f["target_relation"] in ("equivalent", "lower"),
        None, None,
        lambda f, c: f"Chức vụ đến {_w(_RELATION, f.get('target_relation'))} so với hiện tại (tương đương hoặc thấp hơn).",
        lambda f, c: "Chức vụ đến cao hơn chức vụ hiện tại: chỉ bố trí khi cán bộ nổi trội, do cấp có thẩm quyền xem xét.",
        "Chưa xác định được chức vụ đến tương đương, cao hơn hay thấp hơn: cần bảng tương đương của địa phương hoặc bậc (rank) của hai chức vụ.",
        ("move_kind", "target_relation"),
    ),
    (
        "allowance_preservation", "info", (LC,),
        lambda f: _eq(f.get("target_relation"), "lower"),
        lambda f: _ge(f.get("allowance_gap"), 0), None, None,
        lambda f, c: "Phụ cấp chức vụ nơi đến không thấp hơn hiện tại.",
        lambda f, c: f"Phụ cấp chức vụ nơi đến thấp hơn ({_s(f.get('allowance_gap'))}/100): được bảo lưu phụ cấp cũ theo quy định.",
        "Nếu chức vụ đến thấp hơn và phụ cấp thấp hơn thì được bảo lưu phụ cấp cũ; cần so sánh hai chức vụ và hệ số phụ cấp để kết luận.",
        ("move_kind", "target_relation", "allowance_gap"),
    ),
    (
        "no_extra_title", "block", (LC,),
        None, lambda f: _eq(f.get("target_created_for_move"), False),
        _special, "Trường hợp đặc biệt do Bộ Chính trị xem xét.",
        lambda f, c: "Vị trí đến là chức danh có sẵn, không tạo thêm để luân chuyển.",
        lambda f, c: "Chức danh được tạo thêm để luân chuyển: không được phép.",
        None, ("move_kind", "target_created_for_move"),
    ),
    (
        "target_vacancy", "warn", (LC, DD, CD),
        None, lambda f: _eq(f.get("target_vacant"), True), None, None,
        lambda f, c: "Vị trí đến còn khuyết.",
        lambda f, c: "Vị trí đến không còn khuyết: cần phương án bố trí người đang giữ chức vụ.",
        None, ("move_kind", "target_vacant"),
    ),
    (
        "rotation_min_duration", "review", (LC,),
        None, lambda f: _ge(f.get("planned_duration_months"), 36), None, None,
        lambda f, c: f"Thời gian luân chuyển dự kiến {_s(f.get('planned_duration_months'))} tháng (≥ 36).",
        lambda f, c: f"Thời gian luân chuyển dự kiến {_s(f.get('planned_duration_months'))} tháng, dưới 36 tháng: trường hợp đặc biệt do cấp có thẩm quyền quyết định.",
        None, ("move_kind", "planned_duration_months"),
    ),
    (
        "rotation_early_end", "review", ALL_KINDS,
        lambda f: _eq(f.get("in_rotation"), True),
        lambda f: _ge(f.get("months_in_rotation"), 36), None, None,
        lambda f, c: f"Đã luân chuyển {_s(f.get('months_in_rotation'))} tháng từ {_s(c.get('rotation_start'))} (đủ 36).",
        lambda f, c: f"Mới luân chuyển {_s(f.get('months_in_rotation'))} tháng từ {_s(c.get('rotation_start'))}, chưa đủ 36: điều chuyển sớm do cấp có thẩm quyền xem xét.",
        None, ("move_kind", "in_rotation", "months_in_rotation"),
    ),
    (
        "rotation_completed_rearrange", "info", ALL_KINDS,
        lambda f: _eq(f.get("in_rotation"), True),
        lambda f: _ge(f.get("months_in_rotation"), 36), None, None,
        lambda f, c: f"Đã đủ thời gian luân chuyển ({_s(f.get('months_in_rotation'))} tháng): xem xét bố trí sau luân chuyển căn cứ kết quả, năng lực, nhận xét.",
        lambda f, c: f"Chưa đủ thời gian luân chuyển ({_s(f.get('months_in_rotation'))}/36 tháng).",
        None, ("move_kind", "in_rotation", "months_in_rotation"),
    ),
    (
        "youth_priority_under_40", "priority", (LC,),
        None, lambda f: None if f.get("age_months") is None else f["age_months"] < 480, None, None,
        lambda f, c: f"Cán bộ trẻ: {_s(c.get('age_vi'))} (dưới 480 tháng).",
        lambda f, c: f"Không thuộc diện cán bộ trẻ ({_s(c.get('age_vi'))}).",
        None, ("move_kind", "age_months"),
    ),
    (
        "health_fit", "block", (LC, DD, BP),
        lambda f: f.get("health_fit") is not None,
        lambda f: _eq(f.get("health_fit"), True), None, None,
        lambda f, c: "Đủ sức khỏe theo giấy khám.",
        lambda f, c: "Giấy khám sức khỏe kết luận không đủ sức khỏe công tác.",
        None, ("move_kind", "health_fit"),
    ),
    (
        "health_certificate_recent", "warn", (LC,),
        None,
        lambda f: f.get("health_certificate_age_months") is not None and f["health_certificate_age_months"] < 6,
        None, None,
        lambda f, c: f"Giấy khám sức khỏe cấp {_s(f.get('health_certificate_age_months'))} tháng trước.",
        lambda f, c: f"Thiếu giấy khám sức khỏe hoặc đã quá 6 tháng ({_s(f.get('health_certificate_age_months'))}): bổ sung hồ sơ.",
        None, ("move_kind", "health_certificate_age_months"),
    ),
    (
        "target_position_standards", "block", (LC, DD, CD),
        lambda f: _any(_eq(f.get("target_requires_degree"), True), _eq(f.get("target_requires_political_theory"), True)),
        lambda f: _all(
            _any(_eq(f.get("target_requires_degree"), False), _ge(f.get("degree_gap"), 0)),
            _any(_eq(f.get("target_requires_political_theory"), False), _ge(f.get("political_theory_gap"), 0)),
        ),
        None, None,
        lambda f, c: "Đạt tiêu chuẩn trình độ chuyên môn và lý luận chính trị của chức vụ đến.",
        lambda f, c: f"Chưa đạt tiêu chuẩn trình độ của chức vụ đến (chênh lệch chuyên môn {_s(f.get('degree_gap'))}, lý luận chính trị {_s(f.get('political_theory_gap'))}).",
        None,
        ("move_kind", "target_requires_degree", "target_requires_political_theory", "degree_gap", "political_theory_gap"),
    ),
    (
        "rotation_family_warning", "warn", (LC,),
        lambda f: _eq(f.get("gender"), "nu"), _family_ok, None, None,
        lambda f, c: "Không có vướng mắc về hoàn cảnh gia đình.",
        lambda f, c: f"Đang mang thai hoặc nuôi con dưới 36 tháng (con nhỏ nhất {_s(f.get('youngest_child_age_months'))} tháng): trao đổi với cán bộ, cân nhắc địa bàn.",
        None, _FAMILY,
    ),
    (
        "deciding_authority", "info", ALL_KINDS,
        None, lambda f: f.get("move_kind") is not None, None, None,
        lambda f, c: f"Thẩm quyền quyết định theo phân cấp quản lý cán bộ: {_s(c.get('authority_vi'))}.",
        lambda f, c: "Không xác định được thẩm quyền.",
        None, ("move_kind",),
    ),
    (
        "secondment_family_protection", "block", (BP,),
        lambda f: _eq(f.get("gender"), "nu"), _family_ok, None, None,
        lambda f, c: "Không mang thai, không nuôi con dưới 36 tháng.",
        lambda f, c: f"Không biệt phái: đang mang thai hoặc nuôi con dưới 36 tháng (con nhỏ nhất {_s(f.get('youngest_child_age_months'))} tháng, sinh {_s(c.get('youngest_child_dob'))}).",
        None, _FAMILY,
    ),
    (
        "secondment_max_3y", "block", (BP,),
        None,
        lambda f: _any(
            None if f.get("planned_duration_months") is None else f["planned_duration_months"] < 36,
            _all(_eq(f.get("planned_duration_months"), 36), _eq(f.get("planned_duration_extra_days"), 0)),
        ),
        _special, "Một số ngành, lĩnh vực được biệt phái dài hơn.",
        lambda f, c: f"Thời hạn biệt phái {_s(f.get('planned_duration_months'))} tháng (≤ 36).",
        lambda f, c: f"Thời hạn biệt phái {_s(f.get('planned_duration_months'))} tháng {_s(f.get('planned_duration_extra_days'))} ngày, vượt 36 tháng.",
        None, ("move_kind", "planned_duration_months", "planned_duration_extra_days"),
    ),
    (
        "past_retirement", "block", ALL_KINDS,
        None, lambda f: None if f.get("days_to_retirement") is None else f["days_to_retirement"] > 0,
        None, None,
        lambda f, c: f"Ngày nghỉ hưu {_s(c.get('retirement_date'))} (tuổi nghỉ hưu {_s(c.get('retirement_age_vi'))}).",
        lambda f, c: f"Đã đến ngày nghỉ hưu {_s(c.get('retirement_date'))} (tuổi nghỉ hưu {_s(c.get('retirement_age_vi'))}).",
        None, ("move_kind", "days_to_retirement"),
    ),
    (
        "starts_before_retirement", "block", ALL_KINDS,
        None, lambda f: None if f.get("days_from_start_to_retirement") is None else f["days_from_start_to_retirement"] > 0,
        None, None,
        lambda f, c: f"Bắt đầu {_s(c.get('start_date'))}, trước ngày nghỉ hưu {_s(c.get('retirement_date'))}.",
        lambda f, c: f"Ngày bắt đầu {_s(c.get('start_date'))} không trước ngày nghỉ hưu {_s(c.get('retirement_date'))}.",
        None, ("move_kind", "days_from_start_to_retirement"),
    ),
    (
        "first_appointment_age_5y", "block", (LC, DD),
        _higher, lambda f: _ge(f.get("remaining_service_months"), 60), _special, None,
        lambda f, c: f"Còn {_s(f.get('remaining_service_months'))} tháng công tác (cần ≥ 60 cho bổ nhiệm chức vụ cao hơn).",
        lambda f, c: f"Chỉ còn {_s(f.get('remaining_service_months'))} tháng, không đủ trọn 1 nhiệm kỳ (60 tháng) để bổ nhiệm chức vụ cao hơn.",
        None, ("move_kind", "target_relation", "remaining_service_months"),
    ),
    (
        "election_age_ct45", "block", (LC, DD),
        lambda f: _eq(f.get("target_is_elected"), True),
        lambda f: _any(
            _ge(f.get("remaining_service_months"), 60),
            _all(_eq(f.get("re_election"), True), _ge(f.get("remaining_service_months"), 60)),
        ),
        _special, None,
        lambda f, c: f"Chức danh bầu cử: còn {_s(f.get('remaining_service_months'))} tháng (cần ≥ 60; tái cử ≥ 60).",
        lambda f, c: f"Chức danh bầu cử: chỉ còn {_s(f.get('remaining_service_months'))} tháng, không đủ tuổi tham gia lần đầu (60) hoặc tái cử (60).",
        None, ("move_kind", "target_is_elected", "remaining_service_months", "re_election"),
    ),
    (
        "time_in_post_24m", "review", (LC, DD),
        _higher, lambda f: _ge(f.get("months_in_current_post"), 24), None, None,
        lambda f, c: f"Đã giữ chức vụ hiện tại {_s(f.get('months_in_current_post'))} tháng (≥ 24).",
        lambda f, c: f"Mới giữ chức vụ hiện tại {_s(f.get('months_in_current_post'))} tháng, chưa đủ 24; thời gian giữ chức vụ tương đương trước đó cần bảng tương đương của địa phương.",
        None, ("move_kind", "target_relation", "months_in_current_post"),
    ),
    (
        "structure_women_ethnic", "info", (LC, DD),
        lambda f: _any(_eq(f.get("gender"), "nu"), _eq(f.get("ethnic_minority"), True)),
        lambda f: _any(_eq(f.get("gender"), "nu"), _eq(f.get("ethnic_minority"), True)), None, None,
        lambda f, c: "Góp phần bảo đảm cơ cấu cán bộ nữ / dân tộc thiểu số (chỉ tiêu của kế hoạch, không phải ưu tiên cá nhân).",
        lambda f, c: "—",
        None, ("move_kind", "gender", "ethnic_minority"),
    ),
)  # fmt: skip

RULE_IDS: tuple[str, ...] = tuple(r[0] for r in RULES)
_CONSTRAINT = frozenset({"block", "review", "warn"})


def decide(f: Facts, ctx: Facts) -> tuple[str, bool, list[Reason]]:
    """Verdict, priority and every criterion's (rule id, outcome, message) for one input."""
    kind = f.get("move_kind")
    reasons: list[Reason] = []
    blocking = review = unknown_block = unknown_review = priority = False
    for rid, effect, kinds, applies_fn, test_fn, exc_fn, note, ok, ko, unknown, used in RULES:
        kind_ok: Tri = None if kind is None else kind in kinds
        applies = (
            kind_ok if applies_fn is None or kind_ok is False else _all(kind_ok, applies_fn(f))
        )
        test = test_fn(f)
        outcome = _outcome(effect in _CONSTRAINT, applies, test)
        if outcome == "pass":
            message = ok(f, ctx)
            priority = priority or effect == "priority"
        elif outcome == "fail":
            message = ko(f, ctx)
            applied = effect
            excepted = exc_fn(f) if exc_fn is not None else False
            if excepted is True:
                applied = "review"
                if note:
                    message = f"{message} {note}"
            elif excepted is None and effect == "block":  # review or block: not known which
                applied = "review"
                unknown_block = True
            blocking = blocking or applied == "block"
            review = review or applied == "review"
        elif outcome == "unknown":
            message = unknown or _missing(f, used)
            if effect == "block" and exc_fn is not None and exc_fn(f) is True:
                unknown_review = True  # failing, it would only need a review
            else:
                unknown_block = unknown_block or effect == "block"
                unknown_review = unknown_review or effect == "review"
        else:
            message = _NA
        reasons.append((rid, outcome, message))
    # A verdict only when every way of filling in the unknowns leads to it.
    if blocking:
        verdict = "not_eligible"
    elif unknown_block:
        verdict = "unknown"
    elif review:
        verdict = "needs_review"
    elif unknown_review:
        verdict = "unknown"
    else:
        verdict = "eligible"
    return verdict, priority, reasons
