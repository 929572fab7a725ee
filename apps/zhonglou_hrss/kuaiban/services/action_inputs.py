"""The inputs of each workflow action, parsed and checked once.

Used by the desk (rendered as the small form behind each button) and by the
API (fed the JSON body), so both accept and refuse exactly the same input.
Rules that need the case (milestone order, USCC already known) live in
``services.transitions``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.core.validators import clean_text
from zhonglou_hrss.kuaiban.selectors.people import inspectors

# A device clock a little ahead is fine; a time in the future is a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)


class TimeField(forms.DateTimeField):
    """Optional time of the act; empty means now. Never in the future."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "不填则为当前时间")
        super().__init__(label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **kwargs)
        self.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
                              "%Y-%m-%d"]
        self.error_messages["invalid"] = "时间格式不正确，例如 2026-11-29 14:30"

    def to_python(self, value):
        if isinstance(value, str) and value:
            from django.utils.dateparse import parse_datetime

            parsed = parse_datetime(value.strip())  # ISO 8601, with or without offset
            if parsed is not None:
                from django.utils import timezone

                return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return clock.now()
        if value > clock.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError("时间不能晚于现在")
        return value


class AmountField(forms.DecimalField):
    def __init__(self, label, required=True, **kwargs):
        super().__init__(label=label, required=required, min_value=Decimal("0"), max_digits=14, decimal_places=2,
                         **kwargs)
        self.error_messages.update({
            "required": f"请填写{label}",
            "invalid": f"{label}须为数字",
            "min_value": f"{label}不能为负数",
            "max_digits": f"{label}过大",
            "max_decimal_places": f"{label}最多两位小数",
        })


class TypedTextField(forms.CharField):
    """Free text of an action (a reason, notes): checked like every typed text
    (core.validators.clean_text: no control, bidi or zero-width characters)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, label=str(self.label), multiline=True) if value else value


def _text(label, required=True, max_length=2000):
    field = TypedTextField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": 3}))
    field.error_messages["required"] = f"请填写{label}"
    field.error_messages["max_length"] = f"{label}不能超过{max_length}个字"
    return field


class CodeChoiceField(forms.ModelChoiceField):
    """A lookup / grid picked by its code (API) or id (desk select)."""

    def __init__(self, queryset, label, **kwargs):
        kwargs.setdefault("empty_label", "请选择")
        super().__init__(queryset=queryset, label=label, to_field_name="code", **kwargs)
        self.error_messages["required"] = f"请选择{label}"
        self.error_messages["invalid_choice"] = f"{label}不存在或已停用"


class EmptyForm(forms.Form):
    pass


class GridResolveForm(forms.Form):
    resolution_way = CodeChoiceField(LookupEntry.objects.none(), "成功方式")
    amount = AmountField("金额（元）")
    notes = _text("备注", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution_way"].queryset = LookupEntry.objects.of(LookupKind.RESOLUTION_WAY).selectable()


class NotesForm(forms.Form):
    notes = _text("调解失败情况")


class ReasonForm(forms.Form):
    reason = _text("理由")


class RegridForm(forms.Form):
    grid = CodeChoiceField(Grid.objects.none(), "新网格")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.selectable().street_level()


class AssignForm(forms.Form):
    inspector = forms.ModelChoiceField(get_user_model().objects.none(), label="监察员", to_field_name="username",
                                       empty_label="请选择")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors()
        self.fields["inspector"].error_messages.update({
            "required": "请选择监察员", "invalid_choice": "该用户不存在、已停用或不是监察员"})


class ReassignForm(AssignForm):
    reason = _text("改派理由")


class AtForm(forms.Form):
    at = TimeField("时间")


class HandlingForm(forms.Form):
    at = TimeField("处理时间")
    amount = AmountField("处理金额（元）")
    notes = _text("处理结果")
    respondent_uscc = forms.CharField(label="对方单位统一社会信用代码", required=False, max_length=30,
                                      help_text="对方单位的代码尚未登记时必填")
    respondent_uscc_confirmed = forms.BooleanField(label="确认代码无误", required=False)
    attributed_grid = CodeChoiceField(Grid.objects.none(), "归属网格（统计用）")
    penalty_required = forms.BooleanField(label="需要处罚", required=False,
                                          help_text="需要处罚的，须记录处罚决定时间后才能办结")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attributed_grid"].queryset = Grid.objects.selectable().street_level()


class ExecutionForm(forms.Form):
    executed_at = TimeField("执行时间（企业自行履行）", help_text="企业自行履行的，填写执行时间")
    enforcement_applied_at = TimeField("申请强制执行时间", help_text="申请法院强制执行的，填写申请时间")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both are optional individually; exactly one must be given.
        self._given = {name for name in ("executed_at", "enforcement_applied_at") if self.data.get(name)}

    def clean(self):
        cleaned = super().clean()
        if len(self._given) != 1:
            raise forms.ValidationError("请填写执行时间或申请强制执行时间中的一项")
        for name in ("executed_at", "enforcement_applied_at"):
            if name not in self._given:
                cleaned[name] = None
        return cleaned


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "grid_accept": EmptyForm,
    "grid_resolve": GridResolveForm,
    "grid_fail": NotesForm,
    "grid_return": ReasonForm,
    "triage_invalid": ReasonForm,
    "triage_regrid": RegridForm,
    "triage_escalate": EmptyForm,
    "assign": AssignForm,
    "reassign": ReassignForm,
    "claim": EmptyForm,
    "return_to_leader": ReasonForm,
    "record_filing": AtForm,
    "record_investigation": AtForm,
    "record_handling": HandlingForm,
    "record_penalty_decision": AtForm,
    "close": EmptyForm,
    "record_execution": ExecutionForm,
}


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    """Field → Chinese messages; form-wide errors under ``non_field_errors``."""
    errors = {}
    for name, messages in form.errors.items():
        errors["non_field_errors" if name == "__all__" else name] = list(messages)
    return errors
