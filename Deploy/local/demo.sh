#!/usr/bin/env bash
# The local stack on its embedded defaults: a broker on 127.0.0.1:9092 (or $RELANCE_DEMO_BROKER_PORT),
# the invoicing service on 127.0.0.1:8081, then a short scenario through the public interfaces:
# customers and invoices imported from CSV, one invoice paid by a payment.allocated event
# published on the payments topic (as payment-matching will), a sync of an ERP export with
# years of history (Deploy/local/erp-export.csv, imported twice: the second import changes
# nothing), checked from the API, the outstanding report.
# The stack keeps running until Ctrl-C (or exits after the scenario with RELANCE_DEMO_EXIT=1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck disable=SC1091
source .deps/env.sh
BIN="$(swift build --show-bin-path)"
BROKER_PORT="${RELANCE_DEMO_BROKER_PORT:-9092}"
HTTP_PORT="${RELANCE_DEMO_HTTP_PORT:-8081}"
STATE=".data/demo"
KEY="demo-key"
API="http://127.0.0.1:$HTTP_PORT"
mkdir -p "$STATE"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  Deploy/local/broker-stop.sh "$STATE/broker"
}
trap cleanup EXIT INT TERM

say "Broker (Tansu) on 127.0.0.1:$BROKER_PORT"
Deploy/local/broker-stop.sh "$STATE/broker"
Deploy/local/broker-start.sh "$BROKER_PORT" "$STATE/broker"

say "invoicing on $API (data in $STATE/invoicing, log in $STATE/invoicing.log)"
rm -rf "$STATE/invoicing"   # the broker keeps topics in memory: start both fresh
RELANCE_KAFKA_BROKERS="127.0.0.1:$BROKER_PORT" RELANCE_DATA_DIR="$STATE/invoicing" \
RELANCE_HTTP_PORT="$HTTP_PORT" RELANCE_API_KEYS="$KEY" \
  "$BIN/invoicing" >"$STATE/invoicing.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "$API/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$API/health/ready"; echo

call() { # call METHOD PATH [curl args...]
  local method="$1" path="$2"; shift 2
  curl -sS -X "$method" "$API$path" -H "Authorization: Bearer $KEY" "$@"
}

say "Import customers (CSV)"
cat >"$STATE/customers.csv" <<'CSV'
customerNumber,legalName,country,currency,paymentTerms,creditLimit,segment,riskCategory,contactName,contactEmail,contactRole
C-1001,Boulangerie Martin SARL,FR,EUR,net:30,5000.00,retail,low,Claire Martin,compta@boulangerie-martin.fr,accounting
C-1002,Garage Dupont & Fils,FR,EUR,eom+10,2000.00,services,medium,Paul Dupont,paul@garage-dupont.fr,accounting
C-1003,Hôtel des Alpes,FR,EUR,45eom,,hospitality,high,Réception,factures@hotel-alpes.fr,accounting
C-1004,Bad Row Ltd,ZZ,EUR,net:30,,,,,,
CSV
call POST /v1/imports/customers -H 'Content-Type: text/csv' --data-binary @"$STATE/customers.csv"; echo

say "Import invoices (CSV)"
cat >"$STATE/invoices.csv" <<'CSV'
invoiceNumber,customerNumber,issueDate,dueDate,currency,total,orderReference
F-2026-0001,C-1001,2026-08-01,,EUR,"1 250,00",PO-77
F-2026-0002,C-1001,2026-09-15,,EUR,480.00,
F-2026-0003,C-1002,2026-07-10,,EUR,2300.00,
F-2026-0004,C-1003,2026-10-01,,EUR,"890,40",
F-2026-0005,C-9999,2026-10-01,,EUR,10.00,
CSV
call POST /v1/imports/invoices -H 'Content-Type: text/csv' --data-binary @"$STATE/invoices.csv"; echo

say "Invoice F-2026-0001"
INVOICES="$(call GET "/v1/invoices?limit=10")"
INVOICE_ID="$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(i["id"] for i in d["items"] if i["number"]=="F-2026-0001"))' <<<"$INVOICES")"
CUSTOMER_ID="$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(i["customerId"] for i in d["items"] if i["number"]=="F-2026-0001"))' <<<"$INVOICES")"
call GET "/v1/invoices/$INVOICE_ID" | python3 -m json.tool

say "A bank payment of 1 250,00 EUR is allocated to it (payment.allocated on relance.payments)"
EVENT_ID="demo-$(date +%s)"
printf '%s|{"allocationId":"alloc-%s","amount":{"currency":"EUR","minorUnits":125000},"customerId":"%s","invoiceId":"%s","invoiceNumber":"F-2026-0001","paymentId":"pay-%s","valueDate":"2026-09-02"}\n' \
  "$CUSTOMER_ID" "$EVENT_ID" "$CUSTOMER_ID" "$INVOICE_ID" "$EVENT_ID" |
  LD_LIBRARY_PATH="${RELANCE_RDKAFKA_LIB:-}" kcat -P -b "127.0.0.1:$BROKER_PORT" -t relance.payments -K '|' \
    -H "ce_specversion=1.0" -H "ce_id=$EVENT_ID" -H "ce_type=relance.payment.allocated.v1" \
    -H "ce_source=/relance/payment-matching" -H "ce_time=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -H "ce_subject=$INVOICE_ID" -H "content-type=application/json"
for _ in $(seq 1 50); do
  status="$(call GET "/v1/invoices/$INVOICE_ID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  [ "$status" = "paid" ] && break
  sleep 0.2
done
echo "status of F-2026-0001: $status"

say "Sync an ERP export with history (Deploy/local/erp-export.csv): mostly paid, some open and old, one disputed"
call POST /v1/imports/invoices -H 'Content-Type: text/csv' --data-binary @Deploy/local/erp-export.csv | python3 -m json.tool
say "The same export again: everything unchanged, nothing published"
call POST /v1/imports/invoices -H 'Content-Type: text/csv' --data-binary @Deploy/local/erp-export.csv |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print({k: r[k] for k in ("created", "updated", "unchanged", "rejectedCount")})'

say "From the API: no settled invoice is open; old open items are reminded about from the import day at the earliest"
call GET "/v1/invoices?limit=100" >"$STATE/invoices.json"
IMPORT_DAY="$(TZ=Europe/Paris date +%Y-%m-%d)"   # business.timezone
python3 Deploy/local/check-sync.py Deploy/local/erp-export.csv "$STATE/invoices.json" "$IMPORT_DAY"

say "Outstanding of the portfolio as of 2026-11-29 (aging, DSO)"
call GET "/v1/outstanding?asOf=2026-11-29" | python3 -m json.tool

say "Events published on relance.invoices (type and key)"
LD_LIBRARY_PATH="${RELANCE_RDKAFKA_LIB:-}" kcat -C -b "127.0.0.1:$BROKER_PORT" -t relance.invoices -o beginning -e -q \
  -f '%h\n' 2>/dev/null | tr ',' '\n' | grep '^ce_type=' | sort | uniq -c

if [ "${RELANCE_DEMO_EXIT:-0}" = "1" ]; then exit 0; fi
say "The stack is running: API $API (key $KEY), OpenAPI at $API/openapi.json, metrics at $API/metrics. Ctrl-C stops it."
wait
