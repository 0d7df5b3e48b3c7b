#!/usr/bin/env bash
# Checks every service's HTTP API against its own OpenAPI document with schemathesis: starts
# the (already built) service on a free loopback port with a temporary data directory and API
# key, waits until it is ready, runs every schemathesis check over the examples, coverage,
# fuzzing and stateful phases with a bounded number of examples, stops the service.
#
# Fails (exit 1) on any server error (5xx) and on any failure that Deploy/local/api-check-allowlist
# does not accept; prints what was found either way.
#
# Usage: Deploy/local/api-check.sh [SERVICE...]        (default: every service below)
# Environment:
#   RELANCE_TEST_BROKER     a running broker to use (run-tests.sh sets it); otherwise one is
#                           started on a free port and stopped at the end
#   API_CHECK_EXAMPLES      examples per operation and phase (default 100: about a minute
#                           for invoicing on two cores)
#   API_CHECK_SEED          schemathesis seed (default fixed, so `make test` is repeatable;
#                           set another to explore)
#   API_CHECK_KEEP          directory to keep the reports and logs in (default: deleted)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# One line per service: name, executable (in the build's bin directory), the flag setting its
# HTTP port, then any NAME=value environment the check runs it with. Every service reads the
# other settings (data dir, keys, broker) by the same keys.
# scenario-scheduler runs with its development clock (RELANCE_MODE=development,
# RELANCE_DEV_CLOCK=true) so that POST /v1/clock/advance is exercised for real; without it
# every valid advance answers 409 clockNotAdjustable, which its document also states.
SERVICES=(
  "invoicing invoicing --http-port"
  "payment-matching payment-matching --http-port"
  "scenario-scheduler scenario-scheduler --http-port RELANCE_MODE=development RELANCE_DEV_CLOCK=true"
  "notification notification --http-port"
)

DEPS="${RELANCE_DEPS_DIR:-$ROOT/.deps}"
# Run as a module of the venv's interpreter, not through the `schemathesis` launcher: a launcher's
# shebang names the path the venv was created at and breaks when the folder moves.
PYTHON="$DEPS/venv/bin/python"
ALLOWLIST="$ROOT/Deploy/local/api-check-allowlist"
EXAMPLES="${API_CHECK_EXAMPLES:-100}"
SEED="${API_CHECK_SEED:-20260315}"

log() { printf 'api-check: %s\n' "$*" >&2; }

wanted=("$@")
for name in "${wanted[@]}"; do
  printf '%s\n' "${SERVICES[@]}" | grep -q "^$name " || { log "unknown service '$name'"; exit 2; }
done
[ -f "$DEPS/env.sh" ] && "$PYTHON" -c 'import schemathesis' 2>/dev/null \
  || { log "run Deploy/local/bootstrap.sh first (installs schemathesis)"; exit 2; }
# shellcheck disable=SC1091
source "$DEPS/env.sh"
BIN="$(swift build --show-bin-path)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/relance-api-check.XXXXXX")"
SERVICE_PID=""
BROKER_STATE=""
cleanup() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  [ -z "$BROKER_STATE" ] || Deploy/local/broker-stop.sh "$BROKER_STATE" >/dev/null 2>&1 || true
  if [ -n "${API_CHECK_KEEP:-}" ]; then
    mkdir -p "$API_CHECK_KEEP" && cp -R "$WORK"/. "$API_CHECK_KEEP"/ && log "reports and logs kept in $API_CHECK_KEEP"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${RELANCE_TEST_BROKER:-}" ]; then
  BROKERS="$RELANCE_TEST_BROKER"
else
  BROKER_STATE="$WORK/broker"
  port="$(Deploy/local/free-port.sh)"
  Deploy/local/broker-start.sh "$port" "$BROKER_STATE"
  BROKERS="127.0.0.1:$port"
fi

# check SERVICE BINARY PORT_FLAG [NAME=value...]: runs the service (with that environment) and
# schemathesis, then judges the report.
check() {
  local name="$1" binary="$2" port_flag="$3"
  local environment=("${@:4}")
  local port key run dir status=0
  port="$(Deploy/local/free-port.sh)"
  key="api-check-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
  run="$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
  dir="$WORK/$name"
  mkdir -p "$dir/data" "$dir/report"

  log "$name: starting on 127.0.0.1:$port (broker $BROKERS)"
  env ${environment[@]+"${environment[@]}"} "$BIN/$binary" "$port_flag" "$port" --http-host 127.0.0.1 --data-dir "$dir/data" --api-keys "$key" \
    --kafka-brokers "$BROKERS" --kafka-topic-prefix "relance-api-check-$run." --kafka-group "relance-api-check-$run-$name" \
    --log-level warning >"$dir/service.log" 2>&1 &
  SERVICE_PID=$!
  local ready=""
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; then ready=1; break; fi
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    log "$name did not become ready within 30 s; its log:"; cat "$dir/service.log" >&2
    return 1
  fi

  # A service may seed data first, so that operations on existing resources are exercised
  # (Deploy/local/api-check-seed/<service>.sh BASE_URL KEY; the broker and the run's topic
  # prefix are in API_CHECK_BROKERS and API_CHECK_TOPIC_PREFIX, for a seed that publishes events).
  if [ -x "Deploy/local/api-check-seed/$name.sh" ]; then
    API_CHECK_BROKERS="$BROKERS" API_CHECK_TOPIC_PREFIX="relance-api-check-$run." \
      "Deploy/local/api-check-seed/$name.sh" "http://127.0.0.1:$port" "$key" || { log "$name: seeding failed"; return 1; }
    log "$name: seeded (Deploy/local/api-check-seed/$name.sh)"
  fi

  log "$name: schemathesis, $EXAMPLES examples per operation, seed $SEED"
  local started=$SECONDS
  # Its own exit code only says "something failed"; the verdict below applies the allow-list.
  # It runs in the temporary directory: it keeps a cache of past failures (.schemathesis/)
  # in its working directory and would replay them first in the next run.
  (cd "$dir" && "$PYTHON" -m schemathesis.cli run "http://127.0.0.1:$port/openapi.json" --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $key" --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" --seed "$SEED" --generation-database none --suppress-health-check all \
    --request-timeout 10 --report json,ndjson --report-dir "$dir/report" --no-color) >"$dir/schemathesis.txt" 2>&1 || true
  log "$name: schemathesis ran for $((SECONDS - started)) s"

  kill -TERM "$SERVICE_PID" 2>/dev/null || true
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=""

  python3 - "$name" "$dir/report" "$ALLOWLIST" <<'PY' || status=$?
"""Judges a schemathesis report against the allow-list; prints the figures and exits 1 on a
server error or a failure no entry accepts."""
import base64, fnmatch, glob, json, sys

service, report_dir, allowlist_path = sys.argv[1:4]

# Allow-list lines: service | check | operation | problem codes | reason. Operation and codes
# may use * wildcards; a code may name its field as code@field.
entries = []
with open(allowlist_path, encoding="utf-8") as handle:
    for number, raw in enumerate(handle, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 5 or not all(parts):
            sys.exit(f"{allowlist_path}:{number}: want 'service | check | operation | codes | reason', every column filled")
        if parts[1] == "not_a_server_error":
            sys.exit(f"{allowlist_path}:{number}: server errors cannot be allowed")
        entries.append({"line": number, "service": parts[0], "check": parts[1], "operation": parts[2],
                        "codes": [code.strip() for code in parts[3].split(",")], "reason": parts[4], "used": 0})

def problem_of(interaction):
    response = (interaction or {}).get("response") or {}
    content = response.get("content") or {}
    body = content.get("$base64")
    try:
        problem = json.loads(base64.b64decode(body)) if body else None
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        return "-", ""
    errors = problem.get("errors") or [{}]
    field = errors[0].get("field", "") if isinstance(errors[0], dict) else ""
    return str(problem.get("code") or "-"), str(field)

def allowed_by(failure):
    for entry in entries:
        if entry["service"] != service or entry["check"] != failure["check"]:
            continue
        if not fnmatch.fnmatchcase(failure["operation"], entry["operation"]):
            continue
        for code in entry["codes"]:
            wanted_code, _, wanted_field = code.partition("@")
            if fnmatch.fnmatchcase(failure["code"], wanted_code) and (
                    not wanted_field or fnmatch.fnmatchcase(failure["field"], wanted_field)):
                return entry
    return None

failures = {}
for path in glob.glob(f"{report_dir}/*.ndjson"):
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            event = json.loads(raw)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    info = (check.get("failure_info") or {}).get("failure") or {}
                    interaction = (recorder.get("interactions") or {}).get(case_id) or {}
                    code, field = problem_of(interaction)
                    status = ((interaction.get("response") or {}).get("status_code"))
                    operation = info.get("operation") or recorder.get("label") or "?"
                    key = (check["name"], operation, status, code, field)
                    failures.setdefault(key, {"check": check["name"], "operation": operation, "status": status,
                                              "code": code, "field": field, "title": info.get("title", ""),
                                              "count": 0})["count"] += 1

summary = {}
for path in glob.glob(f"{report_dir}/*.json"):
    with open(path, encoding="utf-8") as handle:
        summary = json.load(handle)
cases = (summary.get("test_cases") or {}).get("generated", 0)
if not summary or not cases:
    # No report, or nothing generated: schemathesis did not run (or tested nothing). Never a pass.
    print(f"api-check: {service}: FAILED, schemathesis produced no test cases (its output follows)")
    sys.exit(1)
errors = summary.get("errors") or []

server_errors, unexpected, accepted = [], [], []
for failure in failures.values():
    if failure["check"] == "not_a_server_error":
        server_errors.append(failure)
        continue
    entry = allowed_by(failure)
    if entry:
        entry["used"] += failure["count"]
        accepted.append(failure)
    else:
        unexpected.append(failure)

def describe(failure):
    where = f"{failure['code']}" + (f" at {failure['field']}" if failure["field"] else "")
    return f"  {failure['check']}: {failure['operation']} -> {failure['status']} {where} ({failure['count']}x) {failure['title']}"

print(f"api-check: {service}: {cases} cases; {len(server_errors)} server errors; "
      f"{len(unexpected)} unexpected failures; {len(accepted)} allowed failures; {len(errors)} schemathesis errors")
for failure in sorted(accepted, key=describe):
    print("  allowed" + describe(failure)[1:])
for entry in entries:
    if entry["service"] == service and not entry["used"]:
        print(f"  allow-list line {entry['line']} was not needed this run: {entry['check']} {entry['operation']}")
if server_errors or unexpected or errors:
    for failure in sorted(server_errors + unexpected, key=describe):
        print(describe(failure))
    for error in errors:
        print(f"  schemathesis error: {json.dumps(error)[:300]}")
    print(f"api-check: {service}: FAILED (schemathesis' own account follows)")
    sys.exit(1)
print(f"api-check: {service}: passed")
PY
  if [ "$status" -ne 0 ]; then
    grep -v '^\s*$' "$dir/schemathesis.txt" | tail -n 60 >&2 || true
    return 1
  fi
  # Schemathesis' own summary (phases, cases, warnings), for the record; it counts the
  # allowed failures too, and marks their phases failed.
  sed -n '/= SUMMARY =/,$p' "$dir/schemathesis.txt" | grep -v '^\s*$' | grep -v 'NDJSON:\|JSON:\|Reports:' >&2 || true
}

failed=0
for line in "${SERVICES[@]}"; do
  read -r name binary port_flag environment <<<"$line"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  # shellcheck disable=SC2086 # the environment column is NAME=value words
  check "$name" "$binary" "$port_flag" $environment || failed=1
done
exit "$failed"
