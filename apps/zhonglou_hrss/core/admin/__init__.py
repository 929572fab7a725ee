"""Desk pages for core: users, roles, grids, lookups, enterprises, enterprise
accounts, API tokens, audit log."""

from zhonglou_hrss.core.admin import (  # noqa: F401
    accounts,
    audit,
    enterprises,
    exports,
    grids,
    lookups,
    roles,
    tokens,
    users,
)
