"""Reads of job fairs and their registrations (R-PT-08, 09, 17, 18).

Who sees which registration starts here: staff holding ``portal.view_jobfair``
see every registration; an enterprise account sees its own enterprise's and
nothing else; anybody else sees none."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.selectors import access_of
from zhonglou_hrss.portal.models import JobFair, JobFairAttachment, Registration, RegistrationStatus
from zhonglou_hrss.portal.rules import SUBSYSTEM, VIEW_JOBFAIRS, fair_open_q


def is_jobfair_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(VIEW_JOBFAIRS))


# --- fairs -----------------------------------------------------------------------------------
def open_fairs(today: date) -> QuerySet:
    """The fairs open for registration (R-PT-08), soonest first, with their documents."""
    return (JobFair.objects.filter(fair_open_q(today)).order_by("date", "id")
            .prefetch_related(Prefetch("attachments", queryset=JobFairAttachment.objects.order_by(
                "-is_form_template", "id"))))


def fair_list_for(user) -> QuerySet:
    """Every fair for staff, newest first, with its registration counts."""
    if not is_jobfair_staff(user):
        return JobFair.objects.none()
    return JobFair.objects.order_by("-date", "-id").annotate(
        registration_count=Count("registrations", filter=~Q(registrations__status=RegistrationStatus.DRAFT)),
        pending_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING)),
    )


def fair_for_staff(user, fair_id) -> JobFair:
    fair = JobFair.objects.filter(pk=fair_id).first() if is_jobfair_staff(user) else None
    if fair is None:
        raise NotVisible("招聘会不存在")
    return fair


def latest_fair() -> JobFair | None:
    """The fair staff review by default (R-PT-18): the one held last (latest date)."""
    return JobFair.objects.order_by("-date", "-id").first()


def readable_attachment(user, fair_id, attachment_id, today: date) -> JobFairAttachment:
    """A fair's document: anyone for a fair open for registration, staff for any fair,
    an enterprise for a fair it registered for."""
    attachment = (JobFairAttachment.objects.select_related("fair")
                  .filter(pk=attachment_id, fair_id=fair_id).first())
    if attachment is None:
        raise NotVisible()
    fair = attachment.fair
    if JobFair.objects.filter(fair_open_q(today), pk=fair.pk).exists() or is_jobfair_staff(user):
        return attachment
    access = access_of(user, SUBSYSTEM)
    if access is not None and fair.registrations.filter(enterprise_id=access.account.enterprise_id).exists():
        return attachment
    raise NotVisible()


# --- registrations ---------------------------------------------------------------------------
def registration_list_for(user) -> QuerySet:
    """The registrations this user may see (R-PT-09 for an enterprise, R-PT-18 for staff)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Registration.objects.none()
    if is_jobfair_staff(user):
        # Drafts are the enterprise's own business until submitted.
        return Registration.objects.exclude(status=RegistrationStatus.DRAFT)
    access = access_of(user, SUBSYSTEM)
    if access is None:
        return Registration.objects.none()
    return Registration.objects.filter(enterprise_id=access.account.enterprise_id)


def registration_for(user, registration_id) -> Registration:
    registration = (registration_list_for(user).select_related("fair", "account", "enterprise", "decided_by")
                    .filter(pk=registration_id).first())
    if registration is None:
        raise NotVisible("报名不存在或您无权查看")
    return registration


def with_rows(qs: QuerySet) -> QuerySet:
    """A registration list with its attendees and positions (and their education labels)."""
    return qs.select_related("fair").prefetch_related("attendees", "positions__education")


def filter_registrations(qs: QuerySet, *, fair_id=None, status: str = "", q: str = "") -> QuerySet:
    """Staff's filters: the fair, the status, a keyword in the company's name."""
    if fair_id:
        qs = qs.filter(fair_id=fair_id)
    if status:
        qs = qs.filter(status=status)
    for word in (q or "").split()[:5]:
        qs = qs.filter(company_name__icontains=word)
    return qs


def pending_registration_count(user) -> int:
    """Registrations waiting for review (the desk home's card and the sidebar badge)."""
    if not (is_jobfair_staff(user) and user.has_perm("portal.review_registration")):
        return 0
    return Registration.objects.filter(status=RegistrationStatus.PENDING).count()


def timeline_of(registration: Registration) -> list:
    return list(registration.events.select_related("actor").order_by("-at", "-id"))
