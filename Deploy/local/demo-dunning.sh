#!/usr/bin/env bash
# The dunning part of `make demo` (called by demo.sh with the running stack): the
# scenario-scheduler's development clock moves through weeks while invoicing and
# payment-matching run on the real clock.
# - Atelier Leroy (C-2001): two invoices; one consolidated courtesy e-mail; a dispute holds one
#   invoice; the freshness guard holds reminders on stale bank statements until overridden; the
#   reminder lists only the undisputed invoice; a bank payment stops it.
# - Traiteur Blanc (C-2002) pays three invoices 45 days late and moves to the firm scenario,
#   with the reason.
# - The notification service renders and delivers every command (files in STATE/notification/outbox);
#   its outcome comes back to the scheduler's timeline.
# Usage: demo-dunning.sh INVOICING MATCHING SCHEDULER KEY BROKER_PORT STATE BIN NOTIFICATION
set -euo pipefail
API="$1" MATCHING="$2" SCHEDULER="$3" KEY="$4" BROKER_PORT="$5" STATE="$6" BIN="$7" NOTIFICATION="$8"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
call() { local method="$1" path="$2"; shift 2; curl -sS -X "$method" "$API$path" -H "Authorization: Bearer $KEY" "$@"; }
matching() { local method="$1" path="$2"; shift 2; curl -sS -X "$method" "$MATCHING$path" -H "Authorization: Bearer $KEY" "$@"; }
scheduler() { local method="$1" path="$2"; shift 2; curl -sS -X "$method" "$SCHEDULER$path" -H "Authorization: Bearer $KEY" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Moves the scheduler's clock to an instant (if it is ahead of it), then runs the due actions.
advance_to() {
  local target="$1"
  local ahead
  ahead="$(scheduler GET /v1/clock | python3 -c '
import json,sys,datetime
now=datetime.datetime.fromisoformat(json.load(sys.stdin)["now"].replace("Z","+00:00"))
target=datetime.datetime.fromisoformat(sys.argv[1])
print("yes" if target>now else "no")' "$target")"
  if [ "$ahead" = yes ]; then
    scheduler POST /v1/clock/advance -H 'Content-Type: application/json' -d "{\"to\":\"$target\"}" | json '"scheduler clock now " + d["now"]'
  fi
  scheduler POST /v1/tick | json '"tick: " + ", ".join(f"{k} {v}" for k, v in d.items())'
}

# The commands on relance.notification-requests for one customer number.
show_requests() {
  LD_LIBRARY_PATH="${RELANCE_RDKAFKA_LIB:-}" kcat -C -b "127.0.0.1:$BROKER_PORT" -t relance.notification-requests -o beginning -e -q \
    -f '%s\n' 2>/dev/null | python3 -c '
import json,sys
wanted=sys.argv[1]
for line in sys.stdin:
    c=json.loads(line)
    if c["customer"]["customerNumber"]!=wanted: continue
    t=c["totals"]["totalClaimed"]
    step=c["scenario"]["name"] + "/" + c["scenario"]["stepId"]
    to=",".join(r.get("email") or r["name"] for r in c["recipients"])
    numbers=[i["invoiceNumber"] for i in c["invoices"]]
    print("  %-28s %-16s %-18s to %s invoices %s claiming %.2f %s  id %s" % (step, c["channel"], c["templateId"], to, numbers,
          t["minorUnits"]/100, t["currency"], c["notificationId"][:8]))
' "$1"
}

wait_state() { # wait_state INVOICE_ID PYTHON_CONDITION_ON_STATE
  for _ in $(seq 1 100); do
    if scheduler GET "/v1/invoices/$1/dunning" 2>/dev/null | python3 -c "import json,sys; s=json.load(sys.stdin)['state']; sys.exit(0 if ($2) else 1)" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "  (still waiting for $1: $2)"
}

TODAY="$(TZ=Europe/Paris date +%F)"
ISSUE="$(date -d "$TODAY -18 days" +%F)"
DUE="$(date -d "$TODAY +12 days" +%F)"   # net:30 from the issue date

say "Atelier Leroy (C-2001): two invoices due $DUE"
LEROY="$(call POST /v1/customers -H 'Content-Type: application/json' -d '{
  "customerNumber": "C-2001", "legalName": "Atelier Leroy SARL", "country": "FR", "language": "fr", "timeZone": "Europe/Paris",
  "defaultCurrency": "EUR", "paymentTerms": "net:30",
  "billingAddress": {"lines": ["8 quai des Tanneurs"], "postalCode": "67000", "city": "Strasbourg", "country": "FR"},
  "contacts": [{"name": "Sophie Leroy", "email": "compta@atelier-leroy.fr", "role": "accounting"},
               {"name": "Marc Leroy", "email": "marc@atelier-leroy.fr", "role": "management"}]}' | json 'd["id"]')"
L1="$(call POST /v1/invoices -H 'Content-Type: application/json' -d "{\"number\":\"D-2026-0101\",\"customerNumber\":\"C-2001\",\"issueDate\":\"$ISSUE\",\"currency\":\"EUR\",\"total\":{\"minorUnits\":64000,\"currency\":\"EUR\"}}" | json 'd["id"]+" "+d["paymentReference"]')"
L2="$(call POST /v1/invoices -H 'Content-Type: application/json' -d "{\"number\":\"D-2026-0102\",\"customerNumber\":\"C-2001\",\"issueDate\":\"$ISSUE\",\"currency\":\"EUR\",\"total\":{\"minorUnits\":118000,\"currency\":\"EUR\"}}" | json 'd["id"]')"
L1_ID="${L1% *}"; L1_REF="${L1#* }"; L2_ID="$L2"
wait_state "$L1_ID" 'True'; wait_state "$L2_ID" 'True'
scheduler GET "/v1/customers/$LEROY/dunning" | json '"scenario " + str(d["scenario"]) + ": " + str(d["reason"])'
say "Its schedule (scenario-scheduler preview: business days, French holidays, 09:00-18:00 in Paris)"
PREVIEW="$("$BIN/scenario-scheduler" preview --scenario standard-b2b --due "$DUE" --tz Europe/Paris --json)"
python3 -c 'import json,sys; [print("  ", s["stepId"].ljust(14), s["sendAt"]) for s in json.load(sys.stdin)["steps"]]' <<<"$PREVIEW"
send_at() { python3 -c 'import json,sys,datetime; s=next(s for s in json.load(sys.stdin)["steps"] if s["stepId"]==sys.argv[1]); print((datetime.datetime.fromisoformat(s["sendAt"])+datetime.timedelta(hours=1)).isoformat())' "$1" <<<"$PREVIEW"; }

say "The clock moves to the courtesy reminder; the last bank statement (today's) is now 5 business days old: reminders hold"
advance_to "$(send_at courtesy)"
scheduler GET /v1/holds | json '"freshness hold: " + str(d["freshnessHold"]) + ", invoices held: " + str(d["heldInvoices"])'
say "That day's bank statement arrives (no payment from Atelier Leroy): the courtesy e-mail goes, one for both invoices"
cat >"$STATE/statement-daily.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
  <GrpHdr><MsgId>DEMO-DAILY</MsgId><CreDtTm>${TODAY}T06:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>DEMO-DAILY-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
    <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">13920.40</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>$TODAY</Dt></Dt></Bal>
    <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">13920.40</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>$TODAY</Dt></Dt></Bal>
  </Stmt></BkToCstmrStmt></Document>
XML
matching POST "/v1/statements?fileName=statement-daily.xml" -H 'Content-Type: application/xml' --data-binary @"$STATE/statement-daily.xml" | json '"statement imported: " + str(d["summary"]["entriesRead"]) + " entries"'
for _ in $(seq 1 100); do
  [ "$(scheduler GET /v1/holds | json 'd["freshnessHold"]')" = False ] && break
  sleep 0.2
done
scheduler POST /v1/tick | json '"tick: " + ", ".join(f"{k} {v}" for k, v in d.items())'
sleep 1
show_requests C-2001

say "Atelier Leroy disputes D-2026-0102 in invoicing (wrong quantity delivered)"
call POST "/v1/invoices/$L2_ID/dispute" -H 'Content-Type: application/json' -d '{"reason":"wrong quantity delivered"}' | json 'd["number"] + " disputed: " + str(d.get("disputed", True))'
wait_state "$L2_ID" 's["suspendedBecause"] == "disputed"'
scheduler GET "/v1/invoices/$L2_ID/dunning" | json '"D-2026-0102 in the scheduler: not reminded because " + str(d["state"]["suspendedBecause"])'

say "A week later (reminder-1): no statement since, so automatic reminders hold again"
advance_to "$(send_at reminder-1)"
scheduler GET /v1/holds | json '"freshness hold: " + str(d["freshnessHold"]) + ", invoices held: " + str(d["heldInvoices"]) + ", last import " + str(d.get("lastStatementImportAt"))'
say "Claire lifts the hold for the demo (normally the day's statement arrives first)"
scheduler POST /v1/holds/freshness/override -H 'Content-Type: application/json' -d '{"until":"2030-01-01T00:00:00Z","decidedBy":"claire@demo"}' | json '"hold now: " + str(d["freshnessHold"])'
advance_to "$(send_at reminder-1)"
echo "reminders of C-2001 so far (the disputed invoice is left out):"
show_requests C-2001

say "Atelier Leroy pays D-2026-0101 (a camt.053 with its RF reference): its schedule stops"
cat >"$STATE/statement-leroy.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
  <GrpHdr><MsgId>DEMO-LEROY</MsgId><CreDtTm>${TODAY}T06:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>DEMO-LEROY-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
    <Ntry><Amt Ccy="EUR">640.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>$TODAY</Dt></BookgDt><ValDt><Dt>$TODAY</Dt></ValDt>
      <AcctSvcrRef>DEMO-LEROY-1</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ATELIER LEROY</Nm></Dbtr></RltdPties>
      <RmtInf><Strd><CdtrRefInf><Ref>$L1_REF</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
  </Stmt></BkToCstmrStmt></Document>
XML
matching POST "/v1/statements?fileName=statement-leroy.xml" -H 'Content-Type: application/xml' --data-binary @"$STATE/statement-leroy.xml" | json 'd["summary"]'
wait_state "$L1_ID" 's["suspendedBecause"] == "settled"'
say "Weeks pass (reminder-2, the call, the formal notice): nothing more goes to Atelier Leroy"
advance_to "$(send_at formal-notice)"
show_requests C-2001
say "The notification service rendered and delivered them: e-mails as .eml files in $STATE/notification/outbox"
for _ in $(seq 1 100); do
  [ "$(ls "$STATE/notification/outbox" 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.2
done
ls -1 "$STATE/notification/outbox" | head -20
COURTESY="$(grep -l 'D-2026-0101' "$STATE"/notification/outbox/*.eml 2>/dev/null | head -1 || true)"
if [ -n "$COURTESY" ]; then
  echo "one of them ($COURTESY), its headers:"
  grep -E '^(From|To|Subject|Message-ID|Date):' "$COURTESY" | sed 's/^/   /'
fi
curl -sS "$NOTIFICATION/v1/notifications?state=sent" -H "Authorization: Bearer $KEY" | json '"notification ledger: " + str(len(d["items"])) + " sent"'
sleep 1

say "Atelier Leroy's timeline in the scheduler (outcomes reported back by the notification service)"
scheduler GET "/v1/customers/$LEROY/dunning" | python3 -c '
import json,sys
d=json.load(sys.stdin)
for i in d["invoices"]: print("  ", i["number"], i["status"], "next:", i.get("nextStepId"), "suspended:", i.get("suspendedBecause"))
for e in d["timeline"]: print("  ", e["at"][:16], e["kind"].ljust(16), (e.get("stepId") or "").ljust(14), e.get("outcome") or "", "-", e.get("detail") or "")'

say "Traiteur Blanc (C-2002) pays three invoices 45 days late: the scheduler moves it to a stricter scenario"
BLANC="$(call POST /v1/customers -H 'Content-Type: application/json' -d '{
  "customerNumber": "C-2002", "legalName": "Traiteur Blanc", "country": "FR", "language": "fr", "timeZone": "Europe/Paris",
  "defaultCurrency": "EUR", "paymentTerms": "net:30",
  "contacts": [{"name": "Compta Blanc", "email": "compta@traiteur-blanc.fr", "role": "accounting"}]}' | json 'd["id"]')"
LATE_ISSUE="$(date -d "$TODAY -75 days" +%F)"
ENTRIES=""
for n in 1 2 3; do
  line="$(call POST /v1/invoices -H 'Content-Type: application/json' -d "{\"number\":\"D-2026-020$n\",\"customerNumber\":\"C-2002\",\"issueDate\":\"$LATE_ISSUE\",\"currency\":\"EUR\",\"total\":{\"minorUnits\":${n}5000,\"currency\":\"EUR\"}}" | json 'd["id"]+" "+d["paymentReference"]')"
  id="${line% *}"; ref="${line#* }"
  wait_state "$id" 'True'
  ENTRIES+="<Ntry><Amt Ccy=\"EUR\">${n}50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>$TODAY</Dt></BookgDt><ValDt><Dt>$TODAY</Dt></ValDt><AcctSvcrRef>DEMO-BLANC-$n</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>$ref</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"
done
scheduler GET "/v1/customers/$BLANC/dunning" | json '"before: scenario " + str(d["scenario"]) + ": " + str(d["reason"])'
printf '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-BLANC</MsgId><CreDtTm>%sT06:00:00</CreDtTm></GrpHdr><Stmt><Id>DEMO-BLANC-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>%s</Stmt></BkToCstmrStmt></Document>' \
  "$TODAY" "$ENTRIES" >"$STATE/statement-blanc.xml"
matching POST "/v1/statements?fileName=statement-blanc.xml" -H 'Content-Type: application/xml' --data-binary @"$STATE/statement-blanc.xml" | json 'd["summary"]'
for _ in $(seq 1 100); do
  scenario="$(scheduler GET "/v1/customers/$BLANC/dunning" | json 'd["scenario"]')"
  [ "$scenario" = firm ] && break
  sleep 0.2
done
scheduler GET "/v1/customers/$BLANC/dunning" | json '"after: scenario " + str(d["scenario"]) + ": " + str(d["reason"])'
