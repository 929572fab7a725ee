from django.db import models


class NumberSequence(models.Model):
    """A per-year counter behind a kind of record's numbers (XF2026-000024),
    taken under a row lock (core.services.numbers)."""

    prefix = models.CharField("前缀", max_length=10)
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="number_sequence_prefix_year")]
