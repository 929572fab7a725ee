"""Demo cases and petitions for a demo site: a realistic spread over grids,
months and states, written through the real services (so timelines and
petition histories are complete)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Enterprise, Grid, User
from zhonglou_hrss.core.validators import id_number_check_char
from zhonglou_hrss.kuaiban.models import Case, CaseSource, Petition
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.registration import RegistrationInput, register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建国", "海燕"]
RESPONDENTS = ["常州钟晟精密机械有限公司", "常州荷花池餐饮管理有限公司", "常州五星建筑劳务有限公司",
               "常州永红纺织服装有限公司", "常州北港物流有限公司", "常州西林电子科技有限公司", "常州新闸汽车零部件有限公司",
               "常州邹区灯具制造有限公司", "常州星港物业管理有限公司", "常州广化酒店管理有限公司"]
DEMANDS = ["要求支付拖欠的{n}个月工资", "要求补缴社会保险", "要求签订书面劳动合同并支付二倍工资差额",
           "要求支付加班费", "要求支付解除劳动合同经济补偿", "要求退还押金{n}00元"]
REASONS = ["wage_arrears", "social_insurance", "no_written_contract", "excessive_overtime", "unlawful_termination",
           "wage_arrears", "wage_arrears"]
# (weight, steps): how far a demo case gets.
STORIES = [
    (3, []),
    (4, ["grid_accept"]),
    (6, ["grid_accept", "grid_resolve"]),
    (2, ["grid_accept", "grid_fail"]),
    (2, ["grid_return", "triage_escalate"]),
    (2, ["grid_return", "triage_escalate", "assign"]),
    (2, ["grid_accept", "grid_fail", "triage_escalate", "assign", "claim", "record_filing"]),
    (3, ["grid_accept", "grid_fail", "triage_escalate", "assign", "claim", "record_handling", "close"]),
    (1, ["grid_return", "triage_invalid"]),
]
DEMO_CASES = 60
DEMO_PETITIONS = 25
PETITION_RESULTS = ["经协调，企业已支付拖欠工资，信访人表示满意", "已转劳动保障监察立案处理，企业已整改",
                    "已告知通过劳动人事争议仲裁途径解决，并提供申请指引", "企业已为其补缴社会保险",
                    "双方达成和解协议，企业一次性支付经济补偿", "经核查诉求不属实，已向信访人当面答复"]


def _id_number(rng) -> str:
    body = f"320404{rng.randint(1965, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_number_check_char(body)


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"


def load_demo(rng_seed: int = 20261129) -> int:
    """Create the demo cases and the demo petitions, each once: a demo site
    that has cases keeps them, one that has petitions keeps those (an older
    demo site with cases only gets its petitions on the next load_demo).
    Returns how many records were created."""
    return load_demo_cases(rng_seed) + load_demo_petitions(rng_seed)


def load_demo_cases(rng_seed: int) -> int:
    """The demo cases, once (a demo site that has cases is left alone)."""
    if Case.objects.exists():
        return 0
    rng = random.Random(rng_seed)
    clerk = User.objects.get(username="clerk")
    leader = User.objects.get(username="leader")
    inspectors = list(User.objects.filter(username__in=["inspector1", "inspector2"]))
    grids = list(Grid.objects.selectable().street_level())
    workers = {g.code: User.objects.filter(username=f"grid_{g.code}").first() for g in grids}
    weights = [w for w, _ in STORIES]
    now = timezone.now()
    for i in range(DEMO_CASES):
        grid = rng.choice(grids)
        started = now - timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 10))
        data = RegistrationInput(
            reporter_name=_person(rng), reporter_id_number=_id_number(rng),
            reporter_phone=_mobile(rng),
            companions=[CompanionInput(name=_person(rng), id_number=_id_number(rng))
                        for _ in range(rng.choice([0, 0, 0, 1, 2]))],
            respondent_name=rng.choice(RESPONDENTS), reason=rng.choice(REASONS), grid=grid.code,
            demand=rng.choice(DEMANDS).format(n=rng.randint(1, 6)), channel=rng.choice(["walk_in", "phone", "letter"]),
        )
        with clock.at(started):
            case = register_case(actor=clerk, data=data, source=CaseSource.INTERNAL).case
        steps = rng.choices([s for _, s in STORIES], weights=weights)[0]
        moment = started
        inspector = rng.choice(inspectors)
        for action in steps:
            moment = min(moment + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8)), now)
            actor, payload = _actor_and_data(action, grid, workers, clerk, leader, inspector, rng)
            with clock.at(moment):
                perform(case_id=case.pk, action=action, actor=actor, data=payload)
    return DEMO_CASES


def load_demo_petitions(rng_seed: int) -> int:
    """Petitions (R-KB-15) as a clerk enters them: over the last ~300 days,
    street grids and 区本级; about two thirds completed later by a second save,
    so each completed one has a 'create' and an 'update' history row."""
    if Petition.objects.exists():
        return 0
    # Its own generator: the same petitions whether or not the cases were made now.
    rng = random.Random(rng_seed + 1)
    clerk = User.objects.get(username="clerk")
    selectable = Grid.objects.selectable()
    streets = list(selectable.street_level().order_by("order", "code"))
    district = selectable.filter(kind=Grid.Kind.DISTRICT).order_by("order", "code").first()
    usccs = {e.name: e.uscc for e in Enterprise.objects.filter(name__in=RESPONDENTS)}
    completed = set(rng.sample(range(DEMO_PETITIONS), k=DEMO_PETITIONS * 2 // 3))
    now = timezone.now()
    for i in range(DEMO_PETITIONS):
        grid = district if district is not None and i % 6 == 0 else rng.choice(streets)
        respondent = rng.choice(RESPONDENTS)
        data = PetitionInput(
            name=_person(rng), id_number=_id_number(rng), phone=_mobile(rng),
            companions=[CompanionInput(name=_person(rng), id_number=_id_number(rng),
                                       phone=rng.choice(["", _mobile(rng)]))
                        for _ in range(rng.choice([0, 0, 1, 2]))],
            respondent_name=respondent, respondent_uscc=usccs.get(respondent, ""),
            reason=rng.choice(REASONS), grid=grid.code, demand=rng.choice(DEMANDS).format(n=rng.randint(1, 6)),
        )
        entered = now - timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 10))
        with clock.at(entered):
            petition = save_petition(actor=clerk, data=data)
        if i in completed:
            handled = min(entered + timedelta(days=rng.randint(2, 25), hours=rng.randint(1, 8)), now)
            data.result, data.handled_at = rng.choice(PETITION_RESULTS), handled
            with clock.at(handled):
                save_petition(actor=clerk, data=data, petition_id=petition.pk)
    return DEMO_PETITIONS


def _actor_and_data(action, grid, workers, clerk, leader, inspector, rng):
    worker = workers[grid.code]
    return {
        "grid_accept": (worker, {}),
        "grid_resolve": (worker, {"resolution_way": rng.choice(["mediation", "employer_paid"]),
                                  "amount": str(rng.randint(5, 300) * 100), "notes": "经调解双方达成一致"}),
        "grid_fail": (worker, {"notes": "企业负责人拒不到场，调解失败"}),
        "grid_return": (worker, {"reason": "企业注册地与经营地均不在本网格"}),
        "triage_escalate": (clerk, {}),
        "triage_invalid": (clerk, {"reason": "重复投诉，已合并处理"}),
        "assign": (leader, {"inspector": inspector.username}),
        "claim": (inspector, {}),
        "record_filing": (inspector, {}),
        "record_handling": (inspector, {"amount": str(rng.randint(10, 500) * 100), "notes": "责令企业限期支付",
                                        "respondent_uscc": "91320404160819154T", "attributed_grid": grid.code}),
        "close": (inspector, {}),
    }[action]
