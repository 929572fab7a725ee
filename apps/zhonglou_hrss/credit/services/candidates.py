"""Deduction candidates decided: accepted as a deduction (the case as its
basis, through ``scoring.add_deduction``) or dismissed with a reason."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.credit.models import CandidateDismissal, Declaration
from zhonglou_hrss.credit.rules import SCORE
from zhonglou_hrss.credit.selectors.candidates import candidate_visible
from zhonglou_hrss.credit.services.common import reason_text, require
from zhonglou_hrss.credit.services.scoring import add_deduction

SOURCE_LABELS = {"case": "快办事件", "petition": "信访记录"}


def _number(actor, source, source_id, uscc) -> str:
    if source not in SOURCE_LABELS:
        raise InvalidInput({"source": ["来源只能是 case（快办事件）或 petition（信访记录）"]})
    number = candidate_visible(actor, source, source_id, uscc)
    if number is None:
        raise NotVisible("该线索不存在、不涉及该企业，或您无权查看")
    return number


def accept_candidate(*, actor, declaration_id: int, source: str, source_id: int, item: str, points, basis="",
                     material=None):
    require(actor, SCORE, "您没有信用评价扣分的权限")
    declaration = Declaration.objects.select_related("account__enterprise").filter(pk=declaration_id).first()
    if declaration is None:
        raise NotVisible("申报不存在或您无权查看")
    number = _number(actor, source, source_id, declaration.account.enterprise.uscc)
    text = f"{SOURCE_LABELS[source]}{number}" + (f"：{basis}" if basis else "")
    return add_deduction(actor=actor, declaration_id=declaration_id, item=item, points=points, basis=text,
                         source=source, source_id=source_id, source_number=number, material=material)


def dismiss_candidate(*, actor, scheme, uscc: str, source: str, source_id: int, reason) -> CandidateDismissal:
    require(actor, SCORE, "您没有处理扣分线索的权限")
    reason = reason_text(reason, label="不扣分原因", what="请填写不扣分的原因")
    _number(actor, source, source_id, uscc)
    try:
        with transaction.atomic():
            return CandidateDismissal.objects.create(scheme=scheme, uscc=uscc, source=source, source_id=source_id,
                                                     reason=reason, dismissed_by=actor, dismissed_at=clock.now())
    except IntegrityError:
        raise StateConflict("该线索已处理") from None
