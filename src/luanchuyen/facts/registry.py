"""The registry of derived facts: every name a rule may test, with its type and meaning.

Facts are flat scalars (int, bool or an enum code) so that every backend, durable-rules
included, compares them the same way. A fact that cannot be derived from the input is
simply absent: conditions on it are *unknown*.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal

from luanchuyen.models.enums import (
    CadreCategory,
    Gender,
    Level,
    MoveKind,
    Rating,
    SoleCarerReason,
    TitleCode,
)

__all__ = [
    "CONTEXT_KEYS",
    "FACTS",
    "Dependency",
    "FactSpec",
    "FactType",
    "FactValue",
    "fact_spec",
]

FactType = Literal["int", "bool", "enum"]
FactValue = int | bool | str
#: What a fact is a function of, given one as-of date and one set of parameters:
#: ``"move"`` the move's own fields alone (kind, dates, flags); ``"cadre"`` the cadre (and at
#: most the move's own fields: the reference date is the move's decision date); ``"post"``
#: the target post (and at most the move's own fields); ``"pair"`` both the cadre and the
#: target post. A candidate search (:mod:`luanchuyen.analysis.candidates`), where every
#: pair shares the move's own fields, derives ``cadre`` facts once per cadre, ``post`` facts
#: once per post and only ``pair`` facts per (cadre, post).
Dependency = Literal["move", "cadre", "post", "pair"]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One derived fact: name, type, allowed codes (enums), unit and bilingual meaning."""

    name: str
    type: FactType
    vi: str
    en: str
    unit: str | None = None
    values: tuple[str, ...] = ()
    topic: str = "general"
    depends: Dependency = "cadre"


def _codes(
    enum: type[Gender | Level | MoveKind | Rating | TitleCode | CadreCategory | SoleCarerReason],
) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


_RELATION = ("equivalent", "higher", "lower")
#: Where ``target_relation`` came from (facts/equivalence.py, RELATION_SOURCES; checked by a test).
_RELATION_SOURCE = ("explicit", "province", "kl35", "qd368", "structural", "library")
#: The class of a commune post that decides the authority (facts/posts.py, COMMUNE_POST_CLASSES).
_COMMUNE_POST_CLASS = ("party_or_key", "department", "civil_servant")
_DIRECTION = ("up", "down", "same")

_SPECS: tuple[FactSpec, ...] = (
    # move
    FactSpec("move_kind", "enum", "Hình thức", "Kind of move", values=_codes(MoveKind), topic="move"),
    FactSpec("special_case_requested", "bool", "Đề nghị trường hợp đặc biệt", "Special case requested", topic="move"),
    FactSpec("policy_case", "bool", "Luân chuyển theo chủ trương không là người địa phương/không quá 2 nhiệm kỳ", "Non-local / two-term policy rotation", topic="move"),
    FactSpec("re_election", "bool", "Tái cử cấp ủy", "Re-election to the committee", topic="move"),
    FactSpec("planned_duration_months", "int", "Thời gian dự kiến", "Planned duration", unit="months", topic="move"),
    FactSpec("planned_duration_extra_days", "int", "Số ngày dự kiến vượt quá số tháng tròn", "Planned days beyond the whole months", unit="days", topic="move"),
    FactSpec("days_from_start_to_retirement", "int", "Số ngày từ ngày bắt đầu (dự kiến) đến ngày nghỉ hưu", "Days from the (planned) start to the retirement date", unit="days", topic="service"),
    FactSpec("cross_unit", "bool", "Chuyển sang đơn vị khác", "Move to another unit", topic="move"),
    FactSpec("requires_civil_service_intake", "bool", "Cần tiếp nhận vào công chức", "Needs intake as a civil servant", topic="move"),
    FactSpec("job_position_fit", "bool", "Phù hợp vị trí việc làm", "Fits the job position", topic="move"),
    FactSpec("sending_unit_assessed", "bool", "Nơi đi đã nhận xét, đánh giá", "Sending unit has assessed", topic="move"),
    # service and age
    FactSpec("gender", "enum", "Giới tính", "Gender", values=_codes(Gender), topic="service"),
    FactSpec("age_months", "int", "Tuổi (tháng tròn) tại mốc tính", "Age in completed months at the reference date", unit="months", topic="service"),
    FactSpec("remaining_service_months", "int", "Thời gian công tác còn lại tại mốc tính (HD 06)", "Remaining service at the reference date (HD 06)", unit="months", topic="service"),
    FactSpec("remaining_terms", "int", "Số nhiệm kỳ còn đủ tuổi công tác", "Whole terms of remaining service", unit="terms", topic="service"),
    FactSpec("days_to_retirement", "int", "Số ngày đến ngày nghỉ hưu (tại ngày đánh giá)", "Days to the retirement date (at as_of)", unit="days", topic="service"),
    FactSpec("party_member", "bool", "Đảng viên", "Party member", topic="service"),
    FactSpec("civil_servant", "bool", "Công chức", "Civil servant", topic="service"),
    FactSpec("ethnic_minority", "bool", "Dân tộc thiểu số", "Ethnic minority", topic="service"),
    FactSpec("local_origin", "bool", "Người địa phương", "Local person", topic="service"),
    FactSpec("consecutive_terms_as_head", "int", "Số nhiệm kỳ liên tiếp là người đứng đầu", "Consecutive terms as head", unit="terms", topic="service"),
    # planning and committees
    FactSpec("in_planning", "bool", "Đang trong quy hoạch", "In the planning", topic="planning"),
    FactSpec("planning_disciplined", "bool", "Bị kỷ luật từ khiển trách trở lên sau khi được quy hoạch", "Disciplined (khiển trách or worse) after being planned", topic="planning"),
    FactSpec("planned_for_target", "bool", "Được quy hoạch đúng chức danh đến", "Planned for the target title", topic="planning"),
    FactSpec("planned_district_top_post", "bool", "Quy hoạch Bí thư, Phó Bí thư Huyện ủy; Chủ tịch, Phó Chủ tịch HĐND, UBND huyện", "Planned for a top district post", topic="planning"),
    FactSpec("planned_district_standing_or_head", "bool", "Quy hoạch Ủy viên BTV Huyện ủy hoặc trưởng cơ quan chuyên môn, đoàn thể huyện", "Planned for district standing committee or head of office", topic="planning"),
    FactSpec("planned_district_committee", "bool", "Quy hoạch Ủy viên BCH Đảng bộ huyện", "Planned for the district Party executive committee", topic="planning"),
    FactSpec("district_committee_member", "bool", "Là Ủy viên BCH Đảng bộ huyện", "Member of the district Party executive committee", topic="planning"),
    # discipline
    FactSpec("has_party_discipline", "bool", "Có kỷ luật Đảng", "Has Party discipline", topic="discipline"),
    FactSpec("months_since_party_discipline", "int", "Số tháng kể từ kỷ luật Đảng gần nhất", "Months since the latest Party discipline", unit="months", topic="discipline"),
    FactSpec("has_discipline_khien_trach", "bool", "Có kỷ luật khiển trách", "Has a khiển trách (reprimand)", topic="discipline"),
    FactSpec("months_since_khien_trach", "int", "Số tháng kể từ khiển trách gần nhất", "Months since the latest reprimand", unit="months", topic="discipline"),
    FactSpec("has_discipline_canh_cao", "bool", "Có kỷ luật cảnh cáo (hoặc hạ bậc lương)", "Has a cảnh cáo (warning) or salary demotion", topic="discipline"),
    FactSpec("months_since_canh_cao", "int", "Số tháng kể từ cảnh cáo gần nhất", "Months since the latest warning", unit="months", topic="discipline"),
    FactSpec("has_discipline_cach_chuc", "bool", "Có kỷ luật cách chức (hoặc giáng chức)", "Has a cách chức (dismissal) or demotion", topic="discipline"),
    FactSpec("months_since_cach_chuc", "int", "Số tháng kể từ cách chức gần nhất", "Months since the latest dismissal", unit="months", topic="discipline"),
    FactSpec("has_terminal_discipline", "bool", "Bị khai trừ, buộc thôi việc hoặc bãi nhiệm", "Expelled, dismissed from service or recalled", topic="discipline"),
    FactSpec("under_disciplinary_review", "bool", "Đang bị xem xét, xử lý kỷ luật", "Under disciplinary review", topic="discipline"),
    FactSpec("under_investigation", "bool", "Đang bị thanh tra, kiểm tra, điều tra", "Under inspection or investigation", topic="discipline"),
    # ratings
    FactSpec("latest_rating", "enum", "Xếp loại năm gần nhất", "Latest annual rating", values=_codes(Rating), topic="ratings"),
    FactSpec("latest_rating_year", "int", "Năm của xếp loại gần nhất", "Year of the latest rating", unit="year", topic="ratings"),
    FactSpec("latest_rating_htt_or_better", "bool", "Xếp loại năm gần nhất từ hoàn thành tốt nhiệm vụ trở lên (kể cả khi chỉ biết điểm ≥ 70)", "Latest rating is HTT or better (also from a score of 70 or more)", topic="ratings"),
    # rotation
    FactSpec("in_rotation", "bool", "Đang trong thời gian luân chuyển", "Currently on a rotation", topic="rotation"),
    FactSpec("months_in_rotation", "int", "Số tháng đã luân chuyển", "Months on the current rotation", unit="months", topic="rotation"),
    FactSpec("htxs_during_rotation", "bool", "Hoàn thành xuất sắc nhiệm vụ trong thời gian luân chuyển", "Rated HTXS during the rotation", topic="rotation"),
    # posts
    FactSpec("current_level", "enum", "Cấp hiện tại", "Current level", values=_codes(Level), topic="posts"),
    FactSpec("target_level", "enum", "Cấp nơi đến", "Target level", values=_codes(Level), topic="posts"),
    FactSpec("level_direction", "enum", "Hướng luân chuyển giữa các cấp", "Direction between levels", values=_DIRECTION, topic="posts"),
    FactSpec("target_relation", "enum", "Chức vụ đến so với hiện tại (từ 08/09/2025 theo danh mục của tỉnh, QĐ 368, hoặc bậc ghi trong hồ sơ)", "Target post compared with the current one (from 08/09/2025 by the province's list, QĐ 368, or ranks on the input)", values=_RELATION, topic="posts"),
    FactSpec("target_relation_source", "enum", "Căn cứ so sánh chức vụ: bậc ghi trong hồ sơ, danh mục của tỉnh, KL 35, QĐ 368, cấu trúc chức danh, bảng mặc định của thư viện [I]", "Basis of the post comparison: input ranks, province list, KL 35, QĐ 368, title structure, the library's default table [I]", values=_RELATION_SOURCE, topic="posts"),
    FactSpec("target_commune_post_class", "enum", "Loại chức danh cấp xã nơi đến: Đảng/chủ chốt, trưởng/phó phòng chuyên môn, công chức khác", "Class of the commune target post: Party or key post, department head or deputy, other civil servant", values=_COMMUNE_POST_CLASS, topic="posts"),
    FactSpec("current_title_code", "enum", "Mã chức danh hiện tại", "Current title code", values=_codes(TitleCode), topic="posts"),
    FactSpec("target_title_code", "enum", "Mã chức danh đến", "Target title code", values=_codes(TitleCode), topic="posts"),
    FactSpec("current_is_head", "bool", "Hiện là cấp trưởng", "Currently a head", topic="posts"),
    FactSpec("current_is_deputy", "bool", "Hiện là cấp phó", "Currently a deputy", topic="posts"),
    FactSpec("months_in_current_post", "int", "Số tháng giữ chức vụ hiện tại", "Months in the current post", unit="months", topic="posts"),
    FactSpec("target_is_key_commune_post", "bool", "Chức danh chủ chốt cấp xã", "Key commune post", topic="posts"),
    FactSpec("target_is_elected", "bool", "Chức danh bầu cử", "Elected post", topic="posts"),
    FactSpec("target_vacant", "bool", "Vị trí còn khuyết", "Target post is vacant", topic="posts"),
    FactSpec("target_created_for_move", "bool", "Chức danh tạo thêm để luân chuyển", "Post created for the move", topic="posts"),
    FactSpec("current_on_post_change_list", "bool", "Vị trí hiện tại thuộc danh mục định kỳ chuyển đổi", "Current post is on the periodic post-change list", topic="posts"),
    FactSpec("target_on_post_change_list", "bool", "Thuộc danh mục định kỳ chuyển đổi", "On the periodic post-change list", topic="posts"),
    FactSpec("target_requires_degree", "bool", "Vị trí đến có yêu cầu trình độ chuyên môn", "Target post sets a degree requirement", topic="posts"),
    FactSpec("target_requires_political_theory", "bool", "Vị trí đến có yêu cầu lý luận chính trị", "Target post sets a political-theory requirement", topic="posts"),
    FactSpec("degree_gap", "int", "Chênh lệch trình độ chuyên môn so với yêu cầu", "Degree level minus the required level", unit="levels", topic="posts"),
    FactSpec("political_theory_gap", "int", "Chênh lệch trình độ lý luận chính trị so với yêu cầu", "Political-theory level minus the required level", unit="levels", topic="posts"),
    FactSpec("allowance_gap", "int", "Phụ cấp nơi đến trừ phụ cấp hiện tại (×100)", "Target allowance minus current allowance (×100)", unit="x100", topic="posts"),
    # health and family
    FactSpec("health_fit", "bool", "Đủ sức khỏe", "Fit for work", topic="health"),
    FactSpec("health_certificate_age_months", "int", "Tuổi của giấy khám sức khỏe", "Age of the health certificate", unit="months", topic="health"),
    FactSpec("pregnant", "bool", "Đang mang thai", "Pregnant", topic="family"),
    FactSpec("has_children", "bool", "Có con", "Has children", topic="family"),
    FactSpec("youngest_child_age_months", "int", "Tuổi con nhỏ nhất", "Youngest child's age", unit="months", topic="family"),
    FactSpec("sole_carer", "bool", "Nam nuôi con một mình", "Man raising a child alone", topic="family"),
    FactSpec("sole_carer_reason", "enum", "Lý do nam nuôi con một mình (vợ chết, lý do khách quan khác)", "Why the man raises the child alone", values=_codes(SoleCarerReason), topic="family"),
    FactSpec("maternity_leave", "bool", "Đang nghỉ chế độ thai sản", "On maternity leave", topic="family"),
    # state law: who the rules bind, the NĐ 170/2025 bars (facts/state.py)
    FactSpec("cadre_category", "enum", "Cán bộ, công chức hay viên chức", "Cadre, civil servant or public employee", values=_codes(CadreCategory), topic="state"),
    FactSpec("cadre_elected", "bool", "Giữ chức vụ do bầu cử theo nhiệm kỳ", "Holds an elected term post", topic="state"),
    FactSpec("criminal_proceedings", "bool", "Đang bị truy cứu trách nhiệm hình sự (điều tra, truy tố, xét xử)", "Prosecuted, investigated or on trial", topic="state"),
    FactSpec("serious_illness", "bool", "Đang điều trị bệnh hiểm nghèo, bệnh cần chữa trị dài ngày", "Treated for a serious illness", topic="state"),
    FactSpec("long_term_study", "bool", "Đang đi học dài hạn", "On long-term study", topic="state"),
    FactSpec("currently_seconded", "bool", "Đang được biệt phái", "Currently seconded", topic="state"),
    FactSpec("special_hardship", "bool", "Hoàn cảnh đặc biệt khó khăn được thủ trưởng xác nhận", "Especially difficult circumstances, certified", topic="state"),
    FactSpec("own_request", "bool", "Cán bộ tự nguyện đề nghị", "The person asked for the move", topic="state"),
    FactSpec("head_other_bar", "bool", "Người đứng đầu xác định thuộc trường hợp khác không điều động, biệt phái", "The head names another case against the move", topic="state"),
    FactSpec("rated_htt_lookback", "bool", "Xếp loại từ hoàn thành tốt nhiệm vụ trở lên trong các năm xét (tham số job_change_rating_lookback_years)", "Rated HTT or better in every year looked back on", topic="state"),
    FactSpec("vc_secondment_child_ban", "bool", "Luật Viên chức cấm biệt phái nữ nuôi con dưới 36 tháng (theo tham số; chưa rõ khi chưa kiểm chứng)", "The public-employee law bars seconding a woman with a child under 36 months (parameter)", topic="state"),
)  # fmt: skip

#: The dependency class of every fact (see :data:`Dependency`), the one place that says it;
#: every fact of :data:`_SPECS` is listed (checked when the module loads), and
#: ``tests/test_candidates.py`` checks the classes on derived facts.
_DEPENDS: Final[dict[str, Dependency]] = {
    **dict.fromkeys(
        ("move_kind", "special_case_requested", "policy_case", "re_election",
         "planned_duration_months", "planned_duration_extra_days",
         "requires_civil_service_intake", "job_position_fit", "sending_unit_assessed",
         "own_request", "head_other_bar",
         # a dated parameter of the rule set alone: the same for every pair
         "vc_secondment_child_ban"),
        "move",
    ),
    **dict.fromkeys(
        ("gender", "age_months", "remaining_service_months", "remaining_terms",
         "days_to_retirement", "days_from_start_to_retirement", "party_member",
         "civil_servant", "ethnic_minority", "local_origin", "consecutive_terms_as_head",
         "in_planning", "planning_disciplined", "planned_district_top_post",
         "planned_district_standing_or_head", "planned_district_committee",
         "district_committee_member",
         "has_party_discipline", "months_since_party_discipline", "has_discipline_khien_trach",
         "months_since_khien_trach", "has_discipline_canh_cao", "months_since_canh_cao",
         "has_discipline_cach_chuc", "months_since_cach_chuc", "has_terminal_discipline",
         "under_disciplinary_review", "under_investigation",
         "latest_rating", "latest_rating_year", "latest_rating_htt_or_better",
         "in_rotation", "months_in_rotation", "htxs_during_rotation",
         "current_level", "current_title_code", "current_is_head", "current_is_deputy",
         "months_in_current_post", "current_on_post_change_list",
         "health_fit", "health_certificate_age_months", "pregnant", "has_children",
         "youngest_child_age_months", "sole_carer", "sole_carer_reason", "maternity_leave",
         "cadre_category", "cadre_elected", "criminal_proceedings", "serious_illness",
         "long_term_study", "currently_seconded", "special_hardship", "rated_htt_lookback"),
        "cadre",
    ),
    **dict.fromkeys(
        ("target_level", "target_title_code", "target_is_key_commune_post", "target_is_elected",
         "target_vacant", "target_created_for_move", "target_on_post_change_list",
         "target_requires_degree", "target_requires_political_theory",
         "target_commune_post_class"),
        "post",
    ),
    **dict.fromkeys(
        ("level_direction", "target_relation", "target_relation_source", "degree_gap",
         "political_theory_gap", "allowance_gap", "cross_unit", "planned_for_target"),
        "pair",
    ),
}  # fmt: skip
_UNCLASSIFIED = {spec.name for spec in _SPECS} ^ set(_DEPENDS)
if _UNCLASSIFIED:  # pragma: no cover - a new fact without its class fails every import
    raise RuntimeError(f"facts without a dependency class (or classes of no fact): {_UNCLASSIFIED}")

#: Every fact a rule may use, by name.
FACTS: Final[dict[str, FactSpec]] = {
    spec.name: replace(spec, depends=_DEPENDS[spec.name]) for spec in _SPECS
}


def fact_spec(name: str) -> FactSpec | None:
    """Return the spec of a fact, or ``None`` if the library does not derive it."""
    return FACTS.get(name)


#: Context values a message may show as ``{ctx.NAME}``. They are written by the fact
#: derivation (``x.context[...]`` and ``x.context.update(...)`` in ``luanchuyen/facts``);
#: ``tests/test_lint.py`` checks this list against that source.
CONTEXT_KEYS: Final[dict[str, tuple[str, str]]] = {
    # facts/__init__.py (always)
    "reference_date_source": ("nguồn của mốc tính (decision_date/as_of)", "reference date source"),
    "birth_date_precision": ("độ chính xác ngày sinh (day/month/year)", "birth date precision"),
    "records_after_as_of": (
        "hồ sơ ghi ngày sau ngày đánh giá, không tính (khi có)",
        "records dated after the as-of date, left out (when any)",
    ),
    "records_after_as_of_vi": (
        "các hồ sơ đó, viết cho người đọc (tiếng Việt)",
        "the same records, worded for people (Vietnamese)",
    ),
    "records_after_as_of_en": (
        "các hồ sơ đó, viết cho người đọc (tiếng Anh)",
        "the same records, worded for people (English)",
    ),
    # facts/service.py (always)
    "retirement_date": ("ngày nghỉ hưu dd/mm/yyyy", "retirement date"),
    "retirement_age": ("tuổi nghỉ hưu, dạng 61y6m", "retirement age, as 61y6m"),
    "retirement_age_vi": ("tuổi nghỉ hưu, dạng '61 năm 6 tháng'", "retirement age in Vietnamese"),
    "age_vi": ("tuổi tại mốc tính, dạng '39 tuổi 2 tháng'", "age in Vietnamese"),
    "age_en": ("tuổi tại mốc tính, dạng 39y2m", "age, as 39y2m"),
    "reference_date": ("mốc tính dd/mm/yyyy", "reference date"),
    "as_of": ("ngày đánh giá dd/mm/yyyy", "evaluation date"),
    # facts/discipline.py (when there is a Party discipline)
    "party_discipline_date": ("ngày kỷ luật Đảng gần nhất", "latest Party discipline date"),
    # facts/family.py (when the youngest child's birth date is known)
    "youngest_child_dob": ("ngày sinh con nhỏ nhất", "youngest child's date of birth"),
    # facts/posts.py (when the current post is known)
    "appointment_end": ("hết thời hạn bổ nhiệm 5 năm", "end of a five-year appointment"),
    "authority_vi": ("cấp quyết định (tiếng Việt)", "deciding authority in Vietnamese"),
    "authority_en": ("cấp quyết định (tiếng Anh)", "deciding authority in English"),
    "start_date": ("ngày bắt đầu (dự kiến) của việc điều chuyển", "(planned) start of the move"),
    # facts/discipline.py (when discipline records are known)
    "discipline_summary_vi": (
        "tóm tắt các kỷ luật và số tháng đã qua",
        "discipline summary in Vietnamese",
    ),
    "discipline_summary_en": ("tóm tắt các kỷ luật (tiếng Anh)", "discipline summary in English"),
    # facts/family.py (when a man raises a child alone and the reason is known)
    "sole_carer_reason_vi": ("lý do nam nuôi con một mình", "why the man raises the child alone"),
    # facts/state.py (when the look-back of NĐ 170 Đ23 is set)
    "rating_lookback_years_vi": (
        "các năm xét xếp loại (NĐ 170 Đ23)",
        "rating years looked back on",
    ),
    # facts/rotation.py (when on a rotation)
    "rotation_start": ("ngày bắt đầu luân chuyển hiện tại", "start of the current rotation"),
}
