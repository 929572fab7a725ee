"""R-SYS (desk entirely in Chinese): the staff desk shows django-unfold's interface
text in Chinese.

unfold ships no Chinese catalogue, so every msgid it uses is translated in our own
``apps/zhonglou_hrss/locale/zh_Hans/LC_MESSAGES/django.po`` (together with the
django-axes / django-import-export / django-simple-history msgids their own zh_Hans
lacks). These tests check the catalogue is complete and sound, that it still covers
what the installed packages use (an upgrade adding strings fails here: run
``scripts/extract_unfold_msgids.py``), and that real desk pages render in Chinese.
"""

from __future__ import annotations

import html
import json
import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "apps/zhonglou_hrss/locale/zh_Hans/LC_MESSAGES/django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Placeholders that must survive translation unchanged.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}|\{\w*\}")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def live(catalogue):
    return [e for e in catalogue if not e.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


# --- the catalogue itself -------------------------------------------------------------------


def test_catalogue_header(catalogue):
    assert catalogue.metadata["Language"] == "zh_Hans"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_every_entry_is_translated(catalogue):
    entries = live(catalogue)
    assert len(entries) > 150  # unfold alone uses ~190 msgids
    untranslated = [e.msgid for e in entries if not all(t.strip() for t in translations(e))]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert not untranslated, f"empty msgstr: {untranslated}"
    assert not fuzzy, f"fuzzy entries: {fuzzy}"


def test_plural_entries_have_the_single_chinese_form(catalogue):
    for entry in live(catalogue):
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0}, entry.msgid


def test_placeholders_and_edges_are_kept(catalogue):
    for entry in live(catalogue):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in translations(entry):
            assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid
            assert text.startswith("\n") == entry.msgid.startswith("\n"), entry.msgid
            assert text.endswith("\n") == entry.msgid.endswith("\n"), entry.msgid


def test_translations_are_chinese(catalogue):
    han = re.compile(r"[\u4e00-\u9fff]")
    same = {"%(class_name)s %(instance)s"}  # pure placeholders, nothing to translate
    for entry in live(catalogue):
        if entry.msgid in same:
            continue
        for text in translations(entry):
            assert han.search(text), f"{entry.msgid!r} -> {text!r}"


def test_catalogue_covers_what_the_installed_packages_use(catalogue):
    """Fails after an unfold (or axes / import-export / simple-history) upgrade adds strings."""
    spec = importlib.util.spec_from_file_location("extract_unfold_msgids", ROOT / "scripts/extract_unfold_msgids.py")
    extractor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extractor)
    have = {(e.msgctxt, e.msgid) for e in live(catalogue) if e.translated() and not e.fuzzy}
    missing = [msgid for (ctxt, msgid) in extractor.wanted() if (ctxt, msgid) not in have]
    assert not missing, f"run scripts/extract_unfold_msgids.py and translate: {missing}"


# --- rendered desk pages --------------------------------------------------------------------


def visible_text(page: str) -> str:
    """Text a user can see or hear: text nodes plus placeholder/title/aria-label/alt values."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = re.findall(r'\b(?:placeholder|title|aria-label|alt|data-label)="([^"]*)"', page)
    text = re.sub(r"(?s)<[^>]+>", "\n", page)
    return html.unescape("\n".join([text, *attributes]))


@pytest.fixture
def compiled_catalogue():
    assert MO_PATH.exists() and MO_PATH.stat().st_mtime >= PO_PATH.stat().st_mtime, (
        "the zh_Hans catalogue is not compiled: run scripts/compile_translations.py (make test does)"
    )


def assert_chinese(text: str, expected: dict[str, str]):
    for english, chinese in expected.items():
        assert english not in text, f"English {english!r} still shown"
        assert chinese in text, f"missing {chinese!r} (for {english!r})"


THEME = {"Light": "浅色", "Dark": "深色", "System": "跟随系统"}
ACCOUNT = {"Log out": "退出登录", "Change password": "修改密码"}


@pytest.mark.django_db
def test_login_page_is_chinese(compiled_catalogue):
    response = Client().get("/desk/login/")
    assert response.status_code == 200
    assert_chinese(visible_text(response.content.decode()), {
        "Welcome back to": "欢迎登录",
        "Log in": "登录",
        "Return to site": "返回网站",
        **THEME,
    })


@pytest.mark.django_db
def test_desk_index_is_chinese(compiled_catalogue, client_as):
    response = client_as("admin").get("/desk/")
    assert response.status_code == 200
    assert_chinese(visible_text(response.content.decode()), {**ACCOUNT, **THEME})


@pytest.mark.django_db
def test_changelist_is_chinese(compiled_catalogue, client_as):
    response = client_as("admin").get("/desk/core/enterprise/")
    assert response.status_code == 200
    assert_chinese(visible_text(response.content.decode()), {
        "Filters": "筛选",
        "Apply Filters": "应用筛选",
        "Type to search": "输入关键词搜索",
        "No results found": "未找到记录",
        "This page yielded into no results": "当前没有符合条件的记录",
        "Reset filters": "重置筛选",
        **ACCOUNT,
        **THEME,
    })


@pytest.mark.django_db
def test_change_form_is_chinese(compiled_catalogue, client_as):
    response = client_as("admin").get("/desk/core/enterprise/add/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert_chinese(text, {
        "Save and continue editing": "保存并继续编辑",
        "Select value": "请选择",
        "Go back": "返回",
        **ACCOUNT,
        **THEME,
    })
    assert not re.search(r"\bSave\b", text)
    assert "保存" in text


JS_PO_PATH = PO_PATH.with_name("djangojs.po")


@pytest.mark.django_db
def test_two_box_picker_is_chinese(client_as):
    """issue 11 item 9: Django 5.2's two-box picker (a user's roles and grids) has strings its
    zh_Hans djangojs catalogue lacks: "Choose all 角色", "(click to clear)" … — ours has them."""
    assert JS_PO_PATH.with_suffix(".mo").exists(), "run scripts/compile_translations.py (make test does)"
    catalogue = client_as("admin").get("/desk/jsi18n/").content.decode()
    for english, chinese in {"Choose all %s": "全选%s", "Remove all %s": "移除全部%s",
                             "(click to clear)": "（点击清除）"}.items():
        assert f"{json.dumps(english)}: {json.dumps(chinese)}" in catalogue, english
    for entry in polib.pofile(str(JS_PO_PATH)):
        assert entry.msgstr and PLACEHOLDER.findall(entry.msgid) == PLACEHOLDER.findall(entry.msgstr), entry.msgid


@pytest.mark.django_db
def test_user_pages_speak_of_roles_not_groups(client_as, role_user):
    """issue 11 item 9: the user list filters 按角色 and the user form picks 角色 (Django says 组)."""
    admin = client_as("admin")
    listing = visible_text(admin.get("/desk/core/user/").content.decode())
    assert "按角色" in listing and "按组" not in listing
    form = admin.get(f"/desk/core/user/{role_user('leader').pk}/change/").content.decode()
    assert 'data-field-name="角色"' in form and 'data-field-name="组"' not in form
    assert "用户拥有所选角色的全部权限" in form and "该用户归属的组" not in form
