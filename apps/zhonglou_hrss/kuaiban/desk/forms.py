"""The desk's entry forms: internal registration (R-KB-02) and petitions
(R-KB-15), with their companion rows.

They only collect what was typed; all checking is the services'
(``services.registration``, ``services.petitions``), whose field-keyed errors
are put back next to the fields here.
"""

from __future__ import annotations

import re

from django import forms

from zhonglou_hrss.core import custom_field_forms
from zhonglou_hrss.core.display import style_form
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.kuaiban.models import Petition
from zhonglou_hrss.kuaiban.rules import PUBLIC_ONLY_CHANNELS
from zhonglou_hrss.kuaiban.services.action_inputs import TimeField
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services import petitions as petition_service
from zhonglou_hrss.kuaiban.services.registration import REQUIRED_FIELDS as REGISTRATION_REQUIRED
from zhonglou_hrss.kuaiban.services.registration import RegistrationInput


def mark_required(form: forms.Form, names):
    """Show * on what the service will refuse empty: the fields stay
    ``required=False`` so every message comes from the service, in one place."""
    for name in names:
        if name in form.fields:
            form.fields[name].show_required = True
            form.fields[name].widget.attrs["aria-required"] = "true"


def _choices(queryset, value="code", label="label", blank="请选择"):
    return [("", blank)] + [(getattr(o, value), getattr(o, label)) for o in queryset]


class ServiceCheckedChoiceField(forms.ChoiceField):
    """A select offering the choices, whose posted value the service checks
    and names what is wrong with (a public-only channel: ``rules.channel_allowed``)."""

    def valid_value(self, value):
        return True


class RegistrationForm(forms.Form):
    reporter_name = forms.CharField(label="上报人姓名", required=False, max_length=50)
    reporter_id_number = forms.CharField(label="身份证号", required=False, max_length=30)
    reporter_phone = forms.CharField(label="手机号", required=False, max_length=30)
    respondent_name = forms.CharField(label="对方单位名称", required=False, max_length=200)
    respondent_uscc = forms.CharField(label="对方单位统一社会信用代码", required=False, max_length=30,
                                      help_text="知道的请填写；不知道可空，由监察员处理前补全")
    respondent_uscc_confirmed = forms.BooleanField(label="确认代码无误", required=False,
                                                   help_text="代码校验位不符但已核实无误时勾选")
    reason = forms.ChoiceField(label="案由", required=False)
    grid = forms.ChoiceField(label="所属网格", required=False, help_text="选“区本级”的事件直接交领导指派")
    channel = ServiceCheckedChoiceField(label="来源渠道", required=False)
    demand = forms.CharField(label="具体诉求", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label="上报人照片", required=False, help_text="JPG/PNG，可空")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        custom_field_forms.add_fields(self, "case", user)
        self.fields["reason"].choices = _choices(LookupEntry.objects.of(LookupKind.CASE_REASON).selectable())
        self.fields["grid"].choices = _choices(Grid.objects.selectable(), label="name")
        self.fields["channel"].choices = _choices(
            LookupEntry.objects.of(LookupKind.CHANNEL).selectable().exclude(code__in=PUBLIC_ONLY_CHANNELS))
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png"
        mark_required(self, REGISTRATION_REQUIRED)
        style_form(self)


class CompanionForm(forms.Form):
    name = forms.CharField(label="姓名", required=False, max_length=50)
    id_number = forms.CharField(label="身份证号", required=False, max_length=30)
    phone = forms.CharField(label="手机号", required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_required(self, ("name",))  # a companion row needs at least the name (person_input)
        style_form(self)

    def is_blank(self) -> bool:
        return not any((self.cleaned_data.get(f) or "").strip() for f in ("name", "id_number", "phone"))


CompanionFormSet = forms.formset_factory(CompanionForm, extra=0, max_num=50, validate_max=True)


def registration_input(form: RegistrationForm, companions) -> RegistrationInput:
    data = form.cleaned_data
    rows = [c for c in companions.forms if c.cleaned_data and not c.is_blank()]
    return RegistrationInput(
        reporter_name=data["reporter_name"], reporter_id_number=data["reporter_id_number"],
        reporter_phone=data["reporter_phone"],
        companions=[CompanionInput(**{f: c.cleaned_data.get(f, "") for f in ("name", "id_number", "phone")})
                    for c in rows],
        respondent_name=data["respondent_name"], respondent_uscc=data["respondent_uscc"],
        respondent_uscc_confirmed=data["respondent_uscc_confirmed"], reason=data["reason"], grid=data["grid"],
        demand=data["demand"], channel=data["channel"], photo=data.get("photo"),
        custom=custom_field_forms.posted_values(form),
    ), rows


COMPANION_KEY = re.compile(r"^companions\[(\d+)\]\.(\w+)$")


def attach_errors(form: RegistrationForm, companion_rows: list, errors: dict[str, list[str]]):
    """Put the service's field-keyed errors back next to their inputs."""
    for key, messages in errors.items():
        match = COMPANION_KEY.match(key)
        for message in messages:
            if match:
                index, field = int(match.group(1)), match.group(2)
                if index < len(companion_rows):
                    companion_rows[index].add_error(field, message)
                    continue
                form.add_error(None, message)
            elif key in form.fields:
                form.add_error(key, message)
            else:
                form.add_error(None, message)


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

    def __init__(self, *args, petition: Petition | None = None, user=None, full: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        custom_field_forms.add_fields(self, "petition", user, current=petition.custom if petition else None, full=full)
        reasons = LookupEntry.objects.of(LookupKind.CASE_REASON)
        grids = Grid.objects.all()
        # Inactive entries stay selectable on a record that already uses them.
        keep_reason = petition.reason_id if petition else None
        keep_grid = petition.grid_id if petition else None
        self.fields["reason"].choices = _choices(reasons.filter(pk=keep_reason) | reasons.selectable())
        self.fields["grid"].choices = _choices(grids.filter(pk=keep_grid) | grids.selectable(), label="name")
        mark_required(self, petition_service.REQUIRED_FIELDS)
        style_form(self)

    def clean_handled_at(self):
        # TimeField fills "now" when empty; here empty means "not handled yet".
        return self.cleaned_data["handled_at"] if self.data.get("handled_at") else None
