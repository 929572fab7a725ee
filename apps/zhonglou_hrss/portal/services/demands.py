"""Talent demands, written (R-PT-04, 05, 06, 07, 13) — the one door for the
PC portal, the mini program's API and the desk.

- an approved enterprise: ``save_demand`` (create or edit a draft, pending or
  rejected demand: every field checked at once, positions and their majors
  replaced whole), ``submit_demand``, ``withdraw_demand``, and after approval
  ``report_outcome`` (hired per position; 已完成 / 未完全达成; correctable for
  ``rules.OUTCOME_CORRECTION_WINDOW`` after it was first given);
- staff (``portal.review_demand``): ``decide_demand`` (approve, or reject with
  a reason the enterprise reads).

Each write locks the demand row and checks ``workflow.DEMAND_ACTIONS`` after
the lock: an edit racing the approval lands before it or gets 409. The
approval and the outcome move the statistics' tallies (``services.demand_tallies``)
in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from zhonglou_hrss.core import audit, clock, custom_fields, pii
from zhonglou_hrss.core.errors import ErrorCollector, StateConflict
from zhonglou_hrss.core.models import AuditLog, LookupEntry, LookupKind
from zhonglou_hrss.core.validators import validate_mobile
from zhonglou_hrss.portal.models import (
    Demand,
    DemandEvent,
    DemandMajor,
    DemandOutcome,
    DemandPosition,
    DemandService,
    DemandStatus,
)
from zhonglou_hrss.portal.rules import (
    MAX_DEMAND_MAJORS,
    MAX_DEMAND_POSITIONS,
    MAX_HEADCOUNT,
    MAX_POSITION_DESCRIPTION,
    MAX_SALARY,
    MAX_WORKFORCE,
    OUTCOME_CORRECTION_WINDOW,
    REVIEW_DEMANDS,
)
from zhonglou_hrss.portal.selectors.demands import demand_for
from zhonglou_hrss.portal.services import demand_tallies
from zhonglou_hrss.portal.services.common import (
    approved_enterprise,
    reject_reason,
    require,
    typed_text,
    whole_number,
)
from zhonglou_hrss.portal.workflow import DEMAND_ACTIONS, demand_error

OTHER = "other"  # the lookups' 其他: its text is then required


@dataclass
class MajorInput:
    category: str = ""  # lookup code (MAJOR_CATEGORY)
    headcount: int | None = None


@dataclass
class DemandPositionInput:
    position: str = ""  # a code of the positions lookup, or the post typed
    description: str = ""
    headcount: int | None = None
    gender: str = ""  # male / female / any
    employment_type: str = ""
    employment_type_other: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    age_band: str = ""
    education: str = ""
    skill_level: str = ""
    experience: str = ""
    majors: list[MajorInput] = field(default_factory=list)


@dataclass
class DemandInput:
    contact_name: str = ""
    contact_phone: str = ""
    months: list = field(default_factory=list)
    workforce_size: int | None = None
    services: list[str] = field(default_factory=list)
    services_other: str = ""
    positions: list[DemandPositionInput] = field(default_factory=list)
    custom: dict | None = None  # the custom fields the bureau shows on enterprise forms (None: not sent)


@dataclass
class OutcomeInput:
    hired: dict = field(default_factory=dict)  # position id → how many were hired
    result: str = ""  # completed / partial


# (input field, lookup kind, Chinese label) of each position's choices.
POSITION_CHOICES = [
    ("employment_type", LookupKind.EMPLOYMENT_TYPE, "用工性质"),
    ("age_band", LookupKind.AGE_BAND, "年龄段"),
    ("education", LookupKind.EDUCATION, "学历"),
    ("skill_level", LookupKind.SKILL_REQUIREMENT, "技能要求"),
    ("experience", LookupKind.EXPERIENCE, "工作经历"),
]
GENDERS = {"male": "male", "female": "female", "any": "any", "男": "male", "女": "female", "无要求": "any"}


def _entries(kind: str, codes) -> dict[str, LookupEntry]:
    codes = {str(c).strip() for c in codes if c not in (None, "")}
    if not codes:
        return {}
    return {e.code: e for e in LookupEntry.objects.of(kind).selectable().filter(code__in=codes)}


def _count(errors, key, value, label, *, low, high) -> int | None:
    try:
        number = whole_number(value)
    except (TypeError, ValueError):
        errors.add(key, f"{label}应为整数")
        return None
    if number is None:
        errors.add(key, f"请填写{label}")
    elif not low <= number <= high:
        errors.add(key, f"{label}应在{low}到{high}之间")
    else:
        return number
    return None


def _months(errors, months) -> list[int]:
    if not isinstance(months, (list, tuple)) or not months:
        errors.add("months", "请选择招聘月份（可多选）")
        return []
    out = set()
    for m in months:
        try:
            value = whole_number(m)
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 12:
            errors.add("months", "招聘月份只能是1到12月")
            return []
        out.add(value)
    return sorted(out)


def _positions(errors, rows: list[DemandPositionInput]) -> list[dict]:
    if not rows:
        errors.add("positions", "请至少填写一个需求岗位")
        return []
    if len(rows) > MAX_DEMAND_POSITIONS:
        errors.add("positions", f"需求岗位最多{MAX_DEMAND_POSITIONS}个")
        return []
    lookups = {name: _entries(kind, [getattr(r, name) for r in rows]) for name, kind, _ in POSITION_CHOICES}
    posts = _entries(LookupKind.POSITION, [r.position for r in rows])
    majors = _entries(LookupKind.MAJOR_CATEGORY, [m.category for r in rows for m in (r.majors or [])])
    out = []
    for i, row in enumerate(rows):
        key = f"positions[{i}]"
        typed = (row.position or "").strip()
        entry = posts.get(typed)
        title = entry.label if entry else typed_text(errors, f"{key}.position", typed, "岗位", limit=100)
        description = typed_text(errors, f"{key}.description", row.description, "岗位描述",
                                 limit=MAX_POSITION_DESCRIPTION, required=False, multiline=True)
        headcount = _count(errors, f"{key}.headcount", row.headcount, "需求人数", low=1, high=MAX_HEADCOUNT)
        gender = GENDERS.get((row.gender or "").strip())
        if gender is None:
            errors.add(f"{key}.gender", "请选择性别要求（男、女或无要求）")
        chosen = {}
        for name, _, label in POSITION_CHOICES:
            code = (getattr(row, name) or "").strip()
            chosen[name] = lookups[name].get(code)
            if chosen[name] is None:
                errors.add(f"{key}.{name}", f"请选择{label}" if not code else f"{label}不在可选范围内")
        other = ""
        if chosen["employment_type"] is not None and chosen["employment_type"].code == OTHER:
            other = typed_text(errors, f"{key}.employment_type_other", row.employment_type_other, "其他用工性质",
                               limit=100)
        low = _count(errors, f"{key}.salary_min", row.salary_min, "月薪下限", low=0, high=MAX_SALARY)
        high = _count(errors, f"{key}.salary_max", row.salary_max, "月薪上限", low=0, high=MAX_SALARY)
        if low is not None and high is not None and low > high:
            errors.add(f"{key}.salary_max", "月薪上限不能低于月薪下限")
        major_rows = list(row.majors or [])
        if len(major_rows) > MAX_DEMAND_MAJORS:
            errors.add(f"{key}.majors", f"每个岗位最多{MAX_DEMAND_MAJORS}个专业")
            major_rows = []
        picked = []
        seen = set()
        for j, major in enumerate(major_rows):
            mkey = f"{key}.majors[{j}]"
            code = (major.category or "").strip()
            category = majors.get(code)
            if category is None:
                errors.add(f"{mkey}.category", "请选择专业类别" if not code else "专业类别不在可选范围内")
            elif code in seen:
                errors.add(f"{mkey}.category", "该专业类别已填写，请合并人数")
            seen.add(code)
            count = _count(errors, f"{mkey}.headcount", major.headcount, "专业人数", low=1, high=MAX_HEADCOUNT)
            picked.append({"category": category, "headcount": count})
        if headcount and all(p["headcount"] for p in picked) and sum(p["headcount"] for p in picked) > headcount:
            errors.add(f"{key}.majors", "各专业人数之和不能超过该岗位的需求人数")
        out.append({"order": i, "position_entry": entry, "position_text": title, "description": description,
                    "headcount": headcount, "gender": gender, "employment_type_other": other,
                    "salary_min": low, "salary_max": high, "majors": picked,
                    **{name: chosen[name] for name, _, _ in POSITION_CHOICES}})
    return out


def validate_demand(data: DemandInput, *, current: Demand | None = None) -> dict:
    """Every field checked at once; InvalidInput names each (``positions[0].majors[1].headcount`` …,
    as the site's API names rows)."""
    errors = ErrorCollector()
    contact_name = typed_text(errors, "contact_name", data.contact_name, "联系人", limit=50, name=True)
    phone = pii.unmasked(pii.MOBILE, data.contact_phone, current.contact_phone if current else None)
    if not phone:
        errors.add("contact_phone", "请填写联系人手机号")
    else:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors.add("contact_phone", exc.messages[0])
    months = _months(errors, data.months)
    workforce = _count(errors, "workforce_size", data.workforce_size, "企业用工规模", low=1, high=MAX_WORKFORCE)
    codes = data.services if isinstance(data.services, (list, tuple)) else []
    services = _entries(LookupKind.DEMAND_SERVICE, codes)
    unknown = [c for c in codes if str(c).strip() not in services]
    if unknown:
        errors.add("services", "需要的服务不在可选范围内：" + "、".join(map(str, unknown[:5])))
    other = ""
    if OTHER in services:
        other = typed_text(errors, "services_other", data.services_other, "其他服务需求", limit=200)
    positions = _positions(errors, list(data.positions or []))
    # Enterprises fill only the fields marked for public forms (core.custom_fields).
    custom = custom_fields.clean_values("demand", data.custom, errors=errors, public=True,
                                        current=current.custom if current else None, creating=current is None)
    errors.raise_if_any()
    return {"contact_name": contact_name, "contact_phone": phone, "months": months, "workforce_size": workforce,
            "services": list(services.values()), "services_other": other, "positions": positions, "custom": custom}


def _event(demand, action, *, actor, before="", note="", at=None):
    DemandEvent.objects.create(demand=demand, action=action, from_status=before, to_status=demand.status,
                               actor=actor, at=at or clock.now(), note=note[:500])


def _replace_rows(demand, values):
    demand.positions.all().delete()  # majors go with them (CASCADE)
    DemandService.objects.filter(demand=demand).delete()
    DemandService.objects.bulk_create([DemandService(demand=demand, service=s) for s in values["services"]])
    for row in values["positions"]:
        majors = row.pop("majors")
        position = DemandPosition.objects.create(demand=demand, **row)
        DemandMajor.objects.bulk_create([DemandMajor(position=position, **m) for m in majors])
        row["majors"] = majors


def _apply(demand, values, account):
    demand.contact_name = values["contact_name"]
    demand.contact_phone = values["contact_phone"]
    demand.months = values["months"]
    demand.workforce_size = values["workforce_size"]
    demand.services_other = values["services_other"]
    demand.custom = values["custom"]
    # The profile's industry and chain when the demand is written (R-PT-05: shown, not typed).
    demand.company_name = account.company_name
    demand.industry_id = account.industry_id
    demand.industrial_chain_id = account.industrial_chain_id


def _locked_own(actor, demand_id) -> Demand:
    demand = demand_for(actor, demand_id)  # 404 for another enterprise's demand
    return Demand.objects.select_for_update().get(pk=demand.pk)


def save_demand(*, actor, data: DemandInput, demand_id: int | None = None) -> Demand:
    """A new demand (a draft until submitted), or a change to one not yet approved."""
    access = approved_enterprise(actor)
    account = access.account
    now = clock.now()
    if demand_id is None:
        values = validate_demand(data)
        with transaction.atomic():
            demand = Demand(account=account, enterprise_id=account.enterprise_id)
            _apply(demand, values, account)
            demand.save()
            custom_fields.index("demand", demand.pk, demand.custom)
            _replace_rows(demand, values)
            _event(demand, "create", actor=actor, at=now)
        return demand
    with transaction.atomic():
        demand = _locked_own(actor, demand_id)
        problem = demand_error("save", demand.status)
        if problem:
            raise StateConflict(problem)
        values = validate_demand(data, current=demand)
        _apply(demand, values, account)
        demand.save()
        custom_fields.index("demand", demand.pk, demand.custom)
        _replace_rows(demand, values)
        _event(demand, "save", actor=actor, before=demand.status, at=now)
    return demand


def submit_demand(*, actor, demand_id: int) -> Demand:
    approved_enterprise(actor)
    with transaction.atomic():
        demand = _locked_own(actor, demand_id)
        problem = demand_error("submit", demand.status)
        if problem:
            raise StateConflict(problem)
        before = demand.status
        demand.status, demand.reject_reason, demand.submitted_at = DemandStatus.PENDING, "", clock.now()
        demand.save()
        _event(demand, "submit", actor=actor, before=before, at=demand.submitted_at)
    return demand


def withdraw_demand(*, actor, demand_id: int) -> None:
    """Take back a demand that is not approved: its rows go; an audit row keeps that it happened."""
    approved_enterprise(actor)
    with transaction.atomic():
        demand = _locked_own(actor, demand_id)
        problem = demand_error("withdraw", demand.status)
        if problem:
            raise StateConflict(problem)
        audit.record(AuditLog.Action.RECORD_WITHDRAW, actor=actor, target=demand,
                     target_repr=f"撤回人才需求：{demand.company_name}", detail={"status": demand.status})
        demand.delete()


def decide_demand(*, actor, demand_id: int, approve: bool, reason: str = "") -> Demand:
    """Approve a pending demand, or reject it with a reason (R-PT-13)."""
    require(actor, REVIEW_DEMANDS, "您没有审核人才需求的权限")
    reason = "" if approve else reject_reason(reason)
    action = "approve" if approve else "reject"
    with transaction.atomic():
        demand = demand_for(actor, demand_id)
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        problem = demand_error(action, demand.status)
        if problem:
            raise StateConflict(problem)
        before, now = demand.status, clock.now()
        demand.status = DEMAND_ACTIONS[action][2]
        demand.reject_reason = "" if approve else reason
        demand.decided_by, demand.decided_at = actor, now
        demand.save()
        if approve:  # its figures join the statistics in the same transaction
            demand_tallies.apply(demand_tallies.day_of(demand), demand_tallies.contribution(demand))
        _event(demand, action, actor=actor, before=before, at=now, note=reason)
    return demand


def report_outcome(*, actor, demand_id: int, data: OutcomeInput) -> Demand:
    """After approval: how many were hired per position, and whether the demand is
    已完成 or 未完全达成 (R-PT-07). Correctable for OUTCOME_CORRECTION_WINDOW after
    it was first given."""
    approved_enterprise(actor)
    with transaction.atomic():
        demand = _locked_own(actor, demand_id)
        problem = demand_error("outcome", demand.status)
        if problem:
            raise StateConflict(problem)
        now = clock.now()
        if demand.outcome_at and now > demand.outcome_at + OUTCOME_CORRECTION_WINDOW:
            raise StateConflict(f"招聘结果已于{demand.outcome_at:%Y-%m-%d}反馈，超过"
                                f"{OUTCOME_CORRECTION_WINDOW.days}天不能再修改；如有误请联系就业服务工作人员")
        errors = ErrorCollector()
        positions = list(demand.positions.order_by("order", "id"))
        sent = {str(k): v for k, v in (data.hired or {}).items()}
        known = {str(p.pk) for p in positions}
        for key in sent.keys() - known:
            errors.add("positions", f"岗位 {key} 不属于该需求")
        hired = {}
        for i, position in enumerate(positions):
            hired[position.pk] = _count(errors, f"positions[{i}].hired", sent.get(str(position.pk)),
                                        f"“{position.position_text}”的实际招聘人数", low=0, high=MAX_HEADCOUNT)
        if data.result not in (DemandOutcome.COMPLETED, DemandOutcome.PARTIAL):
            errors.add("result", "请选择招聘结果：completed（已完成）或 partial（未完全达成）")
        errors.raise_if_any()
        figures_before = demand_tallies.contribution(demand)
        for position in positions:
            position.hired = hired[position.pk]
        DemandPosition.objects.bulk_update(positions, ["hired"])
        first = not demand.outcome_at
        demand.outcome = data.result
        demand.outcome_at = demand.outcome_at or now
        demand.save()
        demand_tallies.apply(demand_tallies.day_of(demand),
                             demand_tallies.difference(figures_before, demand_tallies.contribution(demand)))
        _event(demand, "outcome", actor=actor, before=demand.status, at=now,
               note=("" if first else "更正：") + DemandOutcome(data.result).label)
    return demand
