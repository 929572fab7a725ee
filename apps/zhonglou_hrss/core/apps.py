from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhonglou_hrss.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self):
        from zhonglou_hrss.core import signals  # noqa: F401  (audit hooks)
        from zhonglou_hrss.core import navigation, permission_groups, registry, tasks
        from zhonglou_hrss.core.admin import list_headers

        list_headers.install()

        navigation.register()
        permission_groups.register()
        tasks.register()
        registry.dashboard_cards("zhonglou_hrss.core.health.dashboard_cards")
        registry.demo_loader("zhonglou_hrss.core.demo.load_core_demo")
        registry.report_source("enterprises", "企业", "zhonglou_hrss.core.report_sources.enterprises")
        registry.custom_field_object("enterprise", "企业", "core.Enterprise")
