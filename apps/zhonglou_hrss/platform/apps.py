from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """What administrators adapt without a release (issue 17): the custom fields'
    definitions (the engine is core's: core.custom_fields) and saved reports over
    every subsystem's sources (each app registers its sources with core.registry)."""

    name = "zhonglou_hrss.platform"
    label = "platform"
    verbose_name = "平台配置"

    def ready(self):
        from zhonglou_hrss.platform import navigation

        navigation.register()
