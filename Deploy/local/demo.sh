#!/usr/bin/env bash
# The local stack on its embedded defaults: a broker on 127.0.0.1:9092 (or $RELANCE_DEMO_BROKER_PORT),
# the invoicing service on 127.0.0.1:8081, payment-matching on 127.0.0.1:8082 (watching
# .data/demo/statements-inbox), scenario-scheduler on 127.0.0.1:8083 (development clock) and notification on
# 127.0.0.1:8084 (reminders written as .eml/.txt/.html files), then a short scenario through the public interfaces: customers
# and invoices imported from CSV, a bank statement (camt.053) uploaded to payment matching that
# pays two invoices (by the invoice number in the text, by the RF reference), leaves one
# payment in the unmatched queue (shown with its suggestions) and is allocated by hand, the
# same statement again (nothing added), an MT940 dropped in the watched folder, the
# scenario-scheduler's preview and charges commands, the dunning story (Deploy/local/demo-dunning.sh:
# the clock moves through weeks, consolidated reminders, a dispute, a payment, a late payer), a sync of an ERP export with
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
MATCHING_PORT="${RELANCE_DEMO_MATCHING_PORT:-8082}"
MATCHING="http://127.0.0.1:$MATCHING_PORT"
SCHEDULER_PORT="${RELANCE_DEMO_SCHEDULER_PORT:-8083}"
SCHEDULER="http://127.0.0.1:$SCHEDULER_PORT"
NOTIFICATION_PORT="${RELANCE_DEMO_NOTIFICATION_PORT:-8084}"
NOTIFICATION="http://127.0.0.1:$NOTIFICATION_PORT"
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

say "payment-matching on $MATCHING (data in $STATE/payment-matching, watching $STATE/statements-inbox)"
rm -rf "$STATE/payment-matching" "$STATE/statements-inbox"
RELANCE_KAFKA_BROKERS="127.0.0.1:$BROKER_PORT" RELANCE_DATA_DIR="$STATE/payment-matching" \
RELANCE_HTTP_PORT="$MATCHING_PORT" RELANCE_API_KEYS="$KEY" RELANCE_STATEMENT_WATCH_DIR="$STATE/statements-inbox" \
RELANCE_STATEMENT_WATCH_INTERVAL=1s \
  "$BIN/payment-matching" >"$STATE/payment-matching.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "$MATCHING/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$MATCHING/health/ready"; echo

say "scenario-scheduler on $SCHEDULER (data in $STATE/scenario-scheduler; development clock on: the demo moves time)"
rm -rf "$STATE/scenario-scheduler"
RELANCE_KAFKA_BROKERS="127.0.0.1:$BROKER_PORT" RELANCE_DATA_DIR="$STATE/scenario-scheduler" \
RELANCE_HTTP_PORT="$SCHEDULER_PORT" RELANCE_API_KEYS="$KEY" RELANCE_MODE=development RELANCE_DEV_CLOCK=true \
RELANCE_TICK_INTERVAL=1s \
  "$BIN/scenario-scheduler" >"$STATE/scenario-scheduler.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "$SCHEDULER/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$SCHEDULER/health/ready"; echo

say "notification on $NOTIFICATION (e-mails, SMS and letters written as files in $STATE/notification/outbox)"
rm -rf "$STATE/notification"
RELANCE_KAFKA_BROKERS="127.0.0.1:$BROKER_PORT" RELANCE_DATA_DIR="$STATE/notification" \
RELANCE_HTTP_PORT="$NOTIFICATION_PORT" RELANCE_API_KEYS="$KEY" RELANCE_EMAIL_FROM="relances@relance-demo.fr" \
  "$BIN/notification" >"$STATE/notification.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs "$NOTIFICATION/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$NOTIFICATION/health/ready"; echo

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

say "Invoices F-2026-0001 and F-2026-0002"
INVOICES="$(call GET "/v1/invoices?limit=10")"
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(i[sys.argv[2]] for i in d["items"] if i["number"]==sys.argv[1]))' "$1" "$2" <<<"$INVOICES"; }
INVOICE_1="$(field F-2026-0001 id)"; INVOICE_2="$(field F-2026-0002 id)"; INVOICE_3="$(field F-2026-0003 id)"
REFERENCE_2="$(field F-2026-0002 paymentReference)"
call GET "/v1/invoices/$INVOICE_1" | python3 -m json.tool

matching() { # matching METHOD PATH [curl args...]
  local method="$1" path="$2"; shift 2
  curl -sS -X "$method" "$MATCHING$path" -H "Authorization: Bearer $KEY" "$@"
}
say "payment-matching learns the open invoices from relance.invoices"
for _ in $(seq 1 100); do
  count="$(matching GET "/v1/invoices?open=true" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
  [ "$count" -ge 4 ] && break
  sleep 0.2
done
echo "open invoices known to payment-matching: $count"

say "The bank's camt.053 arrives: F-2026-0001 named in the text, F-2026-0002 by its RF reference, a transfer nobody can place"
cat >"$STATE/statement-2026-09-02.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>DEMO-0902</MsgId><CreDtTm>2026-09-03T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>DEMO-STMT-0902</Id>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-09-02</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">13030.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-09-02</Dt></Dt></Bal>
      <Ntry><Amt Ccy="EUR">1250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-09-02</Dt></BookgDt><ValDt><Dt>2026-09-02</Dt></ValDt><AcctSvcrRef>DEMO-0902-1</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>BOULANGERIE MARTIN</Nm></Dbtr><DbtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>Reglement facture F 2026 0001 merci</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="EUR">480.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-09-02</Dt></BookgDt><ValDt><Dt>2026-09-02</Dt></ValDt><AcctSvcrRef>DEMO-0902-2</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>BOULANGERIE MARTIN</Nm></Dbtr></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Ref>$REFERENCE_2</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="EUR">1300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-09-02</Dt></BookgDt><ValDt><Dt>2026-09-02</Dt></ValDt><AcctSvcrRef>DEMO-0902-3</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>DUPONT P</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7610107001011234567890129</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>acompte atelier</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
XML
matching POST "/v1/statements?fileName=statement-2026-09-02.xml" -H 'Content-Type: application/xml' \
  --data-binary @"$STATE/statement-2026-09-02.xml" | python3 -m json.tool

say "The unmatched queue (with the engine's suggestions)"
QUEUE="$(matching GET "/v1/payments?status=unmatched,partlyAllocated")"
python3 -c '
import json,sys
for p in json.load(sys.stdin)["items"]:
    a = p["amount"]["minorUnits"]
    print("%d.%02d" % divmod(a, 100), p["amount"]["currency"], "from", p.get("payerName"), "-", p.get("remittance"))
    for s in p["suggestions"]: print("   suggestion", s["score"], s["rule"], [l["invoiceNumber"] for l in s["lines"]], "-", s["explanation"])
' <<<"$QUEUE"
UNMATCHED="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])' <<<"$QUEUE")"

say "Claire from finance allocates it by hand: 1 300,00 EUR to F-2026-0003 (Garage Dupont), the rest stays open"
matching POST "/v1/payments/$UNMATCHED/allocations" -H 'Content-Type: application/json' \
  -d "{\"lines\":[{\"invoiceId\":\"$INVOICE_3\",\"amount\":{\"minorUnits\":130000,\"currency\":\"EUR\"}}],\"decidedBy\":\"claire@demo\",\"note\":\"called Paul Dupont\"}" |
  python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["status"], [(a["invoiceNumber"], a["amount"]["minorUnits"], a["decidedBy"]) for a in p["allocations"]])'

say "The same statement again: nothing added"
matching POST /v1/statements -H 'Content-Type: application/xml' --data-binary @"$STATE/statement-2026-09-02.xml" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"])'

say "Invoicing received the allocations through relance.payments"
for id in "$INVOICE_1" "$INVOICE_2" "$INVOICE_3"; do
  for _ in $(seq 1 50); do
    line="$(call GET "/v1/invoices/$id" | python3 -c 'import json,sys; m=lambda a: ("-" if a["minorUnits"]<0 else "")+"%d.%02d %s" % (divmod(abs(a["minorUnits"]),100)+(a["currency"],)); i=json.load(sys.stdin); print(i["number"], i["status"], "open", m(i["balance"]))')"
    case "$line" in *" paid "*|*partiallyPaid*) break;; esac
    sleep 0.2
  done
  echo "$line"
done

say "An MT940 dropped in the watched folder ($STATE/statements-inbox) is imported and moved to processed/"
cat >"$STATE/statements-inbox/.mt940-0903.part" <<'MT940'
:20:DEMO0903
:25:30006000011234567890189
:28C:1/1
:60F:C260903EUR13030,00
:61:2609030903C890,40NTRFDEMO-0903-1//0903A
:86:HOTEL DES ALPES FACTURE F-2026-0004
:62F:C260903EUR13920,40
-
MT940
mv "$STATE/statements-inbox/.mt940-0903.part" "$STATE/statements-inbox/mt940-0903.sta"
for _ in $(seq 1 50); do
  ls "$STATE/statements-inbox/processed/" 2>/dev/null | grep -q mt940-0903 && break
  sleep 0.2
done
ls "$STATE/statements-inbox/processed/" "$STATE/statements-inbox/failed/"
matching GET "/v1/imports?limit=1" | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"][0]; print(i["fileName"], i["origin"], i["summary"])'

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

say "A prospect, vetted before signing: Danone SA (SIREN 552 032 534, VAT FR27552032534); a wrong SIREN check digit is refused"
PROSPECT="$(call POST /v1/prospects -H 'Content-Type: application/json' -d '{"customerNumber": "P-0001", "legalName": "Danone SA", "country": "FR", "defaultCurrency": "EUR", "creditPolicy": "block"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
call PUT "/v1/customers/$PROSPECT/vetting" -H 'Content-Type: application/json' \
  -d '{"registrationId": "552 032 535", "decision": "approved", "decidedBy": "claire@demo"}' |
  python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["status"], p["code"], p["errors"][0]["field"], "-", p["errors"][0]["reason"])'
call PUT "/v1/customers/$PROSPECT/vetting" -H 'Content-Type: application/json' \
  -d '{"registrationId": "552 032 534", "vatId": "FR 27 552 032 534", "legalForm": "SA", "creditScore": 88, "ratingSource": "Banque de France", "rating": "3+", "decision": "limited", "suggestedCreditLimit": {"minorUnits": 500000, "currency": "EUR"}, "suggestedPaymentTerms": "net:45", "decidedBy": "claire@demo"}' |
  python3 -c 'import json,sys; m=lambda a: ("-" if a["minorUnits"]<0 else "")+"%d.%02d %s" % (divmod(abs(a["minorUnits"]),100)+(a["currency"],)); c=json.load(sys.stdin); v=c["vetting"]["details"]; print(c["relationship"], v["decision"], v["registrationId"], v["vatId"], "suggested limit", m(v["suggestedCreditLimit"]))'
call POST "/v1/customers/$PROSPECT/sign" |
  python3 -c 'import json,sys; m=lambda a: ("-" if a["minorUnits"]<0 else "")+"%d.%02d %s" % (divmod(abs(a["minorUnits"]),100)+(a["currency"],)); c=json.load(sys.stdin); print("signed:", c["relationship"], "limit", m(c["creditLimit"]), c["paymentTerms"], "policy", c["creditPolicy"])'

say "A quote of 3 600,00 EUR accepted within the 5 000,00 EUR limit becomes an order; a second order of 2 400,00 EUR is blocked"
LINE='{"description": "Consulting day", "quantity": 6, "unitPrice": {"minorUnits": 50000, "currency": "EUR"}, "vatRateBasisPoints": 2000}'
QUOTE="$(call POST /v1/quotes -H 'Content-Type: application/json' \
  -d "{\"number\": \"DV-2026-0001\", \"customerNumber\": \"P-0001\", \"issueDate\": \"$IMPORT_DAY\", \"validUntil\": \"2099-12-31\", \"currency\": \"EUR\", \"lines\": [$LINE]}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
call POST "/v1/quotes/$QUOTE/send" >/dev/null
call POST "/v1/quotes/$QUOTE/accept" -H 'Content-Type: application/json' -d '{"customerReference": "PO-7781"}' |
  python3 -c 'import json,sys; m=lambda a: ("-" if a["minorUnits"]<0 else "")+"%d.%02d %s" % (divmod(abs(a["minorUnits"]),100)+(a["currency"],)); r=json.load(sys.stdin); print("quote", r["quote"]["status"], "-> order", r["order"]["number"], r["order"]["status"], m(r["order"]["totalAmount"]))'
call POST /v1/orders -H 'Content-Type: application/json' \
  -d "{\"number\": \"BC-2026-0002\", \"customerNumber\": \"P-0001\", \"orderDate\": \"$IMPORT_DAY\", \"currency\": \"EUR\", \"lines\": [{\"description\": \"Audit\", \"quantity\": 4, \"unitPrice\": {\"minorUnits\": 50000, \"currency\": \"EUR\"}, \"vatRateBasisPoints\": 2000}]}" |
  python3 -c 'import json,sys; p=json.load(sys.stdin); print(p["status"], p["code"], "-", p["detail"])'
call GET "/v1/customers/$PROSPECT/outstanding" |
  python3 -c 'import json,sys; m=lambda a: ("-" if a["minorUnits"]<0 else "")+"%d.%02d %s" % (divmod(abs(a["minorUnits"]),100)+(a["currency"],)); o=json.load(sys.stdin); [print("exposure:", "invoices", m(e["openInvoices"]), "orders", m(e["uninvoicedOrders"]), "credit", m(e["unappliedCredit"]), "=", m(e["exposure"])) for e in o["exposure"]]'

say "scenario-scheduler: when the standard-b2b reminders of an invoice due 2026-03-30 go out in Paris (preview, no store needed)"
"$BIN/scenario-scheduler" preview --scenario standard-b2b --due 2026-03-30 --tz Europe/Paris
say "scenario-scheduler: the late-payment charges on the 1 000,00 EUR of F-2026-0003 left open (due 2026-08-10: eom+10), as of 2026-11-29"
"$BIN/scenario-scheduler" charges --amount 1000.00 --currency EUR --due 2026-08-10 --as-of 2026-11-29

Deploy/local/demo-dunning.sh "$API" "$MATCHING" "$SCHEDULER" "$KEY" "$BROKER_PORT" "$STATE" "$BIN" "$NOTIFICATION"

for topic in relance.invoices relance.payments relance.dunning relance.notification-requests relance.notifications; do
  say "Events published on $topic (by type)"
  LD_LIBRARY_PATH="${RELANCE_RDKAFKA_LIB:-}" kcat -C -b "127.0.0.1:$BROKER_PORT" -t "$topic" -o beginning -e -q \
    -f '%h\n' 2>/dev/null | tr ',' '\n' | grep '^ce_type=' | sort | uniq -c
done

if [ "${RELANCE_DEMO_EXIT:-0}" = "1" ]; then exit 0; fi
say "The stack is running: invoicing $API, payment-matching $MATCHING, scenario-scheduler $SCHEDULER, notification $NOTIFICATION (key $KEY; reminders sent as files in $STATE/notification/outbox; OpenAPI at /openapi.json, metrics at /metrics; drop bank files in $STATE/statements-inbox). Ctrl-C stops it."
wait
