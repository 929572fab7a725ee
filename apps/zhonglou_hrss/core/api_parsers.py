"""The API's JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``):
DRF's, reading the body through ``core.json_body`` — a body nested deeper
than ``json_body.MAX_DEPTH`` is a 400 before ``json`` recurses into it (a
thousand ``[`` answered 500, issue 10 item 4) — with Chinese messages."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json as drf_json

from zhonglou_hrss.core import json_body


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(f"请求内容不是有效的 {encoding} 编码文本") from None
        try:
            return json_body.loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except json_body.TooDeep as exc:
            raise ParseError(f"请求内容的{exc}") from None
        except ValueError as exc:
            where = f"（第 {exc.lineno} 行第 {exc.colno} 列）" if hasattr(exc, "lineno") else ""
            raise ParseError(f"请求内容不是有效的 JSON{where}") from None
