"""Pure definitions of the portal: the permissions its rules name, what the
public may read, limits and number formats. No query runs here."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from zhonglou_hrss.core.ratelimit import RateLimit

# Permissions (roles map to them in fixtures/base/roles.toml; code never names a role).
VIEW_NEWS = "portal.view_news"
PUBLISH_NEWS = "portal.publish_news"
VIEW_CONCERNS = "portal.view_concern"
HANDLE_CONCERNS = "portal.handle_concern"
VIEW_ACCOUNTS = "core.view_enterpriseaccount"
APPROVE_ACCOUNTS = "core.approve_portal_access"
VIEW_JOBFAIRS = "portal.view_jobfair"
MANAGE_JOBFAIRS = "portal.manage_jobfair"
REVIEW_REGISTRATIONS = "portal.review_registration"
VIEW_DEMANDS = "portal.view_demand"
REVIEW_DEMANDS = "portal.review_demand"
SUBSYSTEM = "portal"  # core.Subsystem.PORTAL: the access the portal's enterprise functions need

HOME_PINNED = 5  # R-PT-01 / R-PT-12: the 5 latest pinned news by publish date
NEWS_PAGE_SIZE = 15
MAX_TITLE = 200
MAX_CONTENT = 200_000  # characters of sanitised HTML
MAX_ATTACHMENTS = 10
MAX_DETAILS = 2000
CONCERN_DUPLICATE_WINDOW = timedelta(minutes=10)
CONCERN_PREFIX = "JN"  # JN2026-000123 (core.services.numbers)

# Job fairs (R-PT-10, 17): what one registration may hold.
MAX_FAIR_NAME = 200
MAX_ATTENDEES = 10
MAX_POSITIONS = 30
MAX_INTRODUCTION = 2000
MAX_POSITION_DESCRIPTION = 1000
MAX_SALARY = 1_000_000  # yuan a month: a typo's extra zeros, not a salary
MAX_HEADCOUNT = 10_000

# Talent demands (R-PT-05, 07).
MAX_DEMAND_POSITIONS = 30
MAX_DEMAND_MAJORS = 10  # per position
MAX_WORKFORCE = 1_000_000
# The outcome (how many were hired, 已完成 / 未完全达成) can be corrected for this
# long after it was first given; then it is the record the statistics keep.
OUTCOME_CORRECTION_WINDOW = timedelta(days=30)
# Salary bands of the statistics (R-PT-14), by a position's monthly midpoint (min+max)/2, in yuan:
# (code, label, lower bound inclusive, upper bound exclusive or None).
SALARY_BANDS = [
    ("lt3000", "3000元以下", 0, 3000),
    ("3000_5000", "3000-5000元", 3000, 5000),
    ("5000_8000", "5000-8000元", 5000, 8000),
    ("8000_12000", "8000-12000元", 8000, 12000),
    ("12000_plus", "12000元及以上", 12000, None),
]


def salary_band(salary_min: int, salary_max: int) -> str:
    """The band (its code) of a position's monthly midpoint."""
    mid = (salary_min + salary_max) / 2
    for code, _, low, high in SALARY_BANDS:
        if mid >= low and (high is None or mid < high):
            return code
    return SALARY_BANDS[0][0]


def fair_open_q(today: date) -> Q:
    """Fairs an enterprise may register for: registration opened by staff and
    the fair's day not yet past (R-PT-08)."""
    return Q(registration_open=True, date__gte=today)


def fair_accepts_registrations(fair, today: date) -> bool:
    """The same rule as ``fair_open_q``, for one fair in hand."""
    return bool(fair.registration_open and fair.date >= today)


def news_public_q(today: date) -> Q:
    """What the public sees: published, and its publish date has come (R-PT-12)."""
    return Q(is_published=True, published_on__lte=today)


# The four services of the portal's home (R-PT-01), in the customer's order: (key, title).
SERVICES = [
    ("news", "就业人才服务清单"),
    ("demands", "企业用工人才需求反馈"),
    ("concerns", "“急难愁盼”事“码上办”"),
    ("jobfairs", "招聘会报名"),
]


# --- limits of the public forms (core.ratelimit; numbers from the site's [portal] settings) --------
def concern_ip_limit() -> RateLimit:
    return RateLimit("pt-concern-ip", settings.PORTAL_CONCERNS_PER_IP_HOUR, 3600,
                     "您所在的网络在一小时内提交的咨询过多，请稍后再试，或拨打12333咨询。")


def concern_phone_limit() -> RateLimit:
    return RateLimit("pt-concern-phone", settings.PORTAL_CONCERNS_PER_PHONE_DAY, 86400,
                     "该手机号今天已提交多次咨询，工作人员会尽快与您联系，请勿重复提交。")


def lookup_ip_limit() -> RateLimit:
    return RateLimit("pt-lookup-ip", settings.PORTAL_LOOKUP_FAILURES_PER_IP_HOUR, 3600,
                     "查询失败次数过多，请一小时后再试。")


def registration_ip_limit() -> RateLimit:
    return RateLimit("pt-register-ip", settings.PORTAL_REGISTRATIONS_PER_IP_HOUR, 3600,
                     "您所在的网络在一小时内注册尝试过多，请稍后再试。")
