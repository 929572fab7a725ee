"""Desk pages for petitions (信访, R-KB-15): the entry and edit form with
companions, the detail page with history (the list is ``admin.petitions``)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zhonglou_hrss.core import custom_field_forms, custom_fields, pii
from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible
from zhonglou_hrss.kuaiban.desk.forms import CompanionFormSet, PetitionForm, attach_errors
from zhonglou_hrss.kuaiban.models import Petition
from zhonglou_hrss.kuaiban.selectors.petitions import petition_for
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition


PII_FIELDS = ("id_number", "phone")


def _shown(kind: str, value: str, full: bool) -> str:
    return value if full else pii.mask(kind, value)


def _initial(petition: Petition, *, full: bool) -> dict:
    return {
        "name": petition.name, "id_number": _shown(pii.ID_CARD, petition.id_number, full),
        "phone": _shown(pii.MOBILE, petition.phone, full),
        "respondent_name": petition.respondent_name, "respondent_uscc": petition.respondent_uscc,
        "reason": petition.reason.code, "grid": petition.grid.code, "demand": petition.demand,
        "result": petition.result,
        "handled_at": timezone.localtime(petition.handled_at).strftime("%Y-%m-%dT%H:%M") if petition.handled_at else "",
    }


def _input(form: PetitionForm, companions) -> tuple[PetitionInput, list]:
    rows = [c for c in companions.forms if c.cleaned_data and not c.is_blank()]
    data = form.cleaned_data
    return PetitionInput(
        name=data["name"], id_number=data["id_number"], phone=data["phone"],
        companions=[CompanionInput(**{f: c.cleaned_data.get(f, "") for f in ("name", "id_number", "phone")})
                    for c in rows],
        respondent_name=data["respondent_name"], respondent_uscc=data["respondent_uscc"],
        respondent_uscc_confirmed=data["respondent_uscc_confirmed"], reason=data["reason"], grid=data["grid"],
        demand=data["demand"], result=data["result"], handled_at=data["handled_at"],
        custom=custom_field_forms.posted_values(form),
    ), rows


def _context(request, **extra):
    return {**admin.site.each_context(request), "opts": Petition._meta, **extra}


def edit(request, petition_id=None):
    """Enter a new petition or change one. An existing one's personal data is
    shown whole only to who may see it (``pii.disclose``, audited), masked to
    anyone else — who can still change the other fields."""
    petition = None
    if petition_id is not None:
        if not request.user.has_perm("kuaiban.change_petition"):
            raise Http404
        try:
            petition = petition_for(request.user, petition_id)
        except NotVisible:
            raise Http404 from None
    elif not request.user.has_perm("kuaiban.add_petition"):
        raise Http404
    if request.method == "POST":
        form = PetitionForm(request.POST, petition=petition, user=request.user)
        companions = CompanionFormSet(request.POST, prefix="companions")
        if form.is_valid() and companions.is_valid():
            data, rows = _input(form, companions)
            try:
                saved = save_petition(actor=request.user, data=data, petition_id=petition_id)
            except InvalidInput as exc:
                attach_errors(form, rows, exc.errors)
                messages.error(request, "未保存：请按提示修改标红的内容。")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "信访记录已保存。")
                return redirect("admin:kuaiban_petition_change", petition_id=saved.pk)
        else:
            messages.error(request, "未保存：请按提示修改标红的内容。")
        status = 400
    else:
        if petition is not None:
            # The form shows personal data whole only to who may see it (and
            # audits that); masked values sent back unchanged stay unchanged
            # (services.petitions).
            rows = list(petition.companions.all())
            full = pii.disclose(request.user, petition, request=request, detail={"page": "edit"},
                                fields=pii.shown_fields(petition, PII_FIELDS, companions=rows)
                                + custom_fields.personal_shown("petition", petition, request.user))
            form = PetitionForm(initial=_initial(petition, full=full), petition=petition, user=request.user,
                                full=full)
            companions = CompanionFormSet(prefix="companions", initial=[
                {"name": c.name, "id_number": _shown(pii.ID_CARD, c.id_number, full),
                 "phone": _shown(pii.MOBILE, c.phone, full)} for c in rows])
        else:
            form = PetitionForm(user=request.user)
            companions = CompanionFormSet(prefix="companions")
        status = 200
    title = "修改信访记录" if petition else "录入信访"
    return TemplateResponse(request, "kuaiban/desk/petition_form.html",
                            _context(request, title=title, form=form, companions=companions, petition=petition),
                            status=status)


def detail(request, petition_id):
    try:
        petition = petition_for(request.user, petition_id)
    except NotVisible:
        raise Http404 from None
    rows = list(petition.companions.all())
    shown = custom_fields.visible("petition", request.user)
    reveal = pii.disclose(request.user, petition, fields=pii.shown_fields(petition, PII_FIELDS, companions=rows)
                          + custom_fields.personal_shown("petition", petition, request.user, shown),
                          asked=request.GET.get("pii") == "1", request=request)
    return TemplateResponse(request, "kuaiban/desk/petition_page.html", _context(
        request, title=f"信访记录 {petition.pk}", petition=petition, reveal=reveal,
        can_reveal=pii.may_see(request.user) and not reveal,
        can_edit=request.user.has_perm("kuaiban.change_petition"),
        companions=rows, events=petition.events.select_related("actor"),
        custom_shown=custom_fields.display_rows("petition", petition.custom, shown, full=reveal),
    ))
