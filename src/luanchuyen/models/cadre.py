"""The cadre (cán bộ, công chức, viên chức) and the records the rules read."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Self

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from luanchuyen.models._types import MODEL_CONFIG, Text, VnDate
from luanchuyen.models.checks import enforce
from luanchuyen.models.enums import (
    CadreCategoryField,
    CommitteeRoleField,
    DegreeLevelField,
    DisciplineFormField,
    DisciplineKind,
    DisciplineKindField,
    FillMethodField,
    GenderField,
    LevelField,
    MoveKind,
    MoveKindField,
    PlanningStatus,
    PlanningStatusField,
    PoliticalTheoryField,
    PostRole,
    PostRoleField,
    RatingField,
    SoleCarerReasonField,
    TitleCodeField,
)
from luanchuyen.models.position import PostCode
from luanchuyen.models.titles import fill_from_post_code

__all__ = [
    "Cadre",
    "CommitteeMembership",
    "CurrentPost",
    "Discipline",
    "Family",
    "HealthCertificate",
    "HeldPost",
    "PlanningEntry",
    "RatingRecord",
    "RotationRecord",
]


class HeldPost(BaseModel):
    """Một chức vụ khác đang giữ cùng lúc / another post held at the same time.

    Quy định 368-QĐ/TW: a person with several posts is ranked by the highest of them.
    """

    model_config = MODEL_CONFIG

    title: Text | None = Field(None, description="Tên chức vụ / title, free text")
    title_code: TitleCodeField | None = Field(None, description="Mã chức danh / title code")
    post_code: PostCode | None = Field(None, description="Mã trong danh mục / catalogue code")
    level: LevelField = Field(description="Cấp / level")
    rank: int | None = Field(None, ge=0, le=100, description="Bậc tương đương / equivalence rank")
    role: PostRoleField = Field(PostRole.KHAC, description="Cấp trưởng/cấp phó / head or deputy")

    @model_validator(mode="before")
    @classmethod
    def _from_post_code(cls, data: Any) -> Any:
        return fill_from_post_code(data)


class CurrentPost(BaseModel):
    """Chức vụ hiện tại / the post the cadre holds now."""

    model_config = MODEL_CONFIG

    title: Text = Field(description="Tên chức vụ / title, free text")
    title_code: TitleCodeField | None = Field(None, description="Mã chức danh / title code")
    post_code: PostCode | None = Field(None, description="Mã trong danh mục / catalogue code")
    body: Text | None = Field(None, description="Cơ quan, đơn vị / body or unit")
    level: LevelField = Field(description="Cấp / level: trung_uong, tinh, huyen, xa")
    rank: int | None = Field(
        None, ge=0, le=100, description="Bậc tương đương để so sánh / equivalence rank"
    )
    since: VnDate | None = Field(None, description="Giữ chức vụ từ ngày / in this post since")
    role: PostRoleField = Field(PostRole.KHAC, description="Cấp trưởng/cấp phó / head or deputy")
    fill_method: FillMethodField | None = Field(None, description="Bầu cử/bổ nhiệm / how filled")
    locality: Text | None = Field(None, description="Địa bàn / locality")
    allowance: int | None = Field(
        None, ge=0, description="Hệ số phụ cấp chức vụ × 100 / position allowance × 100"
    )
    on_post_change_list: bool | None = Field(
        None, description="Thuộc danh mục định kỳ chuyển đổi (NĐ 59) / on the post-change list"
    )
    other_posts: list[HeldPost] = Field(
        default_factory=list,
        description=(
            "Các chức vụ khác đang giữ đồng thời (QĐ 368: xếp theo chức vụ cao nhất) / other "
            "posts held at the same time (ranked by the highest)"
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _from_post_code(cls, data: Any) -> Any:
        return fill_from_post_code(data)


class CommitteeMembership(BaseModel):
    """Tham gia cấp ủy / Party committee membership."""

    model_config = MODEL_CONFIG

    level: LevelField
    role: CommitteeRoleField
    term: Text | None = Field(None, description="Nhiệm kỳ, ví dụ 2020-2025 / term")


class PlanningEntry(BaseModel):
    """Quy hoạch chức danh / planning entry for a leadership post."""

    model_config = MODEL_CONFIG

    title: Text | None = Field(None, description="Chức danh quy hoạch / planned title")
    title_code: TitleCodeField | None = None
    level: LevelField
    term: Text | None = Field(None, description="Nhiệm kỳ quy hoạch / planning term")
    status: PlanningStatusField = PlanningStatus.ACTIVE
    approved_on: VnDate | None = Field(None, description="Ngày phê duyệt / date approved")


class Discipline(BaseModel):
    """Kỷ luật / a discipline record (Party or State)."""

    model_config = MODEL_CONFIG

    form: DisciplineFormField
    kind: DisciplineKindField = DisciplineKind.DANG
    decision_date: VnDate = Field(description="Ngày quyết định / decision date")
    effective_date: VnDate | None = Field(
        None, description="Ngày có hiệu lực (mặc định = ngày quyết định) / effective date"
    )

    @property
    def effective(self) -> date:
        """The date the discipline takes effect (the decision date when not given)."""
        return self.effective_date or self.decision_date


class HealthCertificate(BaseModel):
    """Giấy khám sức khỏe / health certificate."""

    model_config = MODEL_CONFIG

    issued_on: VnDate
    fit: bool


class Family(BaseModel):
    """Hoàn cảnh gia đình mà quy tắc cần / family facts the rules need."""

    model_config = MODEL_CONFIG

    pregnant: bool | None = Field(None, description="Đang mang thai / pregnant")
    has_children: bool | None = Field(None, description="Có con / has children")
    youngest_child_date_of_birth: VnDate | None = Field(
        None, description="Ngày sinh con nhỏ nhất / youngest child's date of birth"
    )
    sole_carer: bool | None = Field(
        None, description="Nam nuôi con một mình (NĐ 59 Đ39) / man raising a child alone"
    )
    sole_carer_reason: SoleCarerReasonField | None = Field(
        None,
        description=(
            "Lý do nam nuôi con dưới 36 tháng một mình: vợ chết hoặc lý do khách quan khác "
            "(NĐ 170 Đ25.5đ) / why the man raises the child alone"
        ),
    )
    maternity_leave: bool | None = Field(
        None, description="Đang nghỉ chế độ thai sản / on maternity leave"
    )

    @model_validator(mode="after")
    def _reason(self) -> Self:
        enforce(self, "Family")
        return self


class RotationRecord(BaseModel):
    """Quá trình luân chuyển / a rotation in the cadre's history."""

    model_config = MODEL_CONFIG

    kind: MoveKindField = Field(
        MoveKind.LUAN_CHUYEN,
        description="Luân chuyển (mặc định) hay biệt phái / rotation (default) or secondment",
    )
    from_post: Text | None = None
    to_post: Text | None = None
    start: VnDate
    end: VnDate | None = None
    ratings: dict[int, RatingField] = Field(
        default_factory=dict, description="Xếp loại trong thời gian luân chuyển / ratings"
    )

    @model_validator(mode="after")
    def _order(self) -> Self:
        enforce(self, "RotationRecord")
        return self


class RatingRecord(BaseModel):
    """Một lần đánh giá, xếp loại / one quality review, by band or by points.

    A ``score`` (0–100, Quy định 366-QĐ/TW from 30/08/2025) gives the band through the dated
    parameter ``rating_score_bands``; a review before that date needs its ``band``. The review
    date decides the regime: ``reviewed_on``, else 31/12 of the rated ``year``.
    """

    model_config = MODEL_CONFIG

    year: int = Field(ge=1990, le=2100, description="Năm được đánh giá / the rated year")
    band: RatingField | None = Field(None, description="Mức xếp loại / the band, if stated")
    score: float | None = Field(None, ge=0, le=100, description="Điểm (thang 100) / points")
    reviewed_on: VnDate | None = Field(None, description="Ngày đánh giá / date of the review")
    htxs_conditions_met: bool | None = Field(
        None,
        description=(
            "Đủ điều kiện thêm của mức HTXS (QĐ 366: ≥ 30% nhiệm vụ vượt, không có kỷ luật) / "
            "the extra HTXS conditions hold"
        ),
    )

    @property
    def review_date(self) -> date:
        """The date whose rules rate this review: ``reviewed_on``, else the year's last day."""
        return self.reviewed_on or date(self.year, 12, 31)


BirthPrecision = Literal["day", "month", "year"]


class Cadre(BaseModel):
    """Cán bộ, công chức, viên chức / a cadre.

    A field left out (``None``) is *unknown*: rules that need it report ``unknown`` and name
    it. An empty list is *known to be empty* (for example no discipline at all).
    """

    model_config = MODEL_CONFIG

    id: Text = Field(min_length=1, description="Mã cán bộ / cadre id")
    name: Text = Field(min_length=1, description="Họ và tên / full name")
    gender: GenderField = Field(description="Giới tính / gender: nam, nu")
    date_of_birth: VnDate = Field(
        description="Ngày sinh; chỉ có năm → 01/01 (NĐ 135 Đ3.3) / date of birth"
    )
    birth_date_precision: BirthPrecision = Field(
        "day", description="Độ chính xác ngày sinh / precision of the birth date"
    )
    retirement_age_override_months: int | None = Field(
        None, ge=480, le=900, description="Tuổi nghỉ hưu riêng (tháng) / own retirement age"
    )
    retirement_override_reason: Text | None = None
    ethnicity: Text | None = Field(None, description="Dân tộc / ethnicity")
    ethnic_minority: bool | None = Field(None, description="Dân tộc thiểu số / ethnic minority")
    party_member: bool | None = Field(None, description="Đảng viên / Party member")
    civil_servant: bool | None = Field(None, description="Là công chức / is a civil servant")
    category: CadreCategoryField | None = Field(
        None,
        description=(
            "Cán bộ, công chức hay viên chức (chọn quy tắc nhà nước ràng buộc) / cadre, civil "
            "servant or public employee (chooses the state rules that bind)"
        ),
    )
    elected: bool | None = Field(
        None,
        description=(
            "Giữ chức vụ do bầu cử theo nhiệm kỳ (mặc định theo cách giao chức vụ hiện tại) / "
            "holds an elected term post (default: from the current post's fill method)"
        ),
    )
    current_post: CurrentPost | None = None
    local_origin: bool | None = Field(None, description="Người địa phương / local person")
    consecutive_terms_as_head: int | None = Field(
        None, ge=0, le=20, description="Số nhiệm kỳ liên tiếp là người đứng đầu / terms as head"
    )
    committee_memberships: list[CommitteeMembership] | None = None
    planning: list[PlanningEntry] | None = None
    disciplines: list[Discipline] | None = None
    under_disciplinary_review: bool | None = Field(
        None, description="Đang bị xem xét, xử lý kỷ luật / under consideration for discipline"
    )
    under_investigation: bool | None = Field(
        None,
        description=(
            "Đang bị thanh tra, kiểm tra, điều tra, truy tố, xét xử / under inspection, check, "
            "investigation, prosecution or trial"
        ),
    )
    criminal_proceedings: bool | None = Field(
        None,
        description=(
            "Đang bị truy cứu trách nhiệm hình sự (điều tra, truy tố, xét xử); mặc định: không khi "
            "'đang bị điều tra' là không / prosecuted, investigated or on trial"
        ),
    )
    serious_illness: bool | None = Field(
        None,
        description=(
            "Đang điều trị bệnh hiểm nghèo, bệnh cần chữa trị dài ngày (danh mục Bộ Y tế) / "
            "treated for a serious illness"
        ),
    )
    long_term_study: bool | None = Field(
        None, description="Đang đi học dài hạn / on long-term study"
    )
    currently_seconded: bool | None = Field(
        None,
        description=(
            "Đang được biệt phái (mặc định: suy ra từ quá trình công tác khi có) / currently "
            "seconded (default: from the rotation history when recorded)"
        ),
    )
    special_hardship: bool | None = Field(
        None,
        description=(
            "Có hoàn cảnh đặc biệt khó khăn được thủ trưởng cơ quan xác nhận / especially "
            "difficult circumstances certified by the head of the body"
        ),
    )
    ratings: dict[int, RatingField] | None = Field(
        None, description="Xếp loại theo năm / annual ratings by year"
    )
    rating_records: list[RatingRecord] | None = Field(
        None,
        description=(
            "Các lần đánh giá theo năm, có thể bằng điểm (QĐ 366) / annual reviews, by band or "
            "by points"
        ),
    )
    degree: DegreeLevelField | None = None
    political_theory: PoliticalTheoryField | None = None
    health: HealthCertificate | None = None
    family: Family | None = None
    rotation_history: list[RotationRecord] | None = None

    @model_validator(mode="before")
    @classmethod
    def _birth_date(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "date_of_birth" not in data:
            return data
        from luanchuyen.dates import parse_birth_date

        raw = data["date_of_birth"]
        if isinstance(raw, int | str) and not isinstance(raw, bool):
            try:
                parsed, precision = parse_birth_date(raw)
            except ValueError:
                return data  # the field validator reports it, naming the field
            data = {**data, "date_of_birth": parsed}
            data.setdefault("birth_date_precision", precision)
        return data

    @model_validator(mode="after")
    def _consistency(self) -> Self:
        enforce(self, "Cadre")
        for d in self.disciplines or ():
            enforce(d, "Cadre.disciplines")
        return self

    @model_validator(mode="after")
    def _ratings_agree(self) -> Self:
        seen: set[int] = set()
        for r in self.rating_records or ():
            stated = (self.ratings or {}).get(r.year)
            if r.year in seen or (
                stated is not None and r.band is not None and r.band is not stated
            ):
                raise PydanticCustomError(
                    "rating_conflict",
                    "Năm {year} có hai kết quả xếp loại khác nhau / two ratings for {year}",
                    {"year": r.year},
                )
            seen.add(r.year)
        return self

    @property
    def active_planning(self) -> list[PlanningEntry] | None:
        """Planning entries still in force, or ``None`` when planning is unknown."""
        if self.planning is None:
            return None
        return [p for p in self.planning if p.status is PlanningStatus.ACTIVE]

    @property
    def party_disciplines(self) -> list[Discipline] | None:
        """Party discipline records, or ``None`` when discipline is unknown."""
        if self.disciplines is None:
            return None
        return [d for d in self.disciplines if d.kind is DisciplineKind.DANG]

    @property
    def head_or_deputy(self) -> PostRole | None:
        """The role in the current post, if the post is known."""
        return self.current_post.role if self.current_post else None
