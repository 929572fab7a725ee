"""Desk pages for petitions (信访, R-KB-15): list (admin changelist), entry and
edit form with companions, detail page with history."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from zhonglou_hrss.core import audit, pii
from zhonglou_hrss.core.display import style_form
from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible
from zhonglou_hrss.core.models import AuditLog, Grid, LookupEntry, LookupKind
from zhonglou_hrss.kuaiban.action_forms import TimeField
from zhonglou_hrss.kuaiban.desk_forms import CompanionFormSet, attach_errors
from zhonglou_hrss.kuaiban.models import Petition
from zhonglou_hrss.kuaiban.petition_selectors import petition_for
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition


def _choices(queryset, label="label"):
    return [("", "请选择")] + [(o.code, getattr(o, label)) for o in queryset]


class PetitionForm(forms.Form):
    name = forms.CharField(label="姓名", required=False, max_length=50)
    id_number = forms.CharField(label="身份证号", required=False, max_length=30)
    phone = forms.CharField(label="联系电话", required=False, max_length=30)
    respondent_name = forms.CharField(label="对方单位名称", required=False, max_length=200)
    respondent_uscc = forms.CharField(label="对方单位统一社会信用代码", required=False, max_length=30)
    respondent_uscc_confirmed = forms.BooleanField(label="确认代码无误", required=False,
                                                   help_text="代码校验位不符但已核实无误时勾选")
    reason = forms.ChoiceField(label="案由", required=False)
    grid = forms.ChoiceField(label="所属网格", required=False, help_text="可选“区本级”")
    demand = forms.CharField(label="具体诉求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label="处置结果", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="处置结果与处置时间同时填写后，该信访记为已办结")
    handled_at = TimeField("处置时间", help_text="")

    def __init__(self, *args, petition: Petition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = LookupEntry.objects.of(LookupKind.CASE_REASON)
        grids = Grid.objects.all()
        # Inactive entries stay selectable on a record that already uses them.
        keep_reason = petition.reason_id if petition else None
        keep_grid = petition.grid_id if petition else None
        self.fields["reason"].choices = _choices(reasons.filter(pk=keep_reason) | reasons.selectable())
        self.fields["grid"].choices = _choices(grids.filter(pk=keep_grid) | grids.selectable(), label="name")
        style_form(self)

    def clean_handled_at(self):
        # TimeField fills "now" when empty; here empty means "not handled yet".
        return self.cleaned_data["handled_at"] if self.data.get("handled_at") else None


def _initial(petition: Petition) -> dict:
    return {
        "name": petition.name, "id_number": petition.id_number, "phone": petition.phone,
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
    ), rows


def _context(request, **extra):
    return {**admin.site.each_context(request), "opts": Petition._meta, **extra}


def edit(request, petition_id=None):
    """Enter a new petition or change one. The user sees full personal data
    here (it is the form); opening an existing one for editing is audited."""
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
        form = PetitionForm(request.POST, petition=petition)
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
            audit.record(AuditLog.Action.PII_VIEW, target=petition, request=request,
                         detail={"fields": ["id_number", "phone", "companions"], "page": "edit"})
            form = PetitionForm(initial=_initial(petition), petition=petition)
            companions = CompanionFormSet(prefix="companions", initial=[
                {"name": c.name, "id_number": c.id_number, "phone": c.phone} for c in petition.companions.all()])
        else:
            form = PetitionForm()
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
    reveal = request.GET.get("pii") == "1" and pii.can_view_full(request.user)
    if reveal:
        audit.record(AuditLog.Action.PII_VIEW, target=petition, request=request,
                     detail={"fields": ["id_number", "phone", "companions"]})
    return TemplateResponse(request, "kuaiban/desk/petition_page.html", _context(
        request, title=f"信访记录 {petition.pk}", petition=petition, reveal=reveal,
        can_reveal=pii.can_view_full(request.user) and not reveal,
        can_edit=request.user.has_perm("kuaiban.change_petition"),
        companions=petition.companions.all(), events=petition.events.select_related("actor"),
    ))
