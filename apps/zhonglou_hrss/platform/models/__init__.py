"""The platform's own records (saved reports); custom field definitions are core's."""

from zhonglou_hrss.platform.models.reports import SavedReport

__all__ = ["SavedReport"]
