"""Portal demo data for a demo site, written through the services: enterprise
accounts (ent_demo1 approved, ent_demo2 pending, ent_demo3 rejected; password
demo12345), policy news (some pinned, one for a later day, one taken down),
urgent concerns in every status, and two job fairs — one held last month, one
open for registration — with an approved and a pending registration — and
talent demands across their life (approved with outcomes, pending, rejected,
a draft) over the past months, so the statistics have something to show."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.demo import DEMO_PASSWORD
from zhonglou_hrss.core.models import EnterpriseAccount, Subsystem, User
from zhonglou_hrss.core.services.accounts import RegistrationInput, decide_access, register_account
from zhonglou_hrss.portal.models import Concern, ConcernStatus, Demand, JobFair, News
from zhonglou_hrss.portal.services import demands, jobfairs
from zhonglou_hrss.portal.services.concerns import ConcernInput, set_status, submit_concern
from zhonglou_hrss.portal.services.news import NewsInput, save_news

ACCOUNTS = [
    # username, USCC, name, industry, chain, address, contact, mobile, decision
    ("ent_demo1", "91320404160819154T", "常州钟晟精密机械有限公司", "C", "high_end_equipment",
     "常州市钟楼区星港路58号", "周敏", "13912340001", "approve"),
    ("ent_demo2", "91320404648045893F", "常州永红纺织服装有限公司", "C", "high_end_textile_apparel",
     "常州市钟楼区清潭路66号", "钱芳", "13912340002", ""),
    ("ent_demo3", "91320404261071800J", "常州荷花池餐饮管理有限公司", "H", "other",
     "常州市钟楼区北大街112号", "孙强", "13912340003", "reject"),
]
PROFILE = "公司成立于2008年，位于钟楼区，现有员工约{n}人，长期招聘一线技术工人和管理人员。"
NEWS = [
    # days ago, title, pinned
    (1, "钟楼区2026年冬季线上线下招聘活动安排", True),
    (3, "关于开展2026年度企业新型学徒制培训补贴申报的通知", True),
    (6, "常州市稳岗返还政策问答（企业版）", True),
    (9, "钟楼区高校毕业生就业见习基地名单公示", True),
    (14, "关于做好农民工工资支付工作的提醒", True),
    (20, "灵活就业人员社会保险补贴申领指南", True),
    (27, "钟楼区重点企业用工需求信息（第四季度）", False),
    (35, "2026年常州市职业技能等级认定计划发布", False),
    (48, "企业吸纳重点群体就业税收优惠政策解读", False),
    (60, "“码上办”就业人才服务平台上线试运行公告", False),
]
BODY = ("<h2>一、适用对象</h2><p>在钟楼区依法登记注册、正常经营的各类企业及其招用的劳动者。</p>"
        "<h2>二、办理方式</h2><ol><li>登录“码上办”企业门户，完成企业注册并通过审核；</li>"
        "<li>按通知要求填写并提交材料；</li><li>区人社局在10个工作日内完成审核。</li></ol>"
        "<p><strong>咨询电话：</strong>0519-12333（工作日 9:00-17:00）。</p>")
CONCERNS = [
    ("王建国", "13812345001", "公司拖欠了我两个月工资，应该去哪里反映？", ConcernStatus.NEW),
    ("李秀英", "13812345002", "想了解灵活就业人员的社保补贴怎么申请。", ConcernStatus.NEW),
    ("张伟", "13812345003", "应届毕业生，想咨询就业见习岗位的报名方式。", ConcernStatus.VIEWED),
    ("刘芳", "13812345004", "企业想招聘20名普工，能否帮忙对接劳务输出基地？", ConcernStatus.CONTACTED),
    ("陈强", "13812345005", "失业登记后可以享受哪些政策？", ConcernStatus.COMPLETED),
    ("杨静", "13812345006", "办理退休手续需要准备什么材料？", ConcernStatus.COMPLETED),
]


def load_demo() -> int:
    """Each part once: a demo site that has them keeps them."""
    return _accounts() + _news() + _concerns() + _jobfairs() + _demands()


def _accounts() -> int:
    if EnterpriseAccount.objects.exists():
        return 0
    staff = User.objects.get(username="portal_staff")
    for i, (username, uscc, name, industry, chain, address, contact, mobile, decision) in enumerate(ACCOUNTS):
        account = register_account(data=RegistrationInput(
            username=username, password=DEMO_PASSWORD, uscc=uscc, name=name, industry=industry, address=address,
            industrial_chain=chain, profile=PROFILE.format(n=120 + 80 * i), contact_name=contact,
            contact_phone=mobile))
        if decision:
            decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL,
                          approve=decision == "approve",
                          reason="" if decision == "approve" else "营业执照上的企业名称与填写的不一致，请核对后重新提交")
    return len(ACCOUNTS)


def _news() -> int:
    if News.objects.exists():
        return 0
    staff = User.objects.get(username="portal_staff")
    today = timezone.localdate()
    items = [(today - timedelta(days=days), title, pinned, True) for days, title, pinned in NEWS]
    items.append((today + timedelta(days=7), "（定时发布）2027年春风行动招聘会预告", True, True))
    items.append((today - timedelta(days=2), "（已下架）关于暂停受理某项补贴的通知", False, False))
    for published_on, title, pinned, published in items:
        save_news(actor=staff, data=NewsInput(
            title=title, published_on=published_on, publisher="钟楼区人社局就业促进科", content_html=BODY,
            pinned=pinned, is_published=published))
    return len(items)


def _concerns() -> int:
    if Concern.objects.exists():
        return 0
    staff = User.objects.get(username="portal_staff")
    now = timezone.now()
    steps = [ConcernStatus.VIEWED, ConcernStatus.CONTACTED, ConcernStatus.COMPLETED]
    for i, (name, phone, details, status) in enumerate(CONCERNS):
        at = now - timedelta(days=2 * (len(CONCERNS) - i), hours=3)
        with clock.at(at):
            concern = submit_concern(data=ConcernInput(name=name, phone=phone, details=details)).concern
        for step in steps[: steps.index(status) + 1] if status in steps else []:
            at += timedelta(hours=5)
            with clock.at(at):
                set_status(actor=staff, concern_id=concern.pk, status=step)
    return len(CONCERNS)


# A scanned registration form: a small PDF, as a scanner's "save as PDF" makes one.
STAMPED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")
FAIR_POSITIONS = [
    # title, count, education, major, salary min, max, description
    ("数控车工", 6, "senior_high", "机械加工", 6000, 9000, "操作数控车床完成零件加工，能看懂机械图纸，会基本编程。"),
    ("机械设计工程师", 2, "bachelor", "机械设计制造及其自动化", 8000, 13000, "负责非标设备结构设计，熟练使用SolidWorks。"),
    ("质检员", 3, "junior_college", "", 5000, 6500, "来料及成品检验，填写检验记录。"),
]


def _stamped(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, STAMPED_PDF, content_type="application/pdf")


def _jobfairs() -> int:
    if JobFair.objects.exists():
        return 0
    staff = User.objects.get(username="portal_staff")
    today = timezone.localdate()
    approved = EnterpriseAccount.objects.select_related("user").get(user__username="ent_demo1")
    # The autumn fair, held a month ago, took its registrations while it was open (the clock set back).
    with clock.at(timezone.now() - timedelta(days=40)):
        held = jobfairs.save_fair(actor=staff, data=jobfairs.FairInput(
            name="钟楼区2026年秋季人才招聘会", date=today - timedelta(days=30), venue="钟楼区人力资源市场（星港路1号）",
            notes="上午9:00-11:30，企业8:00起入场布展。"))
        jobfairs.set_registration_open(actor=staff, fair_id=held.pk, is_open=True)
        reg = jobfairs.save_registration(actor=approved.user, data=_demo_registration(held.pk, positions=2))
        jobfairs.set_stamped_form(actor=approved.user, registration_id=reg.pk, upload=_stamped("盖章报名表.pdf"))
        jobfairs.submit_registration(actor=approved.user, registration_id=reg.pk)
        jobfairs.decide_registration(actor=staff, registration_id=reg.pk, approve=True)
        jobfairs.set_registration_open(actor=staff, fair_id=held.pk, is_open=False)
    upcoming = jobfairs.save_fair(actor=staff, data=jobfairs.FairInput(
        name="钟楼区2027年春风行动大型招聘会", date=today + timedelta(days=21), venue="钟楼区人力资源市场（星港路1号）",
        notes="请于报名截止前上传加盖公章的报名表，审核通过后安排展位。"))
    jobfairs.add_fair_attachment(actor=staff, fair_id=upcoming.pk, upload=_stamped("招聘会报名表（空白模板）.pdf"),
                                 is_form_template=True)
    jobfairs.set_registration_open(actor=staff, fair_id=upcoming.pk, is_open=True)
    # ent_demo1's registration for the spring fair waits for review (the desk's queue shows it).
    reg = jobfairs.save_registration(actor=approved.user, data=_demo_registration(upcoming.pk, positions=3))
    jobfairs.set_stamped_form(actor=approved.user, registration_id=reg.pk, upload=_stamped("盖章报名表.pdf"))
    jobfairs.submit_registration(actor=approved.user, registration_id=reg.pk)
    return 2


def _demo_registration(fair_id: int, *, positions: int) -> jobfairs.RegistrationInput:
    return jobfairs.RegistrationInput(
        fair_id=fair_id, contact_name="周敏", contact_phone="13912340001",
        introduction="常州钟晟精密机械有限公司专业从事精密零部件加工，现有员工约120人，诚邀技术人才加入。",
        attendees=[jobfairs.AttendeeInput(name="周敏", gender="female", title="人事经理", phone="13912340001",
                                          id_number="320404198506150021"),
                   jobfairs.AttendeeInput(name="吴刚", gender="male", title="生产主管", phone="13912340011",
                                          id_number="320404199002280011")],
        positions=[jobfairs.PositionInput(title=t, count=c, education=e, major=m, salary_min=lo, salary_max=hi,
                                          description=d) for t, c, e, m, lo, hi, d in FAIR_POSITIONS[:positions]])


# (days ago submitted, positions: (post, headcount, gender, employment, salary min, max, age, education, skill,
#  experience, majors), services, what happens: approve / reject / pending / draft, outcome, hired share)
DEMANDS = [
    (150, [("general_worker", 30, "any", "contract", 4500, 6000, "18_25", "senior_high", "any", "any", []),
           ("operator", 12, "male", "dispatched", 5000, 6500, "26_35", "senior_high", "junior", "1y", [])],
     ["job_fair", "labour_export_base"], "approve", "completed", 1.0),
    (110, [("technician", 5, "any", "contract", 7000, 9500, "26_35", "junior_college", "intermediate_plus", "3y",
            [("08", 3)]),
           ("数控编程员", 2, "male", "contract", 9000, 13000, "26_35", "bachelor", "intermediate_plus", "5y_plus",
            [("08", 2)])],
     ["school_enterprise", "job_posting"], "approve", "partial", 0.5),
    (70, [("engineer", 3, "any", "contract", 10000, 16000, "26_35", "master", "any", "3y", [("08", 3)])],
     ["hr_agency_referral"], "approve", "", 0),
    (40, [("general_worker", 50, "female", "hourly", 2500, 3500, "36_45", "junior_middle", "any", "any", [])],
     ["job_fair", "other"], "reject", "", 0),
    (12, [("operator", 20, "any", "dispatched", 4800, 6200, "18_25", "senior_high", "junior", "any", []),
          ("quality_inspector", 4, "female", "contract", 5000, 6500, "26_35", "junior_college", "any", "1y",
           [("12", 2)])],
     ["job_fair"], "pending", "", 0),
    (0, [("机械类实习生", 6, "any", "intern", 3000, 4000, "18_25", "junior_college", "any", "any", [("08", 4)])],
     ["school_enterprise"], "draft", "", 0),
]


def _demands() -> int:
    if Demand.objects.exists():
        return 0
    staff = User.objects.get(username="portal_staff")
    company = EnterpriseAccount.objects.select_related("user").get(user__username="ent_demo1").user
    now = timezone.now()
    for days, positions, services, fate, outcome, share in DEMANDS:
        rows = [demands.DemandPositionInput(
            position=post, description="",
            headcount=n, gender=gender, employment_type=kind, salary_min=low, salary_max=high, age_band=age,
            education=edu, skill_level=skill, experience=exp,
            majors=[demands.MajorInput(category=c, headcount=h) for c, h in majors])
            for post, n, gender, kind, low, high, age, edu, skill, exp, majors in positions]
        data = demands.DemandInput(contact_name="周敏", contact_phone="13912340001", months=[3, 4, 5],
                                   workforce_size=120, services=services,
                                   services_other="希望对接技工院校实习生" if "other" in services else "",
                                   positions=rows)
        at = now - timedelta(days=days, hours=2)
        with clock.at(at):
            demand = demands.save_demand(actor=company, data=data)
            if fate == "draft":
                continue
            demands.submit_demand(actor=company, demand_id=demand.pk)
        if fate == "pending":
            continue
        with clock.at(at + timedelta(days=1)):
            demands.decide_demand(actor=staff, demand_id=demand.pk, approve=fate == "approve",
                                  reason="" if fate == "approve" else "招聘月份与岗位数量不一致，请核对后重新提交")
        if outcome:
            with clock.at(at + timedelta(days=45)):
                demands.report_outcome(actor=company, demand_id=demand.pk, data=demands.OutcomeInput(
                    hired={p.pk: int(p.headcount * share) for p in demand.positions.all()}, result=outcome))
    return len(DEMANDS)
