"""The MariaDB driver, installed only where a MariaDB site is used.

mysqlclient has no Linux wheel: pip builds it against the MariaDB client
library, which needs the Debian packages ``libmariadb-dev`` and
``pkg-config``. The SQLite path (``make run``, ``make test``) never needs
it, so it lives in ``requirements-mariadb.txt`` and is installed here:
by ``make mariadb-driver``, by ``new_site --db mariadb://…``, and by
``make test`` when the test site is a MariaDB site.

Runs without Django settings (a site that cannot load its driver has none).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

from zhonglou_hrss.siteconf import REPO_DIR

APT_PACKAGES = ("libmariadb-dev", "pkg-config")
APT_COMMAND = "apt-get install -y --no-install-recommends " + " ".join(APT_PACKAGES)
REQUIREMENTS = REPO_DIR / "requirements-mariadb.txt"
# The names mysqlclient's build asks pkg-config for (its setup.py, in this order).
PKG_CONFIG_NAMES = ("mysqlclient", "mariadb", "libmariadb")

MISSING_DRIVER = (
    "本站点使用 MariaDB，但尚未安装 MariaDB 驱动（mysqlclient）。请运行：make mariadb-driver"
    "（它在需要时以 root 安装 " + " ".join(APT_PACKAGES) + "）"
)


def driver_installed() -> bool:
    return importlib.util.find_spec("MySQLdb") is not None


def client_library_present() -> bool:
    if not shutil.which("pkg-config"):
        return False
    return any(
        subprocess.run(["pkg-config", "--exists", name], check=False).returncode == 0 for name in PKG_CONFIG_NAMES
    )


def _install_system_packages(out) -> bool:
    """apt-get as root; otherwise say exactly what to run and stop."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"MariaDB 驱动需要系统软件包 {' '.join(APT_PACKAGES)}。请以 root 运行：", file=out)
        print(f"    sudo {APT_COMMAND}", file=out)
        print("然后再运行：make mariadb-driver", file=out)
        return False
    print(f"安装系统软件包：{' '.join(APT_PACKAGES)}", file=out)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(APT_COMMAND.split(), env=env, check=False).returncode != 0:
        # A fresh machine has no package lists yet.
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
        if subprocess.run(APT_COMMAND.split(), env=env, check=False).returncode != 0:
            print(f"安装失败：{APT_COMMAND}", file=out)
            return False
    return True


def ensure_driver(out=sys.stdout) -> int:
    """0 when ``import MySQLdb`` works afterwards, 1 otherwise (with the reason printed)."""
    if driver_installed():
        print("MariaDB 驱动已安装（mysqlclient）", file=out)
        return 0
    if not client_library_present() and not _install_system_packages(out):
        return 1
    print(f"安装 MariaDB 驱动：pip install -r {REQUIREMENTS.name}", file=out)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=False
    )
    if result.returncode != 0:
        print("mysqlclient 安装失败（见上面 pip 的输出）", file=out)
        return 1
    importlib.invalidate_caches()
    return 0
