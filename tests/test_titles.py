"""The title catalogue (models.titles): complete, dated, cited, frozen, safely loaded."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from luanchuyen.models import Level, PostRole, TitleCode
from luanchuyen.models import titles as titles_module
from luanchuyen.models.titles import (
    TWO_TIER_FROM,
    TitleCatalogue,
    TitleEntry,
    TitleSource,
    TitleSystem,
    catalogue,
    level_valid_on,
    load_catalogue,
)
from luanchuyen.ruleset.schema import Citation

D = TWO_TIER_FROM
DAY = timedelta(days=1)

#: The posts of the two-tier commune the issue names (QĐ 298, HĐND/UBND, NĐ 150, NQ 332).
TWO_TIER_REQUIRED = {
    "xa.bi_thu": (TitleCode.BI_THU, PostRole.CAP_TRUONG, TitleSystem.DANG),
    "xa.pho_bi_thu_thuong_truc": (TitleCode.PHO_BI_THU_THUONG_TRUC, PostRole.CAP_PHO, TitleSystem.DANG),
    "xa.pho_bi_thu_chu_tich_ubnd": (TitleCode.PHO_BI_THU_CHU_TICH_UBND, PostRole.CAP_PHO, TitleSystem.DANG),
    "xa.truong_ban_xay_dung_dang": (TitleCode.TRUONG_BAN, PostRole.CAP_TRUONG, TitleSystem.DANG),
    "xa.pho_truong_ban_xay_dung_dang": (TitleCode.PHO_TRUONG_BAN, PostRole.CAP_PHO, TitleSystem.DANG),
    "xa.chu_nhiem_ubkt": (TitleCode.CHU_NHIEM_UBKT, PostRole.CAP_TRUONG, TitleSystem.DANG),
    "xa.pho_chu_nhiem_ubkt": (TitleCode.PHO_CHU_NHIEM_UBKT, PostRole.CAP_PHO, TitleSystem.DANG),
    "xa.chanh_van_phong_dang_uy": (TitleCode.CHANH_VAN_PHONG, PostRole.CAP_TRUONG, TitleSystem.DANG),
    "xa.pho_chanh_van_phong_dang_uy": (TitleCode.PHO_CHANH_VAN_PHONG, PostRole.CAP_PHO, TitleSystem.DANG),
    "xa.chu_tich_hdnd": (TitleCode.CHU_TICH_HDND, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_chu_tich_hdnd": (TitleCode.PHO_CHU_TICH_HDND, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.chu_tich_ubnd": (TitleCode.CHU_TICH_UBND, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_chu_tich_ubnd": (TitleCode.PHO_CHU_TICH_UBND, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.chanh_van_phong_hdnd_ubnd": (TitleCode.CHANH_VAN_PHONG, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_chanh_van_phong_hdnd_ubnd": (TitleCode.PHO_CHANH_VAN_PHONG, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.truong_phong_kinh_te": (TitleCode.TRUONG_PHONG, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_truong_phong_kinh_te": (TitleCode.PHO_TRUONG_PHONG, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.truong_phong_kinh_te_ha_tang_do_thi": (TitleCode.TRUONG_PHONG, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_truong_phong_kinh_te_ha_tang_do_thi": (TitleCode.PHO_TRUONG_PHONG, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.truong_phong_van_hoa_xa_hoi": (TitleCode.TRUONG_PHONG, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_truong_phong_van_hoa_xa_hoi": (TitleCode.PHO_TRUONG_PHONG, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.giam_doc_trung_tam_phvhcc": (TitleCode.GIAM_DOC_TRUNG_TAM, PostRole.CAP_TRUONG, TitleSystem.NHA_NUOC),
    "xa.pho_giam_doc_trung_tam_phvhcc": (TitleCode.PHO_GIAM_DOC_TRUNG_TAM, PostRole.CAP_PHO, TitleSystem.NHA_NUOC),
    "xa.chu_tich_mttq": (TitleCode.CHU_TICH_MTTQ, PostRole.CAP_TRUONG, TitleSystem.MTTQ),
}  # fmt: skip


def test_every_title_code_has_a_generic_entry() -> None:
    cat = catalogue()
    for t in TitleCode:
        entry = cat.generic_entry(t)
        assert entry.generic and entry.title_code is t and entry.code == t.value
        assert entry.valid_from is None and entry.valid_to is None


def test_two_tier_commune_titles_are_complete() -> None:
    cat = catalogue()
    for code, (title_code, role, system) in TWO_TIER_REQUIRED.items():
        e = cat[code]
        assert (e.title_code, e.role, e.system, e.level) == (title_code, role, system, Level.XA)
        assert e.valid_from == D and e.valid_to is None, code
        assert e.source.tag in {"V", "V-2"}, code


@pytest.mark.parametrize(("day", "district", "old_commune", "two_tier"), [
    (D - DAY, True, True, False),
    (D, False, False, True),
    (D + DAY, False, False, True),
])  # fmt: skip
def test_validity_around_the_reform(
    day: date, district: bool, old_commune: bool, two_tier: bool
) -> None:
    cat = catalogue()
    for e in cat.entries:
        if e.level is Level.HUYEN:
            assert e.valid_on(day) is district, e.code
        elif e.code.startswith("xa_nd33."):
            assert e.valid_on(day) is old_commune, e.code
        elif e.code.startswith("xa."):
            assert e.valid_on(day) is two_tier, e.code
    assert level_valid_on(Level.HUYEN, day) is district
    assert level_valid_on(Level.XA, day) and level_valid_on(Level.TINH, day)
    valid = {e.code for e in cat.valid_on(day)}
    assert ("huyen.bi_thu" in valid) is district and ("xa.bi_thu" in valid) is two_tier


def test_find_by_title_code_level_and_date() -> None:
    cat = catalogue()
    after = {e.code for e in cat.find(TitleCode.TRUONG_PHONG, Level.XA, date(2026, 1, 1))}
    assert after == {
        "xa.truong_phong_kinh_te",
        "xa.truong_phong_kinh_te_ha_tang_do_thi",
        "xa.truong_phong_van_hoa_xa_hoi",
    }
    assert cat.find(TitleCode.TRUONG_PHONG, Level.XA, date(2025, 6, 30)) == ()
    before = cat.find(TitleCode.BI_THU, Level.HUYEN, date(2025, 6, 30))
    assert [e.code for e in before] == ["huyen.bi_thu"]
    with_generic = cat.find(TitleCode.BI_THU, Level.HUYEN, date(2025, 7, 1), generic=True)
    assert [e.code for e in with_generic] == ["bi_thu"]


def test_roles_follow_the_title_code() -> None:
    """A pho_* title code is a deputy post; a generic code's entries share its role."""
    cat = catalogue()
    for e in cat.entries:
        assert e.role is cat.generic_entry(e.title_code).role, e.code
        if e.title_code.value.startswith("pho_"):
            assert e.role is PostRole.CAP_PHO, e.code


def test_codes_unique_and_sources_tagged() -> None:
    cat = catalogue()
    assert len(set(cat)) == len(cat) == len(cat.entries)
    for e in cat.entries:
        assert e.source.tag in {"V", "V-2", "R", "I"} and e.source.document
        assert e.vi and e.en
        if e.level is not None:
            assert e.code.split(".")[0] in {"tinh", "huyen", "xa", "xa_nd33"}


def test_source_fields_match_rule_citations() -> None:
    """TitleSource is the model-layer twin of the pack Citation: the same fields."""
    assert {f.name for f in dataclasses.fields(TitleSource)} == set(Citation.model_fields)
    e = catalogue()["xa.chu_tich_ubnd"]
    assert str(e.source) == str(Citation(**dataclasses.asdict(e.source)))


def test_count_parameters_are_pack_parameters() -> None:
    """Counts are cited, dated parameters of the national pack, never constants."""
    named = {e.count_parameter for e in catalogue().entries if e.count_parameter}
    assert named == {
        "commune_ubnd_deputies_max",
        "commune_hdnd_deputies_max",
        "commune_department_deputies_average",
    }
    pack = (Path(__file__).resolve().parent.parent / "rules/qd65/pack.yaml").read_text("utf-8")
    for name in named:
        assert f"\n  {name}:\n" in pack, name


def test_catalogue_is_frozen_and_shared() -> None:
    cat = catalogue()
    assert catalogue() is cat
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat["xa.bi_thu"].vi = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cat["new"] = cat["xa.bi_thu"]  # type: ignore[index]
    assert isinstance(cat, TitleCatalogue) and isinstance(cat["xa.bi_thu"], TitleEntry)


def _minimal(entries: str) -> str:
    generic = "\n".join(
        f"  - {{code: {t.value}, title_code: {t.value}, level: null, role: "
        f"{catalogue().generic_entry(t).role.value}, system: null, vi: a, en: b, cite: s}}"
        for t in TitleCode
    )
    return f"version: 1\ncitations:\n  s: {{document: d, tag: I}}\nentries:\n{generic}\n{entries}"


def test_loader_accepts_the_minimal_catalogue() -> None:
    assert len(load_catalogue(_minimal(""))) == len(TitleCode)


@pytest.mark.parametrize(("extra", "message"), [
    ("  - {code: bi_thu, title_code: bi_thu, level: xa, role: cap_truong, system: dang, vi: a, en: b, cite: s}", "duplicate"),
    ("  - {code: huyen.x, title_code: bi_thu, level: huyen, role: cap_truong, system: dang, vi: a, en: b, cite: s}", "district"),
    ("  - {code: huyen.x, title_code: bi_thu, level: huyen, role: cap_truong, system: dang, vi: a, en: b, cite: s, valid_to: 2025-07-01}", "district"),
    ("  - {code: xa.x, title_code: bi_thu, level: xa, role: cap_truong, system: dang, vi: a, en: b, cite: nope}", "citation"),
    ("  - {code: xa.x, title_code: bi_thu, level: xa, role: cap_truong, system: dang, vi: a, en: b, cite: s, rank: 3}", "unknown keys"),
    ("  - {code: xa.x, title_code: bi_thu, level: xa, role: cap_truong, system: dang, vi: a, en: b, cite: s, valid_from: 2026-01-02, valid_to: 2026-01-01}", "valid_to before"),
])  # fmt: skip
def test_loader_rejects_bad_entries(extra: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_catalogue(_minimal(extra))


def test_loader_is_safe_and_checks_completeness() -> None:
    with pytest.raises(ValueError, match="not safe YAML"):
        load_catalogue("!!python/object/apply:os.system ['true']")
    with pytest.raises(ValueError, match="no generic entry"):
        load_catalogue("version: 1\ncitations: {}\nentries: []\n")
    with pytest.raises(ValueError, match="version"):
        load_catalogue("[]")


def test_public_names() -> None:
    for name in titles_module.__all__:
        assert getattr(titles_module, name).__doc__ or name == "TWO_TIER_FROM"
