from django.db import models


class CaseCount(models.Model):
    """How many cases have one statistics grid, registration year and month
    (Asia/Shanghai), status, and "seen by the grid" flag — the few hundred rows
    the one map and the analysis add up instead of a million cases.

    ``grid_seen``: the statistics grid has (had) the case in hand — a grid round
    there that was not returned. A grid worker's figures count those only (the
    cases they may see); leaders and clerks count both.

    Kept exact by ``kuaiban.services.case_counts`` in the transaction of every change to
    a case, checked against the cases every night; never edited by hand.
    """

    stat_grid = models.ForeignKey("core.Grid", verbose_name="统计网格", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("登记年份")
    month = models.PositiveSmallIntegerField("登记月份")
    status = models.CharField("状态", max_length=30)
    grid_seen = models.BooleanField("统计网格经手")
    n = models.IntegerField("件数", default=0)

    class Meta:
        verbose_name = "事件统计计数"
        verbose_name_plural = "事件统计计数"
        constraints = [
            models.UniqueConstraint(fields=["stat_grid", "year", "month", "status", "grid_seen"],
                                    name="casecount_cell"),
        ]
        indexes = [models.Index(fields=["year", "stat_grid"], name="casecount_year_grid")]

    def __str__(self):
        return f"{self.stat_grid_id} {self.year}-{self.month:02d} {self.status}: {self.n}"
