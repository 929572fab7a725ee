"""The smoke scenario over HTTP against a running stack (scripts/smoke_stack.sh
starts gunicorn, an rq worker and rq's cron scheduler first; issue 9).

    ZHONGLOU_SITE=<site> .venv/bin/python scripts/smoke_stack.py http://127.0.0.1:8765

1. /healthz answers {"status": "ok"};
2. a public complaint on /kuaiban/report/ (the captcha answered as a person
   would read it: ``core.captcha.answer_for``, derived from the site secret);
3. a desk sign-in through the sign-in form (a smoke user of the grid and the
   district platform, created here);
4. a case step: the grid accepts the complaint (确认接收);
5. an export of the case list, written by the real rq worker, then downloaded;
6. the 系统状态 checks of Redis and of the workers' heartbeats see the running worker.

Django is set up only to create the smoke user, read the captcha's answer
and find the new case; every step itself goes over HTTP. Exits 1 with a
Chinese message on the first failure.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "apps"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")

USERNAME = "smoke_ops"
PASSWORD = "Smoke#stack2026"
GRID = "320404001"
EXPORT_TIMEOUT = 60


class SmokeFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise SmokeFailure(message)


class Browser:
    """Cookies, CSRF and forms over urllib (no redirect following: each step says where it goes)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method, path, *, data=None, headers=None):
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=data, method=method, headers={
            "User-Agent": "zhonglou-smoke", "Referer": self.base + "/", **(headers or {})})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def get(self, path):
        return self.request("GET", path)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def post(self, path, fields: dict, files: dict | None = None):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        if files:
            body, kind = _multipart(fields, files)
        else:
            body, kind = urllib.parse.urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, data=body, headers={"Content-Type": kind, "X-CSRFToken": self.csrf()})


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
    for name, (filename, content, kind) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: {kind}\r\n\r\n".encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 110, 190)).save(out, "JPEG")
    return out.getvalue()


def smoke_user():
    from zhonglou_hrss.core.fixtures_sync import role_group
    from zhonglou_hrss.core.models import Grid, User

    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"name": "冒烟测试"})
    user.set_password(PASSWORD)
    user.is_active = True
    user.password_change_required = False
    user.save()
    user.groups.set([role_group("grid_worker"), role_group("district_clerk")])
    user.grids.set(Grid.objects.filter(code=GRID))
    return user


def step(title):
    print(f"-- {title}", flush=True)


def run(base: str) -> None:
    import django

    django.setup()
    from zhonglou_hrss.core.captcha import answer_for
    from zhonglou_hrss.core.models import ExportJob
    from zhonglou_hrss.kuaiban.models import Case

    browser = Browser(base)

    step("1 /healthz")
    status, _, body = browser.get("/healthz")
    check(status == 200 and json.loads(body) == {"status": "ok"}, f"/healthz 返回 {status} {body[:200]!r}")

    step("2 公众投诉（二维码页面）")
    status, _, body = browser.get(f"/kuaiban/report/?grid={GRID}")
    check(status == 200, f"投诉页面返回 {status}")
    key = re.search(rb'name="captcha_0" value="([^"]+)"', body)
    check(key, "投诉页面上没有验证码")
    key = key.group(1).decode()
    respondent = f"常州冒烟测试机械有限公司{uuid.uuid4().hex[:6]}"
    status, headers, body = browser.post("/kuaiban/report/", {
        "reporter_name": "冒烟测试", "reporter_id_number": "11010519491231002X", "reporter_phone": "13800138000",
        "respondent_name": respondent, "reason": "wage_arrears", "grid": GRID, "demand": "冒烟测试：拖欠工资",
        "captcha_0": key, "captcha_1": answer_for(key),
    }, files={"photo": ("photo.jpg", _photo(), "image/jpeg")})
    check(status == 302, f"提交投诉返回 {status}（应为 302 跳转）：{body[:300].decode('utf-8', 'replace')}")
    case = Case.objects.filter(respondent_name=respondent).first()
    check(case is not None, "投诉已提交，但数据库里找不到该事件")
    print(f"   事件 {case.number}：{case.get_status_display()}")

    step("3 工作台登录")
    smoke_user()
    status, _, body = browser.get("/desk/login/")
    check(status == 200 and browser.csrf(), f"登录页返回 {status} 或没有 CSRF cookie")
    status, headers, body = browser.post("/desk/login/?next=/desk/", {"username": USERNAME, "password": PASSWORD,
                                                                        "next": "/desk/"})
    check(status == 302 and headers.get("Location", "").endswith("/desk/"),
          f"登录失败：{status} {headers.get('Location')}")
    status, _, body = browser.get("/desk/")
    check(status == 200 and "冒烟测试".encode() in body, f"工作台首页返回 {status}")

    step("4 办理一步：网格确认接收")
    status, _, _ = browser.get(f"/desk/kuaiban/case/{case.pk}/")
    check(status == 200, f"事件页返回 {status}")
    status, headers, _ = browser.post(f"/desk/kuaiban/case/{case.pk}/act/grid_accept/", {})
    check(status == 302, f"确认接收返回 {status}")
    case.refresh_from_db()
    check(case.status == "grid_handling", f"确认接收后事件状态为 {case.status}（应为 grid_handling）")

    step("5 导出（由 rq worker 执行）并下载")
    status, headers, body = browser.post(f"/desk/kuaiban/exports/?q={urllib.parse.quote(case.number)}", {})
    location = headers.get("Location", "")
    job_id = re.search(r"/desk/kuaiban/exports/(\d+)/", location)
    check(status == 302 and job_id, f"开始导出返回 {status} {location}")
    job_id = int(job_id.group(1))
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while True:
        job = ExportJob.objects.get(pk=job_id)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        check(time.monotonic() < deadline, f"导出 {EXPORT_TIMEOUT} 秒内没有完成（状态 {job.status}）：rq worker 是否在运行？")
        time.sleep(0.5)
    check(job.status == ExportJob.Status.DONE, f"导出失败：{job.error}")
    check(job.rows == 1, f"导出行数 {job.rows}（应为 1）")
    status, headers, body = browser.get(f"/desk/kuaiban/exports/{job_id}/download/")
    check(status == 200 and body[:2] == b"PK", f"下载导出文件返回 {status}，{len(body)} 字节")
    print(f"   导出 {job.rows} 行，下载 {len(body)} 字节")

    step("6 系统状态：Redis 与 rq worker 心跳（rq 的 Worker.all）")
    from zhonglou_hrss.core import health

    for line in (health.check_redis(), health.check_workers()):
        check(line.status == health.OK, f"{line.name}：{line.detail}")
        print(f"   {line.name}：{line.detail}")


def main(argv):
    base = argv[1] if len(argv) > 1 else "http://127.0.0.1:8765"
    try:
        run(base)
    except SmokeFailure as exc:
        print(f"冒烟测试失败：{exc}", file=sys.stderr)
        return 1
    print("冒烟测试通过")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
