"""What a source of the saved reports is (issue 17): the fields the report
builder offers and the rows a user may see.

An app describes each of its sources with a ``ReportSource`` in
``<app>/reports/sources.py`` and registers it with ``core.registry.report_source``
in its ``AppConfig.ready()``; the platform's report engine reads only these.

- Fields are read off the model (label from ``verbose_name``, type from the
  model field, choice labels from its choices, a personal field's kind from its
  ``PIIField``); related fields are ``__`` paths (``grid__name``).
- ``queryset_for(user)`` is the app's own list selector (``case_list_for`` …):
  a report shows the rows the user's lists show, never more.
- ``custom_object``: the key of the object in ``core.custom_fields`` (case,
  petition, enterprise …) whose custom fields the builder offers as ``custom.<code>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet
from django.utils.module_loading import import_string

TEXT, NUMBER, DATE, DATETIME, CHOICE, BOOLEAN = "text", "number", "date", "datetime", "choice", "boolean"
TYPES = (TEXT, NUMBER, DATE, DATETIME, CHOICE, BOOLEAN)
TYPE_LABELS = {TEXT: "文本", NUMBER: "数字", DATE: "日期", DATETIME: "日期时间", CHOICE: "选项", BOOLEAN: "是/否"}
CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class ReportField:
    """One field of a source. ``key`` is its ORM path (``grid__name``) or ``custom.<code>``."""

    key: str
    label: str
    type: str
    choices: tuple[tuple[str, str], ...] = ()
    personal: str = ""  # a core.pii kind (id_card, mobile) when the value is personal data
    groupable: bool = False
    summable: bool = False
    custom: bool = False
    multi: bool = False  # a custom field of several choices: a JSON list of codes
    definition: object = field(default=None, compare=False, repr=False)  # the core.CustomField of a custom field

    @property
    def related(self) -> bool:
        return "__" in self.key

    @property
    def path(self) -> str:
        """The ORM path of the value (a custom field is a key of the ``custom`` JSON column)."""
        return "custom__" + self.key[len(CUSTOM_PREFIX):] if self.custom else self.key

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "type": self.type,
                "choices": [{"code": c, "label": lbl} for c, lbl in self.choices],
                "personal": bool(self.personal), "pii_kind": self.personal, "groupable": self.groupable,
                "summable": self.summable, "related": self.related, "custom": self.custom, "multi": self.multi}


@dataclass(frozen=True)
class F:
    """A field declared by a source: its path and what to change from what the model says."""

    path: str
    label: str = ""
    group: bool | None = None
    sum: bool | None = None
    type: str = ""


def _model_field(model, path: str) -> models.Field:
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def _field_type(f: models.Field) -> str:
    if f.choices:
        return CHOICE
    if isinstance(f, models.BooleanField):
        return BOOLEAN
    if isinstance(f, models.DateTimeField):
        return DATETIME
    if isinstance(f, models.DateField):
        return DATE
    if isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)):
        return NUMBER
    return TEXT


def describe(model, declared: F) -> ReportField:
    """A ReportField read off the model: label, type, choices and personal kind."""
    f = _model_field(model, declared.path)
    kind = declared.type or _field_type(f)
    personal = getattr(f, "pii_kind", "") or ""
    groupable = declared.group if declared.group is not None else (kind in (CHOICE, BOOLEAN, DATE, DATETIME))
    summable = declared.sum if declared.sum is not None else (kind == NUMBER)
    return ReportField(
        key=declared.path, label=declared.label or str(f.verbose_name), type=kind,
        choices=tuple((str(c), str(lbl)) for c, lbl in (f.choices or ())) if kind == CHOICE else (),
        personal=personal, groupable=groupable and not personal, summable=summable and kind == NUMBER and not personal)


@dataclass
class ReportSource:
    """A source of the saved reports (see the module's doc).

    ``queryset``: callable(user) -> the user's visible rows, or its dotted path;
    ``permissions``: the builder offers the source to a user holding any of them
    (the rows still come from ``queryset`` alone)."""

    key: str
    label: str
    model: type[models.Model]
    declared: list[F]
    queryset: Callable[[object], QuerySet] | str
    permissions: tuple[str, ...]
    custom_object: str = ""
    date_field: str = ""  # the main date, offered first for grouping by month
    _fields: dict[str, ReportField] | None = field(default=None, repr=False)

    def queryset_for(self, user) -> QuerySet:
        func = import_string(self.queryset) if isinstance(self.queryset, str) else self.queryset
        return func(user)

    def usable_by(self, user) -> bool:
        return bool(user and user.is_authenticated and user.is_active
                    and any(user.has_perm(p) for p in self.permissions))

    def model_fields(self) -> dict[str, ReportField]:
        if self._fields is None:
            self._fields = {d.path: describe(self.model, d) for d in self.declared}
        return self._fields

    def custom_fields(self, user) -> dict[str, ReportField]:
        """The object's active custom fields this user may see (``core.custom_fields``,
        by their view roles), as report fields. A retired one is left out: a report
        naming it runs without it and says so."""
        if not self.custom_object or not any(f.name == "custom" for f in self.model._meta.get_fields()):
            return {}
        from zhonglou_hrss.core import custom_fields

        return {CUSTOM_PREFIX + d.code: _custom_field(d, custom_fields.choices_of(d))
                for d in custom_fields.visible(self.custom_object, user)}

    def fields_for(self, user) -> dict[str, ReportField]:
        return {**self.model_fields(), **self.custom_fields(user)}


# A custom field's type (core.custom_fields) → the report's type.
CUSTOM_TYPES = {"text": TEXT, "long_text": TEXT, "number": NUMBER, "decimal": NUMBER, "date": DATE,
                "boolean": BOOLEAN, "choice": CHOICE, "multi_choice": CHOICE}


def _custom_field(d, choices: dict[str, str]) -> ReportField:
    kind = CUSTOM_TYPES.get(str(d.type), TEXT)
    multi = d.type == "multi_choice"
    # A personal value is stored encrypted: shown (masked or whole), never grouped, summed or filtered.
    personal = "custom" if d.personal else ""
    return ReportField(key=CUSTOM_PREFIX + d.code, label=str(d.label), type=kind,
                       choices=tuple(choices.items()) if kind == CHOICE else (), personal=personal,
                       groupable=kind in (CHOICE, BOOLEAN, DATE) and not multi and not personal,
                       summable=kind == NUMBER and not personal, custom=True, multi=multi, definition=d)
