#!/usr/bin/env bash
# Starts the Tansu broker on loopback and waits until it answers a metadata request.
# Usage: Deploy/local/broker-start.sh [PORT] [STATE_DIR]
#   PORT       default 9092
#   STATE_DIR  where the pid file and log go; default .data/broker
# Tansu keeps topics in memory: a restart loses them (services re-create their topics at start).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${1:-9092}"
STATE="${2:-$ROOT/.data/broker}"
mkdir -p "$STATE"
[ -f "$ROOT/.deps/env.sh" ] || { echo "run Deploy/local/bootstrap.sh first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$ROOT/.deps/env.sh"

if [ -f "$STATE/broker.pid" ] && kill -0 "$(cat "$STATE/broker.pid")" 2>/dev/null; then
  echo "broker already running (pid $(cat "$STATE/broker.pid"))" >&2
  exit 0
fi
"$RELANCE_TANSU" broker \
  --listener-url "tcp://127.0.0.1:$PORT" \
  --advertised-listener-url "tcp://127.0.0.1:$PORT" \
  --storage-engine "memory://tansu/" >"$STATE/broker.log" 2>&1 &
echo $! > "$STATE/broker.pid"

# Ready means: a Kafka client gets metadata back, not merely that the port accepts.
for _ in $(seq 1 100); do
  if LD_LIBRARY_PATH="${RELANCE_RDKAFKA_LIB:-}" kcat -L -b "127.0.0.1:$PORT" -m 2 >/dev/null 2>&1; then
    echo "broker ready on 127.0.0.1:$PORT (pid $(cat "$STATE/broker.pid"))" >&2
    exit 0
  fi
  if ! kill -0 "$(cat "$STATE/broker.pid")" 2>/dev/null; then
    echo "broker exited; log:" >&2; cat "$STATE/broker.log" >&2; exit 1
  fi
  sleep 0.1
done
echo "broker did not become ready on port $PORT within 10 s" >&2
exit 1
