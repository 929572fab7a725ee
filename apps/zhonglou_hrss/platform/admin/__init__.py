"""The saved reports in the desk: their list (my reports, those shared with my
roles) is the changelist's page; the builder, a report's page and the export
are ``desk`` views routed here."""

from zhonglou_hrss.platform.admin import reports  # noqa: F401  (registers it)
