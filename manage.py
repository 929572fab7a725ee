#!/usr/bin/env python
"""Django's command-line utility. ZHONGLOU_SITE picks the site (default: demo)."""

import os
import sys
from pathlib import Path


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent / "apps"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
    # new_site must work before any site exists: it needs no settings.
    if len(sys.argv) > 1 and sys.argv[1] == "new_site":
        from zhonglou_hrss.core.site_cli import new_site_main

        sys.exit(new_site_main(sys.argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
