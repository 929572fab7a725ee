"""R-SYS-04 bulk import of users and enterprises in the desk (Excel): a preview
lists every row's errors in Chinese; when any row is bad nothing is imported;
a clean file is imported after confirmation and audit-logged; the template to
fill is downloadable by those who may import."""

import re
from io import BytesIO

import pytest
import tablib
from django.test import Client
from openpyxl import Workbook, load_workbook

from zhonglou_hrss.core.imports import EnterpriseResource, UserResource
from zhonglou_hrss.core.models import AuditLog, Enterprise, LookupEntry, LookupKind, User

pytestmark = pytest.mark.django_db

USER_HEADERS = ["用户名", "姓名", "手机号", "角色", "网格", "初始密码"]
ENTERPRISE_HEADERS = ["统一社会信用代码", "企业名称", "所属行业", "单位地址", "校验位不符仍确认"]
GOOD_PASSWORD = "Good#pass2026"


def xlsx(headers, rows, name="import.xlsx") -> BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = name
    return out


def _form_values(html: str) -> tuple[str, str]:
    """The import form's resource value and the xlsx option of its format field,
    read from the page as a browser would."""
    resource = re.search(r'name="resource" value="([^"]*)"', html).group(1)
    match = re.search(r'<option value="(\d+)"[^>]*>\s*xlsx\s*<', html)
    if match is None:  # a single format may be rendered as a hidden input
        match = re.search(r'name="format" value="(\d+)"', html)
    return resource, match.group(1)


def upload(client, model, headers, rows):
    """GET the import page, POST the file: returns the preview response."""
    page = client.get(f"/desk/core/{model}/import/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="import_file"' in html
    resource, fmt = _form_values(html)
    return client.post(f"/desk/core/{model}/import/",
                       {"resource": resource, "format": fmt, "import_file": xlsx(headers, rows)})


def confirm(client, model, preview):
    """Submit the preview's confirm form (hidden fields) to the process URL."""
    html = preview.content.decode()
    action = f"/desk/core/{model}/process_import/"
    assert f'action="{action}"' in html
    form = html[html.index(f'action="{action}"'):]
    form = form[: form.index("</form>")]
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    data.pop("csrfmiddlewaretoken", None)
    assert set(data) >= {"import_file_name", "original_file_name", "format", "resource"}
    return client.post(action, data)


def _errors_by_row(preview) -> dict[int, dict[str, list[str]]]:
    result = preview.context["result"]
    return {row.number: {k: list(v) for k, v in row.error_dict.items()} for row in result.invalid_rows}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- users ---------------------------------------------------------------------------------
BAD_USER_ROWS = [
    ["good_a", "好人甲", "13800138001", "网格员", "320404001", GOOD_PASSWORD],        # 1 good
    ["bad_role", "张三", "", "不存在的角色", "", GOOD_PASSWORD],                     # 2
    ["bad_grid1", "李四", "", "网格员", "kfq", GOOD_PASSWORD],                       # 3 inactive grid
    ["bad_grid2", "李五", "", "网格员", "999999", GOOD_PASSWORD],                    # 4 unknown grid
    ["bad_mobile", "王五", "12345", "领导", "", GOOD_PASSWORD],                      # 5
    ["no_name", "", "", "领导", "", GOOD_PASSWORD],                                  # 6
    ["weak_pw", "赵六", "", "领导", "", "12345678"],                                 # 7
    ["no_pw", "钱七", "", "领导", "", ""],                                           # 8
    ["gw_nogrid", "孙八", "", "网格员", "", GOOD_PASSWORD],                          # 9
    ["good_b", "好人乙", "13800138002", "领导", "", GOOD_PASSWORD],                  # 10 good
]

EXPECTED_USER_ERRORS = {
    2: ("角色", "角色不存在：不存在的角色"),
    3: ("网格", "网格已停用：钟楼经济开发区"),
    4: ("网格", "网格不存在：999999"),
    5: ("手机号", "手机号格式不正确：应为以1开头的11位数字"),
    6: ("姓名", "姓名不能为空"),
    7: ("初始密码", "初始密码不合格："),
    8: ("初始密码", "新账号须填写初始密码"),
    9: ("网格", "网格员须填写所属网格"),
}


def test_user_import_bad_rows_lists_every_error_and_imports_nothing(client_as):
    """R-SYS-04: every bad row is listed with its Chinese message and row number;
    nothing is imported, not even the good rows; no confirm button is offered."""
    client = client_as("admin")
    users_before = User.objects.count()
    audit_before = AuditLog.objects.filter(action="import").count()
    preview = upload(client, "user", USER_HEADERS, BAD_USER_ROWS)
    assert preview.status_code == 200

    errors = _errors_by_row(preview)
    assert set(errors) == set(EXPECTED_USER_ERRORS)  # rows 1 and 10 are fine
    for number, (field, message) in EXPECTED_USER_ERRORS.items():
        assert field in errors[number], (number, errors[number])
        assert any(m.startswith(message) for m in errors[number][field]), (number, errors[number])
        # Only the real problem is reported (no spurious "此字段不能为空" etc.).
        assert list(errors[number]) == [field], (number, errors[number])

    text = _text(preview.content.decode())
    for column, message in EXPECTED_USER_ERRORS.values():
        assert message in text
        assert f"{column}: {message}" in text or f"{column} : {message}" in text or f"{column}：{message}" in text
    # No Python attribute names in the page's error list.
    for attribute in ("groups:", "grids:", "password:", "mobile:"):
        assert attribute not in text
    for username in ("bad_role", "bad_grid1", "bad_grid2", "bad_mobile", "weak_pw", "no_pw", "gw_nogrid"):
        assert username in text
    assert preview.context.get("confirm_form") is None
    assert "确认导入" not in text

    assert User.objects.count() == users_before
    assert not User.objects.filter(username__in=["good_a", "good_b"]).exists()
    assert AuditLog.objects.filter(action="import").count() == audit_before


def test_user_import_weak_password_message_is_chinese(client_as):
    """R-SYS-04: the password rules' reasons are given in Chinese."""
    preview = upload(client_as("admin"), "user", USER_HEADERS,
                     [["weak_pw", "赵六", "", "领导", "", "12345678"]])
    message = _errors_by_row(preview)[1]["初始密码"][0]
    assert message.startswith("初始密码不合格：")
    assert "密码只包含数字" in message


def test_user_import_clean_file_preview_then_confirm(client_as):
    """R-SYS-04: a clean file previews without errors; confirming imports the users
    with roles, grids, a usable password and password_change_required, and writes
    one "import" audit row."""
    client = client_as("admin")
    rows = [
        ["grid_wang", "王网格", "13800138001", "网格员", "320404001、320404002", GOOD_PASSWORD],
        ["lead_li", "李领导", 13800138002, "领导，监察员", "", "Other#pass2027"],
    ]
    users_before = User.objects.count()
    audit_before = AuditLog.objects.filter(action="import").count()
    preview = upload(client, "user", USER_HEADERS, rows)
    assert preview.status_code == 200
    assert AuditLog.objects.filter(action="import").count() == audit_before  # a preview is not an import
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert User.objects.count() == users_before  # preview only

    response = confirm(client, "user", preview)
    assert response.status_code == 302
    assert response["Location"] == "/desk/core/user/"
    assert User.objects.count() == users_before + 2

    wang = User.objects.get(username="grid_wang")
    assert wang.name == "王网格"
    assert wang.mobile == "13800138001"
    assert set(wang.groups.values_list("name", flat=True)) == {"网格员"}
    assert set(wang.grids.values_list("code", flat=True)) == {"320404001", "320404002"}
    assert wang.check_password(GOOD_PASSWORD)
    assert wang.password_change_required is True
    assert wang.has_perm("core.work_in_grid")

    li = User.objects.get(username="lead_li")
    assert li.mobile == "13800138002"  # a number cell, kept as an 11-digit string
    assert set(li.groups.values_list("name", flat=True)) == {"领导", "监察员"}
    assert not li.grids.exists()
    assert li.check_password("Other#pass2027")
    assert li.password_change_required is True

    assert AuditLog.objects.filter(action="import").count() == audit_before + 1
    row = AuditLog.objects.filter(action="import").latest("id")
    assert row.actor.username == "u_admin"
    assert row.detail == {"rows": 2, "totals": {"new": 2}}
    assert row.target_repr == "用户"

    # The imported user signs in and must change the password first.
    client2 = Client()
    login = client2.post("/desk/login/", {"username": "lead_li", "password": "Other#pass2027", "next": "/desk/"})
    assert login.status_code == 302
    assert client2.get("/desk/")["Location"] == "/desk/password_change/"


def test_user_import_updates_existing_account(client_as, make_user):
    """R-SYS-04: an existing username is updated; without a password column value
    the password stays as it was."""
    existing = make_user("old_hand", name="旧名", roles=["leader"])
    old_hash = existing.password
    client = client_as("admin")
    preview = upload(client, "user", USER_HEADERS, [["old_hand", "新名", "13900139000", "监察员", "", ""]])
    result = preview.context["result"]
    assert not result.has_validation_errors(), _errors_by_row(preview)
    assert result.totals["update"] == 1
    confirm(client, "user", preview)
    existing.refresh_from_db()
    assert existing.name == "新名"
    assert existing.mobile == "13900139000"
    assert existing.password == old_hash
    assert existing.password_change_required is False
    assert set(existing.groups.values_list("name", flat=True)) == {"监察员"}


def test_user_import_all_or_nothing_without_preview(db):
    """R-SYS-04: even a direct, non-dry-run import with one bad row saves nothing."""
    dataset = tablib.Dataset(headers=USER_HEADERS)
    dataset.append(["direct_good", "甲", "", "领导", "", GOOD_PASSWORD])
    dataset.append(["direct_bad", "乙", "", "不存在的角色", "", GOOD_PASSWORD])
    result = UserResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert result.has_validation_errors()
    assert not User.objects.filter(username__in=["direct_good", "direct_bad"]).exists()


def test_user_import_confirm_after_data_changed_imports_nothing(client_as):
    """R-SYS-04 / house rule 9: if a row became invalid between preview and confirm
    (here: its grid was deactivated), the confirm imports nothing and says so."""
    from zhonglou_hrss.core.models import Grid

    client = client_as("admin")
    rows = [
        ["late_a", "甲", "", "领导", "", GOOD_PASSWORD],
        ["late_b", "乙", "", "网格员", "320404003", GOOD_PASSWORD],
    ]
    preview = upload(client, "user", USER_HEADERS, rows)
    assert _errors_by_row(preview) == {}
    audit_before = AuditLog.objects.filter(action="import").count()
    Grid.objects.filter(code="320404003").update(active=False)
    response = confirm(client, "user", preview)
    assert response.status_code == 302
    assert response["Location"] == "/desk/core/user/import/"
    assert not User.objects.filter(username__in=["late_a", "late_b"]).exists()
    assert AuditLog.objects.filter(action="import").count() == audit_before
    page = client.get(response["Location"]).content.decode()
    assert "整批均未导入" in page
    assert "第2行" in page


# --- enterprises ---------------------------------------------------------------------------
def test_enterprise_import_bad_rows_listed_and_nothing_imported(client_as):
    """R-SYS-04: bad USCC charset / length, an unconfirmed checksum mismatch and an
    unknown industry are each listed in Chinese with their row; nothing changes."""
    existing = Enterprise.objects.create(uscc="914403001922038216", name="旧名称")
    client = client_as("admin")
    count_before = Enterprise.objects.count()
    rows = [
        ["914403001922038216", "新名称", "制造业", "地址1", ""],           # 1 good (update)
        ["91350100M000100Y4Z", "坏字符公司", "制造业", "", ""],            # 2 charset
        ["91440300192203821", "短码公司", "制造业", "", ""],               # 3 length
        ["91350211M0000XUF46", "校验不符公司", "制造业", "", ""],          # 4 checksum, not confirmed
        ["91350100M000100Y43", "未知行业公司", "不存在的行业", "", ""],    # 5 industry
        ["", "无代码公司", "制造业", "", ""],                              # 6 empty code
        ["91100000100003962T", "", "制造业", "", ""],                      # 7 no name
        ["91330100799655058B", "好公司", "制造业", "", ""],                # 8 good (new)
    ]
    preview = upload(client, "enterprise", ENTERPRISE_HEADERS, rows)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors(), [str(e.error) for _, errs in result.row_errors() for e in errs]
    errors = _errors_by_row(preview)
    assert set(errors) == {2, 3, 4, 5, 6, 7}
    assert errors[2] == {"统一社会信用代码": ["统一社会信用代码含有不允许的字符：Z（不使用I、O、Z、S、V）"]}
    assert errors[3] == {"统一社会信用代码": ["统一社会信用代码应为18位（当前17位）"]}
    assert errors[4] == {"统一社会信用代码": ["统一社会信用代码校验位不符；核实无误请在“校验位不符仍确认”列填“是”"]}
    assert list(errors[5]) == ["所属行业"]
    assert errors[5]["所属行业"][0].startswith("所属行业不存在：不存在的行业")
    assert errors[6] == {"统一社会信用代码": ["统一社会信用代码不能为空"]}
    assert errors[7] == {"企业名称": ["企业名称不能为空"]}
    text = _text(preview.content.decode())
    for message in ("含有不允许的字符", "应为18位", "校验位不符", "所属行业不存在", "不能为空"):
        assert message in text
    assert preview.context.get("confirm_form") is None

    assert Enterprise.objects.count() == count_before
    existing.refresh_from_db()
    assert existing.name == "旧名称"


def test_enterprise_import_confirmed_mismatch_and_update(client_as):
    """R-SYS-04 / R-KB-12: a checksum mismatch is accepted when 校验位不符仍确认 = 是
    (recorded as not checksum-ok); an existing USCC is updated, not duplicated."""
    existing = Enterprise.objects.create(uscc="914403001922038216", name="旧名称", address="旧地址")
    client = client_as("clerk")  # district clerks may import enterprises too
    count_before = Enterprise.objects.count()
    rows = [
        ["914403001922038216", "新名称", "制造业", "新地址", ""],
        ["91350211M0000XUF46", "人工确认公司", "建筑业", "", "是"],
        ["9144030071526726xg", "小写代码公司", "C", "", ""],
    ]
    preview = upload(client, "enterprise", ENTERPRISE_HEADERS, rows)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), _errors_by_row(preview)
    assert result.totals["new"] == 2 and result.totals["update"] == 1
    response = confirm(client, "enterprise", preview)
    assert response.status_code == 302

    assert Enterprise.objects.count() == count_before + 2
    existing.refresh_from_db()
    assert existing.name == "新名称"
    assert existing.address == "新地址"
    assert existing.industry.code == "C"
    assert Enterprise.objects.filter(uscc="914403001922038216").count() == 1

    confirmed = Enterprise.objects.get(uscc="91350211M0000XUF46")
    assert confirmed.uscc_checksum_ok is False
    assert confirmed.industry.label == "建筑业"
    lower = Enterprise.objects.get(uscc="9144030071526726XG")
    assert lower.uscc_checksum_ok is True
    assert lower.industry.label == "制造业"

    row = AuditLog.objects.filter(action="import").latest("id")
    assert row.actor.username == "u_clerk"
    assert row.detail == {"rows": 3, "totals": {"new": 2, "update": 1}}


def test_enterprise_import_inactive_industry_rejected(client_as):
    """R-SYS-05 / R-SYS-04: a deactivated industry cannot be chosen by import."""
    LookupEntry.objects.filter(kind=LookupKind.INDUSTRY, code="B").update(active=False)
    preview = upload(client_as("admin"), "enterprise", ENTERPRISE_HEADERS,
                     [["91330100799655058B", "采矿公司", "采矿业", "", ""]])
    assert _errors_by_row(preview) == {1: {"所属行业": ["所属行业已停用：采矿业"]}}
    assert not Enterprise.objects.filter(uscc="91330100799655058B").exists()


# --- templates and permissions ---------------------------------------------------------------
@pytest.mark.parametrize("kind, resource_class, headers, filename", [
    ("user", UserResource, USER_HEADERS, "用户导入模板.xlsx"),
    ("enterprise", EnterpriseResource, ENTERPRISE_HEADERS, "企业导入模板.xlsx"),
])
def test_template_download_matches_resource(client_as, kind, resource_class, headers, filename):
    """R-SYS-04: the template's header row equals the resource's column names."""
    response = client_as("admin").get(f"/desk/import-template/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    from urllib.parse import quote

    assert quote(filename) in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    ws = wb["导入数据"]
    header_row = [c.value for c in ws[1]]
    columns = [f.column_name for f in resource_class().get_import_fields()]
    assert header_row == columns == headers
    assert [c.value or "" for c in ws[2]] == resource_class.example_row
    assert "填写说明" in wb.sheetnames
    assert [r[0] for r in wb["填写说明"].iter_rows(min_row=2, max_row=len(headers) + 1, values_only=True)] == headers


def test_template_example_rows_import_cleanly(client_as):
    """R-SYS-04: the example row in each template is itself valid."""
    client = client_as("admin")
    preview = upload(client, "user", USER_HEADERS, [UserResource.example_row])
    assert _errors_by_row(preview) == {}
    preview = upload(client, "enterprise", ENTERPRISE_HEADERS, [EnterpriseResource.example_row])
    assert _errors_by_row(preview) == {}


def test_template_refused_without_import_permission(client_as):
    """R-SYS-04: a role without the import permission gets no template."""
    clerk = client_as("clerk")  # may import enterprises, not users
    assert clerk.get("/desk/import-template/user/").status_code == 404
    assert clerk.get("/desk/import-template/enterprise/").status_code == 200
    grid_worker = client_as("grid_worker")
    assert grid_worker.get("/desk/import-template/user/").status_code == 404
    assert grid_worker.get("/desk/import-template/enterprise/").status_code == 404
    assert client_as("admin").get("/desk/import-template/nonsense/").status_code == 404
    anonymous = Client().get("/desk/import-template/user/")
    assert anonymous.status_code == 302
    assert "/desk/login/" in anonymous["Location"]
    enterprise_account = client_as("enterprise_user").get("/desk/import-template/enterprise/")
    assert enterprise_account.status_code == 302


def test_import_pages_forbidden_for_grid_worker(client_as):
    """R-SYS-04: a grid worker may not import users or enterprises."""
    client = client_as("grid_worker")
    assert client.get("/desk/core/user/import/").status_code == 403
    assert client.get("/desk/core/enterprise/import/").status_code == 403
    response = client.post("/desk/core/enterprise/import/", {
        "resource": "0", "format": "0",
        "import_file": xlsx(ENTERPRISE_HEADERS, [["91330100799655058B", "偷偷导入", "制造业", "", ""]]),
    })
    assert response.status_code == 403
    assert not Enterprise.objects.filter(uscc="91330100799655058B").exists()


def test_import_page_for_clerk_users_forbidden(client_as):
    """R-SYS-04: the user import is the admin's; a clerk gets 403."""
    clerk = client_as("clerk")
    assert clerk.get("/desk/core/user/import/").status_code == 403
    assert clerk.get("/desk/core/enterprise/import/").status_code == 200


def test_import_page_links_template(client_as):
    """R-SYS-04: the import page offers the template download."""
    html = client_as("admin").get("/desk/core/user/import/").content.decode()
    assert 'href="/desk/import-template/user/"' in html
    assert "任何一行有错误" in html or "整批都不会导入" in html
