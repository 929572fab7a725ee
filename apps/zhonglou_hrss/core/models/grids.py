from django.db import models


class GridQuerySet(models.QuerySet):
    def selectable(self):
        """Grids that may be chosen for new records (inactive ones stay on old records)."""
        return self.filter(active=True)

    def street_level(self):
        """Grids a citizen may pick on the public page: never 区本级."""
        return self.exclude(kind=Grid.Kind.DISTRICT)


class Grid(models.Model):
    """街道 / 镇 / 区本级: a unit that receives cases (R-SYS-02)."""

    class Kind(models.TextChoices):
        STREET = "street", "街道"
        TOWN = "town", "镇"
        DISTRICT = "district", "区本级"
        ZONE = "zone", "开发区"

    code = models.CharField("网格编码", max_length=20, unique=True)
    name = models.CharField("网格名称", max_length=50, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STREET)
    active = models.BooleanField("有效", default=True, help_text="停用的网格保留在历史记录上，但不能再被选择。")
    # WGS84 / CGCS2000, the datum of 天地图 (see docs): keep one datum per map.
    lat = models.DecimalField("中心点纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("中心点经度", max_digits=9, decimal_places=6, null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name if self.active else f"{self.name}（已停用）"

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.DISTRICT
