"""A proposed move: its kind, target, reference dates and special-case request."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator

from luanchuyen.models._types import MODEL_CONFIG, Text, VnDate
from luanchuyen.models.checks import enforce
from luanchuyen.models.enums import MoveKindField
from luanchuyen.models.position import Position

__all__ = ["Move"]


class Move(BaseModel):
    """Đề xuất điều động, luân chuyển, biệt phái, chuyển đổi vị trí / a proposed move."""

    model_config = MODEL_CONFIG

    kind: MoveKindField = Field(description="Hình thức / luan_chuyen, dieu_dong, biet_phai…")
    target: Position = Field(description="Vị trí dự kiến / target position")
    decision_date: VnDate | None = Field(
        None,
        description=(
            "Ngày quyết định: mốc tính 'từ thời điểm luân chuyển' (mặc định = ngày đánh giá) / "
            "decision date, the reference date (defaults to as_of)"
        ),
    )
    planned_start: VnDate | None = Field(None, description="Dự kiến bắt đầu / planned start")
    planned_end: VnDate | None = Field(None, description="Dự kiến kết thúc / planned end")
    special_case_requested: bool = Field(
        False, description="Đề nghị xem xét trường hợp đặc biệt / special case requested"
    )
    policy_case: bool = Field(
        False,
        description=(
            "Thực hiện chủ trương không là người địa phương / không quá 2 nhiệm kỳ (QĐ 65 Đ4.2b) "
            "/ non-local or two-term policy rotation"
        ),
    )
    re_election: bool | None = Field(
        None, description="Tái cử cấp ủy (Chỉ thị 45) / re-election to the committee"
    )
    cross_unit: bool | None = Field(None, description="Sang đơn vị khác / to another unit")
    requires_civil_service_intake: bool | None = Field(
        None, description="Cần tiếp nhận vào công chức / needs intake as a civil servant"
    )
    job_position_fit: bool | None = Field(
        None, description="Phù hợp vị trí việc làm, năng lực / fits the job position"
    )
    sending_unit_assessed: bool | None = Field(
        None, description="Nơi đi đã nhận xét, đánh giá (Chi Lăng S1) / sending unit assessed"
    )
    own_request: bool | None = Field(
        None,
        description=("Cán bộ tự nguyện đề nghị (NĐ 170 Đ25.5đ, e) / the person asked for the move"),
    )
    head_other_bar: bool = Field(
        False,
        description=(
            "Người đứng đầu đã xác định thuộc trường hợp khác không điều động, biệt phái (NĐ 170 "
            "Đ25.5g; mặc định: chưa xác định) / the competent head has named another case "
            "against the move (default: none named)"
        ),
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        enforce(self, "Move")
        return self
