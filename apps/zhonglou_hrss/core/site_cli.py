"""``manage.py new_site <name> [--db URL] [--redis URL] [--demo] [--production]``
and ``manage.py mariadb_driver [--site NAME]``.

Run without Django settings (there is no site yet to read them from, or the
site cannot load its database driver yet).
"""

import argparse

from zhonglou_hrss.core.mariadb_driver import ensure_driver
from zhonglou_hrss.siteconf import SiteConfigError, create_site, load_site, site_exists, uses_mariadb


def new_site_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="manage.py new_site", description="创建一个站点（sites/<name>/）")
    parser.add_argument("name")
    parser.add_argument("--db", default="sqlite", help="sqlite（默认）或 mariadb://用户:密码@主机:端口/库名")
    parser.add_argument("--redis", default="", help="redis://主机:端口/库号（可空：本机内存缓存、任务同步执行）")
    parser.add_argument("--demo", action="store_true", help="演示站点：允许 load_demo 创建演示用户")
    parser.add_argument("--production", action="store_true", help="生产站点：关闭调试，HTTPS（TLS 反向代理）")
    parser.add_argument("--host", action="append", dest="hosts", help="允许访问的主机名，可多次给出")
    parser.add_argument("--if-missing", action="store_true", help="站点已存在时不报错，直接返回")
    parser.add_argument("--no-driver", action="store_true", help="MariaDB 站点：不安装 MariaDB 驱动")
    args = parser.parse_args(argv)
    if args.demo and args.production:
        parser.error("--demo 与 --production 不能同时使用")
    if args.if_missing and site_exists(args.name):
        return 0
    try:
        path = create_site(
            args.name, db_url=args.db, redis_url=args.redis, demo=args.demo,
            production=args.production, allowed_hosts=args.hosts,
        )
    except SiteConfigError as exc:
        print(f"错误：{exc}")
        return 1
    print(f"已创建站点 {args.name}：{path}")
    if uses_mariadb(args.db) and not args.no_driver and ensure_driver() != 0:
        return 1
    print(f"使用：ZHONGLOU_SITE={args.name} python manage.py migrate && ... sync_fixtures")
    return 0


def mariadb_driver_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="manage.py mariadb_driver",
        description="安装 MariaDB 驱动（mysqlclient；需要时以 root 安装 libmariadb-dev、pkg-config）",
    )
    parser.add_argument("--site", help="只在该站点使用 MariaDB 时安装（SQLite 站点什么也不做）")
    args = parser.parse_args(argv)
    if args.site:
        try:
            site = load_site(args.site)
        except SiteConfigError as exc:
            print(f"错误：{exc}")
            return 1
        if not uses_mariadb(site.database_url):
            return 0
    return ensure_driver()
