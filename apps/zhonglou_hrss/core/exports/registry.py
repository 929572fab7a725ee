"""The export kinds the apps registered (``register`` in ``AppConfig.ready``).

A kind is a plain string stored on templates and jobs (``kuaiban_case``): it is
checked against this registry (``validate_kind``), so adding an app's export
needs no core migration.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.exports.exporters import Exporter

_EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    if not exporter.kind or not exporter.label:
        raise ValueError("an exporter needs a kind and a label")
    _EXPORTERS[exporter.kind] = exporter
    return exporter


def get_exporter(kind: str) -> Exporter:
    try:
        return _EXPORTERS[kind]
    except KeyError:
        raise NotVisible("没有这种导出内容") from None


def kinds() -> list[tuple[str, str]]:
    """(kind, Chinese label) of every registered kind, in registration order."""
    return [(kind, exporter.label) for kind, exporter in _EXPORTERS.items()]


def kind_label(kind: str) -> str:
    exporter = _EXPORTERS.get(kind)
    return exporter.label if exporter else kind


def validate_kind(kind: str) -> None:
    """Model-field validator of ``ExportTemplate.kind`` / ``ExportJob.kind``."""
    if kind not in _EXPORTERS:
        raise ValidationError("没有这种导出内容：%(kind)s", params={"kind": kind}, code="unknown_kind")


def field_choices(kind: str) -> list[tuple[str, str]]:
    """(key, label) of every field a template of this kind may name."""
    return [(f.key, f.label) for f in get_exporter(kind).export_fields().values()]
