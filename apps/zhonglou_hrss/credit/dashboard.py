"""Credit on the desk home (工作台) of 信用评价管理员 (ui.md: "what do I do now"):
HR-company accounts waiting for review, declarations waiting for 初评 and for
终评 — each linking to its filtered list; the same counts as sidebar badges.
Counted once per request."""

from __future__ import annotations

from django.urls import reverse

from zhonglou_hrss.core.models import AccessStatus
from zhonglou_hrss.core.selectors import access_requests_for
from zhonglou_hrss.credit.rules import APPROVE_ACCOUNTS, REVIEW, SCORE, SUBSYSTEM
from zhonglou_hrss.credit.selectors.declarations import is_staff, status_counts
from zhonglou_hrss.credit.workflow import INITIAL_DONE, SUBMITTED


def _pending_accounts(request) -> int:
    if not hasattr(request, "_credit_pending_accounts"):
        request._credit_pending_accounts = (
            access_requests_for(request.user, SUBSYSTEM).filter(status=AccessStatus.PENDING).count())
    return request._credit_pending_accounts


def _counts(request) -> dict[str, int]:
    if not hasattr(request, "_credit_status_counts"):
        request._credit_status_counts = status_counts(request.user)
    return request._credit_status_counts


def cards(request) -> list[dict]:
    user = request.user
    out = []
    if user.has_perm(APPROVE_ACCOUNTS):
        value = _pending_accounts(request)
        out.append({"title": "待审核信用评价账号", "value": value, "change": "人力资源企业的申请",
                    "link": reverse("admin:core_enterpriseaccount_changelist") + "?credit=pending",
                    "tone": "primary" if value else ""})
    if is_staff(user):
        counts = _counts(request)
        base = reverse("admin:credit_declaration_changelist")
        for status, title, change in ((SUBMITTED, "待初评信用申报", "企业已提交"),
                                      (INITIAL_DONE, "待终评信用申报", "初评已确认")):
            value = counts.get(status, 0)
            out.append({"title": title, "value": value, "change": change, "link": f"{base}?status={status}",
                        "tone": "primary" if value else ""})
    return out


def pending_accounts_badge(request) -> str:
    value = _pending_accounts(request) if request.user.has_perm(APPROVE_ACCOUNTS) else 0
    return str(value) if value else ""


def to_score_badge(request) -> str:
    """Declarations waiting for a stage's scoring (初评 or 终评)."""
    if not (request.user.has_perm(SCORE) or request.user.has_perm(REVIEW)):
        return ""
    counts = _counts(request)
    value = counts.get(SUBMITTED, 0) + counts.get(INITIAL_DONE, 0)
    return str(value) if value else ""
