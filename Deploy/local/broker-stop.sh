#!/usr/bin/env bash
# Stops the broker started by broker-start.sh. Usage: Deploy/local/broker-stop.sh [STATE_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${1:-$ROOT/.data/broker}"
[ -f "$STATE/broker.pid" ] || exit 0
pid="$(cat "$STATE/broker.pid")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$STATE/broker.pid"
