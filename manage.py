#!/usr/bin/env python
"""Django's command-line utility. ZHONGLOU_SITE picks the site (default: demo)."""

import os
import sys
from pathlib import Path


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent / "apps"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
    # new_site must work before any site exists, mariadb_driver before the
    # site's database driver is installed: neither reads settings.
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in ("new_site", "mariadb_driver"):
        from zhonglou_hrss.core import site_cli

        main_of = {"new_site": site_cli.new_site_main, "mariadb_driver": site_cli.mariadb_driver_main}
        sys.exit(main_of[command](sys.argv[2:]))
    from django.core.management import execute_from_command_line

    from zhonglou_hrss.siteconf import SiteConfigError

    try:
        execute_from_command_line(sys.argv)
    except SiteConfigError as exc:  # a missing site, secret or driver: say what to do, no traceback
        sys.exit(f"错误：{exc}")


if __name__ == "__main__":
    main()
