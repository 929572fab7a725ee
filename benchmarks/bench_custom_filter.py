#!/usr/bin/env python
"""A case list filtered by a custom choice field (issue 17), on a site filled by
``generate.py --cases …``: how the filter is indexed and what it costs.

    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/bench_custom_filter.py --fill [--repeat 15] [--explain] [--json out.json]

``--fill`` defines (once) the 快办事件 field 基准：涉及行业 (code ``bench_kind``, a choice of
five options, shown as a list column) and gives every case one option, the
way the engine stores a value: in the case's ``custom`` JSON and as one row
of the typed index ``core_customvalue`` (field, text, object_id). It does it
with two set-based statements (an UPDATE of the JSON, an INSERT … SELECT of
the index), not case by case; the values follow the case's id (id mod 5), so
each option holds a fifth of the cases. Demo sites only.

Then, interleaved so a busy machine slows every side alike, as the leader
(every case) and as a grid worker (their grid's): the API list
``/api/v1/kuaiban/cases/?custom.bench_kind=c`` and the desk list
``/desk/kuaiban/case/?custom.bench_kind=c`` (its first page and its count), and for
comparison the same lists without the filter. Median and p95 wall time, the
queries per request, and with ``--explain`` the plan of the list's statement.

How it is indexed: ``custom_fields.filter_queryset`` narrows the list with
``pk IN (SELECT object_id FROM core_customvalue WHERE field_id = … AND text = …)``,
served by the index ``custom_value_text (field_id, text, object_id)``; the list keeps
its own order (newest first), so the database walks the cases' ``created_at`` index
and probes the value index per case until the page is full.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchlib import Timing, client_for, database_line, get_ok, print_explain, production_like, setup_django

CODE = "bench_kind"
OPTIONS = ["a", "b", "c", "d", "e"]
LABELS = ["制造业", "建筑业", "餐饮住宿", "批发零售", "其他服务"]


def definition(actor):
    from zhonglou_hrss.core import custom_fields
    from zhonglou_hrss.core.models import CustomField

    found = CustomField.objects.filter(object="case", code=CODE).first()
    if found is not None:
        return found
    return custom_fields.define(actor=actor, data={
        "object": "case", "code": CODE, "label": "基准：涉及行业", "type": "choice", "list_column": True,
        "choices": [{"code": c, "label": label} for c, label in zip(OPTIONS, LABELS)]})


def fill(field, out) -> None:
    """Every case gets one option (id mod 5) in its JSON and in the index, in two statements."""
    from django.db import connection, transaction

    from zhonglou_hrss.core.models import CustomValue

    if CustomValue.objects.filter(field=field).exists():
        print("已有取值，跳过填充。", file=out, flush=True)
        return
    pick = "CASE MOD(id, 5) " + " ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(OPTIONS)) + " END"
    if connection.vendor == "sqlite":
        pick = pick.replace("MOD(id, 5)", "(id % 5)")
        as_json = f"json_object('{CODE}', {pick})"
    else:
        as_json = f"JSON_OBJECT('{CODE}', {pick})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE kuaiban_case SET custom = {as_json}")
        updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO core_customvalue (field_id, object_id, text) SELECT %s, id, {pick} FROM kuaiban_case",
            [field.pk])
        indexed = cursor.rowcount
    print(f"填充：{updated:,} 件事件的 JSON，{indexed:,} 行索引，{time.perf_counter() - started:.1f} 秒",
          file=out, flush=True)
    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE TABLE core_customvalue, kuaiban_case")
            cursor.fetchall()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--fill", action="store_true")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--leader", default="leader")
    parser.add_argument("--grid-worker", default="grid_320404001")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)

    setup_django()
    production_like()
    from django.db import connection

    from zhonglou_hrss.core.models import CustomValue, User
    from zhonglou_hrss.kuaiban.models import Case

    out = sys.stdout
    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin")
    field = definition(admin)
    if args.fill:
        fill(field, out)
    print(f"数据库：{database_line()}；事件 {Case.objects.count():,} 件；索引行 "
          f"{CustomValue.objects.filter(field=field).count():,}", file=out, flush=True)

    query = {f"custom.{CODE}": "c"}
    scenarios = []
    for who, username in (("领导", args.leader), ("网格员", args.grid_worker)):
        for where, url in (("API", "/api/v1/kuaiban/cases/"), ("桌面", "/desk/kuaiban/case/")):
            for filtered in (True, False):
                client, headers = client_for(username)
                label = f"{who} {where} {'按自定义选项筛选' if filtered else '不筛选'}"
                params = query if filtered else {}
                statements = []

                def record(execute, sql, p, many, context, statements=statements):
                    statements.append((sql, p))
                    return execute(sql, p, many, context)

                with connection.execute_wrapper(record):
                    response = get_ok(client, url, params, headers, label)
                body = response.json() if where == "API" else None
                if filtered and where == "API":
                    # Every row on the page holds the chosen option: the filter is real.
                    assert all(row["custom"].get(CODE) == "c" for row in body["results"]), label
                listing = [s for s in statements if "core_customvalue" in s[0] and "ORDER BY" in s[0].upper()]
                if args.explain and listing:
                    print_explain(label, [("list", listing[0])], out)
                scenarios.append({"label": label, "client": client, "headers": headers, "url": url, "params": params,
                                  "queries": len(statements), "timing": Timing(),
                                  "count": body.get("count") if body else None})

    for i in range(args.warmup + args.repeat):
        for s in scenarios:
            start = time.perf_counter()
            get_ok(s["client"], s["url"], s["params"], s["headers"], s["label"])
            if i >= args.warmup:
                s["timing"].samples.append((time.perf_counter() - start) * 1000)

    summary = []
    for s in scenarios:
        summary.append({"scenario": s["label"], "queries": s["queries"], "count": s["count"], **s["timing"].summary()})
        count = f"，共 {s['count']:,} 件" if s["count"] is not None else ""
        print(f"{s['label']}：中位 {s['timing'].median:.1f} ms / p95 {s['timing'].p95:.1f} ms，"
              f"{s['queries']} 条语句{count}", file=out, flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"database": database_line(), "scenarios": summary}, f, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
