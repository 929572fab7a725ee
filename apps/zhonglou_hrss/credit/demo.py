"""Credit demo data for a demo site, written through the services: HR-company
accounts (hr_demo1 approved, hr_demo2 pending, hr_demo3 approved; password
demo12345) and declarations of the default year in several stages — hr_demo1
submitted and through 初评 with a deduction, hr_demo3 confirmed at 终评. The
declarations are made at a moment inside the year's window (core.clock.at).
Results and questionnaires are not here: results wait for the questionnaires
app (selectors/questionnaire_scores.py)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.demo import DEMO_PASSWORD
from zhonglou_hrss.core.models import EnterpriseAccount, Subsystem, User
from zhonglou_hrss.core.services.accounts import RegistrationInput, decide_access
from zhonglou_hrss.core.validators import uscc_check_char
from zhonglou_hrss.credit.models import CriteriaYear, Declaration
from zhonglou_hrss.credit.selectors.criteria import latest_scheme
from zhonglou_hrss.credit.services import declarations, scoring
from zhonglou_hrss.credit.services.accounts import register_hr_company

COMPANIES = [
    # username, USCC body, name, contact, mobile, licence date, approve
    ("hr_demo1", "91320404MA1X0001", "常州钟楼人力资源服务有限公司", "吴婷", "13912350001", date(2016, 4, 8), True),
    ("hr_demo2", "91320404MA1X0002", "常州新北劳务派遣有限公司", "郑凯", "13912350002", date(2021, 9, 1), False),
    ("hr_demo3", "91320404MA1X0003", "常州永红人才服务有限公司", "冯洁", "13912350003", date(2012, 6, 20), True),
]


def _uscc(body: str) -> str:
    body = (body + "00")[:17]
    return body + uscc_check_char(body)


def load_demo() -> None:
    if User.objects.filter(username="hr_demo1").exists():
        return
    staff = User.objects.filter(groups__name="信用评价管理员", is_active=True).first()
    scheme: CriteriaYear | None = latest_scheme()
    if staff is None or scheme is None:
        return
    accounts = {}
    for username, body, name, contact, mobile, licensed, approve in COMPANIES:
        account = register_hr_company(
            data=RegistrationInput(username=username, password=DEMO_PASSWORD, uscc=_uscc(body), name=name,
                                   industry="L", address="常州市钟楼区延陵西路99号", industrial_chain="other",
                                   profile="从事劳务派遣和人力资源外包服务。", contact_name=contact,
                                   contact_phone=mobile),
            licence_no=f"320404{body[-4:]}", licence_date=licensed)
        if approve:
            decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.CREDIT, approve=True)
        accounts[username] = EnterpriseAccount.objects.select_related("user").get(pk=account.pk)
    inside = timezone.make_aware(datetime(scheme.window_start.year, scheme.window_start.month,
                                          scheme.window_start.day, 10, 0))
    with clock.at(inside):
        for username, final in (("hr_demo1", False), ("hr_demo3", True)):
            user = accounts[username].user
            declaration = declarations.create_declaration(actor=user, year=scheme.year)
            codes = list(declaration.lines.values_list("item__code", flat=True))
            declarations.save_declaration(actor=user, declaration_id=declaration.pk, data=declarations.DeclarationInput(
                [declarations.LineInput(code, 1, "见证明材料") for code in codes]))
            declarations.submit_declaration(actor=user, declaration_id=declaration.pk)
            scoring.score_items(actor=staff, declaration_id=declaration.pk, stage="initial",
                                items=[scoring.ScoreInput(code, 1, "材料齐全") for code in codes])
            if username == "hr_demo1":
                scoring.add_deduction(actor=staff, declaration_id=declaration.pk, item="WF-02", points=-2,
                                      basis="被责令改正（劳动保障监察限期整改指令书）")
            scoring.confirm_stage(actor=staff, declaration_id=declaration.pk, stage="initial")
            if final:
                scoring.confirm_stage(actor=staff, declaration_id=declaration.pk, stage="final")
    assert Declaration.objects.filter(scheme=scheme).count() >= 2
