"""The news list in the desk (unfold changelist) and the routes of the news
form (``desk.news``). Writes go through ``services.news``."""

from django.contrib import admin
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.display import when
from zhonglou_hrss.portal.desk.urls import news_patterns
from zhonglou_hrss.portal.models import News
from zhonglou_hrss.portal.rules import PUBLISH_NEWS, VIEW_NEWS
from zhonglou_hrss.portal.selectors.news import news_list_for


class ShownFilter(admin.SimpleListFilter):
    title = "门户显示"
    parameter_name = "shown"

    def lookups(self, request, model_admin):
        return [("yes", "显示中"), ("later", "定时发布（未到日期）"), ("no", "已下架")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(is_published=True, published_on__lte=today)
        if self.value() == "later":
            return queryset.filter(is_published=True, published_on__gt=today)
        if self.value() == "no":
            return queryset.filter(is_published=False)
        return queryset


@admin.register(News)
class NewsAdmin(DeskModelAdmin):
    list_display = ("title", "published_on", "publisher", "pinned_col", "shown_col", "updated_col")
    list_display_links = None
    list_filter = (ShownFilter, "pinned")
    search_fields = ("title", "publisher")
    search_help_text = "标题、发布人"
    ordering = ("-published_on", "-id")
    list_before_template = "portal/desk/news_list_before.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_NEWS) or request.user.has_perm(PUBLISH_NEWS)

    def has_add_permission(self, request):
        return False  # the form has its own page (desk.news.edit)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # taken down (下架), never deleted

    def get_queryset(self, request):
        return news_list_for(request.user)

    def get_urls(self):
        return news_patterns(self.admin_site) + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:portal_news_new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:portal_news_change", news_id=int(object_id))

    def get_list_display(self, request):
        """Columns that depend on who looks (the ModelAdmin is shared by every request)."""
        publisher = request.user.has_perm(PUBLISH_NEWS)

        @admin.display(description="标题", ordering="title")
        def title_link(obj):
            href = f"{obj.pk}/" if publisher else reverse("portal:news_detail", args=[obj.pk])
            return format_html('<a class="font-semibold text-primary-600" href="{}">{}</a>', href, obj.title)

        @admin.display(description="操作")
        def toggle(obj):
            label, value = ("下架", "0") if obj.is_published else ("发布", "1")
            return format_html(
                '<form method="post" action="{}" data-confirm="确认{}“{}”？"><input type="hidden" '
                'name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="published" value="{}">'
                '<button type="submit" class="zl-btn zl-btn-default">{}</button></form>',
                reverse("admin:portal_news_publish", args=[obj.pk]), label, obj.title, get_token(request), value,
                label)

        columns = [title_link, *self.list_display[1:]]
        return columns + [toggle] if publisher else columns

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "政策资讯", **(extra_context or {}),
                                                 "can_publish": request.user.has_perm(PUBLISH_NEWS)})

    @admin.display(description="置顶", ordering="pinned")
    def pinned_col(self, obj):
        return badge("置顶", "red") if obj.pinned else ""

    @admin.display(description="门户显示")
    def shown_col(self, obj):
        if not obj.is_published:
            return badge("已下架", "grey")
        if obj.published_on > timezone.localdate():
            return badge("定时发布", "blue")
        return badge("显示中", "green")

    @admin.display(description="修改时间", ordering="updated_at")
    def updated_col(self, obj):
        return when(obj.updated_at)
