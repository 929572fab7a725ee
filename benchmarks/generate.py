#!/usr/bin/env python
"""Fill a site's database with realistic generated data, for benchmarks.

    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/generate.py --enterprises 10000 --users 500 [--seed 1]

Only a demo site accepts it (``demo = true`` in its site_config.toml) unless
``--force`` is given. Rows are added to what is there; running it again adds
more (codes and user names never collide with existing ones).

The work is a list of *steps* (``STEPS``), one per kind of row, run in order;
each step has its own random stream derived from the seed, so adding a step
(cases, petitions …) or changing one step's count leaves the others' data
unchanged. To add a step: write ``def gen_<thing>(ctx, count) -> int`` that
bulk-creates ``count`` rows in batches of ``ctx.batch_size`` (calling
``ctx.progress``), and append ``Step("<thing>", "<中文名>", gen_<thing>)`` to
``STEPS``; ``--<thing> N`` and ``generate(<thing>=N)`` then exist. Later steps
can use what earlier ones made through ``ctx`` (e.g. ``ctx.enterprise_ids()``).

Tests import ``generate`` (tests/core/test_bench_generator.py); nothing here
touches Django at import time, so the module imports before ``django.setup()``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_BATCH_SIZE = 1000
PROGRESS_EVERY_SECONDS = 1.0
USERNAME_PREFIX = "bench_u"


def setup_django() -> None:
    sys.path.insert(0, str(REPO_DIR / "apps"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
    import django

    django.setup()


# --- word lists ----------------------------------------------------------------------
# Enterprise names follow the usual pattern 行政区划 + 字号 + 行业 + 组织形式, e.g.
# 常州恒瑞精密机械有限公司; the 行业 words belong to the GB/T 4754 section drawn.
CITY_PREFIXES = [("常州", 60), ("常州市", 25), ("江苏", 10), ("", 5)]
TRADE_NAME_CHARS = (
    "恒盛华鑫达宏瑞源泰丰博创新科德信隆祥润通嘉捷联诚凯安康荣辉佳晟腾越远弘汇兴旺顺昌茂富聚立正"
    "天金明光亿万东中永长春星云海江河山钟龙城运美优品尚睿智航宇邦威力合众和益同赛迪铭豪君润展"
)
PLACE_TRADE_NAMES = ["钟楼", "龙城", "延陵", "星港", "运河", "西林", "五星", "荷花池", "新闸", "北港", "邹区", "怀德",
                     "南大街"]
INDUSTRY_TERMS = {
    "A": ["农业科技", "生态农业", "园艺", "水产养殖", "花卉苗木"],
    "C": ["精密机械", "机电设备", "电子科技", "纺织服装", "塑料制品", "五金制品", "汽车零部件", "新材料",
          "光伏科技", "电器", "模具", "印刷包装", "食品", "医疗器械", "轨道交通设备", "智能装备", "电机", "环保设备"],
    "D": ["新能源", "燃气", "电力工程", "热力"],
    "E": ["建筑劳务", "建设工程", "装饰工程", "市政工程", "安装工程", "钢结构工程", "建筑安装"],
    "F": ["商贸", "贸易", "建材贸易", "医药连锁", "超市", "机电贸易", "电子商务", "食品贸易"],
    "G": ["物流", "运输", "仓储服务", "快递服务", "供应链管理"],
    "H": ["餐饮管理", "酒店管理", "餐饮服务", "饮食文化"],
    "I": ["信息技术", "软件", "网络科技", "数据服务", "智能科技"],
    "J": ["融资担保", "典当", "小额贷款"],
    "K": ["房地产开发", "物业管理", "房产经纪", "置业"],
    "L": ["人力资源", "企业管理咨询", "劳务派遣", "广告", "商务服务", "保安服务", "会展服务"],
    "M": ["检测技术", "工程设计", "环保科技", "技术服务", "工程技术"],
    "N": ["环境工程", "园林绿化", "市政养护"],
    "O": ["家政服务", "汽车维修", "美容美发", "洗涤服务", "保洁服务"],
    "P": ["教育科技", "培训", "职业技能培训"],
    "Q": ["医疗", "康复", "养老服务", "健康管理"],
    "R": ["文化传媒", "体育发展", "影视", "文化艺术"],
}
# How common each GB/T 4754 section is among the district's registered companies
# (manufacturing and trade dominate; sections absent here are not drawn).
INDUSTRY_WEIGHTS = {"C": 28, "F": 22, "L": 9, "E": 8, "H": 6, "G": 5, "I": 5, "M": 5, "O": 4, "K": 3,
                    "R": 2, "P": 1.5, "Q": 1, "N": 1, "A": 0.5, "D": 0.5, "J": 0.5}
COMPANY_FORMS = [("有限公司", 90), ("有限责任公司", 7), ("股份有限公司", 3)]
# 个体工商户 (USCC 92…): shops and eateries, named 钟楼区 + 字号 + kind.
SOLE_TRADER_SHARE = 0.08
SOLE_TRADER_KINDS = {"F": ["便利店", "五金店", "商行", "超市", "烟酒店"],
                     "H": ["饭店", "面馆", "小吃店", "餐馆", "烧烤店"],
                     "O": ["理发店", "汽车修理部", "家电维修部", "洗衣店"]}
BRANCH_SHARE = 0.03  # 常州…有限公司钟楼分公司

ROADS = ["延陵西路", "南大街", "北大街", "西横街", "怀德北路", "怀德南路", "广化街", "星港路", "勤业路", "清潭路",
         "劳动西路", "新闸路", "龙城大道", "玉龙南路", "玉龙北路", "长江中路", "中吴大道", "荷花池街", "五星路",
         "北港路", "西林路", "飞龙西路", "广成路", "花园街", "新冶路", "运河路", "永红路", "白云路", "新市路",
         "邹区大道"]
# Most addresses are a street number; some add a tower (…大厦1205室) or a park (…园3幢201室).
TOWERS = ["科技大厦", "商务中心", "国际大厦", "金融广场", "万达广场"]
PARKS = ["创业园", "工业园", "产业园", "科技园"]
BUILDING_PREFIXES = ["钟楼", "星港", "运河", "延陵", "龙城", "西林", "新闸"]

SURNAMES = [("王", 7), ("李", 7), ("张", 7), ("刘", 5), ("陈", 5), ("杨", 3), ("赵", 2), ("黄", 2), ("周", 3),
            ("吴", 3), ("徐", 3), ("孙", 2), ("胡", 1.5), ("朱", 2), ("高", 1.5), ("林", 1), ("何", 1), ("郭", 1),
            ("马", 1), ("罗", 0.8), ("钱", 1.2), ("蒋", 1.2), ("沈", 1.2), ("顾", 1.2), ("陆", 1), ("汤", 0.8),
            ("恽", 0.3), ("庄", 0.6), ("邹", 0.6), ("丁", 0.8), ("许", 1), ("严", 0.6), ("薛", 0.5), ("夏", 0.6)]
GIVEN_NAME_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰志文斌"
                    "晨浩宇欣怡子涵思雨佳琪俊杰婷雪梅春燕海波")
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                   "157", "158", "159", "166", "177", "180", "181", "182", "183", "186", "187", "188", "189", "199"]
# Staff accounts by role (the district has many more grid workers than anything else).
USER_ROLE_WEIGHTS = [("grid_worker", 55), ("inspector", 10), ("district_clerk", 12), ("portal_staff", 7),
                     ("credit_staff", 6), ("leader", 4), ("admin", 1)]
INACTIVE_USER_SHARE = 0.03
SECOND_GRID_SHARE = 0.1  # grid workers covering two grids


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def make_uscc(rng: random.Random, prefix: str = "91320404") -> str:
    """A checksum-valid 统一社会信用代码: ``prefix`` (登记管理部门 + 类别 +
    行政区划) + random body to 17 characters + GB 32100 check character."""
    from zhonglou_hrss.core.validators import USCC_CHARS, uscc_check_char  # after django.setup()

    body = prefix + "".join(rng.choice(USCC_CHARS) for _ in range(17 - len(prefix)))
    return body + uscc_check_char(body)


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def make_person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_NAME_CHARS) for _ in range(1 if rng.random() < 0.3 else 2))
    return weighted(rng, SURNAMES) + given


def make_trade_name(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(PLACE_TRADE_NAMES)
    return "".join(rng.sample(TRADE_NAME_CHARS, 2))


def make_company_name(rng: random.Random, section: str) -> str:
    terms = INDUSTRY_TERMS.get(section) or ["商务服务"]
    trade, term = make_trade_name(rng), rng.choice(terms)
    form = weighted(rng, COMPANY_FORMS)
    city = weighted(rng, CITY_PREFIXES)
    if city == "江苏":
        name = f"江苏{trade}{term}{form}"
    elif not city:
        name = f"{trade}（常州）{term}{form}"
    else:
        name = f"{city}{trade}{term}{form}"
    if rng.random() < BRANCH_SHARE:
        name += "钟楼分公司"
    return name


def make_address(rng: random.Random) -> str:
    road = rng.choice(ROADS)
    address = f"常州市钟楼区{'邹区镇' if road == '邹区大道' else ''}{road}{rng.randint(1, 399)}号"
    kind = rng.random()
    if kind < 0.2:
        floor, room = rng.randint(2, 28), rng.randint(1, 20)
        address += f"{rng.choice(BUILDING_PREFIXES)}{rng.choice(TOWERS)}{floor}{room:02d}室"
    elif kind < 0.35:
        building, floor, room = rng.randint(1, 12), rng.randint(1, 5), rng.randint(1, 12)
        address += f"{rng.choice(BUILDING_PREFIXES)}{rng.choice(PARKS)}{building}幢{floor}{room:02d}室"
    return address


# --- the steps ------------------------------------------------------------------------
@dataclass
class StepResult:
    name: str
    label: str
    rows: int
    seconds: float
    cpu_seconds: float  # this process's CPU time: the part a busy machine cannot inflate

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Report:
    steps: list[StepResult] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    @property
    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds for s in self.steps)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def __getitem__(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)


class Context:
    """What every step gets: its random stream, the batch size, progress
    output, and cached reference data (industries, grids, roles)."""

    def __init__(self, *, seed: int, batch_size: int, out: TextIO | None, with_history: bool):
        self.seed = seed
        self.batch_size = batch_size
        self.out = out
        self.with_history = with_history
        self.rng = random.Random(seed)
        self._cache: dict[str, object] = {}
        self._step_label = ""
        self._step_total = 0
        self._step_started = 0.0
        self._last_print = 0.0

    def begin(self, name: str, label: str, total: int):
        self.rng = random.Random(f"{self.seed}:{name}")  # independent per step
        self._step_label, self._step_total, self._step_started = label, total, time.perf_counter()
        self._last_print = self._step_started

    def progress(self, done: int):
        """Called after each batch; prints at most about once a second, and at the end."""
        if self.out is None:
            return
        now = time.perf_counter()
        if done < self._step_total and now - self._last_print < PROGRESS_EVERY_SECONDS:
            return
        self._last_print = now
        elapsed = now - self._step_started
        rate = done / elapsed if elapsed else 0.0
        pct = 100 * done / self._step_total if self._step_total else 100
        print(f"  {self._step_label} {done:>9,}/{self._step_total:,} ({pct:5.1f}%)"
              f"  {elapsed:7.1f} 秒  {rate:9,.0f} 行/秒", file=self.out, flush=True)

    def cached(self, key: str, load: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def forget(self, key: str):
        self._cache.pop(key, None)

    def industries(self) -> dict[str, object]:
        """Active GB/T 4754 sections from the seeded ``industry`` lookup, by code."""
        from zhonglou_hrss.core.models import LookupEntry, LookupKind

        def load():
            found = {e.code: e for e in LookupEntry.objects.of(LookupKind.INDUSTRY).selectable()}
            if not found:
                raise RuntimeError("字典“所属行业”为空：请先运行 manage.py sync_fixtures")
            return found

        return self.cached("industries", load)

    def street_grids(self) -> list:
        from zhonglou_hrss.core.models import Grid

        def load():
            grids = list(Grid.objects.selectable().street_level())
            if not grids:
                raise RuntimeError("没有有效的街道/镇网格：请先运行 manage.py sync_fixtures")
            return grids

        return self.cached("street_grids", load)

    def role_groups(self) -> dict[str, object]:
        from zhonglou_hrss.core.fixtures_sync import role_group

        return self.cached("role_groups", lambda: {code: role_group(code) for code, _ in USER_ROLE_WEIGHTS})

    def enterprise_ids(self) -> list[int]:
        """For later steps (cases, petitions): every enterprise's primary key."""
        from zhonglou_hrss.core.models import Enterprise

        return self.cached("enterprise_ids", lambda: list(Enterprise.objects.values_list("pk", flat=True)))


def batches(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        n = min(size, total - done)
        yield n
        done += n


def gen_enterprises(ctx: Context, count: int) -> int:
    from django.db import transaction
    from zhonglou_hrss.core.models import Enterprise

    rng = ctx.rng
    industries = ctx.industries()
    sections = [(code, w) for code, w in INDUSTRY_WEIGHTS.items() if code in industries]
    # 个体工商户 only come from the shop / eatery / repair sections: raise their
    # share there so that overall they are SOLE_TRADER_SHARE of the rows.
    shop_weight = sum(w for code, w in sections if code in SOLE_TRADER_KINDS)
    all_weight = sum(w for _, w in sections)
    sole_share_in_section = min(1.0, SOLE_TRADER_SHARE * all_weight / shop_weight) if shop_weight else 0.0
    # Codes must be unique: remember those already in the database.
    used_codes = set(Enterprise.objects.exclude(uscc=None).values_list("uscc", flat=True))
    used_names = set(Enterprise.objects.values_list("name", flat=True))
    done = 0
    for n in batches(count, ctx.batch_size):
        rows = []
        for _ in range(n):
            section = weighted(rng, sections)
            sole = section in SOLE_TRADER_KINDS and rng.random() < sole_share_in_section
            prefix = "92320404" if sole else "91320404"
            code = make_uscc(rng, prefix)
            while code in used_codes:
                code = make_uscc(rng, prefix)
            used_codes.add(code)
            for _attempt in range(20):  # registered names are unique; retry, then accept a twin
                if sole:
                    name = f"钟楼区{make_trade_name(rng)}{rng.choice(SOLE_TRADER_KINDS[section])}"
                else:
                    name = make_company_name(rng, section)
                if name not in used_names:
                    break
            used_names.add(name)
            rows.append(Enterprise(uscc=code, uscc_checksum_ok=True, name=name,
                                   industry=industries[section], address=make_address(rng)))
        if ctx.with_history:
            from simple_history.utils import bulk_create_with_history

            with transaction.atomic():
                bulk_create_with_history(rows, Enterprise, batch_size=n, default_change_reason="基准测试数据")
        else:
            Enterprise.objects.bulk_create(rows, batch_size=n)
        done += n
        ctx.progress(done)
    ctx.forget("enterprise_ids")
    return done


def gen_users(ctx: Context, count: int) -> int:
    from django.db import transaction
    from zhonglou_hrss.core.models import User

    rng = ctx.rng
    grids = ctx.street_grids()
    groups = ctx.role_groups()
    taken = set(User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", flat=True))
    used_mobiles: set[str] = set()
    group_link = User.groups.through
    grid_link = User.grids.through
    serial = 0
    done = 0
    for n in batches(count, ctx.batch_size):
        users, roles, user_grids = [], [], []
        for _ in range(n):
            serial += 1
            while f"{USERNAME_PREFIX}{serial:06d}" in taken:
                serial += 1
            mobile = make_mobile(rng)
            while mobile in used_mobiles:
                mobile = make_mobile(rng)
            used_mobiles.add(mobile)
            user = User(username=f"{USERNAME_PREFIX}{serial:06d}", name=make_person_name(rng), mobile=mobile,
                        is_active=rng.random() >= INACTIVE_USER_SHARE)
            user.set_unusable_password()  # generated accounts can never sign in
            role = weighted(rng, USER_ROLE_WEIGHTS)
            bound = rng.sample(grids, 2 if rng.random() < SECOND_GRID_SHARE else 1) if role == "grid_worker" else []
            users.append(user)
            roles.append(role)
            user_grids.append(bound)
        with transaction.atomic():
            # bulk_create runs each field's pre_save: PIIField normalises the
            # mobile (stored encrypted) and mobile_hash is computed from it.
            User.objects.bulk_create(users, batch_size=n)
            if any(u.pk is None for u in users):  # a backend without RETURNING
                pks = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk"))
                for u in users:
                    u.pk = pks[u.username]
            group_rows = [group_link(user_id=u.pk, group_id=groups[r].pk)
                          for u, r in zip(users, roles, strict=True)]
            grid_rows = [grid_link(user_id=u.pk, grid_id=g.pk)
                         for u, gs in zip(users, user_grids, strict=True) for g in gs]
            group_link.objects.bulk_create(group_rows, batch_size=ctx.batch_size)
            grid_link.objects.bulk_create(grid_rows, batch_size=ctx.batch_size)
        done += n
        ctx.progress(done)
    return done


@dataclass(frozen=True)
class Step:
    name: str  # the count's keyword and the --option
    label: str
    run: Callable[[Context, int], int]


STEPS = [
    Step("enterprises", "企业", gen_enterprises),
    Step("users", "用户", gen_users),
]


def generate(*, seed: int = 1, batch_size: int = DEFAULT_BATCH_SIZE, with_history: bool = False,
             out: TextIO | None = None, **counts: int) -> Report:
    """Create ``counts[step]`` rows for each step (enterprises=…, users=…).

    Django must be set up and the base fixtures synced. ``out`` receives the
    progress lines (None: quiet)."""
    unknown = set(counts) - {s.name for s in STEPS}
    if unknown:
        raise TypeError(f"unknown step(s): {', '.join(sorted(unknown))}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ctx = Context(seed=seed, batch_size=batch_size, out=out, with_history=with_history)
    report = Report()
    for step in STEPS:
        count = counts.get(step.name, 0)
        if count <= 0:
            continue
        ctx.begin(step.name, step.label, count)
        started, cpu_started = time.perf_counter(), time.process_time()
        rows = step.run(ctx, count)
        result = StepResult(step.name, step.label, rows, time.perf_counter() - started,
                            time.process_time() - cpu_started)
        report.steps.append(result)
        if out is not None:
            print(f"{step.label}：{rows:,} 行，{result.seconds:.1f} 秒（CPU {result.cpu_seconds:.1f} 秒），"
                  f"{result.rate:,.0f} 行/秒", file=out, flush=True)
    return report


# --- command line ------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/generate.py",
        description="向站点数据库写入生成的基准测试数据（仅限演示站点）。ZHONGLOU_SITE 选择站点。",
    )
    for step in STEPS:
        parser.add_argument(f"--{step.name}", type=int, default=0, metavar="N", help=f"生成 N 条{step.label}")
    parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）：同一种子、空库，生成的数据相同")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="每批写入行数（默认 1000）")
    parser.add_argument("--with-history", action="store_true", help="同时为企业写入变更记录（simple_history）")
    parser.add_argument("--force", action="store_true", help="站点不是演示站点也写入（慎用：数据不可区分地混入）")
    args = parser.parse_args(argv)
    if not any(getattr(args, s.name) > 0 for s in STEPS):
        parser.error("请至少给出一个数量，例如 --enterprises 10000 --users 500")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection

    site = settings.SITE
    if not site.is_demo and not args.force:
        print(f"错误：站点 {site.name} 不是演示站点（site_config.toml 中 demo = false），拒绝写入基准测试数据。"
              f"如确需写入，请加 --force。", file=sys.stderr)
        return 2
    counts = {s.name: getattr(args, s.name) for s in STEPS}
    print(f"站点 {site.name}（{connection.vendor}，{connection.settings_dict['NAME']}），种子 {args.seed}，"
          f"每批 {args.batch_size} 行：" + "，".join(f"{s.label} {counts[s.name]:,}" for s in STEPS if counts[s.name]),
          flush=True)
    report = generate(seed=args.seed, batch_size=args.batch_size, with_history=args.with_history,
                      out=sys.stdout, **counts)
    print(f"合计：{report.rows:,} 行，{report.seconds:.1f} 秒（CPU {report.cpu_seconds:.1f} 秒），"
          f"{report.rate:,.0f} 行/秒", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
