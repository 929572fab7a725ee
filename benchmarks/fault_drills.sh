#!/usr/bin/env bash
# Fault drills on the real production stack (issue 9): gunicorn, an rq worker
# and rq cron (scripts/stack_lib.sh, as scripts/smoke_stack.sh starts them) on
# a MariaDB + Redis demo site, each fault caused with real processes, each
# outcome checked over HTTP (benchmarks/fault_drills.py):
#
#   1. the rq worker killed (kill -9, the worker and its work horse) in the middle
#      of an export;
#   2. Redis stopped (redis-cli shutdown nosave) and started again, empty;
#   3. MariaDB "restarted": every database connection of the site's user killed
#      (KILL <id> from information_schema.processlist) — what a restart looks
#      like to the app, without stopping the machine's shared MariaDB.
#
#   bash benchmarks/fault_drills.sh SITE [PORT]
#
# SITE: a demo site (new_site --demo) on MariaDB whose Redis URL names a port
# on 127.0.0.1 that nothing listens on (not 6379): the drill starts its own
# redis-server there and stops it at the end — never the machine's shared
# Redis or MariaDB. Root must reach MariaDB over the socket (for KILL). Logs in
# build/drills/; the RESULT lines go to build/drills/results.txt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SITE="${1:?用法：benchmarks/fault_drills.sh 站点名 [端口]}"
PORT="${2:-8775}"
LOG_DIR="build/drills"
DIE_PREFIX="故障演练失败"
# shellcheck source=scripts/stack_lib.sh
source scripts/stack_lib.sh
BASE="http://127.0.0.1:$PORT"
RESULTS="$LOG_DIR/results.txt"
: >"$RESULTS"

drill() {  # drill STEP [ARGS...]: one checked step; its RESULT lines are kept, the rest printed
    local out="$LOG_DIR/step.out" rc=0
    "$PY" benchmarks/fault_drills.py "$@" >"$out" 2>>"$LOG_DIR/drill.log" || rc=$?
    cat "$out" >>"$LOG_DIR/drill.log"
    grep '^RESULT' "$out" >>"$RESULTS" || true
    grep -v '^RESULT' "$out" || true
    ((rc == 0)) || tail -n 5 "$LOG_DIR/drill.log" >&2
    return $rc
}

# --- the drill's own Redis ------------------------------------------------------------------------
read -r REDIS_PORT REDIS_DB < <("$PY" - <<'PY'
import os, sys
sys.path.insert(0, "apps")
from urllib.parse import urlparse
from zhonglou_hrss.siteconf import load_site
url = urlparse(load_site(os.environ["ZHONGLOU_SITE"]).redis_url or "")
assert url.hostname in ("127.0.0.1", "localhost"), "Redis 须在本机"
print(url.port or 6379, (url.path or "/0").lstrip("/") or "0")
PY
) || die "读取站点 $SITE 的 Redis 地址失败"
[[ "$REDIS_PORT" != 6379 ]] || die "演练会停止 Redis：站点须使用演练自己的端口，不能是共用的 6379"
port_free "$REDIS_PORT" || die "端口 $REDIS_PORT 已有进程：演练自己启动 Redis，不停止别人的"
start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        >>"$LOG_DIR/redis.log" 2>&1 &
    PIDS[redis]=$!
    for _ in $(seq 1 40); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.25; done
    die "Redis（端口 $REDIS_PORT）没有启动"
}
start_redis

# --- the stack -----------------------------------------------------------------------------------
prepare_site
# gunicorn serves the collected, hashed static files (whitenoise's manifest)
"$PY" manage.py collectstatic --noinput -v 0 || die "collectstatic 失败"
drill prepare "$BASE" || die "准备数据失败"
start_stack
# A MariaDB site's user, for the KILL drill.
read -r DB_USER DB_NAME < <("$PY" - <<'PY'
import os, sys
sys.path.insert(0, "apps")
from zhonglou_hrss.siteconf import load_site
db = load_site(os.environ["ZHONGLOU_SITE"]).database()
print(db["USER"], db["NAME"])
PY
) || die "读取站点 $SITE 的数据库用户失败"
mysql_root() { mariadb --protocol=socket -uroot -N "$@"; }

ensure_running() {  # a process that died during a fault is restarted, as systemd's Restart=always would
    local name="$1"
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
        echo "   $name 在故障中退出，重新启动（systemd 的 Restart=always 同样会做）" | tee -a "$RESULTS"
        wait "${PIDS[$name]}" 2>/dev/null || true
        "start_$name"
    fi
}

# --- 1. the worker killed in the middle of an export ----------------------------------------------
echo "== 演练 1：导出途中 kill -9 rq worker"
JOB="$(drill start-export "$BASE" | tail -n 1)" || die "开始导出失败"
WORKER="${PIDS[worker]}"
HORSE="$(pgrep -P "$WORKER" || true)"
echo "   导出任务 $JOB；kill -9 worker $WORKER 与正在导出的子进程 ${HORSE:-（无）}"
kill -KILL "$WORKER" ${HORSE:+$HORSE}
wait "$WORKER" 2>/dev/null || true
start_worker
echo "RESULT worker_kill horse_killed ${HORSE:+yes}" >>"$RESULTS"
drill after-kill "$BASE" "$JOB" || die "演练 1"

# --- 2. Redis stopped ------------------------------------------------------------------------------
echo "== 演练 2：停止 Redis（shutdown nosave）"
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
wait "${PIDS[redis]}" 2>/dev/null || true
unset "PIDS[redis]"
JOB="$(drill redis-down "$BASE" | tail -n 1)" || die "演练 2（Redis 停止期间）"
sleep 5
echo "   重新启动 Redis（空库）"
start_redis
ensure_running worker
ensure_running cron
drill wait-done "$BASE" "$JOB" redis_down || die "演练 2（Redis 恢复后）"

# --- 3. MariaDB restarted: the site's connections killed -----------------------------------------
echo "== 演练 3：杀掉站点的全部数据库连接（MariaDB 重启对应用的样子）"
drill db-warm "$BASE" || die "演练 3（之前）"
IDS="$(mysql_root -e "SELECT id FROM information_schema.processlist WHERE user = '$DB_USER' AND db = '$DB_NAME'")"
for id in $IDS; do mysql_root -e "KILL $id" 2>/dev/null || true; done
echo "RESULT db_kill connections_killed $(wc -w <<<"$IDS")" >>"$RESULTS"
drill db-after-kill "$BASE" || die "演练 3（之后）"
for name in worker cron; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name 在数据库连接被杀后退出"
done

stop_stack
stop redis || true
echo
echo "== 结果（$RESULTS）"
cat "$RESULTS"
echo "故障演练通过（站点 $SITE）"
