"""How the value of an enum-valued fact reads in a message (``equivalent`` → «tương đương»).

Messages quote facts through ``{fact}`` placeholders; an enum fact holds a code, which a
person must never see in Vietnamese text. :func:`value_label` gives the words: the enum's own
Vietnamese label for the facts that copy an input enum (the title catalogue for titles), the tables below for the facts the
library computes (relation of two posts, direction between levels).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from luanchuyen.models.enums import CodedEnum, Gender, Level, MoveKind, Rating, TitleCode

__all__ = ["COMPUTED_VALUE_LABELS", "ENUM_OF_FACT", "value_label"]

#: Enum-valued facts that copy an input enum: fact name → the enum.
ENUM_OF_FACT: Final[Mapping[str, type[CodedEnum]]] = {
    "move_kind": MoveKind,
    "gender": Gender,
    "current_level": Level,
    "target_level": Level,
    "latest_rating": Rating,
    "current_title_code": TitleCode,
    "target_title_code": TitleCode,
}

#: Enum-valued facts the library computes: fact name → language → code → words.
COMPUTED_VALUE_LABELS: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = {
    "target_relation": {
        "vi": {"equivalent": "tương đương", "higher": "cao hơn", "lower": "thấp hơn"},
        "en": {"equivalent": "equivalent", "higher": "higher", "lower": "lower"},
    },
    "target_relation_source": {
        "vi": {
            "explicit": "bậc chức vụ ghi trong hồ sơ",
            "province": "danh mục chức danh tương đương của tỉnh",
            "kl35": "Kết luận 35-KL/TW",
            "qd368": "Quy định 368-QĐ/TW",
            "structural": "cấu trúc chức danh (cấp trưởng, cấp phó cùng cơ quan)",
            "library": "bảng mặc định của thư viện (suy luận)",
        },
        "en": {
            "explicit": "the ranks given on the input",
            "province": "the province's list of equivalent posts",
            "kl35": "Kết luận 35-KL/TW",
            "qd368": "Quy định 368-QĐ/TW",
            "structural": "the title structure (head and deputy of one body)",
            "library": "the library's default table (inferred)",
        },
    },
    "target_commune_post_class": {
        "vi": {
            "party_or_key": "chức danh Đảng, chủ chốt",
            "department": "trưởng, phó phòng chuyên môn",
            "civil_servant": "công chức khác",
        },
        "en": {
            "party_or_key": "Party or key post",
            "department": "department head or deputy",
            "civil_servant": "other civil servant",
        },
    },
    "level_direction": {
        "vi": {"up": "lên cấp trên", "down": "xuống cấp dưới", "same": "cùng cấp"},
        "en": {"up": "to a higher level", "down": "to a lower level", "same": "at the same level"},
    },
}


def value_label(fact: str, value: object, lang: str = "vi") -> str | None:
    """The words for ``value`` of an enum-valued fact, or ``None`` when ``fact`` has no labels.

    >>> value_label("target_relation", "equivalent"), value_label("latest_rating", "htt")
    ('tương đương', 'Hoàn thành tốt nhiệm vụ')
    """
    code = str(getattr(value, "value", value))
    table = COMPUTED_VALUE_LABELS.get(fact)
    if table is not None:
        return table["en" if lang == "en" else "vi"].get(code)
    enum = ENUM_OF_FACT.get(fact)
    if enum is None:
        return None
    if enum is TitleCode:  # the title catalogue names every title code in both languages
        from luanchuyen.models.titles import catalogue

        try:
            entry = catalogue().generic_entry(TitleCode(code))
        except (KeyError, ValueError):
            return None
        return entry.en if lang == "en" else entry.vi
    if lang == "en":
        return code
    try:
        return enum(code).label_vi
    except ValueError:
        return None
