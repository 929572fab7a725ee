"""R-KB-15 petitions (信访): entry and maintenance by district clerks, the
same validators and personal-data protection as cases, filters, history."""

import pytest
from django.test import Client
from django.utils import timezone

from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion, PetitionEvent
from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_list_for, petitions_in_scope
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

pytestmark = pytest.mark.django_db
BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"


def petition_input(**overrides) -> PetitionInput:
    data = dict(name="赵六", id_number="11010519491231002X", phone="13800138000", respondent_name="常州某机械有限公司",
                reason="wage_arrears", grid="320404", demand="要求支付工资")
    data.update(overrides)
    return PetitionInput(**data)


def login(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_clerk_enters_petition_with_companions_and_history(people):
    petition = save_petition(actor=people.clerk, data=petition_input(
        companions=[CompanionInput(name="钱七", id_number="440524196001010014")]))
    assert petition.grid.code == "320404"  # 区本级 allowed
    assert petition.companions.count() == 1 and not petition.is_completed
    event = PetitionEvent.objects.get(petition=petition)
    assert event.action == "create" and event.actor == people.clerk
    assert "11010519491231002X" not in str(event.changes)


def test_every_bad_field_is_named_and_nothing_saved(people):
    with pytest.raises(InvalidInput) as exc:
        save_petition(actor=people.clerk, data=PetitionInput(
            id_number="110105194912310021", phone="123", reason="nope", grid="nope",
            companions=[CompanionInput(name="", id_number="11010519491231002X")]))
    assert set(exc.value.errors) >= {"name", "id_number", "phone", "respondent_name", "reason", "grid", "demand",
                                     "companions[0].name"}
    assert Petition.objects.count() == PetitionCompanion.objects.count() == PetitionEvent.objects.count() == 0


def test_result_and_time_go_together(people):
    with pytest.raises(InvalidInput) as exc:
        save_petition(actor=people.clerk, data=petition_input(result="已协调支付"))
    assert "handled_at" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        save_petition(actor=people.clerk, data=petition_input(handled_at=timezone.now()))
    assert "result" in exc.value.errors
    done = save_petition(actor=people.clerk, data=petition_input(result="已协调支付", handled_at=timezone.now()))
    assert done.is_completed


def test_update_records_what_changed_without_personal_data(people):
    petition = save_petition(actor=people.clerk, data=petition_input())
    save_petition(actor=people.clerk, petition_id=petition.pk,
                  data=petition_input(phone="13912345678", result="已办结", handled_at=timezone.now()))
    event = PetitionEvent.objects.filter(petition=petition, action="update").get()
    assert set(event.changes) == {"联系电话", "处置结果", "处置时间"}
    assert "13912345678" not in str(event.changes)
    # Saving again unchanged writes no history row.
    save_petition(actor=people.clerk, petition_id=petition.pk,
                  data=petition_input(phone="13912345678", result="已办结",
                                      handled_at=Petition.objects.get(pk=petition.pk).handled_at))
    assert PetitionEvent.objects.filter(petition=petition).count() == 2


def test_only_permitted_roles_enter_and_see(people):
    with pytest.raises(ActionForbidden):
        save_petition(actor=people.grid1, data=petition_input())
    with pytest.raises(ActionForbidden):
        save_petition(actor=people.leader, data=petition_input())
    petition = save_petition(actor=people.clerk, data=petition_input(grid="320404001"))
    assert list(petition_list_for(people.leader)) == [petition]
    assert list(petition_list_for(people.grid1)) == []
    assert list(petition_list_for(people.inspector1)) == []
    with pytest.raises(NotVisible):
        save_petition(actor=people.clerk, petition_id=petition.pk + 999, data=petition_input())
    # Figures: a grid worker counts only their grids' petitions.
    assert list(petitions_in_scope(people.grid1)) == [petition]
    assert list(petitions_in_scope(people.grid2)) == []


def test_filters_on_every_field(people):
    a = save_petition(actor=people.clerk, data=petition_input(grid="320404001", respondent_name="甲公司"))
    b = save_petition(actor=people.clerk, data=petition_input(
        grid="320404002", reason="social_insurance", name="孙八", phone="13700001111",
        result="已处理", handled_at=timezone.now()))
    qs = petition_list_for(people.clerk)
    assert list(filter_petitions(qs, grid="320404001")) == [a]
    assert list(filter_petitions(qs, reason="social_insurance")) == [b]
    assert list(filter_petitions(qs, completed=True)) == [b]
    assert list(filter_petitions(qs, completed=False)) == [a]
    assert list(filter_petitions(qs, respondent="甲")) == [a]
    assert list(filter_petitions(qs, q="孙八")) == [b]
    assert list(filter_petitions(qs, q="137 0000 1111")) == [b]  # whole phone, by its hash
    assert list(filter_petitions(qs, handled_after=timezone.now() - timezone.timedelta(hours=1))) == [b]


def test_desk_list_entry_detail_and_reveal(people):
    client = login(people.clerk)
    assert client.get("/desk/kuaiban/petition/new/").status_code == 200
    response = client.post("/desk/kuaiban/petition/new/", {
        "name": "赵六", "id_number": "bad", "phone": "13800138000", "respondent_name": "某公司",
        "reason": "wage_arrears", "grid": "320404", "demand": "讨薪",
        "companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"})
    assert response.status_code == 400 and "身份证号格式不正确" in response.content.decode()
    assert Petition.objects.count() == 0
    response = client.post("/desk/kuaiban/petition/new/", {
        "name": "赵六", "id_number": "11010519491231002X", "phone": "13800138000", "respondent_name": "某公司",
        "reason": "wage_arrears", "grid": "320404", "demand": "讨薪",
        "companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    petition = Petition.objects.get()
    html = client.get("/desk/kuaiban/petition/").content.decode()
    assert petition.number in html and "138****8000" in html and "13800138000" not in html
    html = client.get(f"/desk/kuaiban/petition/{petition.pk}/").content.decode()
    assert "110105********002X" in html and "录入" in html
    client.get(f"/desk/kuaiban/petition/{petition.pk}/?pii=1")
    assert AuditLog.objects.filter(action="pii_view", target_id=str(petition.pk)).exists()


def test_desk_refuses_roles_without_permission(people):
    petition = save_petition(actor=people.clerk, data=petition_input())
    assert login(people.grid1).get("/desk/kuaiban/petition/").status_code == 403
    assert login(people.grid1).get(f"/desk/kuaiban/petition/{petition.pk}/").status_code == 404
    assert login(people.leader).get(f"/desk/kuaiban/petition/{petition.pk}/").status_code == 200
    assert login(people.leader).get(f"/desk/kuaiban/petition/{petition.pk}/edit/").status_code == 404


def test_petitions_numbered_like_cases_and_old_numbers_still_found(people):
    """R-KB-15, issue 11 item 10: XF2026-000001, XF2026-000002 … by year of entry, like
    KB numbers; a number of the old form XF<id> still finds its record."""
    import re

    from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_list_for

    first = save_petition(actor=people.clerk, data=petition_input())
    second = save_petition(actor=people.clerk, data=petition_input(name="钱七"))
    year = timezone.localtime().year
    assert (first.number, second.number) == (f"XF{year}-000001", f"XF{year}-000002")
    assert re.fullmatch(r"XF\d{4}-\d{6}", first.number)
    visible = petition_list_for(people.clerk)
    assert list(filter_petitions(visible, q=second.number)) == [second]
    assert list(filter_petitions(visible, q=second.number.lower())) == [second]
    assert list(filter_petitions(visible, q=f"XF{first.pk}")) == [first]
