"""Danh mục cột / the column catalogue: canonical Vietnamese headers, fields, kinds and aliases.

Every column of the three layouts (flat, cadre, position) has one canonical Vietnamese header,
the model field it fills, how its cells are read, and the other names boards write for it:
the headers of real lists ("Họ và tên", "Ngày tháng năm sinh", "Chức vụ, đơn vị công tác"),
the items of the Mẫu 2C forms, and snake_case names of HR exports and databases
(``ho_ten``, ``ngay_sinh``, ``so_dinh_danh_ca_nhan``). A header matches with or without
diacritics, in any case and with any punctuation (:func:`header_key`); the English field path
(``current_post.level``) is accepted too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from luanchuyen.models.enums import CodedEnum, fold

__all__ = [
    "AS_OF_COLUMN",
    "CADRE_COLUMNS",
    "FLAT_COLUMNS",
    "ID_PATH",
    "IGNORED_HEADERS",
    "MOVE_COLUMNS",
    "POSITION_COLUMNS",
    "RATING_HEADER",
    "Column",
    "ColumnKind",
    "LayoutKind",
    "enum_for",
    "header_key",
    "lookup",
    "rating_binding",
    "target_header",
]

ColumnKind = Literal[
    "text", "code", "date", "birth", "bool", "int", "allowance", "discipline", "title"
]
LayoutKind = Literal["flat", "cadre", "position"]


@dataclass(frozen=True, slots=True)
class Column:
    """One spreadsheet column: its Vietnamese header, the model field and how to read a cell.

    Attributes:
        header: the canonical Vietnamese header.
        path: dotted field path; ``[]`` marks a list item (``cadre.planning[].level``).
        kind: ``text``; ``title`` (free-text title, matched to a title code); ``code`` (an enum
            code or alias); ``date`` (also month/year or year alone, precision recorded);
            ``birth`` (date of birth); ``bool``; ``int``; ``allowance`` (a coefficient such as
            ``0,3`` or the value × 100); ``discipline`` (a form, optionally with its system and
            date: ``Cảnh cáo Đảng 8/2023``).
        en: what the column holds, in English.
        aliases: other accepted headers.
    """

    header: str
    path: str
    kind: ColumnKind
    en: str
    aliases: tuple[str, ...] = ()

    @property
    def group(self) -> str | None:
        """The list the column belongs to (``cadre.planning``), or ``None``."""
        return self.path.split("[]")[0] if "[]" in self.path else None

    @property
    def leaf(self) -> str:
        """The field inside a list item (``level``), or the last path component."""
        return self.path.split("[].")[1] if "[]" in self.path else self.path.rsplit(".", 1)[-1]

    @property
    def field(self) -> str:
        """The dotted field path without list marks (``cadre.planning.level``)."""
        return self.path.replace("[]", "")


def _c(header: str, path: str, kind: ColumnKind, en: str, *aliases: str) -> Column:
    return Column(header, path, kind, en, tuple(aliases))


#: The cadre id. Not required: without it the STT column, else the row number, is the id.
ID_PATH: Final = "cadre.id"

#: Cadre columns (flat and cadre layouts).
CADRE_COLUMNS: Final[tuple[Column, ...]] = (
    _c("Mã cán bộ", "cadre.id", "text", "Cadre id (default: STT, else the row number)", "Mã CB", "Số hiệu cán bộ", "Số hiệu", "Mã số cán bộ", "Số định danh cá nhân", "so_dinh_danh_ca_nhan", "Mã định danh", "Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "ma_can_bo"),
    _c("Họ và tên", "cadre.name", "text", "Full name (required)", "Họ tên", "ho_ten", "Họ và tên khai sinh", "Họ tên khai sinh", "Họ và tên cán bộ", "Tên cán bộ", "Họ và tên đang dùng"),
    _c("Giới tính", "cadre.gender", "code", "Gender: Nam / Nữ (required)", "Nam/Nữ", "Nam, nữ", "Phái"),
    _c("Ngày sinh", "cadre.date_of_birth", "birth", "Date of birth: dd/mm/yyyy, mm/yyyy or yyyy (required)", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "Năm sinh", "Ngày/tháng/năm sinh"),
    _c("Dân tộc", "cadre.ethnicity", "text", "Ethnicity (Kinh, Tày, Nùng…)"),
    _c("Dân tộc thiểu số", "cadre.ethnic_minority", "bool", "Ethnic minority", "Là người dân tộc thiểu số", "DTTS"),
    _c("Đảng viên", "cadre.party_member", "bool", "Party member", "la_dang_vien", "Là đảng viên"),
    _c("Công chức", "cadre.civil_servant", "bool", "Civil servant", "la_cong_chuc", "Là công chức"),
    _c("Cán bộ/công chức/viên chức", "cadre.category", "code", "Category: Cán bộ / Công chức / Viên chức (chooses the state rules that bind)", "Loại cán bộ, công chức, viên chức", "Phân loại"),
    _c("Giữ chức vụ do bầu cử", "cadre.elected", "bool", "Holds an elected term post", "Bầu cử"),
    _c("Người địa phương", "cadre.local_origin", "bool", "Local person", "la_nguoi_dia_phuong", "Là người địa phương"),
    _c("Số nhiệm kỳ liên tiếp là người đứng đầu", "cadre.consecutive_terms_as_head", "int", "Consecutive terms as head", "so_nhiem_ky_dung_dau"),
    _c("Tuổi nghỉ hưu riêng (tháng)", "cadre.retirement_age_override_months", "int", "Own retirement age in months (NĐ 83/2022…)"),
    _c("Lý do tuổi nghỉ hưu riêng", "cadre.retirement_override_reason", "text", "Reason for the own retirement age"),
    _c("Chức vụ hiện tại", "cadre.current_post.title", "title", "Current post, free text (read into a title code, level and locality)", "Chức vụ", "chuc_vu_hien_tai", "chuc_vu", "Chức vụ, đơn vị công tác", "Chức vụ, đơn vị công tác hiện tại", "Chức vụ hiện nay", "Chức vụ (Đảng, đoàn thể, chính quyền, kể cả kiêm nhiệm)", "Chức vụ Đảng, chính quyền, đoàn thể", "Chức danh hiện tại", "Chức vụ, chức danh"),
    _c("Mã chức danh hiện tại", "cadre.current_post.title_code", "code", "Current title code (pho_truong_phong…)", "ma_chuc_danh"),
    _c("Mã danh mục chức vụ hiện tại", "cadre.current_post.post_code", "text", "Current post's title-catalogue code (xa.truong_phong_kinh_te…)"),
    _c("Đơn vị hiện tại", "cadre.current_post.body", "text", "Current unit", "Cơ quan, đơn vị hiện tại", "Đơn vị công tác", "Cơ quan, đơn vị công tác", "Nơi công tác", "co_quan", "don_vi", "Cơ quan công tác"),
    _c("Cấp hiện tại", "cadre.current_post.level", "code", "Current level: Tỉnh / Huyện / Xã", "cap"),
    _c("Giữ chức vụ từ ngày", "cadre.current_post.since", "date", "In the current post since", "Ngày bổ nhiệm", "Ngày giữ chức vụ", "ngay_bat_dau", "ngay_bo_nhiem", "Thời gian giữ chức vụ", "Ngày bổ nhiệm, bầu cử"),
    _c("Cấp trưởng/phó", "cadre.current_post.role", "code", "Head / deputy / other", "Cấp trưởng/phó (hiện tại)"),
    _c("Bầu cử/bổ nhiệm (hiện tại)", "cadre.current_post.fill_method", "code", "How the current post is filled"),
    _c("Bậc chức vụ hiện tại", "cadre.current_post.rank", "int", "Equivalence rank of the current post"),
    _c("Phụ cấp chức vụ hiện tại (×100)", "cadre.current_post.allowance", "allowance", "Current position allowance (0,3 or 30)", "Phụ cấp chức vụ", "phu_cap_cv", "phu_cap_chuc_vu", "Hệ số phụ cấp chức vụ"),
    _c("Địa bàn hiện tại", "cadre.current_post.locality", "text", "Current locality"),
    _c("Vị trí hiện tại thuộc danh mục chuyển đổi định kỳ", "cadre.current_post.on_post_change_list", "bool", "Current post is on the periodic post-change list (NĐ 59)"),
    _c("Cấp ủy (cấp)", "cadre.committee_memberships[].level", "code", "Party committee: level"),
    _c("Cấp ủy (vai trò)", "cadre.committee_memberships[].role", "code", "Party committee: role (uv_bch, uv_btv…)"),
    _c("Cấp ủy (nhiệm kỳ)", "cadre.committee_memberships[].term", "text", "Party committee: term"),
    _c("Quy hoạch (chức danh)", "cadre.planning[].title", "title", "Planned title, free text", "Chức danh quy hoạch", "Quy hoạch", "quy_hoach_chuc_danh", "Quy hoạch chức danh"),
    _c("Mã chức danh quy hoạch", "cadre.planning[].title_code", "code", "Planned title code"),
    _c("Cấp quy hoạch", "cadre.planning[].level", "code", "Planned level"),
    _c("Nhiệm kỳ quy hoạch", "cadre.planning[].term", "text", "Planning term", "quy_hoach_nhiem_ky"),
    _c("Ngày phê duyệt quy hoạch", "cadre.planning[].approved_on", "date", "Planning approval date", "quy_hoach_ngay_quyet_dinh", "Ngày quyết định quy hoạch"),
    _c("Trạng thái quy hoạch", "cadre.planning[].status", "code", "Planning status", "quy_hoach_trang_thai"),
    _c("Kỷ luật (hình thức)", "cadre.disciplines[].form", "discipline", "Discipline form, optionally with its system and date («Cảnh cáo Đảng 8/2023»)", "Kỷ luật", "Hình thức kỷ luật", "hinh_thuc_ky_luat", "ky_luat", "ky_luat_hinh_thuc"),
    _c("Loại kỷ luật", "cadre.disciplines[].kind", "code", "Party (Đảng) or State (Chính quyền)", "ky_luat_he_thong", "Hệ thống kỷ luật", "Kỷ luật Đảng/chính quyền"),
    _c("Ngày kỷ luật", "cadre.disciplines[].decision_date", "date", "Discipline decision date", "Ngày quyết định kỷ luật", "Thời gian kỷ luật", "Năm kỷ luật", "ky_luat_ngay_quyet_dinh"),
    _c("Ngày hiệu lực kỷ luật", "cadre.disciplines[].effective_date", "date", "Discipline effective date", "ky_luat_ngay_hieu_luc"),
    _c("Đang xem xét kỷ luật", "cadre.under_disciplinary_review", "bool", "Under disciplinary review", "ky_luat_dang_xem_xet", "dang_xem_xet_ky_luat"),
    _c("Đang bị điều tra", "cadre.under_investigation", "bool", "Under inspection or investigation", "Đang bị thanh tra, kiểm tra, điều tra"),
    _c("Đang bị truy cứu trách nhiệm hình sự", "cadre.criminal_proceedings", "bool", "Prosecuted, investigated or on trial", "Đang bị điều tra, truy tố, xét xử"),
    _c("Đang điều trị bệnh hiểm nghèo", "cadre.serious_illness", "bool", "Treated for a serious illness (NĐ 170 Đ25.5c)", "Bệnh hiểm nghèo"),
    _c("Đang đi học dài hạn", "cadre.long_term_study", "bool", "On long-term study (NĐ 170 Đ25.5d)", "Đi học dài hạn"),
    _c("Đang được biệt phái", "cadre.currently_seconded", "bool", "Currently seconded (default: from the rotation history)", "Đang biệt phái"),
    _c("Hoàn cảnh đặc biệt khó khăn", "cadre.special_hardship", "bool", "Especially difficult circumstances certified by the head (NĐ 170 Đ25.5e)"),
    _c("Trình độ chuyên môn", "cadre.degree", "code", "Degree (Đại học, Thạc sĩ…)", "Trình độ chuyên môn cao nhất", "trinh_do_chuyen_mon_cao_nhat", "Chuyên môn", "Trình độ đào tạo"),
    _c("Lý luận chính trị", "cadre.political_theory", "code", "Political theory (Trung cấp, Cao cấp…)", "Trình độ lý luận chính trị", "LLCT", "ly_luan_chinh_tri"),
    _c("Giấy khám sức khỏe ngày", "cadre.health.issued_on", "date", "Health certificate date", "Ngày khám sức khỏe", "ngay_giay_kham", "suc_khoe_ngay_giay_kham", "Ngày giấy khám sức khỏe"),
    _c("Đủ sức khỏe", "cadre.health.fit", "bool", "Fit according to the certificate", "du_suc_khoe", "Đủ sức khỏe công tác"),
    _c("Có con", "cadre.family.has_children", "bool", "Has children"),
    _c("Ngày sinh con nhỏ nhất", "cadre.family.youngest_child_date_of_birth", "date", "Youngest child's date of birth", "con_ngay_sinh"),
    _c("Mang thai", "cadre.family.pregnant", "bool", "Pregnant", "Đang mang thai"),
    _c("Nuôi con một mình", "cadre.family.sole_carer", "bool", "Man raising a child alone"),
    _c("Lý do nuôi con một mình", "cadre.family.sole_carer_reason", "code", "Why: Vợ chết / Lý do khách quan khác (NĐ 170 Đ25.5đ)"),
    _c("Nghỉ thai sản", "cadre.family.maternity_leave", "bool", "On maternity leave", "Đang nghỉ thai sản"),
    _c("Hình thức (quá trình)", "cadre.rotation_history[].kind", "code", "Luân chuyển (default) or Biệt phái"),
    _c("Bắt đầu luân chuyển", "cadre.rotation_history[].start", "date", "Rotation start"),
    _c("Kết thúc luân chuyển", "cadre.rotation_history[].end", "date", "Rotation end"),
    _c("Luân chuyển từ", "cadre.rotation_history[].from_post", "text", "Rotated from (post)"),
    _c("Luân chuyển đến", "cadre.rotation_history[].to_post", "text", "Rotated to (post)"),
)  # fmt: skip

#: Move columns (flat layout): the kind, the target post and the move's dates and flags.
MOVE_COLUMNS: Final[tuple[Column, ...]] = (
    _c("Hình thức", "move.kind", "code", "Kind: Luân chuyển / Điều động / Biệt phái / Chuyển đổi vị trí công tác (required)", "Hình thức điều động", "Hình thức bố trí", "hinh_thuc"),
    _c("Mã vị trí đến", "move.target.id", "text", "Target position id"),
    _c("Vị trí đến", "move.target.title", "title", "Target post, free text (required)", "Chức danh đến", "Chức vụ đến", "Chức vụ dự kiến", "Vị trí dự kiến", "Dự kiến bố trí", "Chức danh dự kiến", "chuc_vu_du_kien"),
    _c("Mã chức danh đến", "move.target.title_code", "code", "Target title code"),
    _c("Mã danh mục chức danh đến", "move.target.post_code", "text", "Target post's title-catalogue code"),
    _c("Đơn vị đến", "move.target.body", "text", "Target unit", "Nơi đến", "Đơn vị dự kiến", "Cơ quan, đơn vị đến"),
    _c("Cấp đến", "move.target.level", "code", "Target level (required; read from the title when empty)"),
    _c("Cấp trưởng/phó (đến)", "move.target.role", "code", "Target head / deputy / other"),
    _c("Bầu cử/bổ nhiệm (đến)", "move.target.fill_method", "code", "How the target post is filled"),
    _c("Bậc chức vụ đến", "move.target.rank", "int", "Equivalence rank of the target post"),
    _c("Phụ cấp chức vụ đến (×100)", "move.target.allowance", "allowance", "Target position allowance (0,3 or 30)"),
    _c("Chức danh chủ chốt cấp xã", "move.target.key_commune_post", "bool", "Key commune post"),
    _c("Vị trí còn khuyết", "move.target.vacant", "bool", "Target post is vacant"),
    _c("Chức danh tạo thêm để luân chuyển", "move.target.created_for_move", "bool", "Post created for the move"),
    _c("Địa bàn đến", "move.target.locality", "text", "Target locality"),
    _c("Thuộc danh mục chuyển đổi định kỳ", "move.target.on_post_change_list", "bool", "On the periodic post-change list"),
    _c("Yêu cầu trình độ chuyên môn", "move.target.required_degree", "code", "Required degree"),
    _c("Yêu cầu lý luận chính trị", "move.target.required_political_theory", "code", "Required political theory"),
    _c("Ngày quyết định", "move.decision_date", "date", "Decision date (reference date; default: as-of date)"),
    _c("Dự kiến bắt đầu", "move.planned_start", "date", "Planned start"),
    _c("Dự kiến kết thúc", "move.planned_end", "date", "Planned end"),
    _c("Trường hợp đặc biệt", "move.special_case_requested", "bool", "Special case requested (default: không)"),
    _c("Luân chuyển theo chủ trương", "move.policy_case", "bool", "Non-local / two-term policy rotation (default: không)"),
    _c("Tái cử", "move.re_election", "bool", "Re-election to the Party committee"),
    _c("Sang đơn vị khác", "move.cross_unit", "bool", "Move to another unit"),
    _c("Cần tiếp nhận vào công chức", "move.requires_civil_service_intake", "bool", "Needs intake as a civil servant"),
    _c("Phù hợp vị trí việc làm", "move.job_position_fit", "bool", "Fits the job position"),
    _c("Nơi đi đã nhận xét, đánh giá", "move.sending_unit_assessed", "bool", "Sending unit has assessed"),
    _c("Tự nguyện đề nghị", "move.own_request", "bool", "The person asked for the move (NĐ 170 Đ25.5đ, e)", "Tự nguyện"),
    _c("Trường hợp khác do người đứng đầu quyết định", "move.head_other_bar", "bool", "The head names another case against the move (NĐ 170 Đ25.5g)"),
    _c("Ghi chú", "move.note", "text", "Note"),
)  # fmt: skip

#: The optional per-row evaluation date (overrides ``as_of`` of the batch).
AS_OF_COLUMN: Final[Column] = _c(
    "Ngày đánh giá", "as_of", "date", "Evaluation date for this row (default: the batch as_of)"
)

#: Position columns (position layout); the flat layout's ``… đến`` headers are accepted too.
POSITION_COLUMNS: Final[tuple[Column, ...]] = (
    _c("Mã vị trí", "position.id", "text", "Position id"),
    _c("Vị trí", "position.title", "title", "Title, free text (required)", "Tên vị trí", "Chức danh", "Tên chức danh", "Chức vụ"),
    _c("Mã chức danh", "position.title_code", "code", "Title code"),
    _c("Mã danh mục chức danh", "position.post_code", "text", "Title-catalogue code (xa.truong_phong_kinh_te…)"),
    _c("Đơn vị", "position.body", "text", "Unit", "Cơ quan, đơn vị"),
    _c("Cấp", "position.level", "code", "Level (required; read from the title when empty)"),
    _c("Cấp trưởng/phó", "position.role", "code", "Head / deputy / other"),
    _c("Bầu cử/bổ nhiệm", "position.fill_method", "code", "How the post is filled"),
    _c("Bậc chức vụ", "position.rank", "int", "Equivalence rank"),
    _c("Phụ cấp chức vụ (×100)", "position.allowance", "allowance", "Position allowance (0,3 or 30)", "Phụ cấp chức vụ"),
    _c("Chức danh chủ chốt cấp xã", "position.key_commune_post", "bool", "Key commune post"),
    _c("Còn khuyết", "position.vacant", "bool", "Vacant", "Vị trí còn khuyết"),
    _c("Chức danh tạo thêm để luân chuyển", "position.created_for_move", "bool", "Post created for the move"),
    _c("Địa bàn", "position.locality", "text", "Locality"),
    _c("Thuộc danh mục chuyển đổi định kỳ", "position.on_post_change_list", "bool", "On the periodic post-change list"),
    _c("Yêu cầu trình độ chuyên môn", "position.required_degree", "code", "Required degree"),
    _c("Yêu cầu lý luận chính trị", "position.required_political_theory", "code", "Required political theory"),
)  # fmt: skip

#: Every column of the flat layout.
FLAT_COLUMNS: Final = (*CADRE_COLUMNS, *MOVE_COLUMNS, AS_OF_COLUMN)

#: Header keys skipped without a warning (row numbers); ``STT`` may stand in for the id.
IGNORED_HEADERS: Final = frozenset({"stt", "so_thu_tu", "tt", "dong", "so_tt"})

#: The rating column of one year.
RATING_HEADER: Final = "Xếp loại {year}"
_RATING_RE = re.compile(
    r"^(?:xep_loai|danh_gia|danh_gia_xep_loai|xep_loai_chat_luong|danh_gia_xep_loai_chat_luong|"
    r"xep_loai_danh_gia)(?:_(?:nam|can_bo))?_((?:19|20)\d{2})$"
)
_RATING_PREVIOUS = frozenset(
    {"xep_loai_nam_truoc", "danh_gia_nam_truoc", "xep_loai_nam_lien_truoc"}
)


@functools.lru_cache(maxsize=8192)
def header_key(header: str) -> str:
    """Normalise a header: no diacritics, lower case, every non-alphanumeric run → ``_``.

    >>> header_key("Ngày, tháng, năm sinh")
    'ngay_thang_nam_sinh'
    """
    return re.sub(r"[^a-z0-9]+", "_", fold(str(header))).strip("_")


def rating_binding(key: str) -> int | Literal["previous"] | None:
    """The year a rating header names (``Xếp loại 2023`` → 2023), ``"previous"``, or ``None``."""
    if key in _RATING_PREVIOUS:
        return "previous"
    m = _RATING_RE.match(key)
    return int(m.group(1)) if m else None


def _short_path(path: str) -> str:
    for prefix in ("cadre.", "move.", "position."):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def _lookup(columns: Iterable[Column]) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in columns:  # canonical headers first: an alias never hides another column's header
        table.setdefault(header_key(col.header), col)
    for col in columns:
        for name in (*col.aliases, col.field, _short_path(col.field)):
            table.setdefault(header_key(name), col)
    return table


_TARGET_AS_POSITION: Final = {
    c.path: "position." + c.path.removeprefix("move.target.")
    for c in MOVE_COLUMNS
    if c.path.startswith("move.target.")
}
_POSITION_BY_PATH: Final = {c.path: c for c in POSITION_COLUMNS}
_LOOKUPS: Final[dict[LayoutKind, dict[str, Column]]] = {
    "flat": _lookup(FLAT_COLUMNS),
    "cadre": _lookup((*CADRE_COLUMNS, AS_OF_COLUMN)),
    "position": {
        **{
            k: _POSITION_BY_PATH[_TARGET_AS_POSITION[c.path]]
            for k, c in _lookup(MOVE_COLUMNS).items()
            if c.path in _TARGET_AS_POSITION
        },
        **_lookup(POSITION_COLUMNS),
    },
}
HEADER_BY_PATH: Final[dict[str, str]] = {
    c.path: c.header for c in (*FLAT_COLUMNS, *POSITION_COLUMNS)
}


def lookup(kind: LayoutKind) -> dict[str, Column]:
    """Header key → column for one layout (canonical headers, aliases and field paths)."""
    return _LOOKUPS[kind]


def target_header(column: Column) -> str:
    """The flat-layout header (``Cấp đến``…) of a position column (``Cấp``…)."""
    path = "move.target." + column.path.removeprefix("position.")
    return HEADER_BY_PATH.get(path, column.header)


@functools.cache
def _enum_fields() -> dict[str, type[CodedEnum]]:
    from luanchuyen.models import enums as e

    by_leaf: dict[str, type[CodedEnum]] = {
        "gender": e.Gender,
        "level": e.Level,
        "role": e.PostRole,
        "title_code": e.TitleCode,
        "fill_method": e.FillMethod,
        "status": e.PlanningStatus,
        "form": e.DisciplineForm,
        "degree": e.DegreeLevel,
        "required_degree": e.DegreeLevel,
        "political_theory": e.PoliticalTheory,
        "required_political_theory": e.PoliticalTheory,
    }
    out: dict[str, type[CodedEnum]] = {}
    for col in (*FLAT_COLUMNS, *POSITION_COLUMNS):
        if col.kind in {"code", "discipline"} and col.leaf in by_leaf:
            out[col.path] = by_leaf[col.leaf]
    out["cadre.committee_memberships[].role"] = e.CommitteeRole
    out["cadre.disciplines[].kind"] = e.DisciplineKind
    out["move.kind"] = e.MoveKind
    out["cadre.category"] = e.CadreCategory
    out["cadre.family.sole_carer_reason"] = e.SoleCarerReason
    out["cadre.rotation_history[].kind"] = e.MoveKind
    return out


def enum_for(path: str) -> type[CodedEnum] | None:
    """The enum a code column parses into (``cadre.gender`` → :class:`Gender`), if any."""
    return _enum_fields().get(path)
