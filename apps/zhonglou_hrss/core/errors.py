"""Domain errors with Chinese messages. The desk shows them; the API maps
them to HTTP statuses (``core.api_errors``): 404, 403, 409 and 400."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    default_message = "操作失败"

    def __init__(self, message: str = ""):
        self.message = message or self.default_message
        super().__init__(self.message)


class NotVisible(DomainError):
    """The record does not exist or the user may not see it: both look the same."""

    status = 404
    default_message = "记录不存在或您无权查看"


class ActionForbidden(DomainError):
    status = 403
    default_message = "您没有执行此操作的权限"


class StateConflict(DomainError):
    status = 409
    default_message = "该记录的当前状态不允许此操作（可能已被他人处理），请刷新后查看"


class InvalidInput(DomainError):
    """Bad input, field by field: ``errors = {"field": ["中文说明", ...]}``."""

    status = 400
    default_message = "填写内容有误，请按提示修改"

    def __init__(self, errors: dict[str, list[str]], message: str = ""):
        self.errors = {k: list(v) if isinstance(v, (list, tuple)) else [str(v)] for k, v in errors.items()}
        super().__init__(message)


class ErrorCollector:
    """Gathers every field's errors before raising once (so all are shown)."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str):
        self.errors.setdefault(field, []).append(message)

    def __bool__(self):
        return bool(self.errors)

    def raise_if_any(self):
        if self.errors:
            raise InvalidInput(self.errors)
