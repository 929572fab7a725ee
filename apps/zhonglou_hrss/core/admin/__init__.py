"""Desk pages for core: users, roles, grids, lookups, enterprises, audit log."""

from zhonglou_hrss.core.admin import audit, enterprises, exports, grids, lookups, users  # noqa: F401
