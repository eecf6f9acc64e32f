#!/usr/bin/env bash
# Postwarden benchmark: the same three measurements on SQLite and on PostgreSQL, one run each.
# Usage (from the repository root): bash bench/run.sh
# Method and results: bench/README.md. The final table is printed and written to bench/results.md.
#
# Tunables (environment): BENCH_ACCOUNTS (100000), BENCH_DURATION (10s), BENCH_LIST_SAMPLES (300),
# BENCH_LOGIN_RATE (10), BENCH_BACKENDS ("sqlite postgres").
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH=$ROOT/bench
PY=(python3 "$BENCH/bench.py")

ACCOUNTS=${BENCH_ACCOUNTS:-100000}
DURATION=${BENCH_DURATION:-10s}
LIST_SAMPLES=${BENCH_LIST_SAMPLES:-300}
LOGIN_RATE=${BENCH_LOGIN_RATE:-10}
BACKENDS=${BENCH_BACKENDS:-sqlite postgres}
PASSWORD=Bench-pass-123
# The deep cursor: the last username before the final 1 % (user099000 for 100,000 accounts).
TAIL=$((ACCOUNTS / 100 > 100 ? ACCOUNTS / 100 : 100))
CURSOR_USER=$(printf 'user%06d' $((ACCOUNTS - TAIL)))

log() { printf '\n== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v psql >/dev/null || missing+=(postgresql-client)
if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get install -y "${missing[@]}" >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ " $BACKENDS " == *" postgres "* && ! -x "$PGBIN/initdb" ]]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin" >&2
    exit 1
fi

# --- build -------------------------------------------------------------------------------------
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/postwarden/target}
log "cargo build --release -p api (target dir $CARGO_TARGET_DIR)"
cargo build --release -p api
BIN=$CARGO_TARGET_DIR/release/postwarden-api

# --- cleanup -----------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/postwarden-bench.XXXXXX")
mkdir -p "$WORK/results"
printf '{"accounts": %d, "duration": "%s", "cursor_user": "%s", "login_rate": %s}\n' \
    "$ACCOUNTS" "$DURATION" "$CURSOR_USER" "$LOGIN_RATE" >"$WORK/results/run-meta.json"
API_PID=""
LOGIN_PID=""
PGDIR=""
PGPORT=""

as_postgres() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_api() {
    if [[ -n $API_PID ]]; then
        kill "$API_PID" 2>/dev/null || true
        wait "$API_PID" 2>/dev/null || true
        API_PID=""
    fi
}

stop_pg() {
    if [[ -n $PGDIR ]]; then
        as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PGDIR"
        PGDIR=""
    fi
}

cleanup() {
    local rc=$?
    if [[ -n $LOGIN_PID ]]; then kill "$LOGIN_PID" 2>/dev/null || true; wait "$LOGIN_PID" 2>/dev/null || true; fi
    stop_api
    stop_pg
    if ((rc != 0)); then
        echo "bench: failed (exit $rc); logs:" >&2
        for f in "$WORK"/*.log; do
            [[ -f $f ]] && { echo "--- $f (tail)" >&2; tail -n 20 "$f" >&2; }
        done
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the API server ----------------------------------------------------------------------------
# start_api NAME DATA_DIR [DATABASE_URL]: serves in the background, waits for /readyz.
start_api() {
    local name=$1 data=$2 url=${3:-}
    PORT=$("${PY[@]}" free-port)
    BASE=http://127.0.0.1:$PORT
    local env=(
        PATH="$PATH" HOME="$HOME"
        POSTWARDEN_BIND=127.0.0.1:$PORT
        POSTWARDEN_DATA_DIR="$data"
        POSTWARDEN_LOG=warn
        POSTWARDEN_LOGIN_MAX_FAILURES=1000000
        POSTWARDEN_WEB_DIR="$ROOT/web/dist"
    )
    [[ -n $url ]] && env+=(DATABASE_URL="$url")
    env -i "${env[@]}" "$BIN" serve >>"$WORK/$name-api.log" 2>&1 &
    API_PID=$!
    "${PY[@]}" wait-ready "$BASE" 60
}

# --- seeding -----------------------------------------------------------------------------------
# Bulk SQL straight into the database: $ACCOUNTS users named user000001.., each with a primary
# address, all in the bench organization and sharing the owner's password hash (so their
# password is $PASSWORD).

seed_sqlite() {
    local db=$1
    # sea-orm stores UUIDs as 16-byte BLOBs and timestamps as TEXT on SQLite: copy the owner's
    # organization id, hash and timestamp; new ids are random 16-byte blobs.
    sqlite3 -bail "$db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE owner AS
    SELECT organization_id AS org, password_hash AS hash, created_at AS ts
    FROM accounts WHERE username = 'benchowner';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ACCOUNTS)
INSERT INTO accounts (id, organization_id, role, username, first_name, last_name,
                      first_name_lc, last_name_lc, status, plan_code, period_start, period_end,
                      period_paid_cents, password_hash, has_photo, created_at, updated_at,
                      disabled_at)
SELECT randomblob(16), owner.org, 'user', printf('user%06d', i), 'Bench', printf('User%06d', i),
       'bench', printf('user%06d', i), 'active', 'free', NULL, NULL,
       0, owner.hash, 0, owner.ts, owner.ts, NULL
FROM n, owner;
INSERT INTO addresses (address, organization_id, kind, account_id, group_id, domain_id, created_at)
SELECT username || '@postwarden.test', organization_id, 'primary', id, NULL, NULL, created_at
FROM accounts WHERE role = 'user' AND username GLOB 'user[0-9]*';
COMMIT;
SQL
}

psql_bench() {
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres "$@"
}

seed_postgres() {
    psql_bench <<SQL
BEGIN;
INSERT INTO accounts (id, organization_id, role, username, first_name, last_name,
                      first_name_lc, last_name_lc, status, plan_code, period_start, period_end,
                      period_paid_cents, password_hash, has_photo, created_at, updated_at,
                      disabled_at)
SELECT gen_random_uuid(), o.organization_id, 'user', 'user' || lpad(i::text, 6, '0'), 'Bench',
       'User' || lpad(i::text, 6, '0'), 'bench', 'user' || lpad(i::text, 6, '0'), 'active',
       'free', NULL, NULL, 0, o.password_hash, false, now(), now(), NULL
FROM generate_series(1, $ACCOUNTS) AS i,
     (SELECT organization_id, password_hash FROM accounts WHERE username = 'benchowner') AS o;
INSERT INTO addresses (address, organization_id, kind, account_id, group_id, domain_id, created_at)
SELECT username || '@postwarden.test', organization_id, 'primary', id, NULL, NULL, created_at
FROM accounts WHERE role = 'user' AND username ~ '^user[0-9]+$';
COMMIT;
-- What autovacuum would do shortly after a bulk load.
ANALYZE accounts;
ANALYZE addresses;
SQL
}

start_postgres() {
    PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/postwarden-bench-pg.XXXXXX")
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$PGDIR"
    PGPORT=$("${PY[@]}" free-port)
    as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 >/dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR" start >/dev/null
}

# --- measurements ------------------------------------------------------------------------------
# run_wrk NAME OUT WRK_ARGS... : wrk with latency output, parsed into $WORK/results/NAME.json.
run_wrk() {
    local name=$1 out=$2
    shift 2
    wrk --latency "$@" >"$WORK/$name.wrk.txt"
    "${PY[@]}" wrk-json "$WORK/$name.wrk.txt" "$out" >/dev/null
    grep -E 'Requests/sec|^ +(50|99)%' "$WORK/$name.wrk.txt" | sed "s/^/   [$name] /" >&2
}

bench_backend() {
    local b=$1 url=${2:-}
    local data=$WORK/$b-data res=$WORK/results
    mkdir -p "$data"

    log "$b: start, sign up, seed $ACCOUNTS accounts"
    start_api "$b" "$data" "$url"
    local vars
    vars=$("${PY[@]}" signup "$BASE")
    eval "$vars"
    local t0=$SECONDS
    if [[ $b == sqlite ]]; then
        stop_api
        seed_sqlite "$data/postwarden.db"
        start_api "$b" "$data" "$url"
    else
        seed_postgres
    fi
    echo "   seeded in $((SECONDS - t0)) s" >&2
    export BENCH_TOKEN
    BENCH_TOKEN=$("${PY[@]}" login "$BASE" benchowner "$PASSWORD")
    vars=$("${PY[@]}" check-seed "$BASE" "$BENCH_TOKEN" "$ACCOUNTS")
    eval "$vars"
    log "$b: 4. memory, idle after a sign-in"
    sleep 2
    "${PY[@]}" rss "$API_PID" "$res/$b-memory.json" idle_mb | sed "s/^/   /" >&2
    local get_url=$BASE/api/v1/accounts/$TARGET_ID

    log "$b: 1. throughput, GET /api/v1/accounts/{id} ($TARGET_USER) vs /healthz"
    wrk -t2 -c32 -d3s "$BASE/healthz" >/dev/null
    wrk -t2 -c32 -d3s -s "$BENCH/auth.lua" "$get_url" >/dev/null
    # Three alternating rounds, the median of each kept: on a shared 2-core machine one round of
    # /healthz alone varied by a quarter between runs, which the ratio would inherit.
    local round
    for round in 1 2 3; do
        run_wrk "$b-healthz-$round" "$res/$b-healthz-$round.json" -t2 -c32 -d"$DURATION" "$BASE/healthz"
        run_wrk "$b-get-$round" "$res/$b-get-$round.json" -t2 -c32 -d"$DURATION" -s "$BENCH/auth.lua" "$get_url"
    done
    "${PY[@]}" median "$res/$b-healthz.json" "$res/$b-healthz-"{1,2,3}.json
    "${PY[@]}" median "$res/$b-get.json" "$res/$b-get-"{1,2,3}.json
    # For context only: /readyz is one database ping per request, no authentication.
    run_wrk "$b-readyz" "$res/$b-readyz.json" -t2 -c32 -d"$DURATION" "$BASE/readyz"

    log "$b: 2. list p50, first page vs. page after $CURSOR_USER"
    "${PY[@]}" list-latency "$BASE" "$BENCH_TOKEN" "$CURSOR_USER" "$LIST_SAMPLES" \
        "$res/$b-list.json" | sed "s/^/   /" >&2

    log "$b: 3. GET p99 without and with $LOGIN_RATE logins/s"
    run_wrk "$b-p99-base" "$res/$b-p99-base.json" -t1 -c8 -d"$DURATION" -s "$BENCH/auth.lua" "$get_url"
    sleep 1
    local secs=${DURATION%s}
    # The logins start 1 s before wrk and end 1 s after it.
    "${PY[@]}" logins "$BASE" user 101 "$PASSWORD" "$LOGIN_RATE" $((secs + 2)) \
        "$res/$b-logins.json" >"$WORK/$b-logins.out" 2>"$WORK/$b-logins.log" &
    LOGIN_PID=$!
    sleep 1
    "${PY[@]}" rss "$API_PID" "$res/$b-memory.json" load_mb "$secs" >"$WORK/$b-rss.out" &
    local rss_pid=$!
    run_wrk "$b-p99-logins" "$res/$b-p99-logins.json" -t1 -c8 -d"$DURATION" -s "$BENCH/auth.lua" "$get_url"
    wait "$rss_pid"
    sed "s/^/   /" "$WORK/$b-rss.out" >&2
    wait "$LOGIN_PID"
    LOGIN_PID=""
    sed "s/^/   logins: /" "$WORK/$b-logins.out" >&2

    stop_api
}

for b in $BACKENDS; do
    case $b in
    sqlite) bench_backend sqlite ;;
    postgres)
        log "postgres: throwaway server ($PGBIN)"
        start_postgres
        bench_backend postgres "postgres://postgres@127.0.0.1:$PGPORT/postgres"
        stop_pg
        ;;
    *) echo "unknown backend $b" >&2; exit 2 ;;
    esac
done

TABLE=$("${PY[@]}" table "$WORK/results")
{
    echo "Postwarden benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $ACCOUNTS accounts," \
        "commit $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    echo
    echo "$TABLE"
} >"$BENCH/results.md"
log "results (also in bench/results.md)"
echo "$TABLE"
