from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField


class Companion(models.Model):
    """同行人员: another worker complaining with the reporter (of a case or a petition)."""

    name = models.CharField("姓名", max_length=50)
    id_number = PIIField("身份证号", kind=pii.ID_CARD)
    phone = PIIField("手机号", kind=pii.MOBILE)
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        abstract = True
        verbose_name = "同行人员"
        verbose_name_plural = "同行人员"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name
