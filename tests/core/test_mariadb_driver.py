"""The MariaDB driver is installed only for MariaDB sites (operations issue:
a fresh machine without build headers passes ``make run`` and ``make test``).

The SQLite path needs no driver; a MariaDB site without it says exactly what
to run instead of failing inside Django; ``mariadb_driver`` does nothing for
a SQLite site and, without root, prints the apt command instead of running it.
"""

from __future__ import annotations

import io
from pathlib import Path

from zhonglou_hrss.core import mariadb_driver
from zhonglou_hrss.core.site_cli import mariadb_driver_main

from tests.core.test_sites import manage, ok, output

REPO_DIR = Path(__file__).resolve().parents[2]


def test_the_default_requirements_do_not_name_the_driver():
    """Everything `make run` / `make test` install comes as wheels; mysqlclient builds from source."""
    for name in ("requirements.txt", "requirements-dev.txt"):
        text = (REPO_DIR / name).read_text(encoding="utf-8").lower()
        assert "mysqlclient" not in text, name
    assert "mysqlclient==" in (REPO_DIR / "requirements-mariadb.txt").read_text(encoding="utf-8")


def hide_the_driver(tmp_path: Path) -> str:
    """A PYTHONPATH entry whose sitecustomize makes ``MySQLdb`` unimportable,
    as on a machine where it was never installed."""
    folder = tmp_path / "no_driver"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text("import sys\nsys.modules['MySQLdb'] = None\n", encoding="utf-8")
    return str(folder)


def test_a_mariadb_site_without_the_driver_says_what_to_run(sites, tmp_path, monkeypatch):
    ok(manage(sites, "new_site", "maria", "--no-driver", "--db", "mariadb://hrss:secret@127.0.0.1:3306/hrss"))
    monkeypatch.setenv("PYTHONPATH", hide_the_driver(tmp_path))
    result = manage(sites, "check", site="maria")
    assert result.returncode != 0, output(result)
    assert "make mariadb-driver" in result.stderr, output(result)
    assert "Traceback" not in result.stderr, output(result)


def test_mariadb_driver_does_nothing_for_a_sqlite_site(sites, monkeypatch):
    ok(manage(sites, "new_site", "lite"))
    called = []
    monkeypatch.setattr("zhonglou_hrss.core.site_cli.ensure_driver", lambda: called.append(1) or 0)
    assert mariadb_driver_main(["--site", "lite"]) == 0
    assert called == []


def test_mariadb_driver_for_a_mariadb_site_installs_it(sites, monkeypatch):
    ok(manage(sites, "new_site", "maria", "--no-driver", "--db", "mariadb://hrss:secret@127.0.0.1:3306/hrss"))
    called = []
    monkeypatch.setattr("zhonglou_hrss.core.site_cli.ensure_driver", lambda: called.append(1) or 0)
    assert mariadb_driver_main(["--site", "maria"]) == 0
    assert called == [1]


def test_without_root_the_exact_apt_command_is_printed(monkeypatch):
    monkeypatch.setattr(mariadb_driver, "driver_installed", lambda: False)
    monkeypatch.setattr(mariadb_driver, "client_library_present", lambda: False)
    monkeypatch.setattr(mariadb_driver.os, "geteuid", lambda: 1000)
    ran = []
    monkeypatch.setattr(mariadb_driver.subprocess, "run", lambda *a, **k: ran.append(a))
    out = io.StringIO()
    assert mariadb_driver.ensure_driver(out) == 1
    text = out.getvalue()
    assert "sudo apt-get install -y --no-install-recommends libmariadb-dev pkg-config" in text
    assert "make mariadb-driver" in text
    assert ran == []  # neither apt nor pip was run


def test_an_installed_driver_is_left_alone(monkeypatch):
    monkeypatch.setattr(mariadb_driver, "driver_installed", lambda: True)
    ran = []
    monkeypatch.setattr(mariadb_driver.subprocess, "run", lambda *a, **k: ran.append(a))
    out = io.StringIO()
    assert mariadb_driver.ensure_driver(out) == 0
    assert ran == [] and "已安装" in out.getvalue()
