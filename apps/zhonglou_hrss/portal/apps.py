from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhonglou_hrss.portal"
    label = "portal"
    verbose_name = "码上办"
