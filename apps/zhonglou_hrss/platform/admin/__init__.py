"""The platform's desk lists: custom field definitions (fields.py)."""

from zhonglou_hrss.platform.admin import fields  # noqa: F401  (registers it)
