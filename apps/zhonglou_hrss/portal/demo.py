"""Portal demo data for a demo site, written through the services: enterprise
accounts (ent_demo1 approved, ent_demo2 pending, ent_demo3 rejected; password
demo12345), policy news (some pinned, one for a later day, one taken down)
and urgent concerns in every status."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.demo import DEMO_PASSWORD
from zhonglou_hrss.core.models import EnterpriseAccount, Subsystem, User
from zhonglou_hrss.core.services.accounts import RegistrationInput, decide_access, register_account
from zhonglou_hrss.portal.models import Concern, ConcernStatus, News
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
    return _accounts() + _news() + _concerns()


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
