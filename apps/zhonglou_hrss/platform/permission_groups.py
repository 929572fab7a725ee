"""The saved reports' permissions in the role editor (registered in
``PlatformConfig.ready``): the task 自定义报表 of core's group 工作台与系统设置
— building reports spans every subsystem, like the other settings there."""

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.permission_groups import SETTINGS


def register():
    registry.permission_task(SETTINGS, "自定义报表", permissions=("platform.build_report", "platform.manage_reports"),
                             order=200)
