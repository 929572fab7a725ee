"""The platform's desk lists: custom field definitions (fields.py) and the saved
reports (reports.py: their list — my reports, those shared with my roles — is the
changelist's page; the builder, a report's page and the export are ``desk`` views routed there)."""

from zhonglou_hrss.platform.admin import fields, reports  # noqa: F401  (registers them)
