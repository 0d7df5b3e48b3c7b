#!/usr/bin/env bash
# Runs the whole test suite against a broker of its own: starts Tansu on a free loopback
# port, runs the already built tests, checks the event contract and the events the
# end-to-end tests captured with Deploy/local/check-events.py (Python jsonschema), then (for
# the whole suite, i.e. without arguments) runs the API check of every service
# (Deploy/local/api-check.sh) on the same broker, and always stops the broker.
# Exit code: non-zero when the tests, the event check or the API check failed.
# RELANCE_API_CHECK=0 skips the API check, =1 runs it even with a --filter.
# On failure the tail of the broker's log goes to stderr (its folder is removed afterwards).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC1091
source .deps/env.sh
STATE="$(mktemp -d "${TMPDIR:-/tmp}/relance-test-broker.XXXXXX")"
PORT="$(Deploy/local/free-port.sh)"
status=0
cleanup() {
  if [ "$status" != 0 ] && [ -f "$STATE/broker.log" ]; then
    echo "run-tests: last 40 lines of the test broker's log:" >&2
    tail -n 40 "$STATE/broker.log" >&2 || true
  fi
  Deploy/local/broker-stop.sh "$STATE" || true
  rm -rf "$STATE"
}
trap cleanup EXIT
Deploy/local/broker-start.sh "$PORT" "$STATE"
export RELANCE_TEST_BROKER="127.0.0.1:$PORT"
export RELANCE_BIN_DIR="$(swift build --show-bin-path)"
export RELANCE_CAPTURED_EVENTS_DIR="$STATE/captured-events"
swift test --skip-build "$@" || status=$?
if [ "$status" = 0 ]; then
  "${RELANCE_PYTHON:-python3}" Deploy/local/check-events.py --captured "$RELANCE_CAPTURED_EVENTS_DIR" --swift-test-arguments "$@" || status=1
fi
if [ "${RELANCE_API_CHECK:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = 1 ]; then
  Deploy/local/api-check.sh || status=1
else
  echo "run-tests: API check skipped (it runs with the whole suite, or with RELANCE_API_CHECK=1)" >&2
fi
exit "$status"
