#!/usr/bin/env bash
# Runs the release benchmarks against a broker of its own: starts Tansu on a free loopback
# port, runs relance-bench (producer, consumer and outbox relay, Swift vs kcat) and
# relance-invoicing-bench (CSV import, outstanding) and relance-notification-bench (e-mails/s
# through the notification executable into postfix's smtp-sink, the sink's limit by smtp-source),
# prints their markdown tables, always stops the broker; then relance-matching-bench (payment
# matching accuracy, matching speed, MT940 / camt.053 parsing against the Python libraries),
# which needs no broker and runs after it is stopped; then relance-scheduler-bench (scenario
# scheduler: ingest of 1,000,000 open invoices of 50,000 customers, a busy tick, the catch-up
# after 30 days stopped), which needs no broker either. Extra arguments go to relance-bench
# (e.g. `--records 200000 --repeat 1`, `--only producer,consumer`, `--help`).
#
# Build first: swift build -c release --scratch-path .build-bench --product relance-bench
# (`make bench` does both). The scratch path keeps release objects away from the debug `.build`.
#
# Environment:
#   RELANCE_BENCH_BIN   the benchmark binary; default .build-bench/release/relance-bench
#   RELANCE_BENCH_NICE  niceness of broker and benchmark; default -10 when allowed (root), so a
#                       build running beside it disturbs the numbers less; 0 to keep the default.
#   RELANCE_BENCH_TRACE set: the Swift consumer prints its time per 5 % of records (finds stalls).
#   RELANCE_MATCHING_BENCH_ARGS  arguments of relance-matching-bench (e.g. `--only accuracy`,
#                       `--invoices 100000 --payments 10000`, `--parse-mb 20`, `--help`).
#   RELANCE_SCHEDULER_BENCH_ARGS  arguments of relance-scheduler-bench (e.g.
#                       `--customers 5000 --invoices 100000` for a quick run, `--help`).
#   RELANCE_NOTIFICATION_BENCH_ARGS  arguments of relance-notification-bench (e.g. `--messages 2000`,
#                       `--only sink,one,render`, `--help`).
#   RELANCE_BENCH_SYNCHRONOUS  SQLite modes the invoicing import runs with, side by side; default
#                       `normal,full` (before / after services moved to FULL). relance-bench's
#                       outbox scenario always prints both.
# Exit code: relance-bench's (non-zero only when the harness fails, never for a missed target).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[ -f .deps/env.sh ] || { echo "run Deploy/local/bootstrap.sh first" >&2; exit 1; }
# shellcheck disable=SC1091
source .deps/env.sh
BIN="${RELANCE_BENCH_BIN:-$ROOT/.build-bench/release/relance-bench}"
[ -x "$BIN" ] || {
  echo "no benchmark binary at $BIN; build it with:" >&2
  echo "  swift build -c release --scratch-path .build-bench --product relance-bench" >&2
  exit 1
}
KCAT="$(command -v kcat)" || { echo "kcat not found (Deploy/local/bootstrap.sh installs it)" >&2; exit 1; }

# kcat must load librdkafka 2.8 from .deps (the Debian 2.0.2 cannot talk to Tansu); the bench
# binary finds the same library through its rpath anyway.
if [ -n "${RELANCE_RDKAFKA_LIB:-}" ]; then
  export LD_LIBRARY_PATH="$RELANCE_RDKAFKA_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

NICE=()
niceness="${RELANCE_BENCH_NICE:--10}"
# `nice` runs the command even when it may not raise the priority; compare what it got.
if [ "$niceness" != 0 ] && [ "$(nice -n "$niceness" nice 2>/dev/null)" != "$(nice)" ]; then
  NICE=(nice -n "$niceness")
fi

STATE="$(mktemp -d "${TMPDIR:-/tmp}/relance-bench-broker.XXXXXX")"
PORT="$(Deploy/local/free-port.sh)"
cleanup() { Deploy/local/broker-stop.sh "$STATE" || true; rm -rf "$STATE"; }
trap cleanup EXIT
"${NICE[@]}" Deploy/local/broker-start.sh "$PORT" "$STATE"

echo "relance-bench: broker 127.0.0.1:$PORT, kcat $KCAT ($(LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}" "$KCAT" -V 2>/dev/null | sed -n 's/.*librdkafka \([0-9.]*\).*/librdkafka \1/p' | head -n1))" >&2
"${NICE[@]}" "$BIN" --brokers "127.0.0.1:$PORT" --kcat "$KCAT" "$@"

# Invoicing: CSV import of 1,000,000 invoices for 50,000 customers, outstanding latency.
INVOICING_BIN="${RELANCE_INVOICING_BENCH_BIN:-$ROOT/.build-bench/release/relance-invoicing-bench}"
if [ -x "$INVOICING_BIN" ]; then
  echo "relance-invoicing-bench: ${RELANCE_BENCH_INVOICES:-1000000} invoices, ${RELANCE_BENCH_CUSTOMERS:-50000} customers" >&2
  "${NICE[@]}" "$INVOICING_BIN" "127.0.0.1:$PORT" "${RELANCE_BENCH_INVOICES:-1000000}" "${RELANCE_BENCH_CUSTOMERS:-50000}"
else
  echo "no invoicing benchmark at $INVOICING_BIN (swift build -c release --scratch-path .build-bench --product relance-invoicing-bench)" >&2
fi

# postfix's smtp-sink and smtp-source (the notification bench's sink and its yardstick) ship only
# in the `postfix` package: installed here on first use, not by the bootstrap (tests do not need
# them). "No configuration" leaves postfix without a main.cf, so no mail daemon is set up; one
# running after the install all the same is stopped. Installing postfix replaces exim4 if present.
if [ ! -x /usr/sbin/smtp-sink ] || [ ! -x /usr/sbin/smtp-source ]; then
  echo "installing postfix (for smtp-sink and smtp-source; no mail daemon is configured)" >&2
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ] || apt-get update -qq
  apt-get install -y -qq --no-install-recommends postfix >/dev/null || echo "postfix could not be installed: no notification bench" >&2
  if postfix status >/dev/null 2>&1; then postfix stop >/dev/null 2>&1 || true; fi
fi
# Notification: e-mails/s through the release `notification` executable (one, then two
# instances) into postfix's smtp-sink, against the sink's limit (smtp-source) in the same run.
NOTIFICATION_BENCH_BIN="${RELANCE_NOTIFICATION_BENCH_BIN:-$ROOT/.build-bench/release/relance-notification-bench}"
if [ -x "$NOTIFICATION_BENCH_BIN" ] && [ -x "$ROOT/.build-bench/release/notification" ]; then
  echo "relance-notification-bench: e-mails/s into smtp-sink" >&2
  # shellcheck disable=SC2086
  "${NICE[@]}" "$NOTIFICATION_BENCH_BIN" --brokers "127.0.0.1:$PORT" --notification "$ROOT/.build-bench/release/notification" \
    ${RELANCE_NOTIFICATION_BENCH_ARGS:-} || echo "relance-notification-bench failed (see above)" >&2
else
  echo "no notification benchmark (swift build -c release --scratch-path .build-bench --product notification, then --product relance-notification-bench)" >&2
fi

# Payment matching: needs no broker, so it runs once the broker is stopped. Its camt.053
# yardstick, the Python camt053 package, is installed here on first use (not by the bootstrap:
# it pulls in a web framework the tests never need).
if ! "$ROOT/.deps/venv/bin/python" -c 'import camt053' 2>/dev/null; then
  echo "installing camt053==0.0.23 into .deps/venv (the camt.053 parsing yardstick)" >&2
  "$ROOT/.deps/venv/bin/python" -m pip install -q --disable-pip-version-check camt053==0.0.23 \
    || echo "camt053 could not be installed: the camt.053 row will have no Python figure" >&2
fi
MATCHING_BIN="${RELANCE_MATCHING_BENCH_BIN:-$ROOT/.build-bench/release/relance-matching-bench}"
if [ -x "$MATCHING_BIN" ]; then
  cleanup
  trap - EXIT
  echo "relance-matching-bench: accuracy, speed, parsing" >&2
  # shellcheck disable=SC2086
  "${NICE[@]}" "$MATCHING_BIN" --python "$ROOT/.deps/venv/bin/python" ${RELANCE_MATCHING_BENCH_ARGS:-}
else
  echo "no matching benchmark at $MATCHING_BIN (swift build -c release --scratch-path .build-bench --product relance-matching-bench)" >&2
fi

# Scenario scheduler: needs no broker (stopped above when the matching benchmark ran; else it
# is stopped on exit).
SCHEDULER_BIN="${RELANCE_SCHEDULER_BENCH_BIN:-$ROOT/.build-bench/release/relance-scheduler-bench}"
if [ -x "$SCHEDULER_BIN" ]; then
  echo "relance-scheduler-bench: ingest, busy tick, catch-up" >&2
  # shellcheck disable=SC2086
  "${NICE[@]}" "$SCHEDULER_BIN" ${RELANCE_SCHEDULER_BENCH_ARGS:-}
else
  echo "no scheduler benchmark at $SCHEDULER_BIN (swift build -c release --scratch-path .build-bench --product relance-scheduler-bench)" >&2
fi
