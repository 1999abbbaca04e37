"""The target position (vị trí, chức danh dự kiến)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator

from luanchuyen.models._types import MODEL_CONFIG, Text
from luanchuyen.models.enums import (
    DegreeLevelField,
    FillMethodField,
    LevelField,
    PoliticalTheoryField,
    PostRole,
    PostRoleField,
    TitleCodeField,
)
from luanchuyen.models.titles import check_post_code, fill_from_post_code

__all__ = ["Position", "PostCode"]

#: A code of the title catalogue (``xa.truong_phong_kinh_te``…); it fills ``title_code``,
#: ``level`` and ``role`` when they are not given (:func:`~luanchuyen.models.titles.fill_from_post_code`).
PostCode = Annotated[Text, AfterValidator(check_post_code)]


class Position(BaseModel):
    """Vị trí dự kiến bố trí / the target position of a move."""

    model_config = MODEL_CONFIG

    id: Text | None = Field(None, description="Mã vị trí / position id")
    title: Text = Field(description="Tên chức danh / title, free text")
    title_code: TitleCodeField | None = Field(None, description="Mã chức danh / title code")
    post_code: PostCode | None = Field(
        None, description="Mã trong danh mục chức danh (models/titles.yaml) / catalogue code"
    )
    body: Text | None = Field(None, description="Cơ quan, đơn vị / body or unit")
    level: LevelField = Field(description="Cấp / level")
    rank: int | None = Field(
        None, ge=0, le=100, description="Bậc tương đương / equivalence rank (same scale as post)"
    )
    role: PostRoleField = Field(PostRole.KHAC, description="Cấp trưởng/cấp phó / head or deputy")
    fill_method: FillMethodField | None = Field(None, description="Bầu cử/bổ nhiệm / how filled")
    key_commune_post: bool | None = Field(
        None, description="Chức danh chủ chốt cấp xã / key commune post"
    )
    vacant: bool | None = Field(None, description="Còn khuyết / the post is vacant")
    created_for_move: bool = Field(
        False,
        description=(
            "Chức danh tạo thêm để luân chuyển (mặc định: không) / post created for this "
            "rotation (default: no)"
        ),
    )
    locality: Text | None = Field(None, description="Địa bàn / locality")
    on_post_change_list: bool | None = Field(
        None, description="Thuộc danh mục định kỳ chuyển đổi (NĐ 59) / on the post-change list"
    )
    required_degree: DegreeLevelField | None = None
    required_political_theory: PoliticalTheoryField | None = None
    allowance: int | None = Field(
        None, ge=0, description="Hệ số phụ cấp chức vụ × 100 / position allowance × 100"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_post_code(cls, data: Any) -> Any:
        return fill_from_post_code(data)
