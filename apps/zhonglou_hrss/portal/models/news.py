"""Policy news (政策资讯, R-PT-01, 02, 12): written by 就业后台 in the desk,
read by everyone on the portal and through the API."""

from django.conf import settings
from django.db import models


class News(models.Model):
    title = models.CharField("标题", max_length=200)
    published_on = models.DateField("发布日期", help_text="晚于今天的日期：到当天才在门户显示。")
    publisher = models.CharField("发布人", max_length=100, help_text="例如：钟楼区人社局就业促进科")
    # Sanitised on the server before it is stored (services.richtext): never any script.
    content_html = models.TextField("内容", blank=True)
    pinned = models.BooleanField("置顶", default=False, help_text="门户首页按发布日期显示最近5条置顶资讯。")
    is_published = models.BooleanField("已发布", default=True, help_text="取消发布（下架）后门户不再显示，记录保留。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "政策资讯"
        verbose_name_plural = "政策资讯"
        ordering = ["-published_on", "-id"]
        default_permissions = ()
        permissions = [
            ("view_news", "查看政策资讯（含未发布的）"),
            ("publish_news", "发布、修改和下架政策资讯"),
        ]
        indexes = [
            # The public reads, newest first, from this index alone (benchmarks/bench_portal.py):
            # the home's 5 pinned and a page walk it and stop early; the list's count and its
            # keyword search (title, publisher) read it instead of the rows with their content.
            # (SQLite tests a boolean as the bare column, which no index led by a flag serves.)
            models.Index(fields=["-published_on", "-id", "is_published", "pinned", "title", "publisher"],
                         name="news_list_idx"),
        ]

    def __str__(self):
        return self.title


class NewsAttachment(models.Model):
    """A file attached to a news item (kept with the private uploads, served by
    the portal to whoever may read the item, under its own name)."""

    news = models.ForeignKey(News, verbose_name="资讯", on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    path = models.CharField("存放位置", max_length=300)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, default="application/octet-stream")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "资讯附件"
        verbose_name_plural = "资讯附件"
        ordering = ["id"]
        default_permissions = ()

    def __str__(self):
        return self.name
