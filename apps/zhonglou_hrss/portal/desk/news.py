"""Desk pages for policy news (R-PT-12): the form (new and edit: title,
publish date, publisher, the rich-text editor, pinned, published,
attachments), publishing again or taking down from the list, and the
editor's image upload. Writes go through ``services.news``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhonglou_hrss.core.display import style_form
from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible
from zhonglou_hrss.portal.models import News
from zhonglou_hrss.portal.rules import MAX_ATTACHMENTS, PUBLISH_NEWS
from zhonglou_hrss.portal.selectors.news import news_for
from zhonglou_hrss.portal.services.files import ATTACHMENT_HINT
from zhonglou_hrss.portal.services.news import NewsInput, save_news, save_news_image, set_published


class NewsForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    published_on = forms.DateField(label="发布日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   help_text="晚于今天的日期：到当天才在门户显示。",
                                   error_messages={"invalid": "发布日期格式应为 YYYY-MM-DD"})
    publisher = forms.CharField(label="发布人", max_length=100, required=False,
                                help_text="例如：钟楼区人社局就业促进科")
    content_html = forms.CharField(label="内容", required=False, widget=forms.HiddenInput)
    pinned = forms.BooleanField(label="置顶（门户首页显示最近5条置顶资讯）", required=False)
    is_published = forms.BooleanField(label="发布（不勾选即保存为未发布/下架）", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "published_on", "publisher"):
            self.fields[name].show_required = True
        style_form(self)


def _context(request, **extra):
    return {**admin.site.each_context(request), "opts": News._meta, **extra}


def _input(form: NewsForm, request) -> NewsInput:
    data = form.cleaned_data
    remove = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
    return NewsInput(title=data["title"], published_on=data["published_on"], publisher=data["publisher"],
                     content_html=data["content_html"], pinned=data["pinned"], is_published=data["is_published"],
                     add_attachments=request.FILES.getlist("attachments"), remove_attachments=remove)


def edit(request, news_id=None):
    if not request.user.has_perm(PUBLISH_NEWS):
        raise Http404
    news = None
    if news_id is not None:
        try:
            news = news_for(request.user, news_id)
        except NotVisible:
            raise Http404 from None
    attachment_errors: list[str] = []
    if request.method == "POST":
        form = NewsForm(request.POST)
        if form.is_valid():
            try:
                saved = save_news(actor=request.user, data=_input(form, request), news_id=news_id)
            except InvalidInput as exc:
                for key, errors in exc.errors.items():
                    for message in errors:
                        if key == "attachments":
                            attachment_errors.append(message)
                        else:
                            form.add_error(key if key in form.fields else None, message)
                messages.error(request, "未保存：请按提示修改标红的内容。")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "资讯已保存。" + ("" if saved.is_published else "（未发布：门户不显示）"))
                return redirect("admin:portal_news_changelist")
        else:
            messages.error(request, "未保存：请按提示修改标红的内容。")
        status = 400
    else:
        initial = {"published_on": timezone.localdate(), "is_published": True, "publisher": "钟楼区人社局"}
        if news is not None:
            initial = {f: getattr(news, f) for f in ("title", "published_on", "publisher", "content_html", "pinned",
                                                      "is_published")}
        form = NewsForm(initial=initial)
        status = 200
    return TemplateResponse(request, "portal/desk/news_form.html", _context(
        request, title="修改资讯" if news else "发布资讯", form=form, news=news,
        attachments=list(news.attachments.all()) if news else [], attachment_errors=attachment_errors,
        attachment_hint=ATTACHMENT_HINT, max_attachments=MAX_ATTACHMENTS), status=status)


@require_POST
def publish(request, news_id):
    """上架 / 下架 from the list."""
    if not request.user.has_perm(PUBLISH_NEWS):
        raise Http404
    published = request.POST.get("published") == "1"
    try:
        news = set_published(actor=request.user, news_id=news_id, published=published)
    except NotVisible:
        raise Http404 from None
    messages.success(request, f"“{news.title}”已{'发布' if published else '下架'}。")
    return redirect("admin:portal_news_changelist")


@require_POST
def upload_image(request):
    """The editor's picture button: the image checked, re-encoded, kept in the
    public uploads → ``{"url"}``; refused → 400 ``{"detail"}``."""
    if not request.user.has_perm(PUBLISH_NEWS):
        return JsonResponse({"detail": "您没有发布政策资讯的权限"}, status=403)
    try:
        url = save_news_image(actor=request.user, upload=request.FILES.get("image"))
    except InvalidInput as exc:
        return JsonResponse({"detail": "；".join(m for ms in exc.errors.values() for m in ms)}, status=400)
    return JsonResponse({"url": url})
