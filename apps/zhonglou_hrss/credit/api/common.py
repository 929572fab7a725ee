"""What the credit API's modules share: the OpenAPI tag and error responses, the year parameter, and reading a body through a serializer (400 with each field named)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.credit.rules import YEAR_MAX, YEAR_MIN

TAGS = ["信用评价"]
OBJECT = OpenApiTypes.OBJECT
ERRORS = error_responses(400, 401, 403, 404, 409)
YEAR_SCHEMA = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
YEAR_MESSAGE = f"年度须为 {YEAR_MIN} 至 {YEAR_MAX} 之间的四位数字"
YEAR_PATH = OpenApiParameter("year", YEAR_SCHEMA, OpenApiParameter.PATH, description="评价年度")


def read_body(serializer_class, request):
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


