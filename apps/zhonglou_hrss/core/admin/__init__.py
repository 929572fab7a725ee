"""Desk pages for core: users, roles, grids, lookups, enterprises, API tokens, audit log."""

from zhonglou_hrss.core.admin import audit, enterprises, exports, grids, lookups, roles, tokens, users  # noqa: F401
