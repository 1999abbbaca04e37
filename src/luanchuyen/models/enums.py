"""Enumerations: ASCII Vietnamese codes, with the common spellings accepted as aliases.

Every enum value is a short ASCII code (``nam``, ``luan_chuyen``…). Parsing accepts the
code, the Vietnamese spelling with or without diacritics, and common English words; any
other value raises an :class:`~luanchuyen.errors.InputError` (code ``invalid_enum``) that
names the field and lists what is allowed.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from luanchuyen.errors import InputError

__all__ = [
    "CadreCategory",
    "CodedEnum",
    "CommitteeRole",
    "DegreeLevel",
    "DisciplineForm",
    "DisciplineKind",
    "FillMethod",
    "Gender",
    "Level",
    "MoveKind",
    "PlanningStatus",
    "PoliticalTheory",
    "PostRole",
    "Rating",
    "SoleCarerReason",
    "TitleCode",
    "fold",
    "parse_gender",
]


def fold(text: str) -> str:
    """Fold text for alias matching: NFC, lower case, no diacritics, ``đ``→``d``, ``_`` for gaps.

    >>> fold("Luân chuyển")
    'luan_chuyen'
    >>> fold("NỮ")
    'nu'
    """
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = unicodedata.normalize("NFC", text)
    for sep in (" ", "-", "–", "/", "."):
        text = text.replace(sep, "_")
    while "__" in text:
        text = text.replace("__", "_")
    return text.strip("_")


_ALIAS_TABLES: dict[type, dict[str, str]] = {}


class CodedEnum(StrEnum):
    """A string enum whose values are ASCII codes, parsed leniently through aliases."""

    __aliases__: ClassVar[dict[str, str]] = {}
    __label_vi__: ClassVar[dict[str, str]] = {}

    @classmethod
    def parse(cls, value: object, *, field: str | None = None) -> Self:
        """Return the member for ``value`` (member, code, alias), or raise ``InputError``."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            if value in cls._value2member_map_:
                return cls(value)
            key = fold(value)
            key = cls._alias_table().get(key, key)
            try:
                return cls(key)
            except ValueError:
                pass
        allowed = ", ".join(m.value for m in cls)
        # Vietnamese names the choices by their words (no class name, no bare code).
        allowed_vi = ", ".join(m.label_vi for m in cls)
        where_vi = f" cho trường «{field}»" if field else ""
        name = field or cls.__name__
        raise InputError(
            "invalid_enum",
            f"Giá trị {value!r} không hợp lệ{where_vi}; chọn một trong: {allowed_vi}",
            f"Value {value!r} is not allowed for {name}; allowed: {allowed}",
            field=field,
            details={"allowed": [m.value for m in cls], "value": repr(value)},
        )

    @classmethod
    def _alias_table(cls) -> dict[str, str]:
        cached = _ALIAS_TABLES.get(cls)
        if cached is not None:
            return cached
        table: dict[str, str] = {fold(k): v for k, v in cls.__aliases__.items()}
        for member in cls:
            code = str(member.value)
            table.setdefault(fold(code), code)
            label = cls.__label_vi__.get(code)
            if label:
                table.setdefault(fold(label), code)
        _ALIAS_TABLES[cls] = table
        return table

    @property
    def label_vi(self) -> str:
        """The Vietnamese display label."""
        code = str(self.value)
        return type(self).__label_vi__.get(code, code)

    @property
    def rank(self) -> int:
        """Position in declaration order (for ordered scales such as degrees)."""
        return list(type(self)).index(self)


E = TypeVar("E", bound=CodedEnum)


def _pydantic_parser(cls: type[E]) -> Any:
    def _parse(value: Any) -> Any:
        try:
            return cls.parse(value)
        except InputError as exc:
            raise PydanticCustomError(
                "invalid_enum",
                "{vi} / {en}",
                {"vi": exc.message_vi, "en": exc.message_en, "allowed": [m.value for m in cls]},
            ) from None

    return BeforeValidator(_parse)


class Gender(CodedEnum):
    """Giới tính / gender."""

    NAM = "nam"
    NU = "nu"
    __aliases__: ClassVar[dict[str, str]] = {
        "male": "nam", "m": "nam", "man": "nam",
        "female": "nu", "f": "nu", "woman": "nu", "nữ": "nu",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {"nam": "Nam", "nu": "Nữ"}


def parse_gender(value: object) -> Gender:
    """Parse a gender given as the enum, a code or an alias (``nam``, ``nữ``, ``male``…)."""
    return Gender.parse(value, field="gender")


class Level(CodedEnum):
    """Cấp hành chính / level of the political system."""

    TRUNG_UONG = "trung_uong"
    TINH = "tinh"
    HUYEN = "huyen"
    XA = "xa"
    __aliases__: ClassVar[dict[str, str]] = {
        "central": "trung_uong", "province": "tinh", "provincial": "tinh", "thanh_pho": "tinh",
        "district": "huyen", "quan": "huyen", "thi_xa": "huyen",
        "commune": "xa", "phuong": "xa", "ward": "xa", "dac_khu": "xa", "thi_tran": "xa",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "trung_uong": "Trung ương", "tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã",
    }  # fmt: skip


class MoveKind(CodedEnum):
    """Hình thức / kind of move."""

    LUAN_CHUYEN = "luan_chuyen"
    DIEU_DONG = "dieu_dong"
    BIET_PHAI = "biet_phai"
    CHUYEN_DOI_VI_TRI = "chuyen_doi_vi_tri"
    #: Thay đổi vị trí việc làm (NĐ 170/2025 Đ23), not the NĐ 59 periodic post change.
    THAY_DOI_VI_TRI_VIEC_LAM = "thay_doi_vi_tri_viec_lam"
    __aliases__: ClassVar[dict[str, str]] = {
        "rotation": "luan_chuyen", "transfer": "dieu_dong", "secondment": "biet_phai",
        "post_change": "chuyen_doi_vi_tri", "chuyen_doi_vi_tri_cong_tac": "chuyen_doi_vi_tri",
        "job_position_change": "thay_doi_vi_tri_viec_lam",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "luan_chuyen": "Luân chuyển", "dieu_dong": "Điều động", "biet_phai": "Biệt phái",
        "chuyen_doi_vi_tri": "Chuyển đổi vị trí công tác",
        "thay_doi_vi_tri_viec_lam": "Thay đổi vị trí việc làm",
    }  # fmt: skip


class CadreCategory(CodedEnum):
    """Cán bộ, công chức hay viên chức / the person's category in state law."""

    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"
    __aliases__: ClassVar[dict[str, str]] = {
        "cadre": "can_bo", "elected_official": "can_bo",
        "civil_servant": "cong_chuc", "public_employee": "vien_chuc",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức",
    }  # fmt: skip


class SoleCarerReason(CodedEnum):
    """Vì sao nam nuôi con dưới 36 tháng một mình (NĐ 170 Đ25.5đ) / why a man raises a child alone."""

    VO_CHET = "vo_chet"
    LY_DO_KHACH_QUAN = "ly_do_khach_quan"
    __aliases__: ClassVar[dict[str, str]] = {
        "vo_mat": "vo_chet", "wife_died": "vo_chet",
        "khac": "ly_do_khach_quan", "other": "ly_do_khach_quan",
        "ly_do_khach_quan_khac": "ly_do_khach_quan",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "vo_chet": "Vợ chết", "ly_do_khach_quan": "Lý do khách quan khác",
    }  # fmt: skip


class Rating(CodedEnum):
    """Xếp loại chất lượng hằng năm / annual quality rating (best first)."""

    HTXS = "htxs"
    HTT = "htt"
    HT = "ht"
    KHT = "kht"
    __aliases__: ClassVar[dict[str, str]] = {
        "hoan_thanh_xuat_sac_nhiem_vu": "htxs", "excellent": "htxs",
        "hoan_thanh_tot_nhiem_vu": "htt", "good": "htt",
        "hoan_thanh_nhiem_vu": "ht", "completed": "ht",
        "khong_hoan_thanh_nhiem_vu": "kht", "not_completed": "kht",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "htxs": "Hoàn thành xuất sắc nhiệm vụ", "htt": "Hoàn thành tốt nhiệm vụ",
        "ht": "Hoàn thành nhiệm vụ", "kht": "Không hoàn thành nhiệm vụ",
    }  # fmt: skip


class DisciplineForm(CodedEnum):
    """Hình thức kỷ luật / form of discipline (Party: QĐ 69; State: NĐ 112/2020, 172/2025)."""

    KHIEN_TRACH = "khien_trach"
    CANH_CAO = "canh_cao"
    HA_BAC_LUONG = "ha_bac_luong"
    GIANG_CHUC = "giang_chuc"
    CACH_CHUC = "cach_chuc"
    BAI_NHIEM = "bai_nhiem"
    BUOC_THOI_VIEC = "buoc_thoi_viec"
    KHAI_TRU = "khai_tru"
    __aliases__: ClassVar[dict[str, str]] = {
        "reprimand": "khien_trach", "warning": "canh_cao", "dismissal": "cach_chuc",
        "demotion": "giang_chuc", "expulsion": "khai_tru",
    }  # fmt: skip
    __label_vi__: ClassVar[dict[str, str]] = {
        "khien_trach": "Khiển trách", "canh_cao": "Cảnh cáo", "ha_bac_luong": "Hạ bậc lương",
        "giang_chuc": "Giáng chức", "cach_chuc": "Cách chức", "bai_nhiem": "Bãi nhiệm",
        "buoc_thoi_viec": "Buộc thôi việc", "khai_tru": "Khai trừ",
    }  # fmt: skip


class DisciplineKind(CodedEnum):
    """Loại kỷ luật: Đảng hay chính quyền / Party or State discipline."""

    DANG = "dang"
    CHINH_QUYEN = "chinh_quyen"
    __aliases__: ClassVar[dict[str, str]] = {
        "party": "dang", "state": "chinh_quyen", "administrative": "chinh_quyen",
        "hanh_chinh": "chinh_quyen",
    }  # fmt: skip


class PlanningStatus(CodedEnum):
    """Trạng thái quy hoạch / planning status."""

    ACTIVE = "dang_quy_hoach"
    REMOVED = "da_dua_ra"
    __aliases__: ClassVar[dict[str, str]] = {
        "active": "dang_quy_hoach", "in_planning": "dang_quy_hoach", "quy_hoach": "dang_quy_hoach",
        "removed": "da_dua_ra", "dua_ra_khoi_quy_hoach": "da_dua_ra",
    }  # fmt: skip


class FillMethod(CodedEnum):
    """Cách giao chức vụ / how the post is filled."""

    BAU_CU = "bau_cu"
    BO_NHIEM = "bo_nhiem"
    CHI_DINH = "chi_dinh"
    __aliases__: ClassVar[dict[str, str]] = {
        "election": "bau_cu", "elected": "bau_cu", "appointment": "bo_nhiem",
        "appointed": "bo_nhiem", "designation": "chi_dinh",
    }  # fmt: skip


class PostRole(CodedEnum):
    """Cấp trưởng, cấp phó hay khác / head, deputy or other."""

    CAP_TRUONG = "cap_truong"
    CAP_PHO = "cap_pho"
    KHAC = "khac"
    __aliases__: ClassVar[dict[str, str]] = {
        "head": "cap_truong", "truong": "cap_truong", "deputy": "cap_pho", "pho": "cap_pho",
        "other": "khac",
    }  # fmt: skip


class CommitteeRole(CodedEnum):
    """Vai trò trong cấp ủy / Party committee membership."""

    UV_BCH = "uv_bch"
    UV_BTV = "uv_btv"
    PHO_BI_THU = "pho_bi_thu"
    BI_THU = "bi_thu"
    __aliases__: ClassVar[dict[str, str]] = {
        "uy_vien_ban_chap_hanh": "uv_bch", "executive_committee": "uv_bch",
        "uy_vien_ban_thuong_vu": "uv_btv", "standing_committee": "uv_btv",
    }  # fmt: skip


class DegreeLevel(CodedEnum):
    """Trình độ chuyên môn (thấp → cao) / professional degree level (low → high)."""

    THPT = "thpt"
    TRUNG_CAP = "trung_cap"
    CAO_DANG = "cao_dang"
    DAI_HOC = "dai_hoc"
    THAC_SI = "thac_si"
    TIEN_SI = "tien_si"
    __aliases__: ClassVar[dict[str, str]] = {
        "trung_hoc_pho_thong": "thpt", "high_school": "thpt", "college": "cao_dang",
        "university": "dai_hoc", "bachelor": "dai_hoc", "master": "thac_si", "phd": "tien_si",
    }  # fmt: skip


class PoliticalTheory(CodedEnum):
    """Trình độ lý luận chính trị (thấp → cao) / political-theory level (low → high)."""

    SO_CAP = "so_cap"
    TRUNG_CAP = "trung_cap"
    CAO_CAP = "cao_cap"
    __aliases__: ClassVar[dict[str, str]] = {
        "cu_nhan": "cao_cap", "cu_nhan_ly_luan_chinh_tri": "cao_cap", "elementary": "so_cap",
        "intermediate": "trung_cap", "advanced": "cao_cap",
    }  # fmt: skip


class TitleCode(CodedEnum):
    """Mã chức danh thường gặp / common title codes (free text goes in ``title``)."""

    BI_THU = "bi_thu"
    PHO_BI_THU = "pho_bi_thu"
    PHO_BI_THU_THUONG_TRUC = "pho_bi_thu_thuong_truc"
    PHO_BI_THU_CHU_TICH_UBND = "pho_bi_thu_chu_tich_ubnd"
    UV_BTV = "uv_btv"
    UV_BCH = "uv_bch"
    CHU_TICH_HDND = "chu_tich_hdnd"
    PHO_CHU_TICH_HDND = "pho_chu_tich_hdnd"
    CHU_TICH_UBND = "chu_tich_ubnd"
    PHO_CHU_TICH_UBND = "pho_chu_tich_ubnd"
    CHU_TICH_MTTQ = "chu_tich_mttq"
    TRUONG_DOAN_THE = "truong_doan_the"
    PHO_TRUONG_DOAN_THE = "pho_truong_doan_the"
    GIAM_DOC_SO = "giam_doc_so"
    PHO_GIAM_DOC_SO = "pho_giam_doc_so"
    TRUONG_BAN = "truong_ban"
    PHO_TRUONG_BAN = "pho_truong_ban"
    TRUONG_PHONG = "truong_phong"
    PHO_TRUONG_PHONG = "pho_truong_phong"
    CHANH_VAN_PHONG = "chanh_van_phong"
    PHO_CHANH_VAN_PHONG = "pho_chanh_van_phong"
    CHU_NHIEM_UBKT = "chu_nhiem_ubkt"
    PHO_CHU_NHIEM_UBKT = "pho_chu_nhiem_ubkt"
    GIAM_DOC_TRUNG_TAM = "giam_doc_trung_tam"
    PHO_GIAM_DOC_TRUNG_TAM = "pho_giam_doc_trung_tam"
    CONG_CHUC = "cong_chuc"
    KHAC = "khac"
    __aliases__: ClassVar[dict[str, str]] = {
        "bi_thu_dang_uy": "bi_thu", "bi_thu_huyen_uy": "bi_thu", "secretary": "bi_thu",
        "pho_bi_thu_chu_tich": "pho_bi_thu_chu_tich_ubnd",
        "uy_vien_ban_thuong_vu": "uv_btv", "uy_vien_ban_chap_hanh": "uv_bch",
        "chu_tich_uy_ban_nhan_dan": "chu_tich_ubnd", "pho_chu_tich_uy_ban_nhan_dan": "pho_chu_tich_ubnd",
        "chu_tich_hoi_dong_nhan_dan": "chu_tich_hdnd",
        "pho_chu_tich_hoi_dong_nhan_dan": "pho_chu_tich_hdnd",
        "chu_tich_uy_ban_mttq": "chu_tich_mttq", "giam_doc": "giam_doc_so",
        "pho_giam_doc": "pho_giam_doc_so", "other": "khac",
        "chu_nhiem_uy_ban_kiem_tra": "chu_nhiem_ubkt",
        "pho_chu_nhiem_uy_ban_kiem_tra": "pho_chu_nhiem_ubkt",
    }  # fmt: skip


# Annotated types used in the models: lenient parsing, precise bilingual errors.
GenderField = Annotated[Gender, _pydantic_parser(Gender)]
LevelField = Annotated[Level, _pydantic_parser(Level)]
MoveKindField = Annotated[MoveKind, _pydantic_parser(MoveKind)]
RatingField = Annotated[Rating, _pydantic_parser(Rating)]
DisciplineFormField = Annotated[DisciplineForm, _pydantic_parser(DisciplineForm)]
DisciplineKindField = Annotated[DisciplineKind, _pydantic_parser(DisciplineKind)]
PlanningStatusField = Annotated[PlanningStatus, _pydantic_parser(PlanningStatus)]
FillMethodField = Annotated[FillMethod, _pydantic_parser(FillMethod)]
PostRoleField = Annotated[PostRole, _pydantic_parser(PostRole)]
CommitteeRoleField = Annotated[CommitteeRole, _pydantic_parser(CommitteeRole)]
DegreeLevelField = Annotated[DegreeLevel, _pydantic_parser(DegreeLevel)]
PoliticalTheoryField = Annotated[PoliticalTheory, _pydantic_parser(PoliticalTheory)]
TitleCodeField = Annotated[TitleCode, _pydantic_parser(TitleCode)]
CadreCategoryField = Annotated[CadreCategory, _pydantic_parser(CadreCategory)]
SoleCarerReasonField = Annotated[SoleCarerReason, _pydantic_parser(SoleCarerReason)]
