#!/usr/bin/env python3
"""HTTP helper for bench/run.sh (standard library only).

Subcommands (all print to stdout; errors go to stderr with a non-zero exit):
  free-port                                  an unused TCP port on 127.0.0.1
  wait-ready BASE [TIMEOUT]                  wait until GET BASE/readyz answers 200
  signup BASE                                sign up the bench organization; prints KEY=value lines
  login BASE LOGIN PASSWORD                  prints an access token
  check-seed BASE TOKEN COUNT                checks the seeded accounts are visible; prints KEY=value
  list-latency BASE TOKEN CURSOR_USER N OUT  p50 of the first list page vs. the page after CURSOR_USER
  logins BASE PREFIX FIRST PASSWORD RATE SECONDS OUT
                                             paced successful logins (one thread per login)
  wrk-json WRK_OUTPUT OUT                    parse wrk's output into JSON
  median OUT FILE...                         the wrk result of median throughput among FILEs
  table RESULTS_DIR                          the final Markdown table
"""

import base64
import concurrent.futures
import json
import os
import socket
import statistics
import sys
import threading
import time
import http.client
import urllib.parse

PASSWORD = "Bench-pass-123"


def die(msg):
    print(f"bench.py: {msg}", file=sys.stderr)
    sys.exit(1)


def split_base(base):
    u = urllib.parse.urlsplit(base)
    return u.hostname, u.port or 80


def request(base, method, path, token=None, body=None, timeout=30, conn=None):
    """One request; returns (status, parsed JSON or text)."""
    host, port = split_base(base)
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    headers = {"Accept": "application/json"}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        if own:
            conn.close()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return resp.status, parsed


def cursor_for(username):
    return base64.urlsafe_b64encode(json.dumps(username).encode()).decode().rstrip("=")


def cmd_free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def cmd_wait_ready(base, timeout="60"):
    deadline = time.monotonic() + float(timeout)
    last = None
    while time.monotonic() < deadline:
        try:
            status, _ = request(base, "GET", "/readyz", timeout=2)
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    die(f"{base}/readyz not ready after {timeout}s ({last})")


def cmd_signup(base):
    status, body = request(
        base,
        "POST",
        "/api/v1/signup",
        body={
            "organization_name": "Bench",
            "first_name": "Bench",
            "last_name": "Owner",
            "username": "benchowner",
            "password": PASSWORD,
        },
    )
    if status != 201:
        die(f"signup: HTTP {status}: {body}")
    print(f"OWNER_ID={body['account']['id']}")
    print(f"ORG_ID={body['organization']['id']}")


def cmd_login(base, login, password):
    status, body = request(
        base, "POST", "/api/v1/auth/login", body={"login": login, "password": password}
    )
    if status != 200:
        die(f"login {login}: HTTP {status}: {body}")
    print(body["access_token"])


def cmd_check_seed(base, token, count):
    count = int(count)
    prefix = f"user{count - 1:06d}"[:6]  # user09 for 100,000 accounts
    status, body = request(base, "GET", f"/api/v1/accounts?q={prefix}&limit=5", token=token)
    if status != 200 or len(body.get("items", [])) != 5:
        die(f"GET /api/v1/accounts?q={prefix}: HTTP {status}: {body}")
    last = f"user{count:06d}"
    status, body = request(base, "GET", f"/api/v1/accounts?q={last}", token=token)
    if status != 200 or [a["username"] for a in body["items"]] != [last]:
        die(f"GET /api/v1/accounts?q={last}: HTTP {status}: {body}")
    account = body["items"][0]
    if account.get("email") != f"{last}@postwarden.test":
        die(f"{last} has no primary address: {account}")
    mid = f"user{count // 2:06d}"
    status, body = request(base, "GET", f"/api/v1/accounts?q={mid}", token=token)
    if status != 200 or len(body["items"]) != 1:
        die(f"GET /api/v1/accounts?q={mid}: HTTP {status}: {body}")
    target = body["items"][0]["id"]
    status, body = request(base, "GET", f"/api/v1/accounts/{target}", token=token)
    if status != 200 or body.get("username") != mid:
        die(f"GET /api/v1/accounts/{target}: HTTP {status}: {body}")
    print(f"TARGET_ID={target}")
    print(f"TARGET_USER={mid}")


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def cmd_list_latency(base, token, cursor_user, n, out):
    """Sequential requests on one keep-alive connection, first and deep page interleaved so
    that any drift (caches, background work) affects both equally."""
    n = int(n)
    host, port = split_base(base)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    first = "/api/v1/accounts?limit=50"
    deep = f"/api/v1/accounts?limit=50&cursor={cursor_for(cursor_user)}"
    # Sanity: both pages are full and the deep page starts right after the cursor.
    status, body = request(base, "GET", first, token=token, conn=conn)
    if status != 200 or len(body["items"]) != 50:
        die(f"first page: HTTP {status}: {str(body)[:300]}")
    status, body = request(base, "GET", deep, token=token, conn=conn)
    if status != 200 or len(body["items"]) != 50 or body["items"][0]["username"] <= cursor_user:
        die(f"deep page: HTTP {status}: {str(body)[:300]}")
    deep_first_user = body["items"][0]["username"]
    times = {"first": [], "deep": []}
    warmup = max(20, n // 10)
    for i in range(warmup + n):
        for name, path in (("first", first), ("deep", deep)) if i % 2 == 0 else (
            ("deep", deep),
            ("first", first),
        ):
            t0 = time.perf_counter()
            status, _ = request(base, "GET", path, token=token, conn=conn)
            dt = (time.perf_counter() - t0) * 1000
            if status != 200:
                die(f"{path}: HTTP {status}")
            if i >= warmup:
                times[name].append(dt)
    conn.close()
    result = {
        "n": n,
        "cursor_user": cursor_user,
        "deep_first_user": deep_first_user,
        "first_p50_ms": statistics.median(times["first"]),
        "deep_p50_ms": statistics.median(times["deep"]),
        "first_p99_ms": percentile(times["first"], 99),
        "deep_p99_ms": percentile(times["deep"], 99),
    }
    result["ratio"] = result["deep_p50_ms"] / result["first_p50_ms"]
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))


def cmd_logins(base, prefix, first, password, rate, seconds, out):
    """Fires one login every 1/RATE s for SECONDS s, each on its own thread and connection,
    so a slow login never delays the next one. Logins rotate over distinct accounts."""
    first, rate, seconds = int(first), float(rate), float(seconds)
    total = int(rate * seconds)
    results = []
    lock = threading.Lock()

    def one(k):
        login = f"{prefix}{first + k:06d}"
        t0 = time.perf_counter()
        try:
            status, _ = request(
                base,
                "POST",
                "/api/v1/auth/login",
                body={"login": login, "password": password},
            )
        except OSError as e:
            status = str(e)
        dt = (time.perf_counter() - t0) * 1000
        with lock:
            results.append((status, dt))

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        for k in range(total):
            delay = start + k / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, k)
        issued_for = time.monotonic() - start
    ok = [dt for status, dt in results if status == 200]
    result = {
        "attempted": total,
        "ok": len(ok),
        "failed": total - len(ok),
        "failures": sorted({str(s) for s, _ in results if s != 200}),
        "rate_per_s": total / issued_for if issued_for > 0 else float("nan"),
        "login_p50_ms": statistics.median(ok) if ok else float("nan"),
        "login_p99_ms": percentile(ok, 99) if ok else float("nan"),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))
    if len(ok) != total:
        die(f"{total - len(ok)} of {total} logins failed: {result['failures']}")


def to_ms(value):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * factor
    return float(value)


def cmd_wrk_json(path, out):
    text = open(path).read()
    result = {"non_2xx": 0, "socket_errors": 0}
    for line in text.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "75%", "90%", "99%"):
            result[f"p{parts[0][:-1]}_ms"] = to_ms(parts[1])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["non_2xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            # Socket errors: connect 0, read 0, write 0, timeout 0
            nums = [int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit()]
            result["socket_errors"] = sum(nums)
        elif "requests in" in line:
            result["requests"] = int(parts[0])
    if "rps" not in result:
        die(f"no Requests/sec in wrk output {path}:\n{text}")
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))
    if result["non_2xx"] or result["socket_errors"]:
        die(f"wrk saw {result['non_2xx']} non-2xx answers and {result['socket_errors']} socket errors")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    die(f"no VmRSS for process {pid}")


def cmd_rss(pid, out, key, seconds="0"):
    """The resident memory of `pid` in MiB: now, or the peak of samples every 100 ms for
    `seconds`. Merged as `key` into the JSON file `out`."""
    peak = rss_mb(pid)
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        time.sleep(0.1)
        try:
            peak = max(peak, rss_mb(pid))
        except OSError:
            break
    data = {}
    if os.path.exists(out):
        with open(out) as f:
            data = json.load(f)
    data[key] = peak
    with open(out, "w") as f:
        json.dump(data, f)
    print(f"{key}: {peak:.1f} MiB")


def cmd_median(out, *paths):
    """The round of median throughput among the wrk results `paths`, written to `out` with every
    round's throughput as `rounds_rps`."""
    rounds = []
    for path in paths:
        with open(path) as f:
            rounds.append(json.load(f))
    rounds.sort(key=lambda r: r["rps"])
    result = dict(rounds[len(rounds) // 2])
    result["rounds_rps"] = [r["rps"] for r in rounds]
    with open(out, "w") as f:
        json.dump(result, f, indent=2)


def cmd_table(results_dir):
    def load(backend, name):
        try:
            with open(os.path.join(results_dir, f"{backend}-{name}.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    backends = ("sqlite", "postgres")
    meta = load("run", "meta") or {}
    dur = meta.get("duration", "10s")
    cursor_user = meta.get("cursor_user", "user099000")
    accounts = meta.get("accounts", 100000)
    rate = meta.get("login_rate", 10)

    def fmt(v, spec):
        return "n/a" if v is None else format(v, spec)

    def get(backend, name, key):
        d = load(backend, name)
        return None if d is None else d.get(key)

    rows = []

    def row(metric, key_fn, spec, target=None, ok=None):
        vals = [key_fn(b) for b in backends]
        cells = [fmt(v, spec) for v in vals]
        if target is None:
            rows.append((metric, *cells, "", ""))
            return
        met = []
        for b, v in zip(backends, vals):
            if v is None:
                met.append("n/a")
            else:
                met.append("yes" if ok(b, v) else "**NO**")
        rows.append((metric, *cells, target, " / ".join(met)))

    def rounds(b, name):
        r = get(b, name, "rounds_rps")
        return None if r is None else " / ".join(f"{v:.0f}" for v in r)

    row(f"`/healthz` throughput (req/s, wrk -t2 -c32 -d{dur}, median of 3 alternating rounds)",
        lambda b: get(b, "healthz", "rps"), ".0f")
    row(f"`GET /api/v1/accounts/{{id}}` throughput (req/s, wrk -t2 -c32 -d{dur}, median of 3)",
        lambda b: get(b, "get", "rps"), ".0f")
    row("(rounds) `/healthz` req/s, sorted", lambda b: rounds(b, "healthz"), "s")
    row("(rounds) `GET /api/v1/accounts/{id}` req/s, sorted", lambda b: rounds(b, "get"), "s")

    row(f"(context) `/readyz` throughput, 1 DB ping/request (req/s, wrk -t2 -c32 -d{dur})",
        lambda b: get(b, "readyz", "rps"), ".0f")
    row("(context) `GET /api/v1/accounts/{id}` p50 / p99 under that load (ms)",
        lambda b: (None if get(b, "get", "p50_ms") is None
                   else f"{get(b, 'get', 'p50_ms'):.2f} / {get(b, 'get', 'p99_ms'):.2f}"), "s")

    def tput_ratio(b):
        h, g = get(b, "healthz", "rps"), get(b, "get", "rps")
        return None if not h or g is None else g / h

    row("1. GET throughput ÷ healthz throughput", tput_ratio, ".3f",
        "≥ 0.5 (SQLite) / ≥ 0.35 (PG)",
        lambda b, v: v >= (0.5 if b == "sqlite" else 0.35))
    row("List `?limit=50` first page p50 (ms)", lambda b: get(b, "list", "first_p50_ms"), ".2f")
    row(f"List `?limit=50&cursor=…` page after `{cursor_user}` p50 (ms)", lambda b: get(b, "list", "deep_p50_ms"), ".2f")
    row(f"2. Deep page p50 ÷ first page p50 ({accounts:,} accounts)",
        lambda b: get(b, "list", "ratio"), ".3f", "≤ 1.2", lambda b, v: v <= 1.2)
    row(f"GET p99 alone (ms, wrk -t1 -c8 -d{dur})", lambda b: get(b, "p99-base", "p99_ms"), ".2f")
    row(f"GET p99 with {rate:g} logins/s (ms)", lambda b: get(b, "p99-logins", "p99_ms"), ".2f")
    row("Logins achieved (per s, all 200)", lambda b: get(b, "logins", "rate_per_s"), ".1f")

    def p99_ratio(b):
        base, loaded = get(b, "p99-base", "p99_ms"), get(b, "p99-logins", "p99_ms")
        return None if not base or loaded is None else loaded / base

    row("3. GET p99 with logins ÷ p99 without", p99_ratio, ".2f", "≤ 2", lambda b, v: v <= 2)
    row("4. Idle RSS, 2 s after a sign-in (MiB)", lambda b: get(b, "memory", "idle_mb"), ".1f",
        "≤ 25", lambda b, v: v <= 25)
    row(f"4. Peak RSS during the reads with {rate:g} logins/s (MiB)",
        lambda b: get(b, "memory", "load_mb"), ".1f", "≤ 100", lambda b, v: v <= 100)

    out = ["| Metric | SQLite | PostgreSQL | Target | Met? (SQLite / PG) |",
           "|---|---:|---:|---|---|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    print("\n".join(out))


COMMANDS = {
    "free-port": cmd_free_port,
    "wait-ready": cmd_wait_ready,
    "signup": cmd_signup,
    "login": cmd_login,
    "check-seed": cmd_check_seed,
    "list-latency": cmd_list_latency,
    "logins": cmd_logins,
    "wrk-json": cmd_wrk_json,
    "rss": cmd_rss,
    "median": cmd_median,
    "table": cmd_table,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
