"""The manuals stay true (issue 18): every manual is there with its sections,
every picture it embeds exists, every page it names is a URL of the site, and
every 【label】 it tells the reader to click or look for is on that page as
the manual's demo user sees it (mechanism: tests/manual/conftest.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.conftest import MODEL_BACKEND
from tests.manual.conftest import (
    BROWSER_LABELS, DOCS_IMAGES, MANUAL_USERS, OBJECTS, load_demo_data, manual_section, visible_text,
)
from zhonglou_hrss.core import manuals

EXPECTED = ["admin", "clerk", "leader", "inspector", "grid",
            "portal_staff", "credit_staff", "enterprise", "hr_company", "public"]
STEP = re.compile(r"^\s*1\.\s", re.M)


def all_sections():
    return [(m.slug, s.id) for m in manuals.manuals().values() for s in m.sections]


def test_every_manual_is_there_with_its_sections():
    """issue 18: one manual per audience, a title, task sections with numbered steps and a 常见提示 part."""
    present = manuals.manuals()
    assert set(EXPECTED) <= set(present), f"缺少手册：{set(EXPECTED) - set(present)}"
    folder = manuals.manual_dir()
    strays = {p.stem for p in folder.glob("*.md")} - set(manuals.SPECS)
    assert not strays, f"docs/manual 里有不属于任何读者的手册：{strays}"
    for manual in present.values():
        assert manual.text.startswith("# ") and manual.title.endswith("手册"), manual.slug
        ids = [s.id for s in manual.sections]
        assert len(ids) >= 3 and len(set(ids)) == len(ids), f"{manual.slug}: {ids}"
        assert any("常见提示" in s.title for s in manual.sections), f"{manual.slug} 没有“常见提示”一节"
        tasks = [s for s in manual.sections if "常见提示" not in s.title]
        assert all(STEP.search(s.body) for s in tasks), \
            f"{manual.slug}: 没有编号步骤的节：{[s.id for s in tasks if not STEP.search(s.body)]}"


def test_every_picture_a_manual_embeds_exists():
    """issue 18: a picture the manual embeds is in docs/manual/images (make manual takes them)."""
    missing = [f"{m.slug}.md#{s.id}: {src}" for m in manuals.manuals().values() for s in m.sections
               for src in s.images if not (DOCS_IMAGES.parent / src).is_file()]
    assert not missing, "手册引用的图片不存在（运行 make manual）：\n" + "\n".join(missing)
    for m in manuals.manuals().values():
        for s in m.sections:
            for src in s.images:
                assert src.startswith(f"images/{m.slug}/"), f"{m.slug}.md 的图片应放在 images/{m.slug}/：{src}"


def url_name_exists(name: str) -> bool:
    """``namespace:name`` is a URL name of the site (whatever arguments it takes)."""
    resolver = get_resolver()
    *namespaces, last = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return last in resolver.reverse_dict


def test_every_page_a_manual_names_is_a_url_of_the_site():
    """issue 18: a ``pages:`` URL name that no longer exists fails."""
    wrong = [f"{m.slug}.md#{s.id}: {name}" for m in manuals.manuals().values() for s in m.sections
             for name in s.pages if not url_name_exists(name)]
    assert not wrong, "手册指向的页面不存在：\n" + "\n".join(wrong)
    assert not url_name_exists("admin:kuaiban_nothing_changelist")


# --- labels ---------------------------------------------------------------------------------
def page_args(manual: str, section: str, name: str):
    chosen = OBJECTS.get((manual, section), {}).get(name)
    if chosen is not None:
        return chosen()
    try:
        reverse(name)
        return []
    except Exception:
        pass
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(change|history|delete)", name)
    assert match, f"{manual}.md#{section}: 页面 {name} 需要参数：在 tests/manual/conftest.py 的 OBJECTS 里说明用哪条演示数据"
    from django.apps import apps

    model = apps.get_model(match.group(1), match.group(2))
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"演示数据里没有{model._meta.verbose_name}"
    return [obj.pk]


def page_texts(client, manual: str, section) -> str:
    texts = []
    for name in section.pages:
        args = page_args(manual, section.id, name)
        url = reverse(name, kwargs=args) if isinstance(args, dict) else reverse(name, args=args)
        response = client.get(url)
        assert response.status_code == 200, f"{manual}.md#{section.id}: {url} 答复 {response.status_code}"
        texts.append(visible_text(response.content.decode()))
    return "\n".join(texts)


def missing_labels(client, manual: str, section) -> list[str]:
    seen = page_texts(client, manual, section)
    return [label for label in section.labels if label not in seen]


@pytest.fixture(scope="module")
def demo(module_db):
    """The demo data for this module's reads (rolled back at its end)."""
    load_demo_data()


def client_for(manual: str) -> Client:
    from zhonglou_hrss.core.models import User

    client = Client()
    username = MANUAL_USERS[manual]
    if username:
        client.force_login(User.objects.get(username=username), backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize(("manual", "section_id"), all_sections())
def test_labels_a_section_quotes_are_on_its_pages(demo, db, manual, section_id):
    """issue 18: each 【label】 of a section is on the pages it names, as the manual's demo user sees them."""
    section = manual_section(manuals.get(manual), section_id)
    if not section.labels:
        return
    if (manual, section_id) in BROWSER_LABELS:
        pytest.skip("由该节的截图测试在浏览器里检查（shot.assert_labels）")
    assert section.pages, f"{manual}.md#{section_id} 引用了界面文字，但没有 <!-- pages: … --> 说明在哪个页面"
    missing = missing_labels(client_for(manual), manual, section)
    assert not missing, f"{manual}.md#{section_id} 提到的界面文字在页面上找不到：{missing}"


def test_the_label_check_fails_on_a_label_no_page_has(demo, db):
    """issue 18: the check can fail — a renamed button (a label no page shows) is reported."""
    manual = manuals.get("clerk")
    section = next(s for s in manual.sections if s.pages and s.labels and ("clerk", s.id) not in BROWSER_LABELS)
    client = client_for("clerk")
    assert missing_labels(client, "clerk", section) == []
    import dataclasses

    renamed = dataclasses.replace(section, labels=section.labels + ("已改名的按钮",))
    assert missing_labels(client, "clerk", renamed) == ["已改名的按钮"]
