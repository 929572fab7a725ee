#!/usr/bin/env python
"""Fill a site's database with realistic generated data, for benchmarks.

    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/generate.py --enterprises 10000 --users 500 [--seed 1]
    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/generate.py --cases 1000000 [--jobs 2]
    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/generate.py --petitions 200000

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

Cases (``--cases``) need grid workers for every street grid, clerks, a leader,
inspectors (``manage.py load_demo`` or ``--users``) and enterprises: each case
is played through the workflow table up to now and written as the services
would have written it (see ``CaseFactory``); ``--jobs N`` builds its batches in
N processes, with the same data as one. Petitions (``--petitions``) need a
district clerk and enterprises, and are written as ``save_petition`` would
(see ``PetitionFactory``).

Tests import ``generate`` (tests/core/test_bench_generator.py,
tests/benchmarks/test_generated_cases.py, tests/benchmarks/test_generated_petitions.py); nothing here
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
    related_rows: int = 0  # rows of other tables written with them (a case's rounds, events …)

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

    def __init__(self, *, seed: int, batch_size: int, out: TextIO | None, with_history: bool, jobs: int = 1):
        self.seed = seed
        self.batch_size = batch_size
        self.jobs = jobs
        self.out = out
        self.with_history = with_history
        self.rng = random.Random(seed)
        self.related_rows = 0
        self._cache: dict[str, object] = {}
        self._step_label = ""
        self._step_total = 0
        self._step_started = 0.0
        self._last_print = 0.0

    def begin(self, name: str, label: str, total: int):
        self.rng = random.Random(f"{self.seed}:{name}")  # independent per step
        self.related_rows = 0
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


# --- cases (快办事件) -------------------------------------------------------------------
# Each case is registered at a random moment since CASE_FIRST_YEAR (later years
# busier), gets a "story" — the workflow actions it will go through, with a delay
# before each — and is played forward up to now: recent cases stop part-way
# (open), old ones are finished, a few got stuck long ago. The rows are those the
# services would have written: the case with its final fields, the grid rounds,
# the inspector assignments, the companions and one event per step.
CASE_FIRST_YEAR = 2021
CASE_YEAR_GROWTH = 1.25  # each year ~25 % more cases than the one before
CASE_WEEKEND_SHARE = 0.35  # relative to a weekday
CASE_STALL_SHARE = 0.004  # cases whose story stops for good at a random step (old open cases)
CASE_DISTRICT_SHARE = 0.03  # internal registrations sent straight to the leader (区本级)
CASE_COMPANION_SHARE = 0.2
CASE_PUBLIC_SHARE = [(2023, 0.10), (2025, 0.30), (9999, 0.45)]  # (up to year, share of 群众扫码登记)
CASE_USCC_AT_REGISTRATION = {"internal": 0.75, "public": 0.4}
CASE_REASON_WEIGHTS = {"wage_arrears": 45, "social_insurance": 12, "no_written_contract": 10,
                       "unlawful_termination": 10, "excessive_overtime": 5, "work_injury": 4, "minimum_wage": 3,
                       "rest_and_leave": 3, "dispatch_violation": 2, "female_minor_protection": 1,
                       "child_labour": 0.3, "other": 5}
CASE_CHANNEL_WEIGHTS = {"walk_in": 30, "hotline_12345": 30, "phone": 20, "online": 8, "letter": 5,
                        "assigned_by_superior": 4, "other": 3}
RESOLUTION_WAY_WEIGHTS = {"mediation": 50, "employer_paid": 30, "rectification_order": 12,
                          "arbitration_referral": 5, "other": 3}
CASE_DEMANDS = {
    "wage_arrears": ["要求支付{y}年{m}月至{m2}月拖欠的工资{amount}元", "要求结清拖欠的{n}个月工资",
                     "项目完工后工资{amount}元至今未付，要求支付", "离职后剩余工资{amount}元未结清"],
    "social_insurance": ["要求补缴{y}年以来的社会保险", "单位未依法缴纳社会保险，要求补缴", "要求补缴{n}个月养老保险"],
    "no_written_contract": ["入职{n}个月未签订书面劳动合同，要求支付二倍工资差额", "要求签订书面劳动合同"],
    "unlawful_termination": ["被单位无故辞退，要求支付经济补偿{amount}元", "要求支付违法解除劳动合同赔偿金"],
    "excessive_overtime": ["每天工作超过{n}小时，要求支付加班费", "要求支付{y}年度加班工资"],
    "work_injury": ["工伤后单位拒不支付停工留薪期工资", "要求单位申报工伤并支付医疗费"],
    "minimum_wage": ["工资低于本市最低工资标准，要求补足差额"],
    "rest_and_leave": ["要求支付未休年休假工资", "单位连续{n}周未安排休息"],
    "dispatch_violation": ["劳务派遣单位拖欠工资，要求用工单位承担连带责任"],
    "female_minor_protection": ["怀孕期间被降低工资，要求补发"],
    "child_labour": ["反映该单位使用未满十六周岁人员"],
    "other": ["要求退还押金{amount}元", "要求单位出具离职证明", "反映单位扣押身份证"],
}
GRID_RESOLVE_NOTES = ["经调解双方达成一致，企业当场支付", "企业已按约定分期支付", "经协商达成和解协议", "企业补发工资，劳动者确认"]
GRID_FAIL_NOTES = ["企业负责人拒不到场，调解失败", "双方金额分歧较大，调解不成", "企业已停业，负责人联系不上", "企业否认存在劳动关系"]
GRID_RETURN_REASONS = ["企业注册地与经营地均不在本网格", "上报人填写网格有误，企业位于其他街道", "非本网格辖区企业"]
TRIAGE_INVALID_REASONS = ["重复投诉，已合并处理", "上报人撤回投诉", "不属于劳动保障监察受理范围", "上报人联系不上，无法核实"]
LEADER_RETURN_REASONS = ["本人近期外出培训，请改派", "与被投诉企业存在利害关系，申请回避", "案件量已满，请改派"]
HANDLING_NOTES = ["责令企业限期支付拖欠工资", "企业已全额支付，劳动者签字确认", "责令补缴社会保险", "责令改正并支付二倍工资差额"]
# 身份证号 area codes of complainants (钟楼 and Changzhou first; many migrant workers).
ID_AREAS = [("320404", 25), ("320402", 5), ("320411", 5), ("320412", 5), ("320481", 3), ("320922", 3),
            ("321281", 3), ("340322", 6), ("341221", 5), ("342401", 4), ("411381", 5), ("412723", 5),
            ("510722", 4), ("513030", 3), ("522127", 3), ("362330", 3), ("430524", 3), ("370828", 3)]
# (median days, spread) of the wait before each action (log-normal). Grid
# handling takes about a week; one in ten runs past the 15 overdue days.
ACTION_DELAYS = {
    "grid_accept": (0.3, 1.0), "grid_resolve": (6, 0.7), "grid_fail": (8, 0.6), "grid_return": (1.5, 0.8),
    "triage_invalid": (1, 0.8), "triage_regrid": (1, 0.8), "triage_escalate": (1, 0.8), "assign": (1, 0.8),
    "claim": (0.5, 0.8), "return_to_leader": (1, 0.8), "record_filing": (3, 0.7), "record_investigation": (7, 0.7),
    "record_handling": (15, 0.6), "record_penalty_decision": (10, 0.6), "close": (2, 0.8),
    "record_execution": (20, 0.7),
}
INSPECTION = "…inspection"  # expanded per case: milestones, handling, (penalty), close, (execution)
# (weight, story) for cases registered to a street grid; weights are per mille of them.
STREET_STORIES = [
    (560, ["grid_accept", "grid_resolve"]),
    (20, ["grid_return", "triage_regrid", "grid_accept", "grid_resolve"]),
    (12, ["grid_accept", "grid_return", "triage_regrid", "grid_accept", "grid_resolve"]),
    (15, ["grid_accept", "grid_fail", "triage_regrid", "grid_accept", "grid_resolve"]),
    (35, ["grid_accept", "grid_fail", "triage_invalid"]),
    (25, ["grid_return", "triage_invalid"]),
    (10, ["grid_accept", "grid_return", "triage_invalid"]),
    (130, ["grid_accept", "grid_fail", "triage_escalate", "assign", "claim", INSPECTION]),
    (45, ["grid_return", "triage_escalate", "assign", "claim", INSPECTION]),
    (15, ["grid_accept", "grid_fail", "triage_escalate", "assign", "return_to_leader", "assign", "claim",
          INSPECTION]),
    (10, ["grid_accept", "grid_fail", "triage_escalate", "assign", "assign", "claim", INSPECTION]),
    (8, ["grid_return", "triage_regrid", "grid_return", "triage_escalate", "assign", "claim", INSPECTION]),
    (5, ["grid_accept", "grid_fail", "triage_regrid", "grid_accept", "grid_fail", "triage_escalate", "assign",
         "claim", INSPECTION]),
]
DISTRICT_STORIES = [
    (85, ["assign", "claim", INSPECTION]),
    (10, ["assign", "return_to_leader", "assign", "claim", INSPECTION]),
    (5, ["assign", "assign", "claim", INSPECTION]),
]


def make_id_number(rng: random.Random) -> str:
    """A checksum-valid 18-digit 身份证号 of an adult born 1962–2004."""
    from zhonglou_hrss.core.validators import id_number_check_char

    born = rng.randint(1962, 2004)
    month = rng.randint(1, 12)
    day = rng.randint(1, 30 if month != 2 else 28)
    if month in (4, 6, 9, 11):
        day = min(day, 30)
    body = f"{weighted(rng, ID_AREAS)}{born}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
    return body + id_number_check_char(body)


def make_demand(rng: random.Random, reason: str, year: int) -> str:
    template = rng.choice(CASE_DEMANDS.get(reason) or CASE_DEMANDS["other"])
    month = rng.randint(1, 10)
    return template.format(y=year - rng.randint(0, 1), m=month, m2=month + rng.randint(1, 2), n=rng.randint(2, 12),
                           amount=rng.randint(8, 600) * 100)


def users_with_perm(perm: str) -> list:
    """Active users holding ``perm`` through a role or directly (not superusers
    for nothing): the generator acts as the people the workflow allows."""
    from django.db.models import Q
    from zhonglou_hrss.core.models import User

    app_label, codename = perm.split(".")
    q = (Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
         | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label))
    return list(User.objects.filter(q, is_active=True).distinct().order_by("pk"))


def case_timestamps(rng: random.Random, count: int, now_ts: float, tz) -> list[float]:
    """``count`` registration moments (epoch seconds, sorted) from CASE_FIRST_YEAR
    to now: later years busier, weekdays and office hours busiest."""
    import datetime as dt

    last_year = dt.datetime.fromtimestamp(now_ts, tz).year
    spans, weights = [], []
    for year in range(CASE_FIRST_YEAR, last_year + 1):
        start = dt.datetime(year, 1, 1, tzinfo=tz).timestamp()
        end = min(dt.datetime(year + 1, 1, 1, tzinfo=tz).timestamp(), now_ts)
        if end <= start:
            continue
        spans.append((start, end))
        weights.append(CASE_YEAR_GROWTH ** (year - CASE_FIRST_YEAR) * (end - start))
    out = []
    day = 86400.0
    while len(out) < count:
        start, end = rng.choices(spans, weights=weights, k=1)[0]
        midnight = start + day * rng.randrange(max(1, int((end - start) // day) + 1))
        local = dt.datetime.fromtimestamp(midnight + 12 * 3600, tz)
        if local.weekday() >= 5 and rng.random() > CASE_WEEKEND_SHARE:
            continue
        # Midnight in local time (DST-free zone assumed: Asia/Shanghai), office hours mostly.
        seconds = rng.uniform(8 * 3600, 18 * 3600) if rng.random() < 0.85 else rng.uniform(0, day)
        moment = midnight + seconds
        if moment <= now_ts:
            out.append(moment)
    out.sort()
    return out


class CaseFactory:
    """Builds one case and its rows as the services would have written them."""

    def __init__(self, ctx: Context, now):
        from django.db.models import Max
        from zhonglou_hrss.core.models import Enterprise, Grid, LookupEntry, LookupKind, User
        from zhonglou_hrss.kuaiban.models import (
            Case,
            CaseCompanion,
            CaseEvent,
            CaseNumberSequence,
            GridRound,
            InspectorAssignment,
        )
        from zhonglou_hrss.kuaiban.services.events import to_json
        from zhonglou_hrss.kuaiban.workflow import ACTIONS, GRID, INSPECT, TRIAGE

        self.rng = ctx.rng
        self.now = now
        self.to_json = to_json
        self.actions = ACTIONS
        self.models = (Case, CaseCompanion, CaseEvent, GridRound, InspectorAssignment)
        self.street_grids = ctx.street_grids()
        self.district_grid = Grid.objects.selectable().filter(kind=Grid.Kind.DISTRICT).first()
        lookups = {kind: {e.code: e for e in LookupEntry.objects.of(kind).selectable()}
                   for kind in (LookupKind.CASE_REASON, LookupKind.CHANNEL, LookupKind.RESOLUTION_WAY)}
        self.reasons = [(e, CASE_REASON_WEIGHTS.get(code, 1)) for code, e in lookups[LookupKind.CASE_REASON].items()]
        channels = lookups[LookupKind.CHANNEL]
        self.public_channel = channels.get("qr_public")
        self.channels = [(e, CASE_CHANNEL_WEIGHTS.get(code, 1)) for code, e in channels.items() if code != "qr_public"]
        self.ways = [(e, RESOLUTION_WAY_WEIGHTS.get(code, 1))
                     for code, e in lookups[LookupKind.RESOLUTION_WAY].items()]
        self._reasons = _cumulative([(w, e) for e, w in self.reasons])
        self._channels = _cumulative([(w, e) for e, w in self.channels])
        self._ways = _cumulative([(w, e) for e, w in self.ways])
        # Grids are not equally busy; the weights are drawn once per run.
        self.grid_weights = [(g, self.rng.uniform(0.5, 1.6)) for g in self.street_grids]
        self._grids = _cumulative([(w, g) for g, w in self.grid_weights])
        self._grids_but = {g.pk: _cumulative([(w, o) for o, w in self.grid_weights if o.pk != g.pk]
                                             or [(w, o) for o, w in self.grid_weights])
                           for g in self.street_grids}

        workers = users_with_perm(GRID)
        grid_link = User.grids.through
        by_user = {u.pk: u for u in workers}
        self.grid_workers: dict[int, list] = {g.pk: [] for g in self.street_grids}
        for user_id, grid_id in grid_link.objects.filter(user_id__in=list(by_user)).values_list("user_id",
                                                                                                "grid_id"):
            if grid_id in self.grid_workers:
                self.grid_workers[grid_id].append(by_user[user_id])
        self.registrars = users_with_perm("kuaiban.register_case")
        self.triagers = users_with_perm(TRIAGE)
        self.leaders = users_with_perm("kuaiban.assign_case")
        self.inspectors = users_with_perm(INSPECT)
        missing = [label for label, found in (
            ("每个街道/镇网格的网格员", all(self.grid_workers.values())), ("区后勤人员（登记、研判）",
                                                                        self.registrars and self.triagers),
            ("领导", self.leaders), ("监察员", self.inspectors), ("案由、来源渠道、成功方式字典",
                                                                  self.reasons and self.channels and self.ways),
            ("区本级网格", self.district_grid), ("群众扫码登记渠道", self.public_channel)) if not found]
        if missing:
            raise RuntimeError("生成快办事件需要：" + "、".join(missing)
                               + "。请先运行 manage.py sync_fixtures 和 manage.py load_demo（或 --users）")
        # Respondents come from the enterprise registry; a few employers draw many complaints.
        self.enterprises = list(Enterprise.objects.exclude(uscc=None).exclude(uscc="")
                                .order_by("pk").values_list("pk", "uscc", "name"))
        if not self.enterprises:
            raise RuntimeError("生成快办事件需要企业库中的企业：请先运行 --enterprises N 或 manage.py load_demo")
        self.rng.shuffle(self.enterprises)
        self.street_stories = _cumulative(STREET_STORIES)  # (stories, cum_weights) for rng.choices
        self.district_stories = _cumulative(DISTRICT_STORIES)
        self.case_ids = (Case.objects.aggregate(top=Max("pk"))["top"] or 0) + 1  # first free case id
        self.sequences = dict(CaseNumberSequence.objects.values_list("year", "last"))

    def pick_grid(self, rng, other_than=None):
        return _pick(rng, self._grids if other_than is None else self._grids_but[other_than.pk])

    def pick_reason(self, rng):
        return _pick(rng, self._reasons)

    def pick_channel(self, rng):
        return _pick(rng, self._channels)

    def pick_way(self, rng):
        return _pick(rng, self._ways)

    def _delay(self, action: str):
        from datetime import timedelta

        median, spread = ACTION_DELAYS[action]
        days = self.rng.lognormvariate(0, spread) * median
        return timedelta(seconds=max(60.0, days * 86400))

    def _inspection(self, plan: dict) -> list[str]:
        rng = self.rng
        steps = []
        if rng.random() < 0.8:
            steps.append("record_filing")
        if rng.random() < 0.6:
            steps.append("record_investigation")
        steps.append("record_handling")
        plan["penalty"] = rng.random() < 0.15
        if plan["penalty"]:
            steps.append("record_penalty_decision")
        steps.append("close")
        if plan["penalty"] and rng.random() < 0.7:
            steps.append("record_execution")
        return steps

    @staticmethod
    def _name(user) -> str:
        return getattr(user, "display_name", "") or user.get_username()

    def build(self, case_id: int, number: str, created_at, year: int, rows: dict[str, list]):
        """Case ``number`` registered at ``created_at``, played forward to ``self.now``.

        Foreign keys are set by id (``grid_id=``…: much cheaper than model
        instances); the objects themselves go into the timeline payloads, which
        ``to_json`` renders as the services do."""
        import hashlib

        from zhonglou_hrss.core import pii
        from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus, GridOutcome
        from zhonglou_hrss.kuaiban.workflow import precondition_error

        Case, CaseCompanion, CaseEvent, GridRound, InspectorAssignment = self.models
        rng = self.rng
        public_share = next(share for up_to, share in CASE_PUBLIC_SHARE if year <= up_to)
        source = CaseSource.PUBLIC if rng.random() < public_share else CaseSource.INTERNAL
        to_leader = source == CaseSource.INTERNAL and rng.random() < CASE_DISTRICT_SHARE
        grid = self.district_grid if to_leader else self.pick_grid(rng)
        reason = self.pick_reason(rng)
        channel = self.public_channel if source == CaseSource.PUBLIC else self.pick_channel(rng)
        enterprise_pk, uscc, respondent_name = self.enterprises[int(len(self.enterprises) * rng.random() ** 2.5)]
        known_uscc = rng.random() < CASE_USCC_AT_REGISTRATION[source]
        registrar = None if source == CaseSource.PUBLIC else rng.choice(self.registrars)
        id_number = make_id_number(rng)
        demand = make_demand(rng, reason.code, year)
        photo = f"kuaiban/photos/{created_at:%Y}/{created_at:%m}/{rng.getrandbits(128):032x}.jpg" \
            if source == CaseSource.PUBLIC else ""
        key_parts = [pii.pii_hash(pii.ID_CARD, id_number), respondent_name.replace(" ", ""), reason.code, grid.code,
                     " ".join(demand.split())]
        case = Case(
            id=case_id, number=number,
            status=CaseStatus.AWAITING_ASSIGNMENT if to_leader else CaseStatus.GRID_PENDING,
            source=source, channel_id=channel.pk, reporter_name=make_person_name(rng), reporter_id_number=id_number,
            reporter_phone=make_mobile(rng), reporter_photo=photo, respondent_name=respondent_name,
            respondent_uscc=uscc if known_uscc else "", respondent_id=enterprise_pk if known_uscc else None,
            reason_id=reason.pk, demand=demand, grid_id=grid.pk,
            submission_key=hashlib.sha256("\x1f".join(key_parts).encode()).hexdigest(),
            registered_by_id=registrar.pk if registrar else None, created_at=created_at, updated_at=created_at,
        )
        rows["cases"].append(case)
        people = make_companions(rng, CASE_COMPANION_SHARE, CaseCompanion, case_id=case_id)
        rows["companions"].extend(people)
        companions = len(people)

        def event(action, actor, at, from_status, payload):
            rows["events"].append(CaseEvent(
                case_id=case_id, action=action, from_status=from_status, to_status=case.status,
                actor_id=actor.pk if actor is not None else None,
                actor_name=self._name(actor) if actor is not None else "群众", at=at,
                payload=self.to_json(payload)))

        event("register", registrar, created_at, "", {
            "source": CaseSource(source).label, "channel": channel.label, "grid": grid.name, "reason": reason.label,
            "respondent": respondent_name, "respondent_uscc": case.respondent_uscc, "companions": companions,
            "photo": bool(photo)})

        open_round = None
        round_worker = None
        if not to_leader:
            open_round = GridRound(case_id=case_id, grid_id=grid.pk, open_case_id=case_id, sent_at=created_at)
            round_worker = rng.choice(self.grid_workers[grid.pk])
            rows["rounds"].append(open_round)
        assignment = None
        inspector = None  # of the current assignment

        plan: dict = {}
        story = _pick(rng, self.district_stories if to_leader else self.street_stories)
        steps = []
        for step in story:
            steps.extend(self._inspection(plan) if step == INSPECTION else [step])
        if rng.random() < CASE_STALL_SHARE:
            steps = steps[:rng.randrange(len(steps))]

        t = created_at
        for action in steps:
            t = t + self._delay(action)
            if t > self.now:
                break
            spec = self.actions[action]
            if case.status not in spec.from_states or precondition_error(case, action):
                raise AssertionError(f"generator bug: {action} from {case.status}")
            from_status = case.status
            if spec.scope == "grid":
                actor = round_worker
            elif spec.scope == "assignee":
                actor = inspector
            elif action == "assign":
                actor = rng.choice(self.leaders)
            else:
                actor = rng.choice(self.triagers)
            payload: dict = {}
            if action == "grid_accept":
                open_round.accepted_at, open_round.accepted_by_id = t, actor.pk
                case.grid_accepted_at = t
                payload = {"grid": grid}
            elif action in ("grid_resolve", "grid_fail", "grid_return"):
                open_round.outcome_at, open_round.outcome_by_id, open_round.open_case_id = t, actor.pk, None
                case.grid_accepted_at = None
                if action == "grid_resolve":
                    way = self.pick_way(rng)
                    open_round.outcome = GridOutcome.SUCCESS
                    open_round.resolution_way_id = way.pk
                    open_round.amount = _decimal(rng.randint(5, 500) * 100)
                    open_round.notes = rng.choice(GRID_RESOLVE_NOTES)
                    payload = {"grid": grid, "resolution_way": way, "amount": open_round.amount,
                               "notes": open_round.notes}
                elif action == "grid_fail":
                    open_round.outcome = GridOutcome.FAILED
                    open_round.notes = rng.choice(GRID_FAIL_NOTES)
                    payload = {"grid": grid, "notes": open_round.notes}
                else:
                    open_round.outcome = GridOutcome.RETURNED
                    open_round.return_reason = rng.choice(GRID_RETURN_REASONS)
                    payload = {"grid": grid, "reason": open_round.return_reason}
                open_round = None
            elif action == "triage_invalid":
                case.ended_reason = rng.choice(TRIAGE_INVALID_REASONS)
                case.closed_at = t
                payload = {"reason": case.ended_reason}
            elif action == "triage_regrid":
                grid = self.pick_grid(rng, other_than=grid)
                case.grid_id = grid.pk
                open_round = GridRound(case_id=case_id, grid_id=grid.pk, open_case_id=case_id, sent_at=t)
                round_worker = rng.choice(self.grid_workers[grid.pk])
                rows["rounds"].append(open_round)
                payload = {"grid": grid}
            elif action == "assign":
                choices = [u for u in self.inspectors if inspector is None or u.pk != inspector.pk]
                if not choices:  # one inspector only: a reassignment cannot happen
                    continue
                new_inspector = rng.choice(choices)
                payload = {"inspector": new_inspector}
                if assignment is not None:
                    assignment.superseded_at, assignment.open_case_id = t, None
                    payload["previous_inspector"] = inspector
                inspector = new_inspector
                assignment = InspectorAssignment(case_id=case_id, inspector_id=inspector.pk, open_case_id=case_id,
                                                 assigned_at=t, assigned_by_id=actor.pk)
                rows["assignments"].append(assignment)
            elif action == "claim":
                assignment.claimed_at = t
            elif action == "return_to_leader":
                assignment.returned_at, assignment.open_case_id = t, None
                assignment.return_reason = rng.choice(LEADER_RETURN_REASONS)
                payload = {"reason": assignment.return_reason}
                assignment = inspector = None
            elif action == "record_filing":
                case.filed_at = t
                payload = {"at": t}
            elif action == "record_investigation":
                case.investigated_at = t
                payload = {"at": t}
            elif action == "record_handling":
                if not case.respondent_uscc:  # the inspector completes it (R-KB-12)
                    case.respondent_uscc, case.respondent_id = uscc, enterprise_pk
                # 归属网格: the case's street grid, or another one (区本级 cases, a few corrections).
                attributed = self.pick_grid(rng) if to_leader or rng.random() < 0.05 else grid
                case.attributed_grid_id = attributed.pk
                case.handled_at = t
                case.handling_amount = _decimal(rng.randint(10, 800) * 100)
                case.handling_notes = rng.choice(HANDLING_NOTES)
                case.penalty_required = plan.get("penalty", False)
                payload = {"at": t, "amount": case.handling_amount, "notes": case.handling_notes,
                           "respondent_uscc": case.respondent_uscc, "attributed_grid": attributed,
                           "penalty_required": "是" if case.penalty_required else "否"}
            elif action == "record_penalty_decision":
                case.penalty_decided_at, case.penalty_required = t, True
                payload = {"at": t}
            elif action == "close":
                case.closed_at = t
            elif action == "record_execution":
                name = "executed_at" if rng.random() < 0.8 else "enforcement_applied_at"
                setattr(case, name, t)
                payload = {name: t}
            if spec.to_state is not None:
                case.status = spec.to_state
            case.updated_at = t
            event(action, actor, t, from_status, payload)
        return case


def _cumulative(pairs):
    """[(weight, value)…] → (values, cum_weights), the fast form of ``rng.choices``."""
    import itertools

    return [v for _, v in pairs], list(itertools.accumulate(w for w, _ in pairs))


def _pick(rng, table):
    values, cum_weights = table
    return rng.choices(values, cum_weights=cum_weights)[0]


COMPANION_COUNTS = [1, 2, 3, 4, 5, 0]  # 0: a group of 6–15
COMPANION_CUM_WEIGHTS = [50, 75, 85, 91, 95, 100]


def make_companions(rng: random.Random, share: float, model, **owner) -> list:
    """同行人员 of one complaint (case or petition): none for most, one or two
    often, now and then a group of 6–15; seven in ten give a phone number."""
    if rng.random() >= share:
        return []
    count = rng.choices(COMPANION_COUNTS, cum_weights=COMPANION_CUM_WEIGHTS)[0] or rng.randint(6, 15)
    return [model(**owner, name=make_person_name(rng), id_number=make_id_number(rng),
                  phone=make_mobile(rng) if rng.random() < 0.7 else "", order=order) for order in range(count)]


def _decimal(value):
    from decimal import Decimal

    return Decimal(value).quantize(Decimal("0.01"))


class _updated_at_as_given:
    """``updated_at`` (of a case, a petition) is ``auto_now``: bulk_create would
    stamp every row with the moment of generation. Within this block it keeps
    the value we set (the record's last change), as it had when that change was
    saved."""

    def __init__(self, model=None):
        self.model = model

    def __enter__(self):
        from zhonglou_hrss.kuaiban.models import Case

        self.field = (self.model or Case)._meta.get_field("updated_at")
        self.field.auto_now = False

    def __exit__(self, *exc):
        self.field.auto_now = True


def insert_rows(model, objs: list, batch_size: int) -> None:
    """INSERT ``objs`` (primary keys left to the database) with the values
    Django would write — each field's ``get_db_prep_save`` — in multi-row
    ``executemany`` statements, without bulk_create's per-value SQL compiler
    (half of its cost). Only for models whose fields have no save-time logic
    (no PII field, no auto_now): the case and companion rows, which carry
    personal data, go through bulk_create and its pre_save."""
    from django.db import connection
    from django.db.models import DateField, Field

    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or not (
                type(f).pre_save is Field.pre_save or isinstance(f, DateField)):
            raise TypeError(f"insert_rows: {model.__name__}.{f.name} has save-time logic; use bulk_create")
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    preps = [(f.attname, f.get_db_prep_save) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            cursor.executemany(sql, [[prep(getattr(obj, name), connection) for name, prep in preps]
                                     for obj in objs[start:start + batch_size]])


@dataclass
class CasePlan:
    """Everything decided before the first row is written, so that batches can
    be built in any order (and by several processes) and still give the same
    data: the registration moments (sorted), their local years, the first case
    id and, per batch, the next serial number of each year."""

    factory: CaseFactory
    moments: list[float]
    years: list[int]
    first_id: int
    batch_size: int
    seed: int
    batch_serials: list[dict[int, int]]

    @property
    def batch_count(self) -> int:
        return len(self.batch_serials)


def plan_cases(ctx: Context, count: int) -> CasePlan:
    import datetime as dt

    from django.utils import timezone
    from zhonglou_hrss.core import clock
    from zhonglou_hrss.kuaiban.models import CaseNumberSequence

    now = clock.now()
    tz = timezone.get_current_timezone()
    factory = CaseFactory(ctx, now)
    moments = case_timestamps(ctx.rng, count, now.timestamp(), tz)
    years = [dt.datetime.fromtimestamp(ts, tz).year for ts in moments]
    serials = dict(factory.sequences)
    batch_serials = []
    for start in range(0, count, ctx.batch_size):
        batch_serials.append({y: serials.get(y, 0) + 1 for y in set(years[start:start + ctx.batch_size])})
        for y in years[start:start + ctx.batch_size]:
            serials[y] = serials.get(y, 0) + 1
    for year in sorted(set(years)):  # every year's counter exists; batches only ever raise it
        CaseNumberSequence.objects.get_or_create(year=year, defaults={"last": 0})
    return CasePlan(factory, moments, years, factory.case_ids, ctx.batch_size, ctx.seed, batch_serials)


def write_case_batch(plan: CasePlan, index: int) -> tuple[int, int]:
    """Build and write batch ``index`` in one transaction; return (cases, other rows)."""
    import datetime as dt

    from django.db import transaction
    from zhonglou_hrss.kuaiban.models import CaseNumberSequence

    factory = plan.factory
    factory.rng = random.Random(f"{plan.seed}:cases:{index}")  # the batch's own stream: order-independent
    Case, CaseCompanion, CaseEvent, GridRound, InspectorAssignment = factory.models
    rows: dict[str, list] = {"cases": [], "companions": [], "rounds": [], "assignments": [], "events": []}
    start = index * plan.batch_size
    serials = dict(plan.batch_serials[index])
    for offset, ts in enumerate(plan.moments[start:start + plan.batch_size]):
        year = plan.years[start + offset]
        number = f"KB{year}-{serials[year]:06d}"
        serials[year] += 1
        factory.build(plan.first_id + start + offset, number, dt.datetime.fromtimestamp(ts, dt.timezone.utc), year,
                      rows)
    size = plan.batch_size
    with _updated_at_as_given(), transaction.atomic():
        Case.objects.bulk_create(rows["cases"], batch_size=size)
        CaseCompanion.objects.bulk_create(rows["companions"], batch_size=size)
        insert_rows(GridRound, rows["rounds"], size)
        insert_rows(InspectorAssignment, rows["assignments"], size)
        insert_rows(CaseEvent, rows["events"], size)
        for year, following in serials.items():  # later registrations continue after the highest number
            CaseNumberSequence.objects.filter(year=year, last__lt=following - 1).update(last=following - 1)
    return len(rows["cases"]), sum(len(v) for k, v in rows.items() if k != "cases")


_POOL_PLAN: list[CasePlan] = []  # handed to forked workers


def _pool_write_case_batch(index: int) -> tuple[int, int]:
    return write_case_batch(_POOL_PLAN[0], index)


def gen_cases(ctx: Context, count: int) -> int:
    done = write_cases(ctx, count)
    count_cases()
    return done


def write_cases(ctx: Context, count: int) -> int:
    plan = plan_cases(ctx, count)
    done = 0
    if ctx.jobs <= 1:
        results = (write_case_batch(plan, i) for i in range(plan.batch_count))
        for cases, related in results:
            done += cases
            ctx.related_rows += related
            ctx.progress(done)
        return done
    # Several processes (fork: they inherit the plan); each opens its own connection.
    import multiprocessing

    from django.db import connections

    connections.close_all()
    _POOL_PLAN[:] = [plan]
    try:
        with multiprocessing.get_context("fork").Pool(ctx.jobs) as pool:
            for cases, related in pool.imap_unordered(_pool_write_case_batch, range(plan.batch_count)):
                done += cases
                ctx.related_rows += related
                ctx.progress(done)
            pool.close()
            pool.join()
    finally:
        _POOL_PLAN.clear()
    return done


def count_cases() -> None:
    """The figures' case counts, from the cases just written (the services
    keep them as they go; a bulk load recomputes them once)."""
    from zhonglou_hrss.kuaiban.services.case_counts import reconcile

    reconcile(log_differences=False)


# --- petitions (信访) ------------------------------------------------------------------
# Entered by district clerks on the day the petition arrives, with the same
# spread over the years as cases; most get a handling result (and its time)
# weeks later — recent ones are still open, a few old ones were never closed.
# The rows are those ``services.petitions.save_petition`` writes: the petition,
# its companions, a "create" history row and, when handled, an "update" row
# naming the result and time (never personal data).
PETITION_DISTRICT_SHARE = 0.12  # petitions filed under 区本级 rather than a street grid
PETITION_COMPANION_SHARE = 0.3
PETITION_USCC_SHARE = 0.7  # respondent's USCC known at entry
PETITION_NEVER_HANDLED_SHARE = 0.01
PETITION_HANDLING_DAYS = (18, 0.7)  # (median days, spread) until the result is entered
PETITION_RESULTS = ["已转网格调解，企业已支付拖欠工资", "已告知通过劳动仲裁途径解决", "经约谈企业负责人，已补缴社会保险",
                    "已转劳动保障监察立案处理", "已书面答复信访人，信访人表示满意", "经核实，反映情况不属实，已答复信访人",
                    "企业已签订书面劳动合同", "已协调企业分期支付，信访人同意"]


class PetitionFactory:
    """Builds one petition and its rows as ``save_petition`` would have written them."""

    def __init__(self, ctx: Context, now):
        from django.db.models import Max
        from zhonglou_hrss.core.models import Enterprise, Grid, LookupEntry, LookupKind
        from zhonglou_hrss.kuaiban.models import Petition
        from zhonglou_hrss.kuaiban.services.events import to_json
        from zhonglou_hrss.kuaiban.services.petitions import FIELD_LABELS

        self.now = now
        self.to_json = to_json
        self.labels = FIELD_LABELS
        reasons = LookupEntry.objects.of(LookupKind.CASE_REASON).selectable()
        self._reasons = _cumulative([(CASE_REASON_WEIGHTS.get(e.code, 1), e) for e in reasons])
        grids = ctx.street_grids()
        self.district_grid = Grid.objects.selectable().filter(kind=Grid.Kind.DISTRICT).first()
        self._grids = _cumulative([(1.0, g) for g in grids])
        self.clerks = users_with_perm("kuaiban.add_petition")
        self.enterprises = list(Enterprise.objects.exclude(uscc=None).exclude(uscc="")
                                .order_by("pk").values_list("pk", "uscc", "name"))
        missing = [label for label, found in (("区后勤人员（信访录入权限）", self.clerks), ("案由字典", reasons),
                                              ("区本级网格", self.district_grid), ("企业库中的企业", self.enterprises))
                   if not found]
        if missing:
            raise RuntimeError("生成信访记录需要：" + "、".join(missing)
                               + "。请先运行 manage.py sync_fixtures、manage.py load_demo 和 --enterprises N")
        random.Random(f"{ctx.seed}:petition-enterprises").shuffle(self.enterprises)
        self.first_id = (Petition.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        # Numbers continue each year's counter, as the service's do (moments come sorted).
        from zhonglou_hrss.core.models import NumberSequence

        self.serials = dict(NumberSequence.objects.filter(prefix="XF").values_list("year", "last"))

    def next_number(self, created_at) -> str:
        from django.utils import timezone

        year = timezone.localtime(created_at).year
        self.serials[year] = self.serials.get(year, 0) + 1
        return f"XF{year}-{self.serials[year]:06d}"

    def save_serials(self) -> None:
        from zhonglou_hrss.core.models import NumberSequence

        for year, last in self.serials.items():
            NumberSequence.objects.update_or_create(prefix="XF", year=year, defaults={"last": last})

    def build(self, rng: random.Random, petition_id: int, created_at, rows: dict[str, list]) -> None:
        from datetime import timedelta

        from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion, PetitionEvent

        grid = self.district_grid if rng.random() < PETITION_DISTRICT_SHARE else _pick(rng, self._grids)
        reason = _pick(rng, self._reasons)
        enterprise_pk, uscc, respondent_name = self.enterprises[int(len(self.enterprises) * rng.random() ** 2.5)]
        known_uscc = rng.random() < PETITION_USCC_SHARE
        clerk = rng.choice(self.clerks)
        clerk_name = getattr(clerk, "display_name", "") or clerk.get_username()
        handled_at = None
        if rng.random() >= PETITION_NEVER_HANDLED_SHARE:
            median, spread = PETITION_HANDLING_DAYS
            handled_at = created_at + timedelta(days=max(0.05, rng.lognormvariate(0, spread) * median))
            if handled_at > self.now:
                handled_at = None
        petition = Petition(
            id=petition_id, number=self.next_number(created_at), name=make_person_name(rng), id_number=make_id_number(rng), phone=make_mobile(rng),
            respondent_name=respondent_name, respondent_uscc=uscc if known_uscc else "",
            respondent_id=enterprise_pk if known_uscc else None, reason_id=reason.pk, grid_id=grid.pk,
            demand=make_demand(rng, reason.code, created_at.year), result=rng.choice(PETITION_RESULTS)
            if handled_at else "", handled_at=handled_at, registered_by_id=clerk.pk, created_at=created_at,
            updated_at=handled_at or created_at)
        rows["petitions"].append(petition)
        rows["companions"].extend(make_companions(rng, PETITION_COMPANION_SHARE, PetitionCompanion,
                                                  petition_id=petition_id))
        # The service's order: plain fields, then personal data (PLAIN_FIELDS, PII_FIELDS).
        entered = ["name", "respondent_name", *(["respondent_uscc"] if petition.respondent_uscc else []), "reason",
                   "grid", "demand", "id_number", "phone"]
        rows["events"].append(PetitionEvent(
            petition_id=petition_id, action="create", actor_id=clerk.pk, actor_name=clerk_name, at=created_at,
            changes={"fields": [self.labels[f] for f in entered]}))
        if handled_at:
            rows["events"].append(PetitionEvent(
                petition_id=petition_id, action="update", actor_id=clerk.pk, actor_name=clerk_name, at=handled_at,
                changes={self.labels["result"]: {"from": "", "to": petition.result},
                         self.labels["handled_at"]: {"from": "", "to": self.to_json(handled_at)}}))


def gen_petitions(ctx: Context, count: int) -> int:
    """``count`` petitions, in batches each with its own random stream (the
    same data whatever the batch order), one transaction per batch."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone
    from zhonglou_hrss.core import clock
    from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion, PetitionEvent

    now = clock.now()
    factory = PetitionFactory(ctx, now)
    moments = case_timestamps(ctx.rng, count, now.timestamp(), timezone.get_current_timezone())
    done = 0
    for index, start in enumerate(range(0, count, ctx.batch_size)):
        rng = random.Random(f"{ctx.seed}:petitions:{index}")
        rows: dict[str, list] = {"petitions": [], "companions": [], "events": []}
        for offset, ts in enumerate(moments[start:start + ctx.batch_size]):
            factory.build(rng, factory.first_id + start + offset, dt.datetime.fromtimestamp(ts, dt.timezone.utc),
                          rows)
        with _updated_at_as_given(Petition), transaction.atomic():
            Petition.objects.bulk_create(rows["petitions"], batch_size=ctx.batch_size)
            PetitionCompanion.objects.bulk_create(rows["companions"], batch_size=ctx.batch_size)
            insert_rows(PetitionEvent, rows["events"], ctx.batch_size)
            factory.save_serials()
        done += len(rows["petitions"])
        ctx.related_rows += len(rows["companions"]) + len(rows["events"])
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
    Step("cases", "快办事件", gen_cases),
    Step("petitions", "信访记录", gen_petitions),
]


def cpu_time() -> float:
    """This process's CPU time plus that of its finished worker processes (--jobs)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def generate(*, seed: int = 1, batch_size: int = DEFAULT_BATCH_SIZE, with_history: bool = False,
             out: TextIO | None = None, jobs: int = 1, **counts: int) -> Report:
    """Create ``counts[step]`` rows for each step (enterprises=…, users=…).

    Django must be set up and the base fixtures synced. ``out`` receives the
    progress lines (None: quiet)."""
    unknown = set(counts) - {s.name for s in STEPS}
    if unknown:
        raise TypeError(f"unknown step(s): {', '.join(sorted(unknown))}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ctx = Context(seed=seed, batch_size=batch_size, out=out, with_history=with_history, jobs=max(1, jobs))
    report = Report()
    for step in STEPS:
        count = counts.get(step.name, 0)
        if count <= 0:
            continue
        ctx.begin(step.name, step.label, count)
        started, cpu_started = time.perf_counter(), cpu_time()
        rows = step.run(ctx, count)
        result = StepResult(step.name, step.label, rows, time.perf_counter() - started,
                            cpu_time() - cpu_started, ctx.related_rows)
        report.steps.append(result)
        if out is not None:
            related = f"（另有关联行 {result.related_rows:,}）" if result.related_rows else ""
            print(f"{step.label}：{rows:,} 行{related}，{result.seconds:.1f} 秒（CPU {result.cpu_seconds:.1f} 秒），"
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
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="快办事件用 N 个进程并行生成（默认 1；数据与进程数无关）")
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
    jobs = f"，{args.jobs} 个进程" if args.jobs > 1 else ""
    print(f"站点 {site.name}（{connection.vendor}，{connection.settings_dict['NAME']}），种子 {args.seed}，"
          f"每批 {args.batch_size} 行{jobs}：" + "，".join(f"{s.label} {counts[s.name]:,}" for s in STEPS if counts[s.name]),
          flush=True)
    report = generate(seed=args.seed, batch_size=args.batch_size, with_history=args.with_history,
                      out=sys.stdout, jobs=args.jobs, **counts)
    print(f"合计：{report.rows:,} 行，{report.seconds:.1f} 秒（CPU {report.cpu_seconds:.1f} 秒），"
          f"{report.rate:,.0f} 行/秒", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
