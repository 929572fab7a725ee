#!/usr/bin/env bash
# The production stack, started and tested (issue 9): on a MariaDB + Redis site,
# start gunicorn (gunicorn.conf.py), an rq worker and rq's cron scheduler in the
# background, run the smoke scenario over HTTP (scripts/smoke_stack.py: /healthz,
# a public complaint, a desk sign-in, a case step, an export run by the real
# worker and downloaded), then stop them cleanly (SIGTERM, each must exit).
#
#   bash scripts/smoke_stack.sh SITE [PORT]       (CI: after the MariaDB test run)
#
# Migrates the site's own database and syncs the base data first; adds one
# user (smoke_ops) and one public case. Logs in build/smoke/. Exits non-zero
# on any failure, with the last lines of the processes' logs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SITE="${1:?用法：scripts/smoke_stack.sh 站点名 [端口]}"
PORT="${2:-8765}"
LOG_DIR="build/smoke"
DIE_PREFIX="冒烟测试失败"
# shellcheck source=scripts/stack_lib.sh
source scripts/stack_lib.sh

prepare_site
start_stack

echo "== 冒烟场景"
"$PY" scripts/smoke_stack.py "http://127.0.0.1:$PORT" || die "冒烟场景未通过"
grep -q 'GET /healthz' "$LOG_DIR/access.log" || die "gunicorn 的访问日志没有记录请求"
if grep -Eq '11010519491231002X|13800138000' "$LOG_DIR"/*.log "sites/$SITE/logs/"*.log 2>/dev/null; then
    die "日志中出现了身份证号或手机号"
fi

stop_stack
echo "生产环境冒烟测试通过（gunicorn + rq worker + rq cron，站点 $SITE）"
