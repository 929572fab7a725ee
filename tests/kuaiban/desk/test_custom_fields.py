"""Issue 17 on 快办事件 in the desk: the internal registration form offers
the custom fields the clerk may fill (their errors next to them, what was
typed kept, nothing saved), and the case page shows each field the viewer
may see — a personal one masked until revealed, and that reveal audited."""

import pytest

from tests.kuaiban.desk.test_cases import login
from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.models import Case

pytestmark = pytest.mark.django_db
REGISTER = "/desk/kuaiban/case/register/"


@pytest.fixture
def defined(people):
    cf.define(actor=people.admin, data={"object": "case", "code": "arrears_months", "label": "欠薪月数",
                                        "type": "number", "required": True, "help_text": "按月计"})
    cf.define(actor=people.admin, data={"object": "case", "code": "paid_by", "label": "发薪方式", "type": "choice",
                                        "choices": [{"code": "cash", "label": "现金"}, {"code": "bank", "label": "银行"}]})
    cf.define(actor=people.admin, data={"object": "case", "code": "foreman_phone", "label": "包工头电话",
                                        "type": "text", "personal": True, "edit_roles": ["区后勤人员"]})
    cf.define(actor=people.admin, data={"object": "case", "code": "leaders_note", "label": "领导批示",
                                        "type": "long_text", "view_roles": ["领导"], "edit_roles": ["领导"]})


def form_data(**custom):
    data = {"reporter_name": "李四", "reporter_id_number": "11010519491231002X", "reporter_phone": "13800138000",
            "respondent_name": "常州某某公司", "reason": "wage_arrears", "grid": "320404001", "channel": "phone",
            "demand": "讨薪", "companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"}
    data.update({f"custom.{k}": v for k, v in custom.items()})
    return data


def test_the_registration_form_offers_checks_and_saves_custom_fields(people, defined):
    client = login(people.clerk)
    page = client.get(REGISTER).content.decode()
    assert "欠薪月数" in page and "按月计" in page and "包工头电话" in page and "银行" in page
    assert "领导批示" not in page  # only leaders may fill it
    bad = client.post(REGISTER, form_data(arrears_months="三个", paid_by="bank", foreman_phone="13912345678"))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "欠薪月数：应为整数" in html and 'value="三个"' in html
    assert not Case.objects.exists()
    done = client.post(REGISTER, form_data(arrears_months="3", paid_by="bank", foreman_phone="13912345678"))
    assert done.status_code == 302
    case = Case.objects.get()
    assert case.custom["arrears_months"] == 3 and case.custom["paid_by"] == "bank"


def test_the_case_page_shows_what_each_viewer_may_see(people, defined):
    login(people.clerk).post(REGISTER, form_data(arrears_months="3", paid_by="cash", foreman_phone="13912345678"))
    case = Case.objects.get()
    page = login(people.clerk).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    assert "欠薪月数" in page and "现金" in page and "13912345678" not in page and "领导批示" not in page
    before = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count()
    revealed = login(people.clerk).get(f"/desk/kuaiban/case/{case.pk}/?pii=1").content.decode()
    assert "13912345678" in revealed
    row = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).order_by("-id").first()
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count() == before + 1
    assert "custom.foreman_phone" in row.detail["fields"]
    assert "领导批示" in login(people.leader).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()


def test_the_case_list_offers_custom_columns_and_filters(people, defined):
    for paid_by in ("cash", "bank"):
        done = login(people.clerk).post(REGISTER, {**form_data(arrears_months="2", paid_by=paid_by),
                                                   "demand": f"讨薪{paid_by}"})
        assert done.status_code == 302
    client = login(people.clerk)
    page = client.get("/desk/kuaiban/case/").content.decode()
    assert 'value="custom.paid_by"' in page and 'value="custom.leaders_note"' not in page  # the chooser
    assert "发薪方式" in page  # the sidebar filter
    client.post("/desk/kuaiban/case/columns/", {"col": ["status_col", "custom.paid_by", "custom.foreman_phone"]})
    cash, bank = (Case.objects.get(custom__paid_by=code).number for code in ("cash", "bank"))
    listed = client.get("/desk/kuaiban/case/").content.decode()
    assert cash in listed and bank in listed and "<td class=\"field-custom_paid_by" in listed
    filtered = client.get("/desk/kuaiban/case/", {"custom.paid_by": "bank"}).content.decode()
    assert bank in filtered and cash not in filtered
    # a grid worker's filter never widens what the grid sees (both cases are the other grid's)
    grid = login(people.grid2).get("/desk/kuaiban/case/", {"custom.paid_by": "bank"}).content.decode()
    assert bank not in grid


def test_an_export_template_takes_custom_fields_as_placeholders(people, defined):
    from openpyxl import load_workbook

    from tests.core.test_exports import make_template
    from zhonglou_hrss.core.exports import jobs, templates
    from zhonglou_hrss.core.models import ExportJob, ExportTemplate

    assert login(people.clerk).post(REGISTER, form_data(arrears_months="4", paid_by="bank",
                                                        foreman_phone="13912345678")).status_code == 302
    content = make_template([["事件导出", None, None, None], ["编号", "欠薪月数", "发薪方式", "包工头电话"],
                             ["{{number}}", "{{custom_arrears_months}}", "{{custom_paid_by}}",
                              "{{custom_foreman_phone}}"]])
    template = templates.save_template(actor=people.admin, template=ExportTemplate(name="含自定义字段", kind="kuaiban_case"),
                                       content=content, filename="custom.xlsx")
    job = jobs.start_export(user=people.clerk, kind="kuaiban_case", filters={}, template_id=template.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    rows = list(load_workbook(jobs.export_path(job)).worksheets[0].iter_rows(min_row=3, values_only=True))
    case = Case.objects.get()
    assert rows == [(case.number, "4", "银行", "1**********")]  # a masked export masks the personal field
    bad = make_template([["编号"], ["{{custom_nope}}"]])
    with pytest.raises(Exception) as refused:
        templates.parse_template(bad, kind="kuaiban_case")
    assert "custom_nope" in str(refused.value.errors)


def test_issue_17_the_petition_list_shows_and_filters_custom_fields(people):
    from tests.custom_lists import A, B, check_list, define_fields, give
    from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

    define_fields(people.admin, "petition")
    made = []
    for n, values in enumerate((A, B)):
        petition = save_petition(actor=people.clerk, data=PetitionInput(
            name="赵六", id_number="11010519491231002X", phone="13812341234", respondent_name=f"信访对方{n}",
            reason="wage_arrears", grid="320404001", demand="要求支付工资"))
        give(petition, "petition", values)
        made.append(petition)
    check_list(login(people.clerk), "/desk/kuaiban/petition/", made[0].number, made[1].number)
    leader = login(people.leader).get("/desk/kuaiban/petition/").content.decode()
    assert "只给领导看" in leader and "custom.secret=x" in leader  # the role the fields are for sees them


def test_issue_17_the_case_list_filters_by_number_and_date_ranges(people):
    from tests.custom_lists import A, B, define_fields, give

    define_fields(people.admin, "case")
    cases = []
    for n, values in enumerate((A, B)):
        done = login(people.clerk).post(REGISTER, {**form_data(), "respondent_name": f"常州区间{n}有限公司"})
        assert done.status_code == 302
        case = Case.objects.order_by("-id").first()
        give(case, "case", values)
        cases.append(case.number)
    client = login(people.clerk)
    page = client.get("/desk/kuaiban/case/").content.decode()
    assert 'name="custom.staff_from"' in page and 'name="custom.visited_to"' in page
    staff = client.get("/desk/kuaiban/case/", {"custom.staff_from": "6", "custom.staff_to": "50"}).content.decode()
    assert cases[1] in staff and cases[0] not in staff
    day = client.get("/desk/kuaiban/case/", {"custom.visited_to": "2026-03-01"}).content.decode()
    assert cases[0] in day and cases[1] not in day
    bad = client.get("/desk/kuaiban/case/", {"custom.amount_to": "x"})
    assert bad.status_code == 200 and "筛选条件有误：补贴金额：应为数字" in bad.content.decode()


def test_issue_17_petition_export_placeholders_by_role(people):
    """Issue 17: {{custom_<code>}} in a petition export template — values as people read them, a
    personal one masked unless a full export, empty for a role that may not see the field."""
    from openpyxl import load_workbook

    from tests.core.test_exports import make_template
    from tests.custom_lists import A, define_fields, give
    from zhonglou_hrss.core.exports import jobs, templates
    from zhonglou_hrss.core.models import ExportJob, ExportTemplate
    from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

    define_fields(people.admin, "petition")
    petition = save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number="11010519491231002X", phone="13812341234", respondent_name="导出对方单位",
        reason="wage_arrears", grid="320404001", demand="要求支付工资"))
    give(petition, "petition", A)
    content = make_template([["信访导出", None, None, None, None], ["编号", "级别", "走访日期", "联系人", "批注"],
                             ["{{number}}", "{{custom_level}}", "{{custom_visited}}", "{{custom_contact}}",
                              "{{custom_note}}"]])
    template = templates.save_template(actor=people.admin, content=content, filename="petition.xlsx",
                                       template=ExportTemplate(name="信访含自定义字段", kind="kuaiban_petition"))

    def exported(user, **form):
        response = login(user).post("/desk/kuaiban/exports/?kind=kuaiban_petition",
                                    {"template": template.pk, **form})
        assert response.status_code == 302, response.content.decode()[:500]
        job = ExportJob.objects.filter(user=user).latest("id")
        assert job.status == ExportJob.Status.DONE, job.error
        return list(load_workbook(jobs.export_path(job)).worksheets[0].iter_rows(min_row=3, values_only=True))

    assert exported(people.clerk) == [(petition.number, "甲类", "2026-03-01", "张**", None)]
    assert exported(people.leader, pii="full", export_reason="核对信访人") == [
        (petition.number, "甲类", "2026-03-01", "张三丰", "只给领导看")]
