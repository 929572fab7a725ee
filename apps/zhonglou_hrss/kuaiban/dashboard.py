"""Kuaiban cards on the desk home (工作台): new today, waiting for me, overdue,
completed this month — each with the previous period and a link into the
filtered list. A grid worker's figures cover their grids only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from zhonglou_hrss.kuaiban.rules import CASE_LIST_PERMS
from zhonglou_hrss.kuaiban.selectors.figures import dashboard_figures


def _change(now_value: int, before: int, label: str) -> str:
    diff = now_value - before
    sign = "+" if diff > 0 else ""
    return f"{label} {before}（{sign}{diff}）" if diff else f"{label} {before}（持平）"


def cards(request) -> list[dict]:
    user = request.user
    if not any(user.has_perm(p) for p in CASE_LIST_PERMS):
        return []
    f = dashboard_figures(user)
    base = reverse("admin:kuaiban_case_changelist")
    today = timezone.localdate()
    month_start = today.replace(day=1)
    return [
        {"title": "今日新增事件", "value": f["new_today"], "change": _change(f["new_today"], f["new_yesterday"], "昨日"),
         "link": f"{base}?created_at_from={today:%Y-%m-%d}&created_at_to={today:%Y-%m-%d}"},
        {"title": "待我处理", "value": f["waiting"], "change": f"其中今日新增 {f['waiting_new_today']}",
         "link": f"{base}?queue=mine", "tone": "primary"},
        {"title": "超时事件", "value": f["overdue"], "change": _change(f["overdue"], f["overdue_yesterday"], "昨日此时"),
         "link": f"{base}?overdue=true", "tone": "red" if f["overdue"] else ""},
        {"title": "本月办结", "value": f["closed_month"],
         "change": _change(f["closed_month"], f["closed_prev_month"], "上月同期"),
         "link": f"{base}?status__in=grid_resolved,closed&closed_at_from={month_start:%Y-%m-%d}"},
    ]


