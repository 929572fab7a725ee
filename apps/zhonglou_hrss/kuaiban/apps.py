from django.apps import AppConfig


class KuaibanConfig(AppConfig):
    name = "zhonglou_hrss.kuaiban"
    label = "kuaiban"
    verbose_name = "快办"
