#!/usr/bin/env python
"""Compile every project .po into .mo with polib (no system gettext needed).

Equivalent of ``manage.py compilemessages`` for our own catalogue; it needs
neither a site nor settings, so set-up can run it first. Skips up-to-date files.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    compiled = 0
    for po_path in ROOT.glob("apps/zhonglou_hrss/locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(mo_path))
        compiled += 1
        print(f"compiled {po_path.relative_to(ROOT)} ({len(catalogue.translated_entries())} strings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
