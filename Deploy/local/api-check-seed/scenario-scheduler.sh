#!/usr/bin/env bash
# Seeds scenario-scheduler before the API check. The scheduler creates no customer or invoice
# through its API: they come from the ledger's topics. So this publishes, with kcat, the event
# contract's own examples (docs/events/schemas: customer.registered and invoice.issued, examples
# 0: customer 7c9e6679-..., invoice 0b6f4e1a-..., due 2025-03-31, long overdue) to the run's
# topics, waits until the scheduler shows them, runs one tick (catch-up: the customer gets its
# consolidated reminders, a phone call task, ...), and publishes a scenario version by PUT.
# The OpenAPI document's examples name these ids, so the examples phase reads real resources.
#
# Usage: scenario-scheduler.sh BASE_URL API_KEY
# Environment (set by api-check.sh): API_CHECK_BROKERS, API_CHECK_TOPIC_PREFIX.
set -euo pipefail
base="$1" key="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
: "${API_CHECK_BROKERS:?set by api-check.sh}" "${API_CHECK_TOPIC_PREFIX:?set by api-check.sh}"
command -v kcat >/dev/null || { echo "scenario-scheduler seed: kcat is needed to publish the ledger events" >&2; exit 1; }
auth=(-H "Authorization: Bearer $key")

# publish TOPIC TYPE SCHEMA: example 0 of docs/events/schemas/SCHEMA.json as a CloudEvent
# (binary mode: ce_* headers, the data as the value, the customer id as the key).
publish() {
  local topic="$1" type="$2" schema="$3" data customer
  data="$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["examples"][0], separators=(",", ":")))' \
    "$ROOT/docs/events/schemas/$schema.json")"
  customer="$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d.get("customerId") or d["customer"]["customerId"])' "$data")"
  # The system kcat's own librdkafka fails Tansu's ApiVersions handshake; the bootstrapped one
  # (RELANCE_RDKAFKA_LIB, from .deps/env.sh, which api-check.sh sources) does not.
  printf '%s\n' "$data" | LD_LIBRARY_PATH="${RELANCE_RDKAFKA_LIB:+$RELANCE_RDKAFKA_LIB:}${LD_LIBRARY_PATH:-}" kcat -P -b "$API_CHECK_BROKERS" -t "$API_CHECK_TOPIC_PREFIX$topic" -k "$customer" \
    -H ce_specversion=1.0 -H "ce_id=seed-$type" -H "ce_type=$type" -H ce_source=/relance/api-check-seed \
    -H "ce_time=$(date -u +%Y-%m-%dT%H:%M:%SZ)" -H content-type=application/json
}
publish customers relance.customer.registered.v1 relance.customer.registered.v1
publish invoices relance.invoice.issued.v1 relance.invoice.issued.v1

invoice=0b6f4e1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "${auth[@]}" "$base/v1/invoices/$invoice/dunning" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "${auth[@]}" "$base/v1/invoices/$invoice/dunning" \
  || { echo "scenario-scheduler seed: the scheduler did not project invoice $invoice within 30 s" >&2; exit 1; }
curl -fsS -o /dev/null "${auth[@]}" -X POST "$base/v1/tick"
# A version 2 of gentle (its description changed), so versions and the YAML export have two.
curl -fsS "${auth[@]}" "$base/v1/scenarios/gentle/yaml" | sed 's/^description: .*/description: "Gentle, as seeded by the API check"/' \
  | curl -fsS -o /dev/null "${auth[@]}" -X PUT -H 'Content-Type: application/yaml' --data-binary @- "$base/v1/scenarios/gentle"
