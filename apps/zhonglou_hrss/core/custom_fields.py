"""Custom fields (issue 17): the one door for fields administrators add to an
object without a release — their definitions, the check of every value
written, what a user reads, and the index filters use.

An object takes part by registering itself (``registry.custom_field_object``
in its app's ``ready``) and having a JSON column ``custom``; its own services
then call, inside their transaction:

    values = custom_fields.clean_values("case", sent, errors=errors, user=actor,
                                        current=case.custom, creating=False)
    errors.raise_if_any()          # with the object's own field errors: nothing half-saved
    case.custom = values; case.save()
    custom_fields.index("case", case.pk, values)

and its readers call ``read`` (visibility by role, personal values masked
unless the user may see personal data — then an audit row) and
``filter_queryset`` (``?custom.<code>=…`` against the ``CustomValue`` index).

Errors are keyed ``custom.<code>``, the site's convention for a nested field
(like ``attendees[0].id_number``): an API answers ``errors["custom.<code>"]``.

Stored values: text, long text and a choice code as strings; an integer as a
JSON number; a decimal as a string ("12.50": JSON has no exact decimals); a
date as "YYYY-MM-DD"; yes/no as true/false; several choices as a list of
codes. A personal field's value is stored encrypted (``pii.encrypt``) and is
never in the index."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import transaction

from zhonglou_hrss.core import audit, memo, pii, registry
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.models import AuditLog, CustomField, CustomFieldType, CustomValue, LookupEntry, LookupKind

T = CustomFieldType
MEMO_PREFIX = "custom_fields:"  # core.memo keys of the definitions read in a request
DEFINITIONS_VERSION = "custom_fields:version"  # the cache's token for the definitions kept (core.memo.kept)
MANAGE = "core.manage_customfield"
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHOICE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,30}$")
TEXT_LIMIT, LONG_TEXT_LIMIT = 200, 2000
NUMBER_LIMIT = 10 ** 12
PERSONAL_TYPES = {T.TEXT, T.LONG_TEXT, T.NUMBER, T.DATE}
CHOICE_TYPES = {T.CHOICE, T.MULTI_CHOICE}
# A definition in use may change type only where every stored value stays valid as it is.
WIDENING = {(T.TEXT, T.LONG_TEXT), (T.NUMBER, T.DECIMAL)}
YES, NO = {"true", "1", "on", "是"}, {"false", "0", "off", "否"}  # as forms and query strings send them


# --- definitions, read ---------------------------------------------------------------------
def objects() -> dict:
    return registry.custom_field_objects()


def definitions(object_key: str, *, include_retired: bool = False) -> list[CustomField]:
    """The object's fields in their order (retired ones only when asked: their values are kept).
    Kept across requests until a definition changes (``core.memo.kept``: every list and record
    page reads them, three queries); a change, in this request or another process, is seen by
    the next read (``core.signals`` renews them on every change: ``memo.renew_on``)."""

    def load():
        fields = CustomField.objects.filter(object=object_key).prefetch_related("view_roles", "edit_roles")
        if not include_retired:
            fields = fields.filter(retired_at__isnull=True)
        return tuple(fields)

    return list(memo.kept(f"{MEMO_PREFIX}{object_key}:{include_retired}", load, version=DEFINITIONS_VERSION))


def definitions_changed() -> None:
    """Every process reads the definitions again (the signals do this on every change; tests call it
    after emptying the database)."""
    memo.changed(DEFINITIONS_VERSION, MEMO_PREFIX)


def _group_ids(user) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_custom_field_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("id", flat=True))
        user._custom_field_groups = cached
    return cached


def _in_roles(user, roles) -> bool:
    ids = {g.id for g in roles.all()}
    if not ids:
        return True
    return bool(user is not None and (getattr(user, "is_superuser", False) or ids & _group_ids(user)))


def may_view(field: CustomField, user) -> bool:
    return _in_roles(user, field.view_roles)


def may_edit(field: CustomField, user, *, public: bool = False) -> bool:
    """On a public or enterprise form only fields marked public; at the desk by the edit roles."""
    if public:
        return field.public
    return _in_roles(user, field.edit_roles)


def choices_of(field: CustomField) -> dict[str, str]:
    """{code: label} of a choice field: its lookup list's active entries, or its own options."""
    if field.type not in CHOICE_TYPES:
        return {}
    if field.lookup:
        return dict(LookupEntry.objects.filter(kind=field.lookup, active=True).order_by("order", "id")
                    .values_list("code", "label"))
    return {str(c["code"]): str(c["label"]) for c in field.choices or []}


def describe(field: CustomField, *, with_choices: bool = True) -> dict:
    """A definition as the API gives it."""
    return {
        "id": field.pk, "object": field.object, "code": field.code, "label": field.label, "type": field.type,
        "type_label": field.get_type_display(), "required": field.required, "help_text": field.help_text,
        "order": field.order, "lookup": field.lookup,
        "choices": [{"code": k, "label": v} for k, v in choices_of(field).items()] if with_choices else [],
        "view_roles": sorted(g.name for g in field.view_roles.all()),
        "edit_roles": sorted(g.name for g in field.edit_roles.all()),
        "personal": field.personal, "public": field.public, "list_column": field.list_column,
        "retired": field.retired,
    }


# --- one value, checked ---------------------------------------------------------------------
def check_value(field: CustomField, value, choices: dict[str, str] | None = None):
    """``(clean, problem)``: the value to store (None when empty) or a Chinese problem."""
    if value is None or value == "" or value == []:
        return None, ("必填" if field.required else "")
    kind = field.type
    if kind in (T.TEXT, T.LONG_TEXT):
        if not isinstance(value, str):
            return None, "应为文字"
        text = value.strip() if kind == T.TEXT else value.strip("\n ")
        limit = TEXT_LIMIT if kind == T.TEXT else LONG_TEXT_LIMIT
        if kind == T.TEXT and ("\n" in text or "\r" in text):
            return None, "不能换行"
        if len(text) > limit:
            return None, f"最多{limit}个字"
        return (text or None), ("必填" if not text and field.required else "")
    if kind == T.NUMBER:
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str)
                                                                      and re.fullmatch(r"-?\d+", value.strip()))):
            return None, "应为整数"
        number = int(value)
        return (number, "") if abs(number) < NUMBER_LIMIT else (None, "数值过大")
    if kind == T.DECIMAL:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return None, "应为数字"
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None, "应为数字"
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT or number != number.quantize(Decimal("0.0001")):
            return None, "应为最多四位小数的数字"
        return str(number), ""
    if kind == T.DATE:
        try:
            return date.fromisoformat(str(value).strip()).isoformat(), ""
        except ValueError:
            return None, "日期格式应为 YYYY-MM-DD"
    if kind == T.BOOLEAN:
        probe = value.strip().lower() if isinstance(value, str) else value
        if probe is True or (isinstance(probe, str) and probe in YES):
            return True, ""
        if probe is False or (isinstance(probe, str) and probe in NO):
            return False, ""
        return None, "应为“是”或“否”（true / false）"
    choices = choices_of(field) if choices is None else choices
    if kind == T.CHOICE:
        if not isinstance(value, str) or value not in choices:
            return None, "请从选项中选择"
        return value, ""
    if kind == T.MULTI_CHOICE:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, "应为选项代码的列表"
        unknown = [v for v in value if v not in choices]
        if unknown:
            return None, f"没有这些选项：{'、'.join(unknown)}"
        picked = [code for code in choices if code in set(value)]  # the options' order, each once
        return (picked or None), ("必填" if not picked and field.required else "")
    return None, "未知的字段类型"


def clean_values(object_key: str, sent, *, errors: ErrorCollector, user=None, public: bool = False,
                 current: dict | None = None, creating: bool = False, draft: bool = False) -> dict:
    """The object's new ``custom`` dict: ``current`` with the ``sent`` codes checked and
    applied (an empty value removes one). Problems go to ``errors`` as ``custom.<code>``;
    on ``creating``, every active required field the user may fill must be there. A
    ``draft`` may leave required fields empty (``missing_required`` checks at submission)."""
    out = dict(current or {})
    if sent in (None, ""):
        sent = {}
    if not isinstance(sent, dict):
        errors.add("custom", "自定义字段应为对象：{字段代码: 值}")
        return out
    fields = {f.code: f for f in definitions(object_key, include_retired=True)}
    for code, value in sent.items():
        key = f"custom.{code}"
        field = fields.get(code)
        if field is None:
            errors.add(key, "没有这个自定义字段")
            continue
        if field.retired:
            errors.add(key, f"“{field.label}”已停用，不能再填写")
            continue
        if not may_edit(field, user, public=public):
            errors.add(key, f"您不能填写“{field.label}”")
            continue
        if field.personal and value == _masked_stored(field, out.get(code)):
            continue  # sent back as it was shown (masked): the stored value stays, like pii.unmasked
        clean, problem = check_value(field, value)
        if problem == "必填" and draft:
            problem = ""
        if problem:
            errors.add(key, f"{field.label}：{problem}" if problem != "必填" else f"请填写{field.label}")
            continue
        if clean is None:
            out.pop(code, None)
        elif field.personal:
            if out.get(code) is None or str(_plain(field, out[code])) != str(clean):
                out[code] = pii.encrypt(str(clean))  # re-encrypted only when it changed: no false history
        else:
            out[code] = clean
    if creating:
        for field in fields.values():
            if (field.required and not field.retired and may_edit(field, user, public=public)
                    and field.code not in out and f"custom.{field.code}" not in errors.errors):
                errors.add(f"custom.{field.code}", f"请填写{field.label}")
    return out


def missing_required(object_key: str, stored: dict | None, *, user=None, public: bool = False) -> dict:
    """``{custom.<code>: [message]}`` for each active required field the user may fill that
    ``stored`` lacks: for objects saved as drafts and checked whole when submitted."""
    stored = stored or {}
    return {f"custom.{f.code}": [f"请填写{f.label}"] for f in definitions(object_key)
            if f.required and may_edit(f, user, public=public) and stored.get(f.code) is None}


# --- reading ---------------------------------------------------------------------------------
def _masked(text: str) -> str:
    return text[:1] + "*" * max(1, len(text) - 1) if text else ""


def _masked_stored(field: CustomField, stored) -> str | None:
    return None if stored is None else _masked(str(_plain(field, stored)))


def _plain(field: CustomField, stored):
    """A personal value decrypted back to its type."""
    text = pii.decrypt(stored)
    if field.type == T.NUMBER:
        return int(text)
    return text


def read(object_key: str, obj, *, user, public: bool = False, asked: bool = True, request=None,
         fields: list[CustomField] | None = None) -> dict:
    """``{code: value}`` of the active fields this user may see on ``obj`` (None where empty).
    Personal values in full only when asked and permitted (``pii.disclose``: one audit row),
    else masked. ``fields``: the object's definitions, loaded once by a list's caller."""
    stored = getattr(obj, "custom", None) or {}
    fields = definitions(object_key) if fields is None else fields
    shown = [f for f in fields if (f.public if public else may_view(f, user))]
    personal = [f"custom.{f.code}" for f in shown if f.personal and stored.get(f.code) is not None]
    full = bool(personal) and not public and pii.disclose(user, obj, fields=personal, asked=asked, request=request)
    return read_values(stored, shown, full=full)


def visible(object_key: str, user, *, public: bool = False, fields: list[CustomField] | None = None):
    """The active definitions this user may see (a list's columns)."""
    fields = definitions(object_key) if fields is None else fields
    return [f for f in fields if (f.public if public else may_view(f, user))]


def personal_shown(object_key: str, obj, user, shown: list[CustomField] | None = None) -> list[str]:
    """``custom.<code>`` of the personal values on ``obj`` this user is shown: what a page
    adds to the fields it passes to ``pii.disclose`` with the object's own."""
    shown = visible(object_key, user) if shown is None else shown
    stored = getattr(obj, "custom", None) or {}
    return [f"custom.{f.code}" for f in shown if f.personal and stored.get(f.code) is not None]


def read_values(stored: dict | None, shown: list[CustomField], *, full: bool = False) -> dict:
    """The values of ``shown`` fields in ``stored`` (a row's ``custom``): personal ones in
    full only when ``full`` (the caller has disclosed them), else masked — lists mask always."""
    stored = stored or {}
    out = {}
    for field in shown:
        value = stored.get(field.code)
        if value is not None and field.personal:
            plain = _plain(field, value)
            value = plain if full else _masked(str(plain))
        out[field.code] = value
    return out


def labels(object_key: str, values: dict, fields: list[CustomField] | None = None) -> dict[str, str]:
    """``{code: text}`` for pages and exports: choice codes as their labels, yes/no in Chinese."""
    fields = {f.code: f for f in (definitions(object_key) if fields is None else fields)}
    out = {}
    for code, value in values.items():
        field = fields.get(code)
        if field is None or value is None:
            out[code] = ""
        elif field.type in CHOICE_TYPES:
            options = choices_of(field)
            picked = value if isinstance(value, list) else [value]
            out[code] = "、".join(options.get(v, v) for v in picked)
        elif field.type == T.BOOLEAN:
            out[code] = "是" if value else "否"
        else:
            out[code] = str(value)
    return out


def display_rows(object_key: str, stored: dict | None, shown: list[CustomField], *, full: bool = False):
    """``[(label, text)]`` for a page: each shown field's value as people read it ("" when empty)."""
    texts = labels(object_key, read_values(stored, shown, full=full), shown)
    return [(f.label, texts.get(f.code, "")) for f in shown]


def changes(object_key: str, before: dict | None, after: dict | None) -> dict:
    """``{label: {"from", "to"}}`` for a timeline row: what changed, as people read it;
    a personal value only as “（已修改）”, like the objects' own personal fields."""
    before, after = before or {}, after or {}
    fields = {f.code: f for f in definitions(object_key, include_retired=True)}
    out = {}
    for code in sorted(set(before) | set(after)):
        if before.get(code) == after.get(code) or code not in fields:
            continue
        field = fields[code]
        if field.personal:
            out[field.label] = {"from": "（已修改）", "to": ""}
            continue
        texts = {side: labels(object_key, {code: value}, [field])[code]
                 for side, value in (("from", before.get(code)), ("to", after.get(code)))}
        out[field.label] = texts
    return out


# --- the index and filters -------------------------------------------------------------------
def _typed(field: CustomField, value) -> dict:
    if field.type in (T.NUMBER, T.DECIMAL):
        return {"number": Decimal(str(value))}
    if field.type == T.DATE:
        return {"date": date.fromisoformat(value)}
    if field.type == T.BOOLEAN:
        return {"text": "1" if value else "0"}
    return {"text": str(value)[:TEXT_LIMIT]}


def index(object_key: str, object_id: int, values: dict) -> None:
    """Rewrite the object's rows of the filter index (call after saving ``custom``)."""
    fields = {f.code: f for f in definitions(object_key, include_retired=True)}
    CustomValue.objects.filter(field__object=object_key, object_id=object_id).delete()
    rows = []
    for code, value in (values or {}).items():
        field = fields.get(code)
        if field is None or field.personal or value is None:
            continue
        for one in (value if field.type == T.MULTI_CHOICE else [value]):
            rows.append(CustomValue(field=field, object_id=object_id, **_typed(field, one)))
    CustomValue.objects.bulk_create(rows)


def filter_params(params) -> dict[str, str]:
    """The ``custom.<code>[__min|__max]`` parameters of a request's query."""
    return {k: v for k, v in params.items() if k.startswith("custom.") and v != ""}


def filter_queryset(queryset, object_key: str, params: dict[str, str], *, user=None):
    """``queryset`` narrowed by ``custom.<code>=value`` (a choice, yes/no, exact text),
    ``custom.<code>__min`` / ``__max`` (numbers and dates, inclusive); each a lookup in the
    index. Raises InvalidInput naming the parameter when a code or value is wrong."""
    if not params:
        return queryset
    fields = {f.code: f for f in definitions(object_key) if may_view(f, user)}
    errors = ErrorCollector()
    for name, raw in params.items():
        code, _, bound = name.removeprefix("custom.").partition("__")
        field = fields.get(code)
        if field is None or field.personal:
            errors.add(name, "没有可用于筛选的这个自定义字段")
            continue
        rows = CustomValue.objects.filter(field=field)
        if bound in ("min", "max"):
            if field.type not in (T.NUMBER, T.DECIMAL, T.DATE):
                errors.add(name, f"“{field.label}”不能按范围筛选")
                continue
            probe = CustomField(type=T.DECIMAL if field.type != T.DATE else T.DATE, label=field.label)
            clean, problem = check_value(probe, raw)
            if problem or clean is None:
                errors.add(name, f"{field.label}：{problem or '请填写'}")
                continue
            column = "date" if field.type == T.DATE else "number"
            lookup = "gte" if bound == "min" else "lte"
            rows = rows.filter(**{f"{column}__{lookup}": clean if column == "date" else Decimal(clean)})
        elif bound:
            errors.add(name, "筛选条件只能是 custom.代码、custom.代码__min 或 custom.代码__max")
            continue
        else:
            probe = field
            if field.type == T.MULTI_CHOICE:  # one chosen option: rows holding that code
                probe = CustomField(type=T.CHOICE, label=field.label, lookup=field.lookup, choices=field.choices)
            clean, problem = check_value(probe, raw)
            if problem or clean is None:
                errors.add(name, f"{field.label}：{problem or '请填写'}")
                continue
            rows = rows.filter(**_typed(probe, clean))
        queryset = queryset.filter(pk__in=rows.values("object_id"))
    errors.raise_if_any()
    return queryset


# --- definitions, written ----------------------------------------------------------------------
def _require(actor):
    if actor is None or not actor.has_perm(MANAGE):
        raise ActionForbidden("您没有维护自定义字段的权限")


def _model(object_key: str):
    return apps.get_model(objects()[object_key].model)


def in_use(field: CustomField) -> bool:
    """Whether any object holds a value of the field (personal values are not indexed: ask the objects)."""
    if CustomValue.objects.filter(field=field).exists():
        return True
    return field.object in objects() and _model(field.object).objects.filter(custom__has_key=field.code).exists()


def _roles(errors, key, names):
    from django.contrib.auth.models import Group

    if names in (None, ""):
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        errors.add(key, "应为角色名称的列表")
        return []
    found = list(Group.objects.filter(name__in=names))
    missing = sorted(set(names) - {g.name for g in found})
    if missing:
        errors.add(key, f"没有这些角色：{'、'.join(missing)}")
    return found


def _choices(errors, raw) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        errors.add("choices", '自定义选项应为列表：[{"code": "a", "label": "选项一"}]')
        return []
    out, seen = [], set()
    for n, option in enumerate(raw):
        code, label = str(option.get("code", "")).strip(), str(option.get("label", "")).strip()
        if not CHOICE_CODE.match(code):
            errors.add(f"choices[{n}].code", "选项代码为1至30位字母、数字、“-”或“_”")
        elif code in seen:
            errors.add(f"choices[{n}].code", f"选项代码 {code} 重复")
        if not label or len(label) > 50:
            errors.add(f"choices[{n}].label", "请填写选项名称（最多50字）")
        seen.add(code)
        out.append({"code": code, "label": label})
    return out


def _flag(errors, key, value, default=False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        errors.add(key, "应为 true 或 false")
        return default
    return value


def _text(errors, key, value, label, limit, *, required=False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(key, f"{label}应为文字")
        return ""
    value = value.strip()
    if required and not value:
        errors.add(key, f"请填写{label}")
    elif len(value) > limit:
        errors.add(key, f"{label}最多{limit}个字")
    return value


def _settings(errors, data: dict, field: CustomField) -> tuple[list, list]:
    """The parts a definition may always change; returns the view and edit roles."""
    if "label" in data or field.pk is None:
        field.label = _text(errors, "label", data.get("label"), "名称", 50, required=True)
    if "help_text" in data:
        field.help_text = _text(errors, "help_text", data.get("help_text"), "填写说明", 200)
    if "order" in data:
        order = data.get("order")
        if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 30000:
            errors.add("order", "顺序应为0至30000的整数")
        else:
            field.order = order
    for key in ("required", "public", "list_column"):
        if key in data:
            setattr(field, key, _flag(errors, key, data.get(key)))
    view = _roles(errors, "view_roles", data.get("view_roles")) if "view_roles" in data else None
    edit = _roles(errors, "edit_roles", data.get("edit_roles")) if "edit_roles" in data else None
    return view, edit


def _check_type(errors, field: CustomField) -> None:
    if field.type in CHOICE_TYPES:
        if bool(field.lookup) == bool(field.choices):
            errors.add("lookup" if not field.choices else "choices", "单选、多选须指定字典或自定义选项（二选一）")
        if field.lookup and field.lookup not in LookupKind.values:
            errors.add("lookup", "没有这个字典：" + "、".join(LookupKind.values))
    elif field.lookup or field.choices:
        errors.add("choices", "只有单选、多选字段有选项")
    if field.personal and field.type not in PERSONAL_TYPES:
        errors.add("personal", "个人信息只能是文本、长文本、整数或日期字段")


def _record(actor, field: CustomField, what: str, changes: dict, request=None) -> None:
    audit.record(AuditLog.Action.CONFIG_CHANGE, actor=actor, target=field, request=request,
                 detail={"part": f"custom_field:{field.object}.{field.code}", "what": what, **changes})


def define(*, actor, data: dict, request=None) -> CustomField:
    """A new field on an object (R: issue 17). Codes are unique per object, and never reused."""
    _require(actor)
    if not isinstance(data, dict):
        raise InvalidInput({"non_field_errors": ["请求内容应为对象"]})
    errors = ErrorCollector()
    field = CustomField(created_by=actor)
    field.object = str(data.get("object") or "")
    if field.object not in objects():
        errors.add("object", "对象应为：" + "、".join(f"{k}（{o.label}）" for k, o in objects().items()))
    field.code = str(data.get("code") or "").strip()
    if not CODE.match(field.code):
        errors.add("code", "字段代码须小写字母开头，由小写字母、数字和下划线组成，最多40位")
    field.type = str(data.get("type") or "")
    if field.type not in T.values:
        errors.add("type", "类型应为：" + "、".join(f"{v}（{label}）" for v, label in T.choices))
    field.lookup = _text(errors, "lookup", data.get("lookup"), "字典", 30)
    field.choices = _choices(errors, data.get("choices"))
    field.personal = _flag(errors, "personal", data.get("personal"))
    view, edit = _settings(errors, data, field)
    if field.type in T.values:
        _check_type(errors, field)
    if field.object and field.code and CustomField.objects.filter(object=field.object, code=field.code).exists():
        errors.add("code", f"该对象已有字段代码 {field.code}（停用的字段代码也不能再用）")
    errors.raise_if_any()
    with transaction.atomic():
        field.save()
        field.view_roles.set(view or [])
        field.edit_roles.set(edit or [])
        _record(actor, field, "define", {"type": field.type, "label": field.label}, request)
    return field


def change(*, actor, field_id: int, data: dict, request=None) -> CustomField:
    """Label, help, order, required, roles, public form and new options may change at any time;
    the type only from text to long text or from integer to decimal once values exist; a used
    option cannot go; whether it is personal cannot change once values exist; the code never."""
    _require(actor)
    if not isinstance(data, dict):
        raise InvalidInput({"non_field_errors": ["请求内容应为对象"]})
    errors = ErrorCollector()
    with transaction.atomic():
        field = CustomField.objects.select_for_update().filter(pk=field_id).first()
        if field is None:
            raise NotVisible("自定义字段不存在")
        if field.retired:
            raise StateConflict(f"“{field.label}”已停用，不能修改")
        for key in ("object", "code"):
            if key in data and data[key] != getattr(field, key):
                errors.add(key, "对象和字段代码建好后不能改")
        before = describe(field, with_choices=False)
        view, edit = _settings(errors, data, field)
        used = in_use(field)
        if "type" in data and data["type"] != field.type:
            if data["type"] not in T.values:
                errors.add("type", "类型应为：" + "、".join(T.values))
            elif used and (field.type, data["type"]) not in WIDENING:
                errors.add("type", "字段已有数据，类型只能从文本改为长文本、从整数改为小数")
            else:
                field.type = data["type"]
        if "personal" in data and data["personal"] != field.personal:
            if used:
                errors.add("personal", "字段已有数据，不能改变是否为个人信息")
            else:
                field.personal = _flag(errors, "personal", data["personal"])
        if "lookup" in data:
            field.lookup = _text(errors, "lookup", data.get("lookup"), "字典", 30)
        if "choices" in data:
            new = _choices(errors, data.get("choices"))
            gone = {c["code"] for c in field.choices or []} - {c["code"] for c in new}
            taken = sorted(set(CustomValue.objects.filter(field=field, text__in=gone).values_list("text", flat=True)))
            if taken:
                errors.add("choices", f"这些选项已被使用，不能删除：{'、'.join(taken)}")
            field.choices = new
        _check_type(errors, field)
        errors.raise_if_any()
        field.save()
        if view is not None:
            field.view_roles.set(view)
        if edit is not None:
            field.edit_roles.set(edit)
        after = describe(field, with_choices=False)
        _record(actor, field, "change", {k: after[k] for k in after if after[k] != before.get(k)}, request)
    return field


def retire(*, actor, field_id: int, request=None) -> CustomField:
    """Hidden from forms, lists and the API from now on; its values stay on the objects."""
    from zhonglou_hrss.core import clock

    _require(actor)
    with transaction.atomic():
        field = CustomField.objects.select_for_update().filter(pk=field_id).first()
        if field is None:
            raise NotVisible("自定义字段不存在")
        if field.retired:
            raise StateConflict(f"“{field.label}”已停用")
        field.retired_at = clock.now()
        field.save(update_fields=["retired_at", "changed_at"])
        _record(actor, field, "retire", {}, request)
    return field
