"""Kuaiban cards on the desk home (工作台), in two rows:

- 今日工作: new today, waiting for me, overdue, completed this month — each
  with the previous period and a link into the filtered list;
- the year (for those who see the figures): received, completed and the
  completion rate this year, as the one map counts them, each against the
  same moment last month (``selectors.figures.year_figures``).

Leaders (who assign cases) look at the year first, with the overdue cases
beside it; the others at their work first. Inspectors have no 超时 card: only
cases in a grid's hands become overdue. A grid worker's figures cover their
grids only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from zhonglou_hrss.kuaiban.rules import CASE_LIST_PERMS, GRID, VIEW_ALL
from zhonglou_hrss.kuaiban.selectors.figures import dashboard_figures, year_figures
from zhonglou_hrss.kuaiban.workflow import ASSIGN

WORK = "今日工作"


def _change(now_value: int, before: int, label: str) -> str:
    diff = now_value - before
    sign = "+" if diff > 0 else ""
    return f"{label} {before}（{sign}{diff}）" if diff else f"{label} {before}（持平）"


def _rate_change(now_rate, before) -> str:
    if before is None:
        return "上月同日 —"
    if now_rate is None:
        return f"上月同日 {before}%"
    diff = round(now_rate - before, 1)
    sign = "+" if diff > 0 else ""
    return f"上月同日 {before}%（{sign}{diff} 个百分点）" if diff else f"上月同日 {before}%（持平）"


def _year_cards(f: dict, section: str) -> list[dict]:
    link = reverse("kuaiban_stats:map") + f"?year={f['year']}"  # its 合计 row shows the same three numbers
    then = timezone.localtime(f["then"])
    hint = (f"按一张图的口径统计今年登记的事件；下方为上月同日（{then:%Y-%m-%d %H:%M}）时的数字"
            f"及至今的增减")
    if f["received_then"] is None:
        note = "今年首月，暂无上月同日可比"
        changes = (note, note, note)
    else:
        changes = (_change(f["received"], f["received_then"], "上月同日"),
                   _change(f["completed"], f["completed_then"], "上月同日"),
                   _rate_change(f["rate"], f["rate_then"]))
    rate = f"{f['rate']}%" if f["rate"] is not None else "—"
    return [
        {"section": section, "title": f"{f['year']}年收到事件", "value": f["received"], "change": changes[0],
         "link": link, "hint": hint},
        {"section": section, "title": f"{f['year']}年完成事件", "value": f["completed"], "change": changes[1],
         "link": link, "hint": hint},
        {"section": section, "title": f"{f['year']}年完成率", "value": rate, "change": changes[2], "link": link,
         "hint": hint},
    ]


def cards(request) -> list[dict]:
    user = request.user
    if not any(user.has_perm(p) for p in CASE_LIST_PERMS):
        return []
    f = dashboard_figures(user)
    base = reverse("admin:kuaiban_case_changelist")
    today = timezone.localdate()
    month_start = today.replace(day=1)
    new_today = {"title": "今日新增事件", "value": f["new_today"],
                 "change": _change(f["new_today"], f["new_yesterday"], "昨日"),
                 "link": f"{base}?created_at_from={today:%Y-%m-%d}&created_at_to={today:%Y-%m-%d}"}
    waiting = {"title": "待我处理", "value": f["waiting"], "change": f"其中今日新增 {f['waiting_new_today']}",
               "link": f"{base}?queue=mine", "tone": "primary"}
    # Neutral at 0: red says "look here", and there is nothing to look at.
    overdue = {"title": "超时事件", "value": f["overdue"],
               "change": _change(f["overdue"], f["overdue_yesterday"], "昨日此时"),
               "link": f"{base}?overdue=true", "tone": "red" if f["overdue"] > 0 else ""}
    closed = {"title": "本月办结", "value": f["closed_month"],
              "change": _change(f["closed_month"], f["closed_prev_month"], "上月同期"),
              "link": f"{base}?status__in=grid_resolved,closed&closed_at_from={month_start:%Y-%m-%d}"}
    grid_work_seen = user.has_perm(VIEW_ALL) or user.has_perm(GRID)
    year = year_figures(user)
    if year is None:
        work = [new_today, waiting, *([overdue] if grid_work_seen else []), closed]
        return [{**card, "section": WORK} for card in work]
    section = f"{year['year']}年概况"
    if user.has_perm(ASSIGN):
        return [*_year_cards(year, section), {**overdue, "section": section},
                *({**card, "section": WORK} for card in (waiting, new_today, closed))]
    return [*({**card, "section": WORK} for card in (new_today, waiting, overdue, closed)),
            *_year_cards(year, section)]
