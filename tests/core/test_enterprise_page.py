"""The desk's enterprise page (issue 13, beyond the requirements): one company
whole by its USCC — the registry entry, its portal account, and the sections
the apps register (core.registry.enterprise_section) as far as the user may
see them: talent demands and job-fair registrations for employment staff,
kuaiban cases and petitions through kuaiban's visibility selectors (R-KB-16)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts import registration, uscc
from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import make_people
from tests.kuaiban.conftest import registration as case_registration
from tests.portal.demands import approved_demand, demand_input, demand_position
from zhonglou_hrss.core import registry
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def company(make_user):
    """An approved portal enterprise with an approved demand, a case in each of two grids
    and a petition, all naming it (by USCC) as the respondent."""
    people = make_people(make_user)
    staff = make_user("e_staff", roles=["portal_staff"], name="陈就业")
    account = register_account(data=registration(41))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    code = account.enterprise.uscc
    demand = approved_demand(account.user, staff, demand_input(positions=[demand_position(1, position="数控车工")]),
                             outcome="completed")
    near = register_case(actor=people.clerk, data=case_registration(grid="320404001", respondent_uscc=code,
                                                                    respondent_name="常州测试41号有限公司"),
                         source=CaseSource.INTERNAL).case
    far = register_case(actor=people.clerk, data=case_registration(grid="320404002", respondent_uscc=code,
                                                                   respondent_name="常州测试41号有限公司"),
                        source=CaseSource.INTERNAL).case
    elsewhere = register_case(actor=people.clerk, data=case_registration(grid="320404001"),
                              source=CaseSource.INTERNAL).case
    petition = save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number="11010519491231002X", phone="13800138000", respondent_name="常州测试41号有限公司",
        respondent_uscc=code, reason="wage_arrears", grid="320404", demand="要求支付工资"))
    return {"people": people, "staff": staff, "account": account, "uscc": code, "demand": demand, "near": near,
            "far": far, "elsewhere": elsewhere, "petition": petition}


def page(user, code) -> str:
    response = desk(user).get(f"/desk/core/enterprise/uscc/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_portal_staff_see_the_profile_account_and_demands_but_no_kuaiban_section(company):
    html = page(company["staff"], company["uscc"])
    assert "常州测试41号有限公司" in html and company["uscc"] in html
    assert 'id="enterprise-accounts"' in html and "ent41" in html and "已通过" in html
    assert 'data-section="demands"' in html and f'data-demand="{company["demand"].pk}"' in html
    assert f'href="/desk/portal/demand/{company["demand"].pk}/"' in html
    assert "已完成" in html  # the outcome
    assert 'data-section="registrations"' in html and 'id="no-registrations"' in html
    for hidden in ('data-section="cases"', 'data-section="petitions"', company["near"].number,
                   company["petition"].number):
        assert hidden not in html, hidden


def test_a_clerk_sees_every_case_and_petition_but_no_demands(company):
    html = page(company["people"].clerk, company["uscc"])
    assert 'data-section="cases"' in html and 'data-section="petitions"' in html
    assert company["near"].number in html and company["far"].number in html
    assert f'href="/desk/kuaiban/case/{company["near"].pk}/"' in html
    assert f'href="/desk/kuaiban/petition/{company["petition"].pk}/"' in html
    assert company["elsewhere"].number not in html  # another respondent
    assert company["petition"].number in html
    assert 'data-section="demands"' not in html and 'data-section="registrations"' not in html


def test_a_grid_worker_sees_only_the_cases_visible_to_them(company):
    html = page(company["people"].grid1, company["uscc"])
    assert 'data-section="cases"' in html
    assert company["near"].number in html and company["far"].number not in html
    assert 'data-section="petitions"' not in html and company["petition"].number not in html
    assert 'data-section="demands"' not in html
    other_grid = page(company["people"].grid2, company["uscc"])
    assert company["far"].number in other_grid and company["near"].number not in other_grid


def test_credit_staff_see_the_registry_entry_and_no_section(company, role_user):
    """信用评价管理员 decide credit access: they see an enterprise's accounts that asked for credit
    (the credit queue), not a portal-only one — and no kuaiban or portal section."""
    html = page(role_user("credit_staff"), company["uscc"])
    assert "常州测试41号有限公司" in html and 'data-section=' not in html
    assert "该企业没有申请您负责审核的子系统" in html


def test_the_page_is_reached_from_the_registry_and_the_demand_list(company):
    code = company["uscc"]
    link = f'href="/desk/core/enterprise/uscc/{code}/"'
    assert link in desk(company["staff"]).get("/desk/core/enterprise/").content.decode()
    assert link in desk(company["staff"]).get("/desk/portal/demand/").content.decode()
    assert link in desk(company["staff"]).get(f"/desk/portal/demand/{company['demand'].pk}/").content.decode()


def test_unknown_codes_outsiders_and_enterprises(company, client):
    staff = desk(company["staff"])
    assert staff.get(f"/desk/core/enterprise/uscc/{uscc(999)}/").status_code == 404
    assert staff.get(f"/desk/core/enterprise/uscc/{company['uscc'].lower()}/").status_code == 200
    response = desk(company["account"].user).get(f"/desk/core/enterprise/uscc/{company['uscc']}/")
    assert response.status_code == 302 and "/desk/login/" in response["Location"]
    assert client.get(f"/desk/core/enterprise/uscc/{company['uscc']}/").status_code == 302


def test_sections_are_shown_only_when_their_provider_returns_one():
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser

    shown = {"on": False}

    def provider(user, enterprise):
        return {"template": "x.html", "key": "test", "n": 1} if shown["on"] else None

    registry.enterprise_section("测试区块", provider, order=999)
    try:
        company = SimpleNamespace(uscc="91320404000000041X")
        assert registry.enterprise_sections_for(AnonymousUser(), company) == []
        shown["on"] = True
        assert registry.enterprise_sections_for(AnonymousUser(), company) == [
            {"title": "测试区块", "template": "x.html", "context": {"key": "test", "n": 1}, "key": "test"}]
    finally:
        registry._registry.enterprise_sections[:] = [
            s for s in registry._registry.enterprise_sections if s.title != "测试区块"]


def test_the_page_is_reached_from_the_job_fair_registrations(company):
    from tests.portal.desk.test_jobfairs import submitted
    from tests.portal.jobfairs import make_fair

    fair = make_fair(company["staff"], name="钟楼区春季人才招聘会")
    registration = submitted(company["account"], fair)
    link = f'href="/desk/core/enterprise/uscc/{company["uscc"]}/"'
    staff = desk(company["staff"])
    assert link in staff.get("/desk/portal/registration/?fair=all").content.decode()
    assert link in staff.get(f"/desk/portal/registration/{registration.pk}/").content.decode()
    html = page(company["staff"], company["uscc"])
    assert f'data-registration="{registration.pk}"' in html and "钟楼区春季人才招聘会" in html
    assert f'href="/desk/portal/registration/{registration.pk}/"' in html
