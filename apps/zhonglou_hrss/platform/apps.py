from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """What administrators adapt without a release (issue 17): the custom fields'
    definitions (the engine is core's: core.custom_fields) and saved reports over
    every subsystem's sources (each app registers its sources with core.registry)."""

    name = "zhonglou_hrss.platform"
    label = "platform"
    verbose_name = "平台配置"

    def ready(self):
        """The sidebar entries (系统设置 → 自定义字段; 统计分析 → 自定义报表 and one per
        report shared with the user's roles), the role editor's task and the reports' export kind."""
        from zhonglou_hrss.core import registry
        from zhonglou_hrss.core.exports.registry import register
        from zhonglou_hrss.platform import navigation, permission_groups
        from zhonglou_hrss.platform.exports.reports import exporter

        navigation.register()
        permission_groups.register()
        register(exporter)
        registry.demo_loader("zhonglou_hrss.platform.demo.load_demo")
