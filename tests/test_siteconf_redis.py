"""Each pytest-xdist process gets its own Redis database (flaky cross-process
cache flushes in CI: one test's cache.clear() emptied another's cache)."""

from zhonglou_hrss.siteconf import xdist_worker_redis_url


def test_each_worker_gets_its_own_database_below_the_sites():
    assert xdist_worker_redis_url("redis://127.0.0.1:6379/15", "gw0") == "redis://127.0.0.1:6379/14"
    assert xdist_worker_redis_url("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/13"


def test_a_url_without_a_database_counts_from_zero_and_wraps():
    assert xdist_worker_redis_url("redis://127.0.0.1:6379", "gw0") == "redis://127.0.0.1:6379/15"
    assert xdist_worker_redis_url("redis://:pw@h:6380/3", "gw2") == "redis://:pw@h:6380/0"
