"""What the browser tests share: the test users' password, signing in to the
desk as a person does, and the page problems worth failing on."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "E2e#pass2026"
# Chromium asks for the icon on its own; some pages answer a deliberate 404.
IGNORED = re.compile(r"favicon\.ico|status of 404")


def login(page, username: str, password: str = PASSWORD):
    """Sign in on the desk's own form and wait until it has gone."""
    page.goto("/desk/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#login-form")).to_have_count(0)


def problems(page_problems, page, ignored: re.Pattern = IGNORED) -> list[str]:
    return [p for p in page_problems(page) if not ignored.search(p)]
