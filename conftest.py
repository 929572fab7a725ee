"""Test session set-up: pick (and if needed create) the test site before
Django reads settings. ``make test`` does the same; this keeps bare
``pytest`` working too."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "apps"))
os.environ.setdefault("ZHONGLOU_SITE", "test")

from zhonglou_hrss.siteconf import create_site, site_exists  # noqa: E402

if not site_exists(os.environ["ZHONGLOU_SITE"]):
    create_site(os.environ["ZHONGLOU_SITE"])
