"""One way to write a time, everywhere in the desk (ui.md; issue 11 item 10):
2026-12-02 20:44 and 2026-12-02 — never Django's zh_Hans 2026年12月2日, which
every admin list, form and ``|date`` would otherwise use."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from zhonglou_hrss.core.display import when
from zhonglou_hrss.core.models import AuditLog, Enterprise, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = dt.datetime(2026, 12, 2, 20, 44, 31, tzinfo=SHANGHAI)
CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def test_formats_in_chinese_and_without_a_language():
    """issue 11 item 10: the project's formats win over the locale's, and hold with no language active."""
    for activate in (lambda: translation.activate("zh-hans"), translation.deactivate_all):
        activate()
        try:
            assert formats.date_format(AT, "DATETIME_FORMAT") == "2026-12-02 20:44"
            assert formats.date_format(AT.date()) == "2026-12-02"
            assert formats.date_format(AT, "SHORT_DATETIME_FORMAT") == "2026-12-02 20:44"
            assert formats.date_format(AT, "YEAR_MONTH_FORMAT") == "2026-12"  # the audit log's date links
            assert formats.localize(AT.date()) == "2026-12-02"
            assert Template("{{ v }}|{{ v|date }}|{{ d }}").render(Context({"v": AT, "d": AT.date()})) == (
                "2026-12-02 20:44|2026-12-02|2026-12-02")
            assert when(AT) == "2026-12-02 20:44" and when(AT.date()) == "2026-12-02" and when(None) == "—"
        finally:
            translation.activate("zh-hans")


def test_forms_show_and_read_dates_the_same_way():
    """issue 11 item 10: a date field shows 2026-12-02 and reads it (and 2026/12/02) back."""
    from django import forms

    class F(forms.Form):
        on = forms.DateField()
        at = forms.DateTimeField()

    with translation.override("zh-hans"):
        html = str(F(initial={"on": AT.date(), "at": AT.replace(second=0)})["on"])
        assert 'value="2026-12-02"' in html
        for typed in ("2026-12-02", "2026/12/02"):
            form = F(data={"on": typed, "at": "2026-12-02 20:44"})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["on"] == AT.date()


@pytest.mark.django_db
def test_desk_lists_and_pages_write_times_one_way(client_as, make_user):
    """issue 11 item 10: the user list (上次登录), a user's page (上次登录, 加入日期), the audit
    log and the enterprise list show 2026-12-02 20:44, nowhere 2026年12月2日."""
    person = make_user("dated", name="某人", roles=["leader"])
    User.objects.filter(pk=person.pk).update(last_login=AT, date_joined=AT - dt.timedelta(days=1))
    AuditLog.objects.filter(pk=AuditLog.objects.create(action=AuditLog.Action.LOGIN, actor_username="dated").pk).update(
        at=AT)
    enterprise = Enterprise.objects.create(uscc="914403001922038216", name="某企业")
    Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=AT)
    admin = client_as("admin")
    pages = {
        "/desk/core/user/?q=dated": ["2026-12-02 20:44"],
        f"/desk/core/user/{person.pk}/change/": ["2026-12-02 20:44", "2026-12-01 20:44"],
        "/desk/core/auditlog/?q=dated": ["2026-12-02 20:44"],
        "/desk/core/enterprise/": ["2026-12-02 20:44"],
        f"/desk/core/enterprise/{enterprise.pk}/history/": [],
    }
    for url, expected in pages.items():
        response = admin.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for text in expected:
            assert text in html, (url, text)
        assert not CHINESE_DATE.search(html), (url, CHINESE_DATE.search(html))


@pytest.mark.parametrize("value", [
    AT, AT.date(), dt.datetime(2026, 1, 5, 0, 0, tzinfo=dt.timezone.utc), dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=SHANGHAI),
    dt.datetime(1999, 12, 31, 16, 1, tzinfo=dt.timezone.utc), dt.date(2030, 7, 9)])
def test_when_writes_what_djangos_date_format_writes(value):
    """issue 19: ``when`` formats with strftime (a list calls it three times a row); the text is
    Django's, in local time."""
    from django.utils import timezone

    name = "DATETIME_FORMAT" if isinstance(value, dt.datetime) else "DATE_FORMAT"
    local = timezone.localtime(value) if isinstance(value, dt.datetime) else value
    assert when(value) == formats.date_format(local, name)


def test_when_keeps_a_format_strftime_cannot_write(monkeypatch):
    """A format with other letters (a month without its zero, a weekday) is left to Django."""
    monkeypatch.setattr(formats, "get_format", lambda name, *args, **kwargs: "Y年n月j日 D")
    assert when(AT.date()) == formats.date_format(AT.date(), "Y年n月j日 D")
    assert "年12月2日" in when(AT.date())
