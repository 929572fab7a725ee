"""Pure definitions of kuaiban: the year a record belongs to, the bureau's
local time in SQL, what "completed" and "overdue" mean, the permissions the
rules speak of. No database query runs here; selectors, services, reports and
pages all take these definitions from this one place.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.workflow import COMPLETED_STATES

# --- permissions the rules speak of -------------------------------------------------------
VIEW_ALL = "kuaiban.view_all_cases"  # leaders, district clerks: every case (R-KB-16)
GRID = "core.work_in_grid"  # grid workers: the cases of their grids
INSPECT = "kuaiban.handle_assigned_case"  # inspectors: the cases assigned to them
VIEW_PETITIONS = "kuaiban.view_petition"
CASE_LIST_PERMS = (VIEW_ALL, INSPECT, GRID)
# The district's figures as data, without the case lists behind them: given to
# inspectors by default (issue 11 item 14), a permission the admin can toggle.
VIEW_FIGURES = "kuaiban.view_district_figures"
# Who sees the figures (the one map, the analysis): leaders and clerks (all
# grids, with the lists behind each number), grid workers (their grids, with
# their lists), holders of VIEW_FIGURES (all grids, numbers only — an
# inspector's own list, the cases assigned to them, is not what a district
# number counts).
STATS_PERMS = (VIEW_ALL, GRID, VIEW_FIGURES)

# --- channels (来源渠道, a lookup: R-KB-01 / R-KB-02) ---------------------------------------------
# Which channels which path may record: the public page records its own channel
# and only that; internal registration records the channel the case really came
# by, never the public page's (a clerk entering a case is not 群众扫码登记).
PUBLIC_CHANNEL = "qr_public"  # 群众扫码登记
PUBLIC_ONLY_CHANNELS = frozenset({PUBLIC_CHANNEL})
PUBLIC_ONLY_CHANNEL_MESSAGE = "来源渠道不能选择“群众扫码登记”：该渠道只用于群众扫码自行登记，请选择事件实际的来源渠道"


def registration_channel(source: str, chosen: str) -> str:
    """The channel code a registration records: the public page's own, or what staff chose."""
    return PUBLIC_CHANNEL if source == CaseSource.PUBLIC else chosen


def channel_allowed(source: str, code: str) -> bool:
    """May a registration by this path record this channel?"""
    if source == CaseSource.PUBLIC:
        return code == PUBLIC_CHANNEL
    return code not in PUBLIC_ONLY_CHANNELS


# --- years ----------------------------------------------------------------------------------
# Every year a user may type or ask for (filters, the figures, the API).
YEAR_MIN, YEAR_MAX = 2000, 2100
YEAR_MESSAGE = f"年份须为 {YEAR_MIN} 至 {YEAR_MAX} 之间的四位数字，如 2026"


def parse_year(raw) -> int | None:
    """A year as typed (``"2026"``), or None when it is not a year in range."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) of ``year`` in Asia/Shanghai."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(dt.datetime(year, 1, 1), tz), timezone.make_aware(dt.datetime(year + 1, 1, 1), tz))


def this_year() -> int:
    return timezone.localtime(clock.now()).year


# --- completed, invalid, overdue (R-KB-05) ----------------------------------------------------
COMPLETED_Q = Q(status__in=list(COMPLETED_STATES))
INVALID_Q = Q(status=CaseStatus.ENDED_INVALID)
# A petition is completed with a handling result and time. The database's check
# constraint (petition_result_with_time) keeps the two together, so the time
# alone tells — and an index on (…, handled_at) answers the figures.
PETITION_COMPLETED_Q = Q(handled_at__isnull=False)


def overdue_cutoff(now=None):
    return (now or clock.now()) - dt.timedelta(days=settings.KUAIBAN_OVERDUE_DAYS)


def overdue_q(now=None) -> Q:
    """R-KB-05: accepted by the grid N natural days ago (or more) and still without an outcome."""
    return Q(status=CaseStatus.GRID_HANDLING, grid_accepted_at__lte=overdue_cutoff(now))


# --- what a list shows of a case's handling ----------------------------------------------------
def days_open(registered_at: dt.datetime, closed_at: dt.datetime | None = None, now=None) -> int:
    """办理天数: whole days (24 h) from registration to completion or ending
    (``closed_at``), or to now while the case is open — natural days, as the
    overdue rule counts them."""
    end = closed_at or now or clock.now()
    return max((end - registered_at).days, 0)


def result_amount(handling_amount, grid_amount):
    """金额: the inspector's handling amount (R-KB-13) once recorded, else the
    amount of the grid's successful mediation (R-KB-04); None when neither."""
    return handling_amount if handling_amount is not None else grid_amount


# --- figures (R-KB-18, R-KB-19) ----------------------------------------------------------------
# Fewer received cases than this in a year: the completion rate is shown but
# the grid is marked as not fairly rankable.
MIN_CASES_TO_RANK = 5


def completion_rate(completed: int, received: int) -> float | None:
    """完成率 in %, one decimal; None when nothing was received."""
    return round(completed * 100 / received, 1) if received else None


def figure_definitions() -> list[tuple[str, str]]:
    """What each figure means, in Chinese, for the pages and the Excel files."""
    return [
        ("统计年度、月份", "按事件的登记时间（北京时间）所在的年份、月份统计。"),
        ("统计网格", "事件有归属网格时（区本级处置的事件，由监察员记录处理结果时填写）按归属网格统计，"
                  "否则按事件当前所属网格统计；被重新指定网格的事件计入新网格。"),
        ("收到", "当年登记、统计网格为该网格的事件数。"),
        ("完成", "收到的事件中，目前状态为“网格调解成功”或“已办结”的件数。“正常结束”（无效事件）另计为无效，"
               "不计入完成。"),
        ("完成率", "完成 ÷ 收到 × 100%；没有收到事件时不计算。"),
        ("信访、信访完成", "当年录入、所属网格为该网格的信访件数；填写了处置结果和处置时间的信访记为信访完成。"),
        ("排名", f"按当年完成率从高到低排列，完成率相同时完成件数多的在前；当年收到少于 {MIN_CASES_TO_RANK} 件的网格"
               "样本太少，只列出、不参与排名。排名是全区各网格之间的比较，网格员只看到本网格的完成率，不排名次。"),
        ("当前超时", f"网格接收满 {settings.KUAIBAN_OVERDUE_DAYS} 天仍在“网格处置中”的事件，按事件当前所在网格统计。"),
        ("统计范围", "只统计您有权查看的记录：领导和区后勤人员看到全部网格；网格员只看到本网格的数字，"
                  "且只计本网格经手的事件（派到本网格、未以“非本网格”为由退回），与点击数字打开的事件列表一致。"),
    ]


# A filtered case list counts up to this many (the desk's lists, and the API's list filtered by a
# custom field); beyond, it says so and asks to narrow it: counting a broad filter to its end
# over a million cases takes seconds (benchmarks/RESULTS.md).
FILTERED_COUNT_CAP = 1000
