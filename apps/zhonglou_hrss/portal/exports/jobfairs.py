"""A fair's registered enterprises and their positions in the government's
Excel format (R-PT-19): a title row naming the fair, its date and venue; the
填报单位 and the export time; two header rows with merged groups (企业信息 /
招聘岗位); then one row per position with its enterprise.

Written by the site's streaming writer (``core.exports.writer``: header rows
by openpyxl, data rows straight into the sheet's XML) from keyset chunks of
registrations — memory stays flat at any size. Each registration's contact
mobile is decrypted once, not once per position. Masked unless a full export
is asked for by a holder of ``core.export_pii`` with a reason
(``core.exports.jobs.clean_full_export``); every export is one audit row.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.http import FileResponse
from django.utils import timezone

from zhonglou_hrss.core import audit, clock, custom_fields, pii
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.exports.exporters import keyset_chunks
from zhonglou_hrss.core.exports.jobs import clean_full_export
from zhonglou_hrss.core.exports.templates import TemplateSpec, government_spec
from zhonglou_hrss.core.exports.writer import write_workbook
from zhonglou_hrss.core.models import AuditLog, LookupEntry, LookupKind
from zhonglou_hrss.portal.models import Attendee, Position, Registration, RegistrationStatus
from zhonglou_hrss.portal.rules import VIEW_JOBFAIRS
from zhonglou_hrss.portal.selectors.jobfairs import fair_for_staff

KIND = "portal_jobfair"
CHUNK = 500  # registrations a query; their positions follow in one more
# What to export: the enterprises taking part (default), or everyone who has applied.
SCOPES = {
    "approved": ("审核通过的企业", (RegistrationStatus.APPROVED,)),
    "submitted": ("已提交的企业（待审核和审核通过）", (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)),
}

# (field key, column header, group) — the groups become the merged upper header row.
COLUMNS = [
    ("serial", "序号", None),
    ("company_name", "企业名称", "企业信息"),
    ("uscc", "统一社会信用代码", "企业信息"),
    ("contact_name", "联系人", "企业信息"),
    ("contact_phone", "联系电话", "企业信息"),
    ("attendees", "参会人数", "企业信息"),
    ("status", "审核状态", "企业信息"),
    ("title", "岗位名称", "招聘岗位"),
    ("count", "招聘人数", "招聘岗位"),
    ("education", "学历要求", "招聘岗位"),
    ("major", "专业要求", "招聘岗位"),
    ("salary", "月薪（元）", "招聘岗位"),
    ("description", "岗位描述", "招聘岗位"),
]
WIDTHS = {1: 6, 2: 32, 3: 22, 4: 10, 5: 15, 6: 9, 7: 10, 8: 18, 9: 9, 10: 10, 11: 16, 12: 14, 13: 40}
CUSTOM_GROUP = "补充信息"  # the bureau's own fields on registrations (issue 17), after the positions


def _custom_columns(fields) -> list[tuple]:
    return [(f"custom_{f.code}", f.label, CUSTOM_GROUP) for f in fields]


def _spec(fair, *, scope_label: str, now, fields=()) -> TemplateSpec:
    columns = [*COLUMNS, *_custom_columns(fields)]
    widths = {**WIDTHS, **{n: 16 for n in range(len(COLUMNS) + 1, len(columns) + 1)}}
    return government_spec(
        title=f"{fair.name}参会企业及岗位信息表",
        info=f"举办日期：{fair.date:%Y年%m月%d日}    举办地点：{fair.venue}    范围：{scope_label}",
        issuer=settings.PORTAL_EXPORT_ISSUER, exported_at=f"{timezone.localtime(now):%Y-%m-%d %H:%M}",
        columns=columns, sheet_title="参会企业及岗位", widths=widths)


def _salary(low: int, high: int) -> str:
    return f"{low}-{high}" if low != high else str(low)


def export_rows(fair_id: int, statuses, *, masked: bool, fields=()) -> Iterator[dict]:
    """One dict per position (with its enterprise), registrations in the order they were submitted;
    ``fields``: the custom fields exported (``custom_<code>``), a personal one masked unless full."""
    educations = dict(LookupEntry.objects.of(LookupKind.EDUCATION).values_list("id", "label"))
    labels = dict(RegistrationStatus.choices)
    registrations = (Registration.objects.filter(fair_id=fair_id, status__in=statuses)
                     .values("id", "company_name", "enterprise__uscc", "contact_name", "contact_phone", "status",
                             "custom"))
    serial = 0
    for chunk in keyset_chunks(registrations, ("id",), size=CHUNK):
        ids = [r["id"] for r in chunk]
        attendees = dict(Attendee.objects.filter(registration_id__in=ids).values("registration_id")
                         .annotate(n=Count("id")).values_list("registration_id", "n"))
        positions: dict[int, list[dict]] = {}
        for row in (Position.objects.filter(registration_id__in=ids).order_by("registration_id", "position", "id")
                    .values("registration_id", "title", "count", "education_id", "major", "salary_min",
                            "salary_max", "description")):
            positions.setdefault(row["registration_id"], []).append(row)
        for reg in chunk:
            serial += 1
            phone = reg["contact_phone"] or ""
            company = {
                "serial": serial, "company_name": reg["company_name"], "uscc": reg["enterprise__uscc"],
                "contact_name": reg["contact_name"], "contact_phone": pii.mask(pii.MOBILE, phone) if masked else phone,
                "attendees": attendees.get(reg["id"], 0), "status": labels.get(reg["status"], reg["status"]),
            }
            if fields:
                shown = custom_fields.read_values(reg["custom"], fields, full=not masked)
                company.update({f"custom_{code}": text for code, text in
                                custom_fields.labels("registration", shown, fields).items()})
            for job in positions.get(reg["id"], ()):
                yield {**company, "title": job["title"], "count": job["count"],
                       "education": educations.get(job["education_id"], ""), "major": job["major"],
                       "salary": _salary(job["salary_min"], job["salary_max"]), "description": job["description"]}


def write_fair_export(*, fair, path: Path, scope: str = "approved", masked: bool = True, now=None,
                      user=None) -> int:
    """Write the workbook of one fair to ``path``; return the number of position rows. With
    ``user``, the custom fields of registrations that user may see follow as columns."""
    label, statuses = SCOPES[scope]
    fields = custom_fields.visible("registration", user) if user is not None else []
    spec = _spec(fair, scope_label=label, now=now or clock.now(), fields=fields)
    return write_workbook(spec, export_rows(fair.pk, statuses, masked=masked, fields=fields), path)


def fair_export_response(*, user, fair_id, full: bool = False, reason: str = "", scope: str = "approved",
                         request=None) -> FileResponse:
    """The fair's workbook as a download for staff (R-PT-19): streamed from a
    temporary file that is gone once sent; one audit row."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(VIEW_JOBFAIRS)):
        raise ActionForbidden("您没有导出招聘会报名的权限")
    if scope not in SCOPES:
        raise InvalidInput({"scope": ["范围只能是 approved（审核通过的企业）或 submitted（已提交的企业）"]})
    fair = fair_for_staff(user, fair_id)
    reason = clean_full_export(user, full=full, reason=reason)
    now = clock.now()
    handle, name = tempfile.mkstemp(suffix=".xlsx", prefix="jobfair-")
    os.close(handle)
    path = Path(name)
    try:
        count = write_fair_export(fair=fair, path=path, scope=scope, masked=not full, now=now, user=user)
        stream = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the bytes until the response is sent
    audit.record(AuditLog.Action.EXPORT, actor=user, target=fair, request=request,
                 target_repr=f"招聘会报名导出 {count} 行：{fair.name}",
                 detail={"kind": KIND, "rows": count, "masked": not full, "scope": scope,
                         **({"reason": reason} if full else {})})
    filename = f"{fair.name}-参会企业及岗位-{timezone.localtime(now):%Y%m%d%H%M}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
