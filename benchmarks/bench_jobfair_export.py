#!/usr/bin/env python
"""A job fair's export at volume (issue 12, R-PT-19): one fair with N
registrations × P positions (default 3,000 × 5 = 15,000 rows), exported in the
government's format through ``portal.exports.jobfairs.fair_export_response``
exactly as the desk and the API call it — masked, then full (decrypting each
contact mobile once). Goal: ≥ 10,000 rows/s and memory that stays flat as
the fair grows.

    ZHONGLOU_SITE=<demo site> .venv/bin/python benchmarks/bench_jobfair_export.py \\
        [--registrations 3000] [--positions 5] [--repeat 3] [--json out.json]

Rows/s = position rows ÷ wall time of the whole response (query, decrypt,
write, read back the stream). Memory: tracemalloc's peak during one export of
the full fair and of a tenth of it, in a separate run (tracemalloc slows
Python down, so it never overlaps the timing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc

from benchlib import Timing, database_line, production_like, setup_django

FAIR_NAME = "基准测试招聘会（{n}家）"


def fill(n_registrations: int, n_positions: int) -> int:
    """The fair of ``n_registrations`` approved registrations (made once; bulk rows
    as the service would write them: encrypted mobiles and IDs)."""
    from django.db import transaction
    from django.utils import timezone

    from zhonglou_hrss.core.validators import id_number_check_char, uscc_check_char
    from zhonglou_hrss.core.models import Enterprise, EnterpriseAccount, LookupEntry, LookupKind, User
    from zhonglou_hrss.portal.models import Attendee, JobFair, Position, Registration, RegistrationStatus

    def uscc(n: int) -> str:
        body = f"91320404{n:09d}"
        return body + uscc_check_char(body)

    def id_number_for(n: int) -> str:
        body = f"320404{1980 + n % 30}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        return body + id_number_check_char(body)

    name = FAIR_NAME.format(n=n_registrations)
    fair = JobFair.objects.filter(name=name).first()
    if fair is not None:
        return fair.pk
    staff = User.objects.get(username="portal_staff")
    account = EnterpriseAccount.objects.get(user__username="ent_demo1")
    education = list(LookupEntry.objects.of(LookupKind.EDUCATION).values_list("id", flat=True))
    now = timezone.now()
    with transaction.atomic():
        fair = JobFair.objects.create(name=name, date=timezone.localdate(), venue="钟楼区人力资源市场",
                                      created_by=staff)
        have = set(Enterprise.objects.filter(uscc__startswith="91320404").values_list("uscc", flat=True))
        codes = [uscc(900_000 + i) for i in range(n_registrations)]
        Enterprise.objects.bulk_create([Enterprise(uscc=c, name=f"基准测试企业{i}号有限公司")
                                        for i, c in enumerate(codes) if c not in have], batch_size=1000)
        ids = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))
        regs = [Registration(fair=fair, account=account, enterprise_id=ids[c], company_name=f"基准测试企业{i}号有限公司",
                             contact_name="周联系", contact_phone=f"139{i:08d}", introduction="诚聘英才。",
                             status=RegistrationStatus.APPROVED, submitted_at=now, decided_at=now, decided_by=staff)
                for i, c in enumerate(codes)]
        Registration.objects.bulk_create(regs, batch_size=1000)
        reg_ids = list(Registration.objects.filter(fair=fair).order_by("id").values_list("id", flat=True))
        Attendee.objects.bulk_create([Attendee(registration_id=r, position=0, name="参会人", gender="male",
                                               title="人事", phone="13700000000", id_number=id_number_for(k))
                                      for k, r in enumerate(reg_ids)], batch_size=1000)
        Position.objects.bulk_create([
            Position(registration_id=r, position=p, title=f"岗位{p + 1}", count=p + 1,
                     education_id=education[(k + p) % len(education)], major="机械类",
                     description="负责设备的日常维护和保养，按时完成生产任务。", salary_min=5000 + 100 * p,
                     salary_max=8000 + 100 * p)
            for k, r in enumerate(reg_ids) for p in range(n_positions)], batch_size=2000)
    return fair.pk


def export_once(user, fair_id: int, *, full: bool) -> tuple[float, int]:
    from zhonglou_hrss.portal.exports.jobfairs import fair_export_response

    started = time.perf_counter()
    response = fair_export_response(user=user, fair_id=fair_id, full=full,
                                    reason="基准测试：完整导出" if full else "")
    size = sum(len(part) for part in response.streaming_content)
    return time.perf_counter() - started, size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_jobfair_export.py")
    parser.add_argument("--registrations", type=int, default=3000)
    parser.add_argument("--positions", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)

    setup_django()
    from django.conf import settings

    from zhonglou_hrss.core.models import User
    from zhonglou_hrss.portal.models import Position

    if not settings.SITE.is_demo:
        print("只能在演示站点上运行（site_config.toml 中 demo = true；先运行 manage.py load_demo）。", file=sys.stderr)
        return 2
    production_like()
    started = time.perf_counter()
    big = fill(args.registrations, args.positions)
    small = fill(max(1, args.registrations // 10), args.positions)
    print(f"数据准备 {time.perf_counter() - started:.1f} 秒；数据库：{database_line()}", flush=True)
    # 就业后台 exports masked; a whole export needs core.export_pii as well (a leader's):
    # a benchmark user holding both roles.
    from zhonglou_hrss.core.fixtures_sync import role_group

    user = User.objects.get(username="portal_staff")
    exporter, _ = User.objects.get_or_create(username="bench_jobfair_exporter", defaults={"name": "基准测试导出"})
    exporter.groups.add(role_group("portal_staff"), role_group("leader"))
    results = {}
    for label, who, full in (("脱敏导出", user, False), ("完整导出", exporter, True)):
        timing = Timing()
        rows = Position.objects.filter(registration__fair_id=big).count()
        for _ in range(args.repeat):
            seconds, size = export_once(who, big, full=full)
            timing.samples.append(seconds * 1000)
        results[label] = {"rows": rows, "median_ms": round(timing.median, 1),
                          "rows_per_s": round(rows / (timing.median / 1000)), "bytes": size}
        print(f"{label}：{rows:,} 行，中位 {timing.median / 1000:.2f} 秒，{rows / (timing.median / 1000):,.0f} 行/秒，"
              f"文件 {size / 1024:.0f} KB", flush=True)
    peaks = {}
    for fair_id in (small, big):
        rows = Position.objects.filter(registration__fair_id=fair_id).count()
        tracemalloc.start()
        export_once(user, fair_id, full=False)
        peaks[rows] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"内存峰值（{rows:,} 行）：{peaks[rows] / 1024 / 1024:.1f} MB", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database_line(), "exports": results,
                       "peak_bytes": {str(k): v for k, v in peaks.items()}}, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
