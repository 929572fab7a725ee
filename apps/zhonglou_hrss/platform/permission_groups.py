"""The saved reports' permissions in the role editor (registered in
``PlatformConfig.ready``): a group 平台配置 with the task 自定义报表."""

from zhonglou_hrss.core import registry

PLATFORM = "平台配置"


def register():
    registry.permission_group(PLATFORM, order=90, description="管理员无需发版即可调整：自定义报表的构建、保存与共享。")
    registry.permission_task(PLATFORM, "自定义报表", permissions=("platform.build_report", "platform.manage_reports"),
                             order=10)
