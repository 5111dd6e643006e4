"""Response model of the seal check."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from oa.web.schemas import Output


class SealVerification(Output):
    valid: bool
    reason: str = Field(description="为何有效或无效，可直接展示给用户")
    sealed_by: str | None = Field(description="印章名称，如 象山县人民政府")
    unit_code: str | None
    sealed_at: datetime | None
    key_id: str | None = Field(description="印章密钥标识（RFC 7638 指纹）")
    digest: str | None = Field(description="用印时规范化文本的 SHA-256")
