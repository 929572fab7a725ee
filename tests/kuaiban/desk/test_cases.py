"""The kuaiban desk: lists, the case page with only the allowed buttons,
action forms, internal registration (R-KB-02…14, R-KB-16, R-KB-20)."""

import pytest
from django.test import Client

from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_list_shows_only_visible_cases_with_masked_reporter(people, new_case):
    """R-KB-16: the desk list starts from the visibility selector."""
    mine = new_case(grid="320404001", reporter_phone="13912345678")
    other = new_case(grid="320404002")
    html = login(people.grid1).get("/desk/kuaiban/case/").content.decode()
    assert mine.number in html and other.number not in html
    assert "139****5678" in html and "13912345678" not in html
    html = login(people.leader).get("/desk/kuaiban/case/").content.decode()
    assert mine.number in html and other.number in html


def test_case_page_404_for_invisible_case(people, new_case):
    case = new_case(grid="320404002")
    assert login(people.grid1).get(f"/desk/kuaiban/case/{case.pk}/").status_code == 404
    assert login(people.grid2).get(f"/desk/kuaiban/case/{case.pk}/").status_code == 200


def test_case_page_shows_only_allowed_buttons(people, new_case):
    case = new_case(grid="320404001")
    html = login(people.grid1).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    assert 'data-action="grid_accept"' in html and 'data-action="grid_return"' in html
    assert 'data-action="grid_resolve"' not in html
    html = login(people.leader).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    assert "data-action=" not in html and "当前没有需要您处理的操作" in html


def test_action_through_desk_writes_event_and_refuses_second_click(people, new_case):
    """R-KB-03 and a double click: the second submit is told it was already done."""
    case = new_case(grid="320404001")
    client = login(people.grid1)
    response = client.post(f"/desk/kuaiban/case/{case.pk}/act/grid_accept/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "grid_handling" and case.grid_accepted_at is not None
    assert CaseEvent.objects.filter(case=case, action="grid_accept").count() == 1
    response = client.post(f"/desk/kuaiban/case/{case.pk}/act/grid_accept/", follow=True)
    assert "不能执行“确认接收”" in response.content.decode()
    assert CaseEvent.objects.filter(case=case, action="grid_accept").count() == 1


def test_bad_action_input_shows_errors_and_changes_nothing(people, case_in):
    """R-KB-04, issue 11 item 7: a refused dialog comes back open with its errors and
    input on the case's own address (a reload does not post again)."""
    case = case_in("grid_handling")
    client = login(people.grid1)
    response = client.post(f"/desk/kuaiban/case/{case.pk}/act/grid_resolve/", {"amount": "abc", "notes": "未谈妥"})
    assert response.status_code == 302 and response["Location"] == f"/desk/kuaiban/case/{case.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "请选择成功方式" in html and "金额（元）须为数字" in html
    assert "未谈妥" in html and "open: true" in html
    case.refresh_from_db()
    assert case.status == "grid_handling"
    # Shown once: the next visit is the plain page.
    html = client.get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    assert "请选择成功方式" not in html and "open: true" not in html


def test_actions_without_input_are_one_click_and_labels_read_once(people, case_in):
    """R-KB-03 / R-KB-08 / R-KB-10 / R-KB-13, issue 11 item 6: 确认接收 / 确认认领 / 转区本级 are one button (no empty
    dialog); dialogs' submit buttons never read 确认确认…; 办结 keeps its confirmation."""
    html = login(people.grid1).get(f"/desk/kuaiban/case/{case_in('grid_pending').pk}/").content.decode()
    assert 'data-action="grid_accept" x-bind:disabled' in html  # a submit button, not a dialog's opener
    assert 'data-action="grid_return" x-on:click="open = true"' in html  # a reason to enter: a dialog
    assert "确认确认" not in html
    html = login(people.clerk).get(f"/desk/kuaiban/case/{case_in('district_triage').pk}/").content.decode()
    assert 'data-action="triage_escalate" x-bind:disabled' in html
    assert ">确认无效事件，正常结束<" in html and ">确认重新指定网格<" in html
    case = case_in("inspecting")
    from zhonglou_hrss.kuaiban.services.transitions import perform
    perform(case_id=case.pk, action="record_handling", actor=people.inspector1,
            data={"amount": "100", "notes": "已支付", "respondent_uscc": "91350100M000100Y43",
                  "attributed_grid": "320404001"})
    html = login(people.inspector1).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    assert "确认办结该事件？" in html and ">确认办结<" in html


def test_handling_dialog_prefills_the_cases_grid(people, case_in):
    """R-KB-13, issue 11 item 7: 记录处理结果 proposes the case's grid as 归属网格."""
    case = case_in("inspecting")
    html = login(people.inspector1).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    select = html[html.index('name="attributed_grid"'):]
    select = select[:select.index("</select>")]
    assert f'value="{case.grid.code}" selected' in select


def test_inspector_panel_says_closed_after_closing(people, case_in):
    """R-KB-13, issue 11 item 4: the 监察处置 table's 情况 reads 已办结 on a closed case."""
    case = case_in("closed")
    html = login(people.leader).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    panel = html[html.index("<h2>监察处置</h2>"):]
    panel = panel[:panel.index("</table>")]
    assert "已办结" in panel and "处置中" not in panel


def test_reveal_personal_data_is_audited(people, new_case):
    case = new_case(reporter_id_number="11010519491231002X")
    client = login(people.clerk)
    html = client.get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    assert "11010519491231002X" not in html and "110105********002X" in html
    assert not AuditLog.objects.filter(action="pii_view").exists()
    html = client.get(f"/desk/kuaiban/case/{case.pk}/?pii=1").content.decode()
    assert "11010519491231002X" in html
    assert AuditLog.objects.filter(action="pii_view", target_id=str(case.pk)).count() == 1


def test_timeline_lists_every_step_newest_first(people, case_in):
    """R-KB-20"""
    case = case_in("district_triage")
    html = login(people.clerk).get(f"/desk/kuaiban/case/{case.pk}/").content.decode()
    timeline = html[html.index('id="timeline"'):]
    assert timeline.index("调解失败") < timeline.index("确认接收") < timeline.index("登记")
    assert "企业拒绝调解" in timeline and "五星网格员" in timeline


def test_internal_registration_in_desk(people):
    """R-KB-02: with companions; errors kept next to fields; 区本级 goes to the leader."""
    client = login(people.clerk)
    assert client.get("/desk/kuaiban/case/register/").status_code == 200
    data = {
        "reporter_name": "李四", "reporter_id_number": "110105194912310021", "reporter_phone": "12345",
        "respondent_name": "常州某某公司", "reason": "wage_arrears", "grid": "320404", "channel": "phone",
        "demand": "讨薪", "companions-TOTAL_FORMS": "1", "companions-INITIAL_FORMS": "0",
        "companions-0-name": "王五", "companions-0-id_number": "bad", "companions-0-phone": "",
    }
    response = client.post("/desk/kuaiban/case/register/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "身份证号校验位不正确" in html and "手机号格式不正确" in html and "身份证号格式不正确" in html
    assert 'value="李四"' in html  # what was typed is kept
    assert Case.objects.count() == 0
    data.update({"reporter_id_number": "11010519491231002X", "reporter_phone": "13800138000",
                 "companions-0-id_number": "440524196001010014"})
    response = client.post("/desk/kuaiban/case/register/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == "awaiting_assignment" and case.companions.count() == 1
    assert not case.rounds.exists()


def test_grid_worker_cannot_register(people):
    assert login(people.grid1).get("/desk/kuaiban/case/register/").status_code == 404


def test_queue_filter_and_counts(people, new_case, case_in):
    waiting = new_case(grid="320404001")
    case_in("grid_resolved")
    html = login(people.grid1).get("/desk/kuaiban/case/?queue=mine").content.decode()
    assert waiting.number in html
    assert 'id="case-counts"' in html


def test_desk_list_pages_newest_first(people, new_case):
    """The desk list reads pages through the fast paginator: same rows, same order."""
    import re

    cases = [new_case(grid="320404001") for _ in range(33)]
    client = login(people.leader)
    first = re.findall(r">(KB\d{4}-\d{6})<", client.get("/desk/kuaiban/case/").content.decode())
    second = re.findall(r">(KB\d{4}-\d{6})<", client.get("/desk/kuaiban/case/?p=2").content.decode())
    expected = [c.number for c in sorted(cases, key=lambda c: (c.created_at, c.pk), reverse=True)]
    assert first + second == expected


def card_values(html: str) -> dict:
    import re

    block = html[html.index('id="case-counts"'):]
    return {title: int(value) for title, value in re.findall(
        r'zl-card-title">([^<]+)</div><div class="zl-card-value">(\d+)<', block)[:3]}


def test_count_cards_above_the_list_per_role(people, new_case, case_in, fake_clock):
    """R-KB-05/16: the cards above the list count what waits for this user,
    what is overdue and everything they may see — each role its own numbers."""
    from datetime import timedelta

    new_case(grid="320404001")  # waits for 五星 (and is visible to it)
    case_in("grid_resolved")  # 五星, done
    case_in("grid_handling")  # 五星, accepted now …
    new_case(grid="320404002")  # 永红 only
    case_in("district_triage")  # 五星 failed it: waits for the clerk, still visible to 五星
    fake_clock.advance(timedelta(days=16))  # … overdue now
    leader = card_values(login(people.leader).get("/desk/kuaiban/case/").content.decode())
    assert leader == {"待我处理": 0, "超时事件": 1, "我可查看的全部事件": 5}
    grid1 = card_values(login(people.grid1).get("/desk/kuaiban/case/").content.decode())
    assert grid1 == {"待我处理": 2, "超时事件": 1, "我可查看的全部事件": 4}
    grid2 = card_values(login(people.grid2).get("/desk/kuaiban/case/").content.decode())
    assert grid2 == {"待我处理": 1, "超时事件": 0, "我可查看的全部事件": 1}
    clerk = card_values(login(people.clerk).get("/desk/kuaiban/case/").content.decode())
    assert clerk["待我处理"] == 1 and clerk["我可查看的全部事件"] == 5


@pytest.mark.parametrize("url,service", [
    ("/desk/kuaiban/case/register/", "registration"),
    ("/desk/kuaiban/petition/new/", "petitions"),
])
def test_entry_forms_mark_what_the_service_requires(people, url, service):
    """R-KB-02 / R-KB-15, issue 11 item 7: 内部登记 and 录入信访 mark every required field with *
    before submitting, and exactly the fields the service refuses empty."""
    import re

    from zhonglou_hrss.kuaiban.services import petitions, registration

    required = {"registration": registration, "petitions": petitions}[service].REQUIRED_FIELDS
    client = login(people.clerk)
    html = client.get(url).content.decode()
    marked = set(re.findall(r'<label for="id_(\w+)">[^<]*<span class="zl-error" aria-hidden="true">\*</span>', html))
    assert marked == set(required)
    empty = client.post(url, {"companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"})
    assert empty.status_code == 400
    refused = set(re.findall(r'<div class="zl-field has-error">\s*<label for="id_(\w+)"', empty.content.decode()))
    assert refused == set(required)


def test_sidebar_badge_only_when_something_waits(people, new_case):
    """R-KB-16: the 待我处理 badge shows the count, and no empty pink box at zero."""
    badge = 'bg-red-100 text-red-700'
    html = login(people.grid2).get("/desk/").content.decode()
    assert badge not in html
    new_case(grid="320404001")
    html = login(people.grid1).get("/desk/").content.decode()
    assert badge in html and f'{badge} dark:bg-red-500/20 dark:text-red-400">1</span>' in html
