#!/usr/bin/env bash
# Runs the whole test suite against a broker of its own: starts Tansu on a free loopback
# port, runs the already built tests, always stops the broker, then checks the event contract
# and the events the end-to-end tests captured with Deploy/local/check-events.py (Python
# jsonschema). Exit code: swift test's, else the check's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC1091
source .deps/env.sh
STATE="$(mktemp -d "${TMPDIR:-/tmp}/relance-test-broker.XXXXXX")"
PORT="$(Deploy/local/free-port.sh)"
cleanup() { Deploy/local/broker-stop.sh "$STATE" || true; rm -rf "$STATE"; }
trap cleanup EXIT
Deploy/local/broker-start.sh "$PORT" "$STATE"
export RELANCE_TEST_BROKER="127.0.0.1:$PORT"
export RELANCE_BIN_DIR="$(swift build --show-bin-path)"
export RELANCE_CAPTURED_EVENTS_DIR="$STATE/captured-events"
swift test --skip-build "$@"
python3 Deploy/local/check-events.py --captured "$RELANCE_CAPTURED_EVENTS_DIR" --swift-test-arguments "$@"
