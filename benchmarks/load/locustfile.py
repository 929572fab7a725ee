"""A working day of the desk and the public page, for locust (loopback only).

    .venv-bench/bin/locust -f benchmarks/load/locustfile.py --host http://127.0.0.1:8001 \
        --headless -u 50 -r 5 -t 5m --csv build/load/run

Desk users (the demo site's accounts: leaders, clerks, inspectors, grid
workers; password demo12345) sign in once, then with 2–5 s of thinking
between steps: open the desk home, their 待我处理 queue, the whole list, the
overdue list, a case page from their list, the one map and its figures, the
analysis; grid workers accept a pending case now and then (a real write
through the one transition door). Citizens open the public report page and
sometimes file a case (the site must be in captcha test mode and have its
per-address limits raised: see benchmarks/README.md).

``LOAD_THINK=0`` removes the think time (throughput runs); ``LOAD_PUBLIC``
sets the citizens' share of users (default 0.2). ``LOAD_STEADY=1`` starts the
statistics afresh once every user has been spawned and every desk user has
signed in: the run then reports the working day without the first minute's
sign-in storm (each sign-in is about half a second of PBKDF2 by design, and
fifty of them at once queue every other request); run without it to see the
storm too.
"""

from __future__ import annotations

import os
import random
import re

import gevent
from locust import HttpUser, between, constant, events, task

THINK = float(os.environ.get("LOAD_THINK", "1"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "demo12345")
PUBLIC_SHARE = float(os.environ.get("LOAD_PUBLIC", "0.2"))
STEADY = os.environ.get("LOAD_STEADY") == "1"
GRID_WORKERS = [f"grid_32040400{i}" for i in range(1, 8)] + ["grid_320404116"]
DESK_USERS = ["leader", "clerk", "inspector1", "inspector2", *GRID_WORKERS]
CASE_LINK = re.compile(r'href="(\d+)/"')
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_number(rng: random.Random) -> str:
    body = f"320404{rng.randint(1960, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


def wait():
    return between(2, 5) if THINK else constant(0)


class DeskUser(HttpUser):
    weight = max(1, round(100 * (1 - PUBLIC_SHARE)))
    wait_time = wait()

    def on_start(self):
        self.username = random.choice(DESK_USERS)
        self.client.get("/desk/login/", name="登录页")
        token = self.client.cookies.get("csrftoken", "")
        response = self.client.post("/desk/login/", {"username": self.username, "password": PASSWORD,
                                                     "csrfmiddlewaretoken": token, "next": "/desk/"},
                                    headers={"Referer": f"{self.host}/desk/login/"}, name="登录")
        if "/desk/login/" in response.url:
            raise RuntimeError(f"sign-in failed for {self.username}")
        self.case_ids: list[str] = []
        SIGNED_IN[0] += 1

    def _list(self, query: str, name: str):
        response = self.client.get(f"/desk/kuaiban/case/{query}", name=name)
        found = CASE_LINK.findall(response.text)
        if found:
            self.case_ids = found
        return found

    @task(3)
    def home(self):
        self.client.get("/desk/", name="工作台")

    @task(4)
    def queue(self):
        self._list("?queue=mine", "待我处理")

    @task(2)
    def whole_list(self):
        self._list("", "全部事件")

    @task(1)
    def overdue(self):
        self._list("?overdue=true", "超时事件")

    @task(4)
    def case_page(self):
        if not self.case_ids:
            self._list("", "全部事件")
        if self.case_ids:
            self.client.get(f"/desk/kuaiban/case/{random.choice(self.case_ids)}/", name="事件页")

    @task(1)
    def one_map(self):
        if self.username.startswith("inspector"):
            return  # inspectors see only their cases: no district figures
        self.client.get("/desk/kuaiban/stats/map/", name="一张图")
        self.client.get("/api/v1/kuaiban/stats/map/", name="一张图数据")

    @task(1)
    def analysis(self):
        if self.username.startswith("inspector"):
            return
        self.client.get("/api/v1/kuaiban/stats/analysis/", name="数据分析数据")

    @task(1)
    def accept_a_case(self):
        if not self.username.startswith("grid_"):
            return
        pending = self._list("?queue=mine&status__exact=grid_pending", "待接收")
        if not pending:
            return
        case_id = random.choice(pending)
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(f"/desk/kuaiban/case/{case_id}/act/grid_accept/", {"csrfmiddlewaretoken": token},
                         headers={"Referer": f"{self.host}/desk/kuaiban/case/{case_id}/"}, name="确认接收")


SIGNED_IN = [0]  # desk users signed in so far (one gevent loop: no lock needed)


@events.spawning_complete.add_listener
def _steady_statistics(user_count, **kwargs):
    """With LOAD_STEADY=1: reset the statistics when the last desk user has signed in."""
    if not STEADY:
        return
    environment = kwargs.get("environment") or _ENVIRONMENT[0]
    desk_users = environment.runner.user_classes_count.get(DeskUser.__name__, 0)

    def reset_when_signed_in():
        while SIGNED_IN[0] < desk_users:
            gevent.sleep(0.5)
        environment.runner.stats.reset_all()
        print(f"statistics reset: {SIGNED_IN[0]} desk users signed in", flush=True)

    gevent.spawn(reset_when_signed_in)


_ENVIRONMENT: list = [None]


@events.init.add_listener
def _remember_environment(environment, **kwargs):
    _ENVIRONMENT[0] = environment


class Citizen(HttpUser):
    weight = max(1, round(100 * PUBLIC_SHARE))
    wait_time = wait()

    def on_start(self):
        self.rng = random.Random()

    @task(5)
    def report_page(self):
        self.client.get("/kuaiban/report/?grid=320404001", name="群众登记页")

    @task(1)
    def file_a_case(self):
        page = self.client.get("/kuaiban/report/", name="群众登记页")
        key = re.search(r'name="captcha_0" value="([^"]+)"', page.text)
        token = self.client.cookies.get("csrftoken", "")
        n = self.rng.randint(1, 10**9)
        data = {"reporter_name": "张测试", "reporter_id_number": id_number(self.rng),
                "reporter_phone": f"139{self.rng.randint(0, 99999999):08d}", "respondent_name": f"常州压测有限公司{n}",
                "reason": "wage_arrears", "grid": "320404001", "demand": f"要求支付工资（压测 {n}）",
                "captcha_0": key.group(1) if key else "", "captcha_1": "PASSED", "csrfmiddlewaretoken": token}
        photo = ("photo.png", PNG, "image/png")
        self.client.post("/kuaiban/report/", data, files={"photo": photo}, name="群众提交登记",
                         headers={"Referer": f"{self.host}/kuaiban/report/"})


# A 16×16 PNG: the page needs a photo; the server re-encodes it.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000010000000100802000000909168360000001949444154789c633c5111c0"
    "400a602249f5a886510d434a0300faa401b079a35ae90000000049454e44ae426082"
)
