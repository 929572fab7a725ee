"""What a complaint's people and texts may hold (issue 10 item 7): the rules
of ``core.validators`` (``clean_text``, ``clean_person_name``, the ID
number's birth date) and of ``rules`` (which channel which path may record),
applied by the one door ``services.person_input`` / ``services.registration``
/ ``services.petitions`` — so the desk forms, the API and the public page
refuse exactly the same input, each with a Chinese message naming the field,
and save nothing."""

from __future__ import annotations

import html

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import id_number_for
from zhonglou_hrss.kuaiban.models import Case, Petition

pytestmark = pytest.mark.django_db

BORN_1800 = "320404180001011012"  # checksum right, born 1800-01-01
BORN_1902 = "320404190206011015"  # checksum right, 124 years old in 2026
RLO, ZWSP, ZWJ, BOM, BEL = "\u202e", "\u200b", "\u200d", "\ufeff", "\x07"

# (field, value, what the message must say): each refused on every path.
BAD_PERSON = [
    ("reporter_id_number", BORN_1800, "出生日期"),
    ("reporter_id_number", BORN_1902, "出生日期"),
    ("reporter_name", f"张{RLO}三", "上报人姓名"),
    ("reporter_name", f"张{ZWSP}三", "上报人姓名"),
    ("reporter_name", f"{BOM}张三", "上报人姓名"),
    ("reporter_name", f"张{BEL}三", "上报人姓名"),
    ("reporter_name", "张\n三", "上报人姓名"),
    ("respondent_name", f"常州{ZWJ}某公司", "对方单位名称"),
    ("demand", f"讨薪{RLO}gnp.exe", "具体诉求"),
]


def case_body(**overrides) -> dict:
    n = overrides.pop("n", 1)
    body = {"reporter_name": "李四", "reporter_id_number": id_number_for(7000 + n), "reporter_phone": "13912345678",
            "respondent_name": "常州某某电子有限公司", "reason": "wage_arrears", "grid": "320404001",
            "demand": "三个月工资没有发", "channel": "walk_in"}
    body.update(overrides)
    return body


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- internal registration: the desk form and the API -------------------------------------
@pytest.mark.parametrize("field,value,says", BAD_PERSON + [("channel", "qr_public", "来源渠道")])
def test_issue_10_item_7_internal_registration_refuses(people, field, value, says):
    """issue 10 item 7: an ID number born in 1800 or over 120 years ago,
    control / direction / zero-width characters in names and texts, the public
    page's channel (群众扫码登记) on an internal registration — each a 400
    with a Chinese message naming the field, on the desk form and the API;
    nothing saved."""
    response = api(people.clerk).post("/api/v1/kuaiban/cases/", case_body(**{field: value}), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field], errors
    assert says in errors[field][0], errors

    form = {**case_body(n=2, **{field: value}), "companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"}
    response = desk(people.clerk).post("/desk/kuaiban/case/register/", form)
    assert response.status_code == 400
    assert errors[field][0] in page_text(response)
    assert not Case.objects.exists()


def test_issue_10_item_7_companion_names_and_ids_too(people):
    """issue 10 item 7: a companion's name and ID number follow the same rules,
    named by row."""
    response = api(people.clerk).post("/api/v1/kuaiban/cases/", case_body(companions=[
        {"name": f"王{ZWSP}五", "id_number": id_number_for(7101), "phone": ""},
        {"name": "赵六", "id_number": BORN_1800, "phone": ""}]), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"companions[0].name", "companions[1].id_number"}
    assert "第1位同行人员的姓名" in errors["companions[0].name"][0]
    assert "出生日期" in errors["companions[1].id_number"][0]
    assert not Case.objects.exists()


def test_issue_10_item_7_texts_are_normalised_and_line_breaks_kept_in_long_text(people):
    """issue 10 item 7: names NFKC-normalised (full-width letters, brackets and
    spaces) and trimmed; the demand keeps its line breaks, tabs and Chinese
    punctuation; the desk's channel list offers no public channel."""
    assert 'value="qr_public"' not in desk(people.clerk).get("/desk/kuaiban/case/register/").content.decode()
    response = api(people.clerk).post("/api/v1/kuaiban/cases/", case_body(
        reporter_name="\u3000李四\u3000", respondent_name="ＡＢＣ（常州）有限公司 ",
        demand="第一，拖欠工资；\n第二，\t未缴社保"), format="json")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.reporter_name == "李四" and case.respondent_name == "ABC(常州)有限公司"
    assert case.demand == "第一，拖欠工资；\n第二，\t未缴社保"


# --- the public page ----------------------------------------------------------------------------
@pytest.fixture
def public(settings):
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()
    yield Client()
    cache.clear()


@pytest.mark.parametrize("field,value,says", BAD_PERSON)
def test_issue_10_item_7_public_page_refuses_the_same(public, field, value, says):
    """issue 10 item 7: the public QR page refuses the same input, the message
    next to the field; nothing saved."""
    from tests.kuaiban.public.test_report import form_data

    data = form_data(**{field: value})
    data.pop("channel", None)
    response = public.post("/kuaiban/report/", data)
    assert response.status_code == 200
    errors = response.context["errors"]
    assert field in errors and says in errors[field][0], errors
    assert errors[field][0] in page_text(response)
    assert not Case.objects.exists()


# --- petitions: the desk form and the API ---------------------------------------------------------
BAD_PETITION = [
    ("id_number", BORN_1800, "出生日期"),
    ("name", f"赵{RLO}六", "姓名"),
    ("name", f"赵{ZWSP}六", "姓名"),
    ("respondent_name", f"某{BOM}公司", "对方单位名称"),
    ("result", f"已协调{ZWJ}", "处置结果"),
]


@pytest.mark.parametrize("field,value,says", BAD_PETITION)
def test_issue_10_item_7_petitions_refuse_the_same(people, field, value, says):
    """issue 10 item 7: petitions (desk form and API) follow the same rules."""
    body = {"name": "赵六", "id_number": "11010519491231002X", "phone": "13800138000", "respondent_name": "某公司",
            "reason": "wage_arrears", "grid": "320404", "demand": "讨薪", field: value}
    if field == "result":
        body["handled_at"] = "2026-01-05T10:00:00+08:00"
    response = api(people.clerk).post("/api/v1/kuaiban/petitions/", body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field] and says in errors[field][0], errors

    form = {**body, "companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"}
    if field == "result":
        form["handled_at"] = "2026-01-05 10:00"
    response = desk(people.clerk).post("/desk/kuaiban/petition/new/", form)
    assert response.status_code == 400
    assert errors[field][0] in page_text(response)
    assert not Petition.objects.exists()


# --- the same rule on the other typed texts (issue 10 item 7: every form of every subsystem) ----
def test_action_reason_refuses_bidi_override(people, case_in):
    """Issue 10 item 7: an action's free text (a reason, notes) is checked like
    every typed text; nothing changes."""
    import pytest as _pytest

    from zhonglou_hrss.core.errors import InvalidInput
    from zhonglou_hrss.kuaiban.services.transitions import perform

    case = case_in("district_triage")
    with _pytest.raises(InvalidInput) as exc:
        perform(case_id=case.pk, action="triage_invalid", actor=people.clerk, data={"reason": "重复\u202e投诉"})
    assert "不可见字符或控制字符" in exc.value.errors["reason"][0]
    case.refresh_from_db()
    assert case.status == "district_triage"


def test_desk_enterprise_and_user_names_refuse_zero_width(client_as):
    """Issue 10 item 7: the desk's enterprise and user forms use the same name rule."""
    from zhonglou_hrss.core.models import Enterprise, User

    client = client_as("admin")
    response = client.post("/desk/core/enterprise/add/", {"uscc": "91350100M000100Y43", "name": "常州\u200b某公司",
                                                          "industry": "", "address": ""})
    assert response.status_code == 200 and "不可见字符或控制字符" in response.content.decode()
    assert not Enterprise.objects.filter(uscc="91350100M000100Y43").exists()
    response = client.post("/desk/core/user/add/", {"username": "newbie", "name": "张\u202e三", "mobile": "",
                                                    "password1": "Xy#pass2026z", "password2": "Xy#pass2026z",
                                                    "usable_password": "true"})
    assert response.status_code == 200 and "不可见字符或控制字符" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
