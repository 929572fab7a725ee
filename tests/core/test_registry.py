"""Core's registries (core.registry, core.exports.registry): what the apps
plug into core in their AppConfig.ready — core itself names no app."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.exports import registry as exports
from zhonglou_hrss.core.models import ExportTemplate


def test_sidebar_groups_in_the_order_people_work():
    titles = [group["title"] for group in registry.sidebar()]
    assert titles == ["工作台", "快办事件", "信访", "统计分析", "企业", "就业服务", "信用评价", "问卷评价",
                      "系统设置"]
    settings_group = next(g for g in registry.sidebar() if g["title"] == "系统设置")
    assert [i["title"] for i in settings_group["items"]] == [
        "用户", "角色", "网格", "字典", "区界地图", "导出模板", "登录锁定", "接口令牌", "自定义字段", "审计日志", "系统状态"]
    assert settings_group["collapsible"] is True
    assert registry.sidebar()[0]["separator"] is False


def test_every_entry_is_shown_by_a_permission():
    assert all(item.permissions for item in registry.nav_items())


def test_periodic_jobs_of_core_and_the_apps_with_chinese_labels():
    jobs = {task.func.rsplit(".", 1)[1]: task for task in registry.periodic_tasks()}
    assert set(jobs) >= {"clear_expired_sessions", "clear_expired_lockouts", "purge_old_exports",
                         "reconcile_case_counts"}
    assert jobs["reconcile_case_counts"].cron == "45 3 * * *"
    assert all(task.label for task in jobs.values())


def test_demo_loaders_core_first():
    loaders = registry.demo_loaders()
    assert loaders[0].__module__ == "zhonglou_hrss.core.demo"
    assert any(load.__module__ == "zhonglou_hrss.kuaiban.demo" for load in loaders)


def test_export_kinds_are_registered_strings_checked_by_the_models():
    assert exports.kinds()[:2] == [("kuaiban_case", "快办事件"), ("kuaiban_petition", "信访记录")]
    assert exports.kind_label("kuaiban_petition") == "信访记录"
    with pytest.raises(ValidationError) as unknown:
        exports.validate_kind("nope")
    assert "没有这种导出内容" in unknown.value.messages[0]
    template = ExportTemplate(name="x", kind="nope", file="builtin:x.xlsx")
    with pytest.raises(ValidationError) as invalid:
        template.full_clean()
    assert "kind" in invalid.value.message_dict


def test_registering_twice_changes_nothing():
    before = (len(registry.nav_items()), len(registry.periodic_tasks()), registry.permission_layout())
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("zhonglou_hrss."):
            config.ready()
    assert (len(registry.nav_items()), len(registry.periodic_tasks()), registry.permission_layout()) == before
