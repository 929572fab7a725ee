"""``benchmarks/generate.py`` — a script, not a package — loaded once as a
module for the tests that use generated data (the generator's own tests,
paging, petitions)."""

from __future__ import annotations

import importlib.util
import sys

from zhonglou_hrss.siteconf import REPO_DIR

MODULE_NAME = "zhonglou_bench_generate"


def load():
    if MODULE_NAME not in sys.modules:
        spec = importlib.util.spec_from_file_location(MODULE_NAME, REPO_DIR / "benchmarks" / "generate.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[MODULE_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[MODULE_NAME]


gen = load()
