# The production stack's processes, shared by scripts/smoke_stack.sh and
# benchmarks/fault_drills.sh (issue 9): source it after setting
#   SITE  PORT  LOG_DIR   (and optionally STARTUP_SECONDS, STOP_SECONDS)
# Starts gunicorn (gunicorn.conf.py), an rq worker and rq's cron scheduler in
# the background, remembers their pids in PIDS, stops them by SIGTERM (each
# must exit), and on an early exit leaves nothing running.

PY=.venv/bin/python
STARTUP_SECONDS="${STARTUP_SECONDS:-60}"
STOP_SECONDS="${STOP_SECONDS:-30}"
export ZHONGLOU_SITE="$SITE"
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log

declare -A PIDS=()
# Cleanup hooks of the sourcing script (e.g. its own Redis), run after the stack stops.
declare -a EXTRA_CLEANUP=()

show_logs() {
    for name in gunicorn worker cron; do
        [[ -s "$LOG_DIR/$name.log" ]] || continue
        echo "---- $LOG_DIR/$name.log（最后 20 行）" >&2
        tail -n 20 "$LOG_DIR/$name.log" >&2
    done
}
die() {
    echo "${DIE_PREFIX:-失败}：$*" >&2
    show_logs
    exit 1
}
# stop NAME: SIGTERM, then wait for it to exit; a process that will not stop is a failure.
stop() {
    local name="$1" pid="${PIDS[$1]:-}"
    [[ -n "$pid" ]] || return 0
    unset "PIDS[$name]"
    kill -0 "$pid" 2>/dev/null || { echo "$name 已提前退出" >&2; return 1; }
    kill -TERM "$pid"
    for _ in $(seq 1 $((STOP_SECONDS * 2))); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; echo "已停止：$name"; return 0; }
        sleep 0.5
    done
    echo "$name 在 ${STOP_SECONDS} 秒内没有停止，强制结束" >&2
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}
cleanup() {
    # On an early exit (a failure, ^C): nothing is left running.
    for name in "${!PIDS[@]}"; do
        kill -TERM "${PIDS[$name]}" 2>/dev/null || true
    done
    sleep 1
    for name in "${!PIDS[@]}"; do
        kill -KILL "${PIDS[$name]}" 2>/dev/null || true
    done
    for hook in "${EXTRA_CLEANUP[@]}"; do
        "$hook" || true
    done
}
trap cleanup EXIT

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# prepare_site: migrate the site's own database, sync the base data, and check
# that it is a MariaDB + Redis site.
prepare_site() {
    [[ -x "$PY" ]] || die "找不到 $PY：请先运行 make deps"
    port_free "$PORT" || die "端口 $PORT 已被占用"
    echo "== 准备站点 $SITE：迁移数据库、同步基础数据"
    "$PY" manage.py migrate --noinput -v 0 || die "migrate 失败"
    "$PY" manage.py sync_fixtures >/dev/null || die "sync_fixtures 失败"
    "$PY" - <<'PY' || die "站点 $SITE 不是 MariaDB + Redis 站点"
import os, sys
sys.path.insert(0, "apps")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
import django
django.setup()
from django.conf import settings
from django.db import connection
assert connection.vendor == "mysql" and settings.REDIS_URL, (connection.vendor, settings.REDIS_URL)
PY
}

start_gunicorn() {
    .venv/bin/gunicorn zhonglou_hrss.wsgi --config gunicorn.conf.py --workers 2 --bind "127.0.0.1:$PORT" \
        --timeout 60 --graceful-timeout 20 --access-logfile "$LOG_DIR/access.log" --error-logfile "$LOG_DIR/gunicorn.log" \
        >>"$LOG_DIR/gunicorn.log" 2>&1 &
    PIDS[gunicorn]=$!
}
start_worker() {
    "$PY" manage.py rqworker default >>"$LOG_DIR/worker.log" 2>&1 &
    PIDS[worker]=$!
}
start_cron() {
    "$PY" manage.py rqcron zhonglou_hrss.cron >>"$LOG_DIR/cron.log" 2>&1 &
    PIDS[cron]=$!
}

# start_stack: gunicorn, an rq worker and rq cron; waits for /healthz.
start_stack() {
    echo "== 启动 gunicorn（127.0.0.1:$PORT）、rq worker、rq cron"
    start_gunicorn
    start_worker
    start_cron
    local up=""
    for _ in $(seq 1 $((STARTUP_SECONDS * 2))); do
        if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" \
            >/dev/null 2>&1; then up=1; break; fi
        kill -0 "${PIDS[gunicorn]}" 2>/dev/null || die "gunicorn 启动后退出"
        sleep 0.5
    done
    [[ -n "$up" ]] || die "gunicorn ${STARTUP_SECONDS} 秒内没有应答 /healthz"
    for name in worker cron; do
        kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name 启动后退出"
    done
    echo "gunicorn 已应答 /healthz"
}

# stop_stack: SIGTERM to cron, worker, gunicorn; each must exit.
stop_stack() {
    echo "== 停止"
    local failed="" name
    for name in cron worker gunicorn; do
        stop "$name" || failed="$failed $name"
    done
    [[ -z "$failed" ]] || die "未能正常停止：$failed"
}
