from django.conf import settings
from django.db import models


class CaseEvent(models.Model):
    """One step of a case's timeline (R-KB-20): who, what, when, the values entered.

    Written only by the kuaiban services, exactly one per registration or transition.
    """

    case = models.ForeignKey("kuaiban.Case", verbose_name="事件", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # A snapshot: the timeline keeps the name the person had then.
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    payload = models.JSONField("录入内容", default=dict, blank=True)

    class Meta:
        verbose_name = "事件记录"
        verbose_name_plural = "事件记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self):
        return f"{self.case_id} {self.action}"
