"""Admin app config that makes the desk (``core.desk.DeskSite``) the default
admin site. Kept apart from ``desk.py``: app configs load before models."""

from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "zhonglou_hrss.core.desk.DeskSite"
