"""Danh mục chức danh / the title catalogue, as data (``titles.yaml``, read with the safe loader).

One entry per post the library knows by name: every generic :class:`TitleCode` (any level), the
provincial and district posts, the commune posts before the reform (Nghị định 33/2023) and the
two-tier commune from 01/07/2025 (Quy định 298-QĐ/TW; Nghị định 150/2025/NĐ-CP; Nghị quyết
332/NQ-CP). Every entry carries its level, head/deputy role, system (Đảng, Nhà nước, MTTQ), the
dates it is valid and its source with a tag ([V], [V-2], [R], [I]).

Counts (for example how many UBND vice-chairs a commune has) are never written here: an entry
names the dated pack parameter (``count_parameter``) that holds the cited value.

>>> from datetime import date
>>> cat = catalogue()
>>> cat["xa.pho_bi_thu_chu_tich_ubnd"].title_code.value
'pho_bi_thu_chu_tich_ubnd'
>>> cat["huyen.bi_thu"].valid_on(date(2025, 7, 1))
False
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, ClassVar, Final, Literal

import yaml
from pydantic_core import PydanticCustomError

from luanchuyen.errors import InputError
from luanchuyen.models.enums import CodedEnum, Level, PostRole, TitleCode

try:  # both are *safe* loaders: they never build Python objects
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = [
    "TWO_TIER_FROM",
    "TitleCatalogue",
    "TitleEntry",
    "TitleSource",
    "TitleSystem",
    "catalogue",
    "check_post_code",
    "fill_from_post_code",
    "level_valid_on",
    "load_catalogue",
]

#: First day of the two-tier local government (province, commune); no district level from it.
TWO_TIER_FROM: Final = date(2025, 7, 1)

SourceTag = Literal["V", "V-2", "R", "I"]
_TAGS: Final = ("V", "V-2", "R", "I")


class TitleSystem(CodedEnum):
    """Hệ thống của chức danh / the system a post belongs to."""

    DANG = "dang"
    NHA_NUOC = "nha_nuoc"
    MTTQ = "mttq"
    __aliases__: ClassVar[dict[str, str]] = {
        "party": "dang", "state": "nha_nuoc", "chinh_quyen": "nha_nuoc",
        "mat_tran": "mttq", "doan_the": "mttq", "front": "mttq",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "dang": "Đảng", "nha_nuoc": "Nhà nước", "mttq": "Mặt trận Tổ quốc, đoàn thể",
    }  # fmt: skip


def level_valid_on(level: Level, day: date) -> bool:
    """Whether ``level`` exists on ``day``: the district level ends on 30/06/2025.

    >>> level_valid_on(Level.HUYEN, date(2025, 6, 30)), level_valid_on(Level.HUYEN, TWO_TIER_FROM)
    (True, False)
    """
    return level is not Level.HUYEN or day < TWO_TIER_FROM


@dataclass(frozen=True, slots=True)
class TitleSource:
    """Căn cứ / the source of an entry (the same fields as a rule pack's citation)."""

    document: str
    tag: SourceTag
    article: str | None = None
    clause: str | None = None
    url: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        parts = [self.document, self.article, self.clause]
        return ", ".join(p for p in parts if p) + f" [{self.tag}]"


@dataclass(frozen=True, slots=True)
class TitleEntry:
    """One post of the catalogue.

    ``level`` ``None`` means the generic entry of a title code (any level); ``system`` ``None``
    means the system depends on the body (a Trưởng ban may head a Party or a council board).
    ``valid_from``/``valid_to`` are inclusive; ``None`` is open.
    """

    code: str
    title_code: TitleCode
    level: Level | None
    role: PostRole
    system: TitleSystem | None
    vi: str
    en: str
    aliases: tuple[str, ...]
    source: TitleSource
    valid_from: date | None = None
    valid_to: date | None = None
    count_parameter: str | None = None
    note: str | None = None

    @property
    def generic(self) -> bool:
        """True for the any-level entry of a title code."""
        return self.level is None

    def valid_on(self, day: date) -> bool:
        """Whether the post exists on ``day`` (both ends inclusive)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


class TitleCatalogue(Mapping[str, TitleEntry]):
    """A frozen, ordered mapping ``code → TitleEntry`` with date and title-code look-ups."""

    __slots__ = ("_by_code", "_by_title", "_entries")

    def __init__(self, entries: tuple[TitleEntry, ...]) -> None:
        by_code: dict[str, TitleEntry] = {}
        by_title: dict[tuple[TitleCode, Level], list[TitleEntry]] = {}
        for e in entries:
            if e.code in by_code:
                raise ValueError(f"duplicate title catalogue code {e.code!r}")
            by_code[e.code] = e
            if e.level is not None:
                by_title.setdefault((e.title_code, e.level), []).append(e)
        self._entries = entries
        self._by_code = by_code
        self._by_title = {k: tuple(v) for k, v in by_title.items()}

    def __getitem__(self, code: str) -> TitleEntry:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> tuple[TitleEntry, ...]:
        """All entries in file order."""
        return self._entries

    def valid_on(self, day: date) -> tuple[TitleEntry, ...]:
        """Entries that exist on ``day``."""
        return tuple(e for e in self._entries if e.valid_on(day))

    def find(
        self,
        title_code: TitleCode,
        level: Level | None = None,
        on: date | None = None,
        *,
        generic: bool = False,
    ) -> tuple[TitleEntry, ...]:
        """Level-specific entries for ``title_code`` (optionally at ``level``, valid ``on``).

        With ``generic=True`` the any-level entry is included too.
        """
        return tuple(
            e
            for e in self._entries
            if e.title_code is title_code
            and (generic or not e.generic)
            and (level is None or e.level is level or (generic and e.generic))
            and (on is None or e.valid_on(on))
        )

    def system_of(self, title_code: TitleCode, level: Level, on: date) -> TitleSystem | None:
        """The one system of every ``title_code`` post at ``level`` valid ``on``, else ``None``.

        ``None`` when no such post is catalogued, or when the title names posts of different
        systems (a commune Trưởng ban heads a Party board or a People's Council committee).
        """
        systems = {e.system for e in self._by_title.get((title_code, level), ()) if e.valid_on(on)}
        if len(systems) != 1:
            return None
        return systems.pop()

    def names_one_kind(self, title_code: TitleCode, level: Level, on: date) -> bool:
        """Whether ``title_code`` at ``level`` names one kind of post ``on`` that day.

        True when one such post is catalogued, or when all of them belong to one system (the
        three commune department heads); false for none, or for a title shared by posts of
        different systems (a commune Trưởng ban of a Party board or of a council committee).
        """
        valid = [e for e in self._by_title.get((title_code, level), ()) if e.valid_on(on)]
        return len(valid) == 1 or self.system_of(title_code, level, on) is not None

    def generic_entry(self, title_code: TitleCode) -> TitleEntry:
        """The any-level entry of ``title_code`` (every TitleCode has one)."""
        return self._by_code[title_code.value]


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise ValueError(f"{where}: expected a date, got {value!r}")


def _source(raw: Mapping[str, Any], where: str) -> TitleSource:
    tag = raw.get("tag")
    if tag not in _TAGS or not raw.get("document"):
        raise ValueError(f"{where}: a citation needs a document and a tag in {_TAGS}")
    return TitleSource(
        document=str(raw["document"]),
        tag=tag,
        article=raw.get("article"),
        clause=raw.get("clause"),
        url=raw.get("url"),
        note=raw.get("note"),
    )


_ENTRY_KEYS: Final = frozenset(
    {"code", "title_code", "level", "role", "system", "vi", "en", "aliases", "cite",
     "valid_from", "valid_to", "count_parameter", "note"}
)  # fmt: skip


def _entry(raw: Mapping[str, Any], sources: Mapping[str, TitleSource]) -> TitleEntry:
    code = str(raw.get("code", ""))
    where = f"titles.yaml entry {code!r}"
    extra = set(raw) - _ENTRY_KEYS
    if extra or not code:
        raise ValueError(f"{where}: unknown keys {sorted(extra)} or no code")
    cite = str(raw.get("cite"))
    if cite not in sources:
        raise ValueError(f"{where}: unknown citation key {cite!r}")
    level = raw.get("level")
    system = raw.get("system")
    entry = TitleEntry(
        code=code,
        title_code=TitleCode(raw["title_code"]),
        level=None if level is None else Level(level),
        role=PostRole(raw["role"]),
        system=None if system is None else TitleSystem(system),
        vi=str(raw["vi"]),
        en=str(raw["en"]),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        source=sources[cite],
        valid_from=_date(raw.get("valid_from"), where),
        valid_to=_date(raw.get("valid_to"), where),
        count_parameter=raw.get("count_parameter"),
        note=raw.get("note"),
    )
    if entry.valid_from and entry.valid_to and entry.valid_to < entry.valid_from:
        raise ValueError(f"{where}: valid_to before valid_from")
    if entry.level is Level.HUYEN and (entry.valid_to is None or entry.valid_to >= TWO_TIER_FROM):
        raise ValueError(f"{where}: a district post must end before {TWO_TIER_FROM}")
    return entry


def load_catalogue(text: str) -> TitleCatalogue:
    """Build a catalogue from YAML text (the format of ``titles.yaml``); raise ``ValueError``."""
    try:
        loader = _SafeLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:  # an unsafe tag (!!python/...) is a ConstructorError
        raise ValueError(f"titles.yaml: not safe YAML: {exc}") from None
    if not isinstance(data, Mapping) or data.get("version") != 1:
        raise ValueError("titles.yaml: expected a mapping with version: 1")
    sources = {k: _source(v, f"citation {k!r}") for k, v in (data.get("citations") or {}).items()}
    entries = tuple(_entry(raw, sources) for raw in data.get("entries") or ())
    cat = TitleCatalogue(entries)
    missing = [t.value for t in TitleCode if t.value not in cat or not cat[t.value].generic]
    if missing:
        raise ValueError(f"titles.yaml: no generic entry for {missing}")
    return cat


@functools.cache
def catalogue() -> TitleCatalogue:
    """The catalogue shipped with the library (read once, then shared; it is immutable)."""
    text = resources.files("luanchuyen.models").joinpath("titles.yaml").read_text("utf-8")
    return load_catalogue(text)


def check_post_code(value: str | None) -> str | None:
    """Validate a catalogue code given on a post (``xa.truong_phong_kinh_te``…).

    Raises:
        PydanticCustomError: ``invalid_post_code`` (pydantic reports it on the field).
    """
    if value is None or value in catalogue():
        return value
    near = sorted(c for c in catalogue() if value.split(".")[-1] in c)[:5]
    hint = f"; gần đúng / close: {', '.join(near)}" if near else ""
    raise PydanticCustomError(
        "invalid_post_code",
        "Mã chức danh {value} không có trong danh mục (models/titles.yaml) / "
        "title code {value} is not in the catalogue{hint}",
        {"value": repr(value), "hint": hint},
    )


def fill_from_post_code(data: Any) -> Any:
    """Before validation: take ``title_code``, ``level`` and ``role`` from ``post_code`` when absent.

    Values given on the post win for ``role``; a ``title_code`` or ``level`` that contradicts
    the catalogue entry is an error naming both (a value that does not parse is left for the
    field's own validator to report).
    """
    if not isinstance(data, dict) or not isinstance(data.get("post_code"), str):
        return data
    entry = catalogue()[check_post_code(data["post_code"]) or ""]
    out = dict(data)
    pairs: tuple[tuple[str, type[CodedEnum], CodedEnum | None], ...] = (
        ("title_code", TitleCode, entry.title_code),
        ("level", Level, entry.level),
        ("role", PostRole, entry.role),
    )
    for name, enum, value in pairs:
        given = out.get(name)
        if value is None:
            continue
        if given is None:
            out[name] = value
            continue
        if name == "role":
            continue
        try:
            parsed = enum.parse(given)
        except InputError:
            continue
        if parsed is not value:
            raise PydanticCustomError(
                "post_code_mismatch",
                "{name} {given} khác danh mục ({code}: {want}) / "
                "{name} {given} contradicts the catalogue ({code}: {want})",
                {"name": name, "given": parsed.value, "code": entry.code, "want": value.value},
            )
    return out
