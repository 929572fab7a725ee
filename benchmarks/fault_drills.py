"""The fault drills' checks over HTTP (issue 9); benchmarks/fault_drills.sh
starts the stack, causes each fault with real processes and calls these steps:

    ZHONGLOU_SITE=<site> .venv/bin/python benchmarks/fault_drills.py STEP BASE_URL [JOB_ID]

Steps (each exits 1 with a Chinese message on the first failed check and
prints ``RESULT <drill> <what> <value>`` lines that the shell script collects):

- ``prepare``: the drill user (scripts/smoke_stack.smoke_user) and enough cases
  for an export that lasts a few seconds (benchmarks/bench_export.fill_cases,
  demo sites only);
- ``start-export``: signs in, starts the case export over HTTP, waits until
  the worker has written its first chunk; prints the job id;
- ``after-kill JOB``: the killed worker's job is shown as failed with the
  Chinese message, nothing to download, no file under the final name; the same
  export started again completes and downloads;
- ``redis-down``: /healthz, the public report page (GET and a POST), the desk
  sign-in, home, case list and export page answer; an export asked now is
  kept as pending with the message; prints its job id;
- ``wait-done JOB``: the job completes (after Redis is back) and downloads;
- ``db-warm`` / ``db-after-kill``: desk pages and an export before and after the
  site's database connections were killed (what a MariaDB restart looks like
  to the app).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "apps"))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")

from smoke_stack import GRID, PASSWORD, USERNAME, Browser, SmokeFailure, _photo, check, smoke_user  # noqa: E402

DRILL_CASES = 30_000  # ~3 s of export: long enough to kill the worker in the middle
EXPORT_TIMEOUT = 180


def result(drill: str, what: str, value) -> None:
    print(f"RESULT {drill} {what} {value}", flush=True)


def signed_in(base: str) -> Browser:
    browser = Browser(base)
    status, _, _ = browser.get("/desk/login/")
    check(status == 200 and browser.csrf(), f"登录页返回 {status}")
    status, headers, _ = browser.post("/desk/login/?next=/desk/", {"username": USERNAME, "password": PASSWORD,
                                                                    "next": "/desk/"})
    check(status == 302 and headers.get("Location", "").endswith("/desk/"), f"登录失败：{status}")
    return browser


def start_export(browser: Browser) -> tuple[int, bytes]:
    """POST the export form; returns (job id, the job page's HTML)."""
    status, headers, _ = browser.post("/desk/kuaiban/exports/", {})
    location = headers.get("Location", "")
    found = re.search(r"/desk/kuaiban/exports/(\d+)/", location)
    check(status == 302 and found, f"开始导出返回 {status} {location}")
    status, _, page = browser.get(location)
    check(status == 200, f"导出页返回 {status}")
    return int(found.group(1)), page


def job_row(job_id: int):
    from zhonglou_hrss.core.models import ExportJob

    return ExportJob.objects.get(pk=job_id)


def wait_done(browser: Browser, job_id: int, drill: str, timeout: float = EXPORT_TIMEOUT) -> None:
    from zhonglou_hrss.core.models import ExportJob

    started = time.monotonic()
    while True:
        job = job_row(job_id)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        check(time.monotonic() - started < timeout, f"导出 {job_id} 在 {timeout} 秒内没有完成（{job.status}）")
        time.sleep(1)
    check(job.status == ExportJob.Status.DONE, f"导出 {job_id} 失败：{job.error}")
    status, _, body = browser.get(f"/desk/kuaiban/exports/{job_id}/download/")
    check(status == 200 and body[:2] == b"PK", f"下载返回 {status}")
    result(drill, "export_done_after_s", f"{time.monotonic() - started:.0f}")
    result(drill, "export_rows", job.rows)


# --- steps -------------------------------------------------------------------------------------
def prepare(base: str) -> None:
    from bench_export import fill_cases

    smoke_user()
    added = fill_cases(DRILL_CASES)
    print(f"演练用户 {USERNAME}；补充事件 {added} 件（共至少 {DRILL_CASES} 件）")


def step_start_export(base: str) -> None:
    from zhonglou_hrss.core.models import ExportJob

    browser = signed_in(base)
    job_id, _ = start_export(browser)
    deadline = time.monotonic() + 60
    while True:
        job = job_row(job_id)
        if job.status == ExportJob.Status.RUNNING and job.rows > 0:
            break
        check(job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING),
              f"导出在杀掉进程之前就结束了（{job.status}）：事件太少？")
        check(time.monotonic() < deadline, "60 秒内 worker 没有开始写导出")
        time.sleep(0.05)
    result("worker_kill", "rows_written_when_killed", f"{job.rows}/{job.total}")
    print(job_id)


def after_kill(base: str, job_id: int) -> None:
    from django.conf import settings

    from zhonglou_hrss.core.exports import jobs

    browser = signed_in(base)
    started = time.monotonic()
    deadline = started + jobs.STALE_SECONDS + 60
    while True:  # as the user waiting on the job page sees it
        status, _, body = browser.get(f"/desk/kuaiban/exports/{job_id}/status/")
        check(status == 200, f"导出进度返回 {status}")
        text = body.decode()
        if 'data-status="failed"' in text:
            break
        check('data-status="running"' in text, f"被杀的导出状态异常：{text[:200]}")
        # Never a download while it "runs": the page offers none, the URL answers 404.
        check(browser.get(f"/desk/kuaiban/exports/{job_id}/download/")[0] == 404, "未完成的导出可以下载")
        check(time.monotonic() < deadline, f"{jobs.STALE_SECONDS + 60} 秒后导出仍显示“正在导出”")
        time.sleep(2)
    check(jobs.INTERRUPTED in text, f"失败信息不是中文说明：{text[:300]}")
    result("worker_kill", "marked_failed_after_s", f"{time.monotonic() - started:.0f}")
    check(browser.get(f"/desk/kuaiban/exports/{job_id}/download/")[0] == 404, "中断的导出可以下载")
    user_dir = Path(settings.EXPORTS_DIR) / str(job_row(job_id).user_id)
    finished = {p.name for p in user_dir.glob("*.xlsx")}
    check(job_row(job_id).file_path == "", "中断的导出记录了文件")
    # The cron sweep removes the partial file once it is STALE_SECONDS old (at most one more minute).
    deadline = time.monotonic() + 90
    while list(user_dir.glob("*.part*")):
        check(time.monotonic() < deadline, f"残留的半个文件没有被清理：{[p.name for p in user_dir.glob('*.part*')]}")
        time.sleep(2)
    result("worker_kill", "partial_files_left", 0)
    new_id, _ = start_export(browser)
    wait_done(browser, new_id, "worker_kill")
    new_files = {p.name for p in user_dir.glob("*.xlsx")} - finished
    check(len(new_files) == 1, f"重新导出后的文件：{new_files}")


def redis_down(base: str) -> None:
    from zhonglou_hrss.core.captcha import answer_for
    from zhonglou_hrss.core.exports import jobs
    from zhonglou_hrss.core.models import ExportJob
    from zhonglou_hrss.kuaiban.models import Case

    anonymous = Browser(base)
    status, _, body = anonymous.get("/healthz")
    check(status == 200 and json.loads(body) == {"status": "ok"}, f"Redis 停止后 /healthz 返回 {status}")
    status, _, body = anonymous.get(f"/kuaiban/report/?grid={GRID}")
    check(status == 200, f"Redis 停止后投诉页返回 {status}")
    key = re.search(rb'name="captcha_0" value="([^"]+)"', body).group(1).decode()
    respondent = f"常州演练机械有限公司{int(time.time())}"
    status, _, body = anonymous.post("/kuaiban/report/", {
        "reporter_name": "演练", "reporter_id_number": "11010519491231002X", "reporter_phone": "13800138000",
        "respondent_name": respondent, "reason": "wage_arrears", "grid": GRID, "demand": "故障演练：Redis 停止时投诉",
        "captcha_0": key, "captcha_1": answer_for(key),
    }, files={"photo": ("photo.jpg", _photo(), "image/jpeg")})
    check(status == 302, f"Redis 停止后提交投诉返回 {status}：{body[:300].decode('utf-8', 'replace')}")
    check(Case.objects.filter(respondent_name=respondent).exists(), "投诉没有保存")
    result("redis_down", "public_complaint_saved", "yes")
    browser = signed_in(base)
    for path in ("/desk/", "/desk/kuaiban/case/", "/desk/kuaiban/exports/", f"/desk/kuaiban/exports/?q={urllib.parse.quote('演练')}"):
        status, _, _ = browser.get(path)
        check(status == 200, f"Redis 停止后 {path} 返回 {status}")
    result("redis_down", "desk_pages", "200")
    job_id, page = start_export(browser)
    check(jobs.QUEUE_DOWN.encode() in page, "导出页没有说明后台任务服务不可用")
    check(job_row(job_id).status == ExportJob.Status.PENDING, f"导出状态 {job_row(job_id).status}（应为排队中）")
    result("redis_down", "export_kept_pending", "yes")
    print(job_id)


def step_wait_done(base: str, job_id: int, drill: str) -> None:
    wait_done(signed_in(base), job_id, drill)


DB_PAGES = ("/desk/", "/desk/kuaiban/case/", "/desk/kuaiban/exports/", "/healthz")


def db_pages(base: str, drill: str) -> None:
    browser = signed_in(base)
    failures = 0
    for _ in range(5):  # more requests than gunicorn workers: every worker's kept connection is tried
        for path in DB_PAGES:
            status, _, _ = browser.get(path)
            failures += status != 200
            if status != 200:
                print(f"   {path} 返回 {status}", file=sys.stderr)
    result(drill, "failed_requests", failures)
    check(failures == 0, f"{failures} 个请求失败")
    if drill == "db_kill":
        job_id, _ = start_export(browser)
        wait_done(browser, job_id, drill)


def main(argv: list[str]) -> int:
    import django

    django.setup()
    step, base = argv[1], argv[2]
    try:
        if step == "prepare":
            prepare(base)
        elif step == "start-export":
            step_start_export(base)
        elif step == "after-kill":
            after_kill(base, int(argv[3]))
        elif step == "redis-down":
            redis_down(base)
        elif step == "wait-done":
            step_wait_done(base, int(argv[3]), argv[4] if len(argv) > 4 else "redis_down")
        elif step == "db-warm":
            db_pages(base, "db_warm")
        elif step == "db-after-kill":
            db_pages(base, "db_kill")
        else:
            print(f"未知步骤：{step}", file=sys.stderr)
            return 2
    except SmokeFailure as exc:
        print(f"演练失败（{step}）：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
