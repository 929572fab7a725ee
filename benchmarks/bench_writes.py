#!/usr/bin/env python
"""Writes at scale (issue "fifty staff at once"): registrations and workflow
steps through the real services, alone and many at once, and the nightly
case-count check running while people write.

    ZHONGLOU_SITE=benchmaria .venv/bin/python benchmarks/bench_writes.py [--seconds 20] [--threads 6]
        [--damage 50] [--json out.json]

1. **One at a time**: 30 registrations, then 30 grid acceptances — server time
   per write (median, p95), in this process.
2. **Many at once**: ``--threads`` threads register cases for ``--seconds``
   seconds, each on its own connection (as gunicorn workers would): the
   sustained registrations per second, the latency median / p95 / max, and
   that the numbers are contiguous (no duplicate, no gap).
3. **The nightly check while people write**: ``--damage`` count cells are
   set wrong, then ``reconcile()`` runs while threads register and accept
   cases; reported: the check's total time, the longest a write waited
   (its latency during the check against before), and that every count is
   exact afterwards.

Writes real rows into the benchmark site (a demo site; refused elsewhere).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time

from benchlib import database_line, setup_django


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] if ordered else float("nan")


def summary(samples_ms):
    return {"n": len(samples_ms), "median_ms": round(statistics.median(samples_ms), 1),
            "p95_ms": round(percentile(samples_ms, 0.95), 1), "max_ms": round(max(samples_ms), 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_writes.py")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--damage", type=int, default=50)
    parser.add_argument("--json")
    args = parser.parse_args(argv)

    setup_django()
    from django.conf import settings
    from django.db import connection

    if not settings.SITE.is_demo:
        raise SystemExit("错误：只在演示站点上运行（它写入真实的事件）")
    from zhonglou_hrss.core.models import User
    from zhonglou_hrss.core.validators import id_number_check_char
    from zhonglou_hrss.kuaiban.models import Case, CaseCount, CaseSource
    from zhonglou_hrss.kuaiban.selectors.counts import live_counts, stored_counts
    from zhonglou_hrss.kuaiban.services.case_counts import reconcile
    from zhonglou_hrss.kuaiban.services.registration import RegistrationInput, register_case
    from zhonglou_hrss.kuaiban.services.transitions import perform

    clerk = User.objects.get(username="clerk")
    worker = User.objects.get(username="grid_320404001")
    serial = iter(range(10**6, 10**9))
    lock = threading.Lock()

    def registration():
        with lock:
            n = next(serial)
        body = f"320404{1960 + n % 40}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        return RegistrationInput(
            reporter_name="压测", reporter_id_number=body + id_number_check_char(body),
            reporter_phone=f"139{n % 10**8:08d}", respondent_name=f"常州压测有限公司{n}", reason="wage_arrears",
            grid="320404001", demand=f"压测诉求 {n}", channel="walk_in")

    def register():
        t = time.perf_counter()
        case = register_case(actor=clerk, data=registration(), source=CaseSource.INTERNAL).case
        return (time.perf_counter() - t) * 1000, case

    def accept(case):
        t = time.perf_counter()
        perform(case_id=case.pk, action="grid_accept", actor=User.objects.get(pk=worker.pk), data={})
        return (time.perf_counter() - t) * 1000

    results = {"database": database_line(), "cases_before": Case.objects.count()}
    print(f"数据库：{results['database']}；事件 {results['cases_before']:,} 件", flush=True)

    # 1. one at a time
    reg, cases = [], []
    for _ in range(30):
        ms, case = register()
        reg.append(ms)
        cases.append(case)
    acc = [accept(c) for c in cases]
    results["one_at_a_time"] = {"register": summary(reg), "grid_accept": summary(acc)}
    print("逐一：登记", results["one_at_a_time"]["register"], "接收", results["one_at_a_time"]["grid_accept"], flush=True)

    # 2. many at once
    def hammer(stop, latencies, made, failures, also_accept=False):
        try:
            while not stop.is_set():
                ms, case = register()
                latencies.append(ms)
                made.append(case.number)
                if also_accept:
                    latencies.append(accept(case))
        except Exception as exc:  # noqa: BLE001 — reported
            failures.append(repr(exc))
        finally:
            connection.close()

    latencies, made, failures = [], [], []
    stop = threading.Event()
    threads = [threading.Thread(target=hammer, args=(stop, latencies, made, failures))
               for _ in range(args.threads)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    numbers = sorted(int(n.split("-")[1]) for n in made)
    contiguous = numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else True
    results["many_at_once"] = {"threads": args.threads, "registrations": len(made),
                               "per_second": round(len(made) / elapsed, 1), "latency": summary(latencies),
                               "numbers_contiguous": contiguous, "failures": failures}
    print("并发登记：", results["many_at_once"], flush=True)

    # 3. the nightly check while people write
    cells = list(CaseCount.objects.filter(n__gt=0).order_by("?")[: args.damage])
    for cell in cells:
        CaseCount.objects.filter(pk=cell.pk).update(n=cell.n + 7)
    latencies, made, failures = [], [], []
    check = {}

    def nightly():
        t = time.perf_counter()
        check["repaired"] = len(reconcile(log_differences=False))
        check["seconds"] = round(time.perf_counter() - t, 2)
        connection.close()

    stop = threading.Event()
    writers = [threading.Thread(target=hammer, args=(stop, latencies, made, failures, True))
               for _ in range(max(1, args.threads // 2))]
    for t in writers:
        t.start()
    time.sleep(1)
    before = len(latencies)
    checker = threading.Thread(target=nightly)
    checker.start()
    checker.join()
    during = latencies[before:]
    time.sleep(1)
    stop.set()
    for t in writers:
        t.join()
    results["nightly_check"] = {**check, "writes_during": len(during), "write_latency_during": summary(during),
                                "write_latency_before": summary(latencies[:before]), "failures": failures,
                                "counts_exact_after": stored_counts() == live_counts()}
    print("夜间核对时写入：", results["nightly_check"], flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
