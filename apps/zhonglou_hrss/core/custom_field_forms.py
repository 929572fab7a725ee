"""Custom fields on the desk's and the public's forms (issue 17): one form
field per custom field the user may fill, named ``custom.<code>`` — the key
``core.custom_fields`` names its errors with, so an app's ``attach_errors``
puts them next to the inputs like its own. Every field stays
``required=False`` with a * shown: the checking is the service's, in one place."""

from __future__ import annotations

from django import forms

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.models import CustomFieldType as T

PREFIX = "custom."
YES_NO = [("", "请选择"), ("true", "是"), ("false", "否")]


def _form_field(field) -> forms.Field:
    common = {"label": field.label, "required": False, "help_text": field.help_text}
    if field.type == T.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if field.type == T.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    if field.type == T.DECIMAL:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if field.type == T.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field.type == T.BOOLEAN:
        return forms.ChoiceField(choices=YES_NO, **common)
    if field.type == T.CHOICE:
        return forms.ChoiceField(choices=[("", "请选择"), *custom_fields.choices_of(field).items()], **common)
    if field.type == T.MULTI_CHOICE:
        return forms.MultipleChoiceField(choices=list(custom_fields.choices_of(field).items()),
                                         widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(**common)


def add_fields(form: forms.Form, object_key: str, user, *, public: bool = False, current: dict | None = None,
               full: bool = False):
    """Append the custom fields ``user`` may fill (on a public form: those marked public);
    ``current`` (the object's ``custom``) gives an edit form its initial values — a personal
    one in full only when ``full`` (the caller disclosed it), else masked: sent back
    unchanged, the stored value stays (``custom_fields.clean_values``)."""
    form.custom_field_names = []
    for field in custom_fields.definitions(object_key):
        if not custom_fields.may_edit(field, user, public=public):
            continue
        name = PREFIX + field.code
        form.fields[name] = _form_field(field)
        if field.required:
            form.fields[name].show_required = True
            form.fields[name].widget.attrs["aria-required"] = "true"
        if current and current.get(field.code) is not None:
            value = custom_fields.read_values(current, [field], full=full)[field.code]
            form.initial[name] = ("true" if value else "false") if field.type == T.BOOLEAN else value
        form.custom_field_names.append(name)


def bound_fields(form: forms.Form) -> list:
    """The custom fields' bound fields, for a template to render in one loop."""
    return [form[name] for name in getattr(form, "custom_field_names", [])]


def posted_values(form: forms.Form) -> dict:
    """``{code: value}`` as typed (cleaned by the form's plain fields; checked by the service)."""
    data = getattr(form, "cleaned_data", {})
    return {name[len(PREFIX):]: data.get(name) for name in getattr(form, "custom_field_names", [])}


class CustomFieldsForm(forms.Form):
    """Only an object's custom fields, for pages whose other inputs are built by hand (the
    portal's forms): rendered by a template loop, read raw, errors put back from the service."""

    def __init__(self, object_key: str, *args, user=None, public: bool = False, current: dict | None = None,
                 full: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        add_fields(self, object_key, user, public=public, current=current, full=full)

    def raw_values(self) -> dict:
        """``{code: value}`` as posted (the service checks them, not this form)."""
        out = {}
        for name in self.custom_field_names:
            many = isinstance(self.fields[name], forms.MultipleChoiceField)
            out[name[len(PREFIX):]] = self.data.getlist(name) if many else self.data.get(name, "")
        return out

    def put_errors(self, errors: dict) -> None:
        """The service's ``custom.<code>`` errors next to their inputs."""
        if self._errors is None:
            self._errors, self.cleaned_data = forms.utils.ErrorDict(), {}
        for key, messages in errors.items():
            if key in self.fields:
                for message in messages:
                    self.add_error(key, message)
