"""A year's credit results in the government's format (R-CR-11): the title
naming the year, the version and whether it is published, 填报单位 and the
export time, merged headers (信用维度 / 问卷维度 / 综合), then one row per
company in the order of its total rank. Written by the site's streaming
writer; one audit row per export. The rows are a version's stored results
(``selectors.results.result_document``), so the file shows exactly what the
page and the API show."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone

from zhonglou_hrss.core import audit, clock
from zhonglou_hrss.core.exports.templates import government_spec
from zhonglou_hrss.core.exports.writer import write_workbook
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.credit.selectors.results import result_document

KIND = "credit_results"
COLUMNS = [
    ("rank_total", "综合排名", None),
    ("name", "企业名称", None),
    ("uscc", "统一社会信用代码", None),
    ("credit_score", "信用分", "信用维度"),
    ("grade", "信用等级", "信用维度"),
    ("rank_credit", "信用排名", "信用维度"),
    ("hr_score", "用工单位评价得分", "问卷维度"),
    ("hr_n", "用工单位问卷数", "问卷维度"),
    ("employee_score", "员工评价得分", "问卷维度"),
    ("employee_n", "员工问卷数", "问卷维度"),
    ("questionnaire_score", "问卷得分", "问卷维度"),
    ("total", "综合得分", "综合"),
    ("flags", "说明", "综合"),
]
WIDTHS = {1: 8, 2: 34, 3: 22, 4: 9, 5: 9, 6: 9, 7: 14, 8: 12, 9: 12, 10: 10, 11: 10, 12: 10, 13: 30}


def _rows(document: dict):
    for row in document["rows"]:
        yield {**row, "flags": "；".join(row["flags"] or []),
               **{k: ("—" if row[k] is None else row[k]) for k in ("hr_score", "employee_score",
                                                                    "questionnaire_score", "rank_total",
                                                                    "rank_credit")}}


def results_export_response(*, user, year: int, number: int | None = None, grade: str = "",
                            request=None) -> FileResponse:
    """The version's results as a download for credit staff; NotVisible as the results page."""
    document = result_document(user, year, number=number, grade=grade)
    now = clock.now()
    stamp = timezone.localtime(now)
    state = "已发布" if document["published"] else "未发布"
    weights = document["weights"] or {}
    info = (f"评价年度：{year}年    结果版本：第{document['version']}版（{state}）"
            + (f"    等级：{grade}" if grade else "")
            + (f"    权重：信用 {weights.get('credit')}、问卷 {weights.get('questionnaire')}" if weights else ""))
    spec = government_spec(title=f"{year}年度人力资源企业信用评价结果", info=info,
                           issuer=settings.CREDIT_EXPORT_ISSUER, exported_at=f"{stamp:%Y-%m-%d %H:%M}",
                           columns=COLUMNS, sheet_title="信用评价结果", widths=WIDTHS)
    handle, name = tempfile.mkstemp(suffix=".xlsx", prefix="credit-")
    os.close(handle)
    path = Path(name)
    try:
        count = write_workbook(spec, _rows(document), path)
        stream = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the bytes until the response is sent
    audit.record(AuditLog.Action.EXPORT, actor=user, request=request,
                 target_repr=f"{year}年度信用评价结果第{document['version']}版导出 {count} 行",
                 detail={"kind": KIND, "rows": count, "year": year, "version": document["version"],
                         "grade": grade})
    return FileResponse(stream, as_attachment=True,
                        filename=f"{year}年度信用评价结果-第{document['version']}版-{stamp:%Y%m%d%H%M}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
