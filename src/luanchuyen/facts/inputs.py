"""Which input fields each derived fact is read from: a missing fact names what to fill in.

A fact is unknown when one of its inputs is missing; :func:`inputs_for` lists the input
paths (``cadre.date_of_birth``…) a user supplies to settle a set of facts, so that a
decision can say *which field, which spreadsheet column* to fill instead of an internal
fact name. Facts derived from the whole record (the rule set's own values) list nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ["FACT_INPUTS", "inputs_for"]

_CP = "cadre.current_post."
_T = "move.target."

#: Fact name → the input paths it is derived from (in the order a user would fill them).
FACT_INPUTS: Final[dict[str, tuple[str, ...]]] = {
    "age_months": ("cadre.date_of_birth",),
    "allowance_gap": (_T + "allowance", _CP + "allowance"),
    "civil_servant": ("cadre.civil_servant",),
    "consecutive_terms_as_head": ("cadre.consecutive_terms_as_head",),
    "cross_unit": ("move.cross_unit", _CP + "body", _T + "body"),
    "current_is_deputy": (_CP + "role",),
    "current_is_head": (_CP + "role",),
    "current_level": (_CP + "level",),
    "current_on_post_change_list": (_CP + "on_post_change_list",),
    "current_title_code": (_CP + "title_code",),
    "days_from_start_to_retirement": ("cadre.date_of_birth", "cadre.gender"),
    "days_to_retirement": ("cadre.date_of_birth", "cadre.gender"),
    "degree_gap": ("cadre.degree", _T + "required_degree"),
    "district_committee_member": ("cadre.committee_memberships",),
    "ethnic_minority": ("cadre.ethnic_minority",),
    "gender": ("cadre.gender",),
    "has_children": ("cadre.family.has_children", "cadre.family.youngest_child_date_of_birth"),
    "has_discipline_cach_chuc": ("cadre.disciplines",),
    "has_discipline_canh_cao": ("cadre.disciplines",),
    "has_discipline_khien_trach": ("cadre.disciplines",),
    "has_party_discipline": ("cadre.disciplines",),
    "has_terminal_discipline": ("cadre.disciplines",),
    "health_certificate_age_months": ("cadre.health.issued_on",),
    "health_fit": ("cadre.health.fit",),
    "htxs_during_rotation": ("cadre.rotation_history",),
    "in_planning": ("cadre.planning",),
    "in_rotation": ("cadre.rotation_history",),
    "job_position_fit": ("move.job_position_fit",),
    "latest_rating": ("cadre.ratings",),
    "latest_rating_year": ("cadre.ratings",),
    "level_direction": (_CP + "level", _T + "level"),
    "local_origin": ("cadre.local_origin",),
    "months_in_current_post": (_CP + "since",),
    "months_in_rotation": ("cadre.rotation_history",),
    "months_since_cach_chuc": ("cadre.disciplines",),
    "months_since_canh_cao": ("cadre.disciplines",),
    "months_since_khien_trach": ("cadre.disciplines",),
    "months_since_party_discipline": ("cadre.disciplines",),
    "move_kind": ("move.kind",),
    "party_member": ("cadre.party_member",),
    "planned_district_committee": ("cadre.planning",),
    "planned_district_standing_or_head": ("cadre.planning",),
    "planned_district_top_post": ("cadre.planning",),
    "planned_duration_extra_days": ("move.planned_start", "move.planned_end"),
    "planned_duration_months": ("move.planned_start", "move.planned_end"),
    "planned_for_target": ("cadre.planning", _T + "title_code"),
    "planning_disciplined": ("cadre.planning", "cadre.disciplines"),
    "policy_case": ("move.policy_case",),
    "political_theory_gap": ("cadre.political_theory", _T + "required_political_theory"),
    "pregnant": ("cadre.family.pregnant",),
    "re_election": ("move.re_election",),
    "remaining_service_months": ("cadre.date_of_birth", "cadre.gender"),
    "remaining_terms": ("cadre.date_of_birth", "cadre.gender"),
    "requires_civil_service_intake": ("move.requires_civil_service_intake",),
    "sending_unit_assessed": ("move.sending_unit_assessed",),
    "sole_carer": ("cadre.family.sole_carer",),
    "special_case_requested": ("move.special_case_requested",),
    "target_created_for_move": (_T + "created_for_move",),
    "target_is_elected": (_T + "fill_method", _T + "title_code"),
    "target_is_key_commune_post": (_T + "key_commune_post", _T + "title_code"),
    "target_level": (_T + "level",),
    "target_on_post_change_list": (_T + "on_post_change_list",),
    "target_relation": (_CP + "title_code", _CP + "rank", _T + "title_code", _T + "rank"),
    "target_requires_degree": (_T + "required_degree",),
    "target_requires_political_theory": (_T + "required_political_theory",),
    "target_title_code": (_T + "title_code",),
    "target_vacant": (_T + "vacant",),
    "under_disciplinary_review": ("cadre.under_disciplinary_review",),
    "under_investigation": ("cadre.under_investigation",),
    "youngest_child_age_months": ("cadre.family.youngest_child_date_of_birth",),
}


def inputs_for(facts: Iterable[str]) -> list[str]:
    """The input paths that settle ``facts``, in first-seen order, without repeats.

    >>> inputs_for(["remaining_service_months", "age_months"])
    ['cadre.date_of_birth', 'cadre.gender']
    """
    out: dict[str, None] = {}
    for name in facts:
        for path in FACT_INPUTS.get(name, ()):
            out.setdefault(path)
    return list(out)
