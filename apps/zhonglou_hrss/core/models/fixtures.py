from django.db import models


class FixtureRecord(models.Model):
    """What ``sync_fixtures`` last applied for one fixture item.

    A release may change a fixture row (a new permission for a role, a renamed
    lookup). Comparing the new row with the one last applied lets the sync
    apply only the release's change and keep what the admin edited in the desk.
    """

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    applied_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "基础数据同步记录"
        verbose_name_plural = "基础数据同步记录"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="fixture_record_unique")]
