"""Saved reports, written: save, change, share, delete, import. Every write is
checked in full before anything is stored (nothing half-saved) and is one
audit row (``config_change``); an export is the export job's own row."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from zhonglou_hrss.core import audit, registry
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.platform.models import SavedReport
from zhonglou_hrss.platform.rules import BUILD, clean_name, validate
from zhonglou_hrss.platform.selectors.reports import may_change, report_for

DEFINITION_KEYS = ("columns", "filters", "group_by", "aggregates", "sort", "chart")
SHARE_MAX = 50


def _clean(actor, data: dict) -> tuple[str, str, dict, list[Group]]:
    errors: dict[str, list[str]] = {}
    name, name_errors = clean_name(data.get("name"))
    if name_errors:
        errors["name"] = name_errors
    source_key = data.get("source") or ""
    if not isinstance(source_key, str):
        errors["source"] = ["数据来源应为来源键（文字）"]
        source_key = ""
    source = registry.report_source_for(source_key) if source_key else None
    definition = {}
    if source is None:
        errors.setdefault("source", ["请选择数据来源" if not source_key else f"没有这个数据来源：{source_key}"])
    elif not source.usable_by(actor):
        errors["source"] = [f"您无权使用数据来源“{source.label}”"]
    else:
        definition, definition_errors = validate({k: data[k] for k in DEFINITION_KEYS if k in data}, source.fields_for(actor))
        errors.update(definition_errors)
    groups, problem = _roles(data.get("shared_with", []))
    if problem:
        errors["shared_with"] = [problem]
    if errors:
        raise InvalidInput(errors)
    return name, source_key, definition, groups


def _roles(raw) -> tuple[list[Group], str]:
    """The roles named (by their names, as staff see them), or what is wrong with the list."""
    if not isinstance(raw, list) or len(raw) > SHARE_MAX or not all(isinstance(n, str) for n in raw):
        return [], f"共享角色应为角色名称的列表（最多{SHARE_MAX}个）"
    names = [n.strip() for n in raw]
    if not all(names):
        return [], "角色名称不能为空"
    found = {g.name: g for g in Group.objects.filter(name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        return [], f"没有这个角色：{'、'.join(missing)}"
    return list(dict.fromkeys(found[n] for n in names)), ""


def _check_builder(actor):
    if not (actor and actor.is_authenticated and actor.is_active and actor.has_perm(BUILD)):
        raise ActionForbidden("您没有构建自定义报表的权限")


def _audit(action: str, report: SavedReport, *, request=None, **detail):
    audit.record(AuditLog.Action.CONFIG_CHANGE, target=report, request=request, target_repr=f"自定义报表：{report.name}",
                 detail={"what": "saved_report", "action": action, "source": report.source, **detail})


@transaction.atomic
def save_report(*, actor, data: dict, request=None) -> SavedReport:
    _check_builder(actor)
    name, source, definition, groups = _clean(actor, data)
    report = SavedReport.objects.create(name=name, source=source, definition=definition, owner=actor)
    report.shared_with.set(groups)
    _audit("create", report, request=request, shared_with=[g.name for g in groups], definition=definition)
    return report


@transaction.atomic
def update_report(*, actor, report_id, data: dict, request=None) -> SavedReport:
    report = report_for(actor, report_id)
    if not may_change(actor, report):
        raise ActionForbidden("只有报表的创建人或系统管理员可以修改")
    report = SavedReport.objects.select_for_update().get(pk=report.pk)
    name, source, definition, groups = _clean(actor, data)
    before = sorted(report.shared_with.values_list("name", flat=True))
    report.name, report.source, report.definition = name, source, definition
    report.save()
    report.shared_with.set(groups)
    after = sorted(g.name for g in groups)
    _audit("update", report, request=request, definition=definition,
           **({"shared_with": {"from": before, "to": after}} if before != after else {}))
    return report


@transaction.atomic
def share_report(*, actor, report_id, roles: list, request=None) -> SavedReport:
    """Only the roles change (the definition stays as saved)."""
    report = report_for(actor, report_id)
    if not may_change(actor, report):
        raise ActionForbidden("只有报表的创建人或系统管理员可以共享")
    groups, problem = _roles(roles)
    if problem:
        raise InvalidInput({"shared_with": [problem]})
    before = sorted(report.shared_with.values_list("name", flat=True))
    report.shared_with.set(groups)
    _audit("share", report, request=request, shared_with={"from": before, "to": sorted(g.name for g in groups)})
    return report


@transaction.atomic
def delete_report(*, actor, report_id, request=None) -> None:
    report = report_for(actor, report_id)
    if not may_change(actor, report):
        raise ActionForbidden("只有报表的创建人或系统管理员可以删除")
    _audit("delete", report, request=request, definition=report.definition)
    report.delete()


IMPORT_FORMAT = "zhonglou-report"


def import_report(*, actor, document, request=None) -> SavedReport:
    """A definition exported from this or another site (``selectors.reports.definition_document``),
    saved as a new report of ``actor``; checked like any new report."""
    if not isinstance(document, dict):
        raise InvalidInput({"definition": ["报表定义文件应为 JSON 对象"]})
    if document.get("format", IMPORT_FORMAT) != IMPORT_FORMAT:
        raise InvalidInput({"format": ["不是本系统导出的报表定义"]})
    report = save_report(actor=actor, data=document, request=request)
    return report

