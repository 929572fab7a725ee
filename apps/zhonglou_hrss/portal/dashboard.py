"""Portal cards on the desk home (工作台) of 就业后台: new urgent concerns
(R-PT-16: a new concern shows as a count), accounts and job-fair registrations
(R-PT-18) waiting for review,
each linking to its filtered list; the same counts as sidebar badges."""

from __future__ import annotations

from django.urls import reverse

from zhonglou_hrss.core.models import AccessStatus
from zhonglou_hrss.core.selectors import access_requests_for
from zhonglou_hrss.portal.rules import APPROVE_ACCOUNTS, REVIEW_DEMANDS, REVIEW_REGISTRATIONS, SUBSYSTEM, VIEW_CONCERNS
from zhonglou_hrss.portal.selectors.concerns import new_concern_count
from zhonglou_hrss.portal.selectors.demands import pending_demand_count
from zhonglou_hrss.portal.selectors.jobfairs import pending_registration_count


def _pending_accounts(request) -> int:
    if not hasattr(request, "_portal_pending_accounts"):
        request._portal_pending_accounts = (
            access_requests_for(request.user, SUBSYSTEM).filter(status=AccessStatus.PENDING).count())
    return request._portal_pending_accounts


def _new_concerns(request) -> int:
    if not hasattr(request, "_portal_new_concerns"):
        request._portal_new_concerns = new_concern_count(request.user)
    return request._portal_new_concerns


def cards(request) -> list[dict]:
    user = request.user
    out = []
    if user.has_perm(VIEW_CONCERNS):
        value = _new_concerns(request)
        out.append({"title": "新的急难愁盼", "value": value, "change": "尚未查看的咨询",
                    "link": reverse("admin:portal_concern_changelist") + "?status__exact=new",
                    "tone": "primary" if value else ""})
    if user.has_perm(APPROVE_ACCOUNTS):
        value = _pending_accounts(request)
        out.append({"title": "待审核企业账号", "value": value, "change": "码上办注册申请",
                    "link": reverse("admin:core_enterpriseaccount_changelist") + "?portal=pending",
                    "tone": "primary" if value else ""})
    if user.has_perm(REVIEW_REGISTRATIONS):
        value = _pending_registrations(request)
        out.append({"title": "待审核招聘会报名", "value": value, "change": "企业提交的招聘会报名",
                    "link": reverse("admin:portal_registration_changelist") + "?fair=all&status__exact=pending",
                    "tone": "primary" if value else ""})
    out += demand_cards(request)
    return out


def _pending_registrations(request) -> int:
    if not hasattr(request, "_portal_pending_registrations"):
        request._portal_pending_registrations = pending_registration_count(request.user)
    return request._portal_pending_registrations


def pending_registrations_badge(request) -> str:
    value = _pending_registrations(request) if request.user.has_perm(REVIEW_REGISTRATIONS) else 0
    return str(value) if value else ""


def new_concerns_badge(request) -> str:
    value = _new_concerns(request) if request.user.has_perm(VIEW_CONCERNS) else 0
    return str(value) if value else ""


def pending_accounts_badge(request) -> str:
    value = _pending_accounts(request) if request.user.has_perm(APPROVE_ACCOUNTS) else 0
    return str(value) if value else ""


# --- talent demands (R-PT-13): the count waiting for review ---------------------------------
def _pending_demands(request) -> int:
    if not hasattr(request, "_portal_pending_demands"):
        request._portal_pending_demands = pending_demand_count(request.user)
    return request._portal_pending_demands


def demand_cards(request) -> list[dict]:
    if not request.user.has_perm(REVIEW_DEMANDS):
        return []
    value = _pending_demands(request)
    return [{"title": "待审核人才需求", "value": value, "change": "企业提交的用工人才需求",
             "link": reverse("admin:portal_demand_changelist") + "?status=pending",
             "tone": "primary" if value else ""}]


def pending_demands_badge(request) -> str:
    value = _pending_demands(request) if request.user.has_perm(REVIEW_DEMANDS) else 0
    return str(value) if value else ""
