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
