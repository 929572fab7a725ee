from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhonglou_hrss.credit"
    label = "credit"
    verbose_name = "信用评价"
