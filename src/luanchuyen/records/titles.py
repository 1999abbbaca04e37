"""Chức danh ghi tự do → mã chức danh / free-text titles to title codes.

Boards write titles as they speak them: "Phó Trưởng phòng Nội vụ huyện", "PCT UBND xã",
"Phó Bí thư, Chủ tịch UBND xã Mai Sao", "Bt ĐU xã". :func:`match_title` reads such a text in
four steps, on a folded key (NFC, no diacritics, ``đ``→``d``, so that "Ủy" and "Uỷ" agree);
what is shown keeps the original spelling:

1. **Abbreviations** are expanded (BT, PBT, PBTTT, CT, PCT, UBND, HĐND, MTTQ, TP, PTP, CV,
   ĐU, HU, TU, BCH, BTV, VH-XH, TC-KH, NN&PTNT…).
2. **Combined posts** are split ("Phó Bí thư, Chủ tịch UBND xã" → two posts) where a new
   rank word starts a part.
3. **The rank word** (Bí thư, Phó Bí thư, Chủ tịch, Phó Chủ tịch, Trưởng phòng, Phó Trưởng
   phòng, Giám đốc…) is parsed apart, so a deputy never matches a head post; then the body
   (UBND, HĐND, Đảng ủy, MTTQ, a phòng, a sở, a mass organisation) and the level and locality
   ("xã Mai Sao") are taken from the rest. Misspelt words are corrected against the
   vocabulary with :mod:`rapidfuzz` (``fuzz.ratio``, never a token-set score, which rates "PCT
   UBND xã" 100 against both Chủ tịch and Phó Chủ tịch), lowering the confidence.
4. **The catalogue** entries whose name parses to the same rank and body are the candidates;
   one valid on the date and at the text's level is chosen (by ``fuzz.ratio`` of the rest of
   the text against the entry's names when several share the rank and body). The catalogue
   is :mod:`luanchuyen.models.titles` (two-tier commune titles from 01/07/2025, district
   titles until 30/06/2025). A combined text takes the catalogue's combined title when there is
   one, else its highest post (with a note).

Below :data:`THRESHOLD` the title stays unknown; the table readers then leave the title code
empty and add a ``title_unknown`` note naming the cell.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from rapidfuzz import fuzz, process

from luanchuyen.models.enums import TitleCode
from luanchuyen.models.titles import TitleCatalogue, TitleEntry

__all__ = [
    "THRESHOLD",
    "TitleMatch",
    "match_title",
    "match_title_cached",
]

#: Confidence (0–100) from which a title is taken as recognised.
THRESHOLD: Final = 85.0


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """How one title text was read.

    Attributes:
        text: the text as written.
        code: the title code (:class:`~luanchuyen.models.enums.TitleCode` value), or ``None``
            when not recognised.
        entry: the catalogue entry (``xa.pho_chu_tich_ubnd``…), see
            :mod:`luanchuyen.models.titles`.
        name: the catalogue name of the entry.
        level: ``xa``, ``huyen``, ``tinh``, ``trung_uong`` (from the text, else the catalogue).
        role: ``cap_truong``, ``cap_pho`` or ``khac`` (from the rank word).
        body: the body, as written ("Phòng Nội vụ huyện", "UBND xã Mai Sao").
        locality: the locality after the level word ("Mai Sao").
        confidence: 0–100.
        parts: the posts of a combined text, each read alone.
    """

    text: str
    code: str | None
    entry: str | None
    name: str | None
    level: str | None
    role: str | None
    body: str | None
    locality: str | None
    confidence: float
    parts: tuple[TitleMatch, ...] = field(default=())

    @property
    def recognised(self) -> bool:
        """The code is known with at least :data:`THRESHOLD` confidence."""
        return self.code is not None and self.confidence >= THRESHOLD


# --------------------------------------------------------------------------- vocabulary

_ABBREVIATIONS: Final[dict[tuple[str, ...], tuple[str, ...]]] = {
    ("pbttt",): ("pho", "bi", "thu", "thuong", "truc"),
    ("pbt",): ("pho", "bi", "thu"),
    ("bt",): ("bi", "thu"),
    ("pct",): ("pho", "chu", "tich"),
    ("ct",): ("chu", "tich"),
    ("ptp",): ("pho", "truong", "phong"),
    ("tp",): ("truong", "phong"),  # only as a rank (else "thành phố"), see _expand
    ("pgd",): ("pho", "giam", "doc"),
    ("gd",): ("giam", "doc"),
    ("ptb",): ("pho", "truong", "ban"),
    ("tb",): ("truong", "ban"),
    ("cv",): ("chuyen", "vien"),
    ("uv",): ("uy", "vien"),
    ("ubnd",): ("uy", "ban", "nhan", "dan"),
    ("hdnd",): ("hoi", "dong", "nhan", "dan"),
    ("ub",): ("uy", "ban"),
    ("mttq",): ("mat", "tran", "to", "quoc"),
    ("ubmttq",): ("uy", "ban", "mat", "tran", "to", "quoc"),
    ("ubkt",): ("uy", "ban", "kiem", "tra"),
    ("du",): ("dang", "uy"),
    ("hu",): ("huyen", "uy"),
    ("tu",): ("tinh", "uy"),
    ("bch",): ("ban", "chap", "hanh"),
    ("btv",): ("ban", "thuong", "vu"),
    ("tt",): ("thuong", "truc"),
    ("vh", "xh"): ("van", "hoa", "xa", "hoi"),
    ("tc", "kh"): ("tai", "chinh", "ke", "hoach"),
    ("nn", "ptnt"): ("nong", "nghiep", "va", "phat", "trien", "nong", "thon"),
    ("tn", "mt"): ("tai", "nguyen", "va", "moi", "truong"),
    ("ld", "tb", "xh"): ("lao", "dong", "thuong", "binh", "va", "xa", "hoi"),
    ("kt", "ht", "dt"): ("kinh", "te", "ha", "tang", "va", "do", "thi"),
}

#: Rank words, longest first: folded words → (rank, role).
_RANKS: Final[tuple[tuple[tuple[str, ...], str, str], ...]] = tuple(
    sorted(
        (
            (tuple(words.split()), rank, role)
            for words, rank, role in (
                ("pho bi thu thuong truc", "pho_bi_thu_thuong_truc", "cap_pho"),
                ("pho bi thu", "pho_bi_thu", "cap_pho"),
                ("bi thu", "bi_thu", "cap_truong"),
                ("pho chu tich thuong truc", "pho_chu_tich", "cap_pho"),
                ("pho chu tich", "pho_chu_tich", "cap_pho"),
                ("chu tich", "chu_tich", "cap_truong"),
                ("pho truong phong", "pho_truong_phong", "cap_pho"),
                ("truong phong", "truong_phong", "cap_truong"),
                ("pho truong ban", "pho_truong_ban", "cap_pho"),
                ("truong ban", "truong_ban", "cap_truong"),
                ("pho giam doc", "pho_giam_doc", "cap_pho"),
                ("giam doc", "giam_doc", "cap_truong"),
                ("pho chanh van phong", "pho_chanh_van_phong", "cap_pho"),
                ("pho chu nhiem", "pho_chu_nhiem", "cap_pho"),
                ("chu nhiem", "chu_nhiem", "cap_truong"),
                ("chi huy truong", "cong_chuc", "khac"),
                ("chanh van phong", "chanh_van_phong", "cap_truong"),
                ("pho truong", "pho_truong", "cap_pho"),
                ("truong", "truong", "cap_truong"),
                ("uy vien ban thuong vu", "uv_btv", "khac"),
                ("uy vien thuong vu", "uv_btv", "khac"),
                ("uy vien ban chap hanh", "uv_bch", "khac"),
                ("cap uy vien", "uv_bch", "khac"),
                ("chuyen vien", "cong_chuc", "khac"),
                ("cong chuc", "cong_chuc", "khac"),
                ("can bo", "cong_chuc", "khac"),
                ("nhan vien", "cong_chuc", "khac"),
            )
        ),
        key=lambda r: -len(r[0]),
    )
)
_RANK_STARTS: Final = frozenset(r[0][0] for r in _RANKS)

#: Body words (folded) → body kind.
_BODIES: Final[tuple[tuple[tuple[str, ...], str], ...]] = tuple(
    sorted(
        (
            (tuple(words.split()), kind)
            for words, kind in (
                ("uy ban nhan dan", "ubnd"),
                ("hoi dong nhan dan", "hdnd"),
                ("uy ban mat tran to quoc", "mttq"),
                ("mat tran to quoc", "mttq"),
                ("mat tran", "mttq"),
                ("uy ban kiem tra", "ubkt"),
                ("dang uy", "dang"), ("huyen uy", "dang"), ("tinh uy", "dang"),
                ("thanh uy", "dang"), ("quan uy", "dang"), ("thi uy", "dang"),
                ("dang bo", "dang"), ("chi bo", "dang"), ("cap uy", "dang"),
                ("ban thuong vu", "dang"), ("ban chap hanh", "dang"),
                ("ban xay dung dang", "ban_dang"), ("ban to chuc", "ban_dang"),
                ("ban tuyen giao", "ban_dang"), ("ban dan van", "ban_dang"),
                ("ban tuyen giao va dan van", "ban_dang"),
                ("hoi lien hiep phu nu", "doan_the"), ("hoi phu nu", "doan_the"),
                ("doan thanh nien", "doan_the"), ("doan tncs", "doan_the"),
                ("doan", "doan_the"), ("hoi nong dan", "doan_the"),
                ("hoi cuu chien binh", "doan_the"), ("cong doan", "doan_the"),
                ("lien doan lao dong", "doan_the"),
                ("van phong", "van_phong"), ("phong", "phong"), ("so", "so"), ("ban", "ban"),
                ("trung tam", "trung_tam"),
            )
        ),
        key=lambda r: -len(r[0]),
    )
)  # fmt: skip

_LEVELS: Final[tuple[tuple[tuple[str, ...], str], ...]] = (
    (("thi", "tran"), "xa"),
    (("dac", "khu"), "xa"),
    (("thi", "xa"), "huyen"),
    (("xa",), "xa"),
    (("phuong",), "xa"),
    (("huyen",), "huyen"),
    (("quan",), "huyen"),
    (("tinh",), "tinh"),
)
_PARTY_LEVEL: Final[dict[tuple[str, ...], str]] = {
    ("huyen", "uy"): "huyen",
    ("quan", "uy"): "huyen",
    ("tinh", "uy"): "tinh",
}

#: Rank + body kind → function (what the catalogue entries are indexed by).
_FUNCTIONS: Final[dict[tuple[str, str | None], str]] = {
    ("bi_thu", None): "bi_thu", ("bi_thu", "dang"): "bi_thu",
    ("pho_bi_thu", None): "pho_bi_thu", ("pho_bi_thu", "dang"): "pho_bi_thu",
    ("pho_bi_thu_thuong_truc", None): "pho_bi_thu_thuong_truc",
    ("pho_bi_thu_thuong_truc", "dang"): "pho_bi_thu_thuong_truc",
    ("bi_thu", "doan_the"): "truong_doan_the", ("pho_bi_thu", "doan_the"): "pho_truong_doan_the",
    ("chu_tich", "ubnd"): "chu_tich_ubnd", ("pho_chu_tich", "ubnd"): "pho_chu_tich_ubnd",
    ("chu_tich", "hdnd"): "chu_tich_hdnd", ("pho_chu_tich", "hdnd"): "pho_chu_tich_hdnd",
    ("chu_tich", "mttq"): "chu_tich_mttq", ("pho_chu_tich", "mttq"): "pho_chu_tich_mttq",
    ("chu_tich", "doan_the"): "truong_doan_the", ("pho_chu_tich", "doan_the"): "pho_truong_doan_the",
    ("truong", "doan_the"): "truong_doan_the", ("pho_truong", "doan_the"): "pho_truong_doan_the",
    ("chu_nhiem", "ubkt"): "chu_nhiem_ubkt", ("pho_chu_nhiem", "ubkt"): "pho_chu_nhiem_ubkt",
    ("giam_doc", "so"): "giam_doc_so", ("pho_giam_doc", "so"): "pho_giam_doc_so",
    ("giam_doc", None): "giam_doc_so", ("pho_giam_doc", None): "pho_giam_doc_so",
    ("giam_doc", "trung_tam"): "giam_doc_trung_tam",
    ("pho_giam_doc", "trung_tam"): "pho_giam_doc_trung_tam",
    ("truong_ban", None): "truong_ban", ("pho_truong_ban", None): "pho_truong_ban",
    ("truong_ban", "ban_dang"): "truong_ban", ("truong_ban", "dang"): "truong_ban",
    ("pho_truong_ban", "dang"): "pho_truong_ban", ("pho_truong_ban", "ban_dang"): "pho_truong_ban",
    ("truong", "ban_dang"): "truong_ban", ("pho_truong", "ban_dang"): "pho_truong_ban",
    ("truong", "ban"): "truong_ban", ("pho_truong", "ban"): "pho_truong_ban",
    ("truong_phong", None): "truong_phong", ("pho_truong_phong", None): "pho_truong_phong",
    ("truong", "phong"): "truong_phong", ("pho_truong", "phong"): "pho_truong_phong",
    ("chanh_van_phong", None): "chanh_van_phong", ("chanh_van_phong", "van_phong"): "chanh_van_phong",
    ("pho_chanh_van_phong", None): "pho_chanh_van_phong",
    ("uv_btv", None): "uv_btv", ("uv_btv", "dang"): "uv_btv",
    ("uv_bch", None): "uv_bch", ("uv_bch", "dang"): "uv_bch",
    ("cong_chuc", None): "cong_chuc",
}  # fmt: skip
#: "Chủ tịch xã" is the Chủ tịch UBND xã in everyday speech (a little less sure).
_IMPLIED: Final[dict[str, tuple[str, float]]] = {
    "chu_tich": ("chu_tich_ubnd", 88.0),
    "pho_chu_tich": ("pho_chu_tich_ubnd", 88.0),
}
#: Which post of a combined text counts as the highest (QĐ 368: ranked by the highest).
_PRECEDENCE: Final = (
    "bi_thu", "pho_bi_thu_thuong_truc", "chu_tich_hdnd", "chu_tich_ubnd", "pho_bi_thu",
    "chu_tich_mttq", "uv_btv", "pho_chu_tich_hdnd", "pho_chu_tich_ubnd", "chu_nhiem_ubkt",
    "giam_doc_so", "truong_ban", "pho_giam_doc_so", "pho_truong_ban", "truong_doan_the",
    "pho_chu_tich_mttq", "pho_truong_doan_the", "chanh_van_phong", "truong_phong",
    "giam_doc_trung_tam", "pho_chanh_van_phong", "pho_truong_phong", "pho_giam_doc_trung_tam",
    "uv_bch", "cong_chuc",
)  # fmt: skip

_LEVEL_WORDS: Final = frozenset({"xa", "phuong", "huyen", "quan", "tinh", "thi", "tran"})
#: Words a misspelling is corrected to (never a level word: "Quang" is not "quận").
_VOCAB: Final = sorted(
    ({w for r in _RANKS for w in r[0]} | {w for b in _BODIES for w in b[0]} | {"thuong", "truc"})
    - _LEVEL_WORDS
)
_VOCAB_SET: Final = frozenset(_VOCAB) | _LEVEL_WORDS


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class _Token:
    key: str  # folded
    start: int  # span in the original text
    end: int


def _fold_word(word: str) -> str:
    s = unicodedata.normalize("NFD", word.lower()).replace("đ", "d")
    return "".join(ch for ch in s if unicodedata.category(ch) != "Mn")


_WORD = re.compile(r"[^\W_]+|&|[,;+]|–|—|-", re.UNICODE)


def _tokens(text: str) -> list[_Token]:
    return [_Token(_fold_word(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _expand(tokens: list[_Token]) -> tuple[list[_Token], float]:
    """Expand abbreviations and correct misspelt words; the confidence lost to corrections."""
    out: list[_Token] = []
    loss = 0.0
    i = 0
    named = False  # after a level word come names (of communes, districts): never corrected
    while i < len(tokens):
        t = tokens[i]
        named = named or t.key in _LEVEL_WORDS
        done = False
        for n in (3, 2):
            window = [x for x in tokens[i : i + n * 2] if x.key not in {"&", "-", "–", "—"}][:n]
            keys = tuple(x.key for x in window)
            if len(keys) == n and keys in _ABBREVIATIONS:
                last = window[-1]
                span = tokens.index(last) + 1
                out.extend(_Token(k, t.start, last.end) for k in _ABBREVIATIONS[keys])
                i = span
                done = True
                break
        if done:
            continue
        if (t.key,) in _ABBREVIATIONS and not (t.key == "tp" and out and out[-1].key not in ",;+"):
            out.extend(_Token(k, t.start, t.end) for k in _ABBREVIATIONS[(t.key,)])
        elif t.key == "tp":
            out.extend((_Token("thanh", t.start, t.end), _Token("pho", t.start, t.end)))
        elif (
            not named
            and len(t.key) >= 4
            and t.key.isalpha()
            and t.key.isascii()
            and t.key not in _VOCAB_SET
        ):
            best = process.extractOne(t.key, _VOCAB, scorer=fuzz.ratio, score_cutoff=85)
            if best is not None:
                out.append(_Token(best[0], t.start, t.end))
                loss += (100.0 - best[1]) / 2
            else:
                out.append(t)
        else:
            out.append(t)
        i += 1
    return out, loss


def _starts(tokens: Sequence[_Token], i: int, words: tuple[str, ...]) -> bool:
    return tuple(t.key for t in tokens[i : i + len(words)]) == words


def _rank_at(tokens: Sequence[_Token], i: int) -> tuple[str, str, int] | None:
    for words, rank, role in _RANKS:
        if _starts(tokens, i, words):
            return rank, role, len(words)
    return None


def _split(tokens: list[_Token]) -> list[list[_Token]]:
    """Split a combined text where a separator or a second rank word starts a new post."""
    parts: list[list[_Token]] = [[]]
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.key in {",", ";", "+", "-", "–", "—"} or t.key == "kiem":
            nxt = _rank_at(tokens, i + 1)
            if nxt is not None and parts[-1]:
                parts.append([])
                i += 1
                continue
            if t.key in {",", ";", "+", "-", "–", "—"}:
                i += 1
                continue
        if parts[-1] and i > 0:
            head = _rank_at(parts[-1], 0)
            if head is not None and len(parts[-1]) == head[2]:  # "Phó Bí thư Chủ tịch UBND"
                nxt = _rank_at(tokens, i)
                if nxt is not None and nxt[0] not in {"truong", "pho_truong"}:
                    parts.append([])
        parts[-1].append(t)
        i += 1
    return [p for p in parts if p]


@dataclass(frozen=True, slots=True)
class _Parsed:
    rank: str | None
    role: str | None
    body_kind: str | None
    level: str | None
    rest: str  # folded words after the rank
    body: str | None  # original text after the rank
    locality: str | None


def _parse_part(text: str, part: list[_Token]) -> _Parsed:
    got = _rank_at(part, 0)
    if got is None:
        rest = " ".join(t.key for t in part)
        return _Parsed(None, None, None, None, rest, None, None)
    rank, role, n = got
    rest_tokens = part[n:]
    body_kind: str | None = None
    level: str | None = None
    locality: str | None = None
    for j in range(len(rest_tokens)):
        if body_kind is None:
            for words, kind in _BODIES:
                if _starts(rest_tokens, j, words):
                    body_kind = kind
                    key = tuple(t.key for t in rest_tokens[j : j + 2])
                    level = level or _PARTY_LEVEL.get(key)
                    break
    for j in range(len(rest_tokens) - 1, -1, -1):  # the last level word names the locality
        hit = None
        for words, lv in _LEVELS:
            if _starts(rest_tokens, j, words) and not _starts(rest_tokens, j, ("xa", "hoi")):
                hit = (words, lv)  # "xã hội" (society) is not a commune
                break
        if hit is not None:
            level = level or hit[1]
            after = rest_tokens[j + len(hit[0]) :]
            if after and after[0].key not in {"uy"}:
                locality = text[after[0].start : after[-1].end].strip() or None
            break
    body = text[rest_tokens[0].start : rest_tokens[-1].end].strip() if rest_tokens else None
    if rank in {"truong_phong", "pho_truong_phong"} and body:
        body = "Phòng " + body
    elif rank in {"truong_ban", "pho_truong_ban"} and body:
        body = "Ban " + body
    return _Parsed(
        rank, role, body_kind, level, " ".join(t.key for t in rest_tokens), body, locality
    )


def _function(p: _Parsed) -> tuple[str | None, float]:
    if p.rank is None:
        return None, 0.0
    if p.rank == "cong_chuc":  # a civil servant of any body
        return "cong_chuc", 100.0
    key = _FUNCTIONS.get((p.rank, p.body_kind))
    if key is not None:
        return key, 100.0
    if p.body_kind in {None, "van_phong"} or (p.rank in _IMPLIED and p.body_kind is None):
        implied = _IMPLIED.get(p.rank)
        if implied is not None:
            return implied
    key = _FUNCTIONS.get((p.rank, None))
    return (key, 90.0) if key is not None else (None, 0.0)


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True, slots=True)
class _Indexed:
    entry: TitleEntry
    rest: str  # the folded name and aliases after the rank word


class _Catalogue:
    """The catalogue indexed by title code (what the rank and body of a text decide)."""

    def __init__(self, cat: TitleCatalogue) -> None:
        self.by_code: dict[str, list[_Indexed]] = {}
        self.combined: dict[frozenset[str], str] = {}
        for e in cat.entries:
            if e.title_code is TitleCode.KHAC:
                continue
            rests = []
            for name in (e.vi, *e.aliases):
                tokens, _ = _expand(_tokens(name))
                parts = [_parse_part(name, g) for g in _split(tokens)]
                rests.append(" ".join(p.rest for p in parts))
                funcs = [_function(p)[0] for p in parts]
                if len(parts) > 1 and all(funcs):
                    self.combined[frozenset(f for f in funcs if f)] = e.title_code.value
            self.by_code.setdefault(e.title_code.value, []).append(
                _Indexed(e, " | ".join(r for r in rests if r))
            )

    def best(
        self, code: str, rest: str, level: str | None, day: date | None
    ) -> tuple[TitleEntry, float] | None:
        found = [
            x
            for x in self.by_code.get(code, ())
            if (day is None or x.entry.valid_on(day))
            and (level is None or x.entry.level is None or x.entry.level.value == level)
        ]
        if not found:
            return None
        specific = [x for x in found if x.entry.level is not None and level is not None]
        pool = specific or [x for x in found if x.entry.level is None] or found
        if len(pool) == 1:
            return pool[0].entry, 100.0
        scored = sorted(
            pool,
            key=lambda x: -max(fuzz.ratio(rest, r) for r in x.rest.split(" | ")) if rest else 0,
        )
        return scored[0].entry, 100.0


@functools.cache
def _default_index() -> _Catalogue:
    from luanchuyen.models.titles import catalogue

    return _Catalogue(catalogue())


def _catalogue(cat: TitleCatalogue | None) -> _Catalogue:
    return _default_index() if cat is None else _Catalogue(cat)


# --------------------------------------------------------------------------- matching


def match_title(
    text: str,
    *,
    on: date | None = None,
    catalogue: TitleCatalogue | None = None,
) -> TitleMatch:
    """Read a free-text title (see the module text).

    Args:
        text: the title as written.
        on: the date the title must be valid on (catalogue validity dates).
        catalogue: the catalogue (default :func:`luanchuyen.models.titles.catalogue`).

    >>> m = match_title("PCT UBND xã Mai Sao")
    >>> m.code, m.role, m.level, m.locality
    ('pho_chu_tich_ubnd', 'cap_pho', 'xa', 'Mai Sao')
    >>> match_title("Trưởng phòng VH-XH").code
    'truong_phong'
    """
    m = _match(unicodedata.normalize("NFC", str(text)).strip(), on, _catalogue(catalogue))
    return m if m.text == text else dataclasses.replace(m, text=text)  # display: as written


@functools.lru_cache(maxsize=8192)
def _match_default(text: str, on: date | None) -> TitleMatch:
    return _match(text, on, _default_index())


def match_title_cached(text: str, on: date | None = None) -> TitleMatch:
    """:func:`match_title` on the default catalogue, cached (large sheets repeat titles)."""
    m = _match_default(unicodedata.normalize("NFC", str(text)).strip(), on)
    return m if m.text == text else dataclasses.replace(m, text=text)


def _single(text: str, p: _Parsed, loss: float, cat: _Catalogue, day: date | None) -> TitleMatch:
    func, conf = _function(p)
    entry: TitleEntry | None = None
    if func is not None:
        got = cat.best(func, p.rest, p.level, day)
        if got is not None:
            entry, score = got
            conf = min(conf, score)
    conf = max(0.0, conf - loss) if entry is not None else 0.0
    return _result(text, entry, p.level, p.role, p.body, p.locality, conf)


def _result(
    text: str,
    entry: TitleEntry | None,
    level: str | None,
    role: str | None,
    body: str | None,
    locality: str | None,
    conf: float,
    parts: tuple[TitleMatch, ...] = (),
) -> TitleMatch:
    if entry is None:
        return TitleMatch(text, None, None, None, level, role, body, locality, conf, parts)
    return TitleMatch(
        text,
        entry.title_code.value,
        entry.code,
        entry.vi,
        level or (entry.level.value if entry.level else None),
        entry.role.value if role is None or len(parts) > 1 else role,
        body,
        locality,
        conf,
        parts,
    )


def _match(text: str, day: date | None, cat: _Catalogue) -> TitleMatch:
    tokens, loss = _expand(_tokens(text))
    groups = _split(tokens)
    if not groups:
        return _result(text, None, None, None, None, None, 0.0)
    parsed = [_parse_part(text, g) for g in groups]
    level = next((p.level for p in reversed(parsed) if p.level), None)
    locality = next((p.locality for p in reversed(parsed) if p.locality), None)
    parts = tuple(
        _single(
            text[g[0].start : g[-1].end],
            _Parsed(
                p.rank,
                p.role,
                p.body_kind,
                p.level or level,
                p.rest,
                p.body,
                p.locality or locality,
            ),
            loss,
            cat,
            day,
        )
        for g, p in zip(groups, parsed, strict=True)
    )
    if len(parts) == 1:
        m = parts[0]
        return TitleMatch(
            text, m.code, m.entry, m.name, m.level, m.role, m.body, m.locality, m.confidence
        )
    known = [m for m in parts if m.code is not None]
    combined_code = cat.combined.get(frozenset(m.code for m in known if m.code))
    if combined_code is not None and len(known) == len(parts):
        got = cat.best(combined_code, "", level, day)
        if got is not None:
            head = next((m for m in parts if m.role == "cap_truong"), parts[0])
            conf = min(m.confidence for m in parts)
            return _result(text, got[0], level, None, head.body, locality, conf, parts)
    if not known:
        return _result(text, None, level, parts[0].role, None, locality, 0.0, parts)
    top = min(known, key=_precedence)
    return TitleMatch(
        text, top.code, top.entry, top.name, top.level, top.role, top.body, top.locality,
        top.confidence, parts,
    )  # fmt: skip


def _precedence(m: TitleMatch) -> int:
    code = m.code or ""
    for i, func in enumerate(_PRECEDENCE):
        if code == func or code.startswith(func):
            return i
    return len(_PRECEDENCE)
