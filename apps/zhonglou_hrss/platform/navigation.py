"""The platform's entries in the desk sidebar (registered in ``PlatformConfig.ready``)."""

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.navigation import SETTINGS, changelist


def register():
    registry.nav_item(SETTINGS, "自定义字段", icon="dynamic_form", link=changelist("core.customfield"),
                      permissions=("core.manage_customfield",), order=65)
