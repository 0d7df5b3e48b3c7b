#!/usr/bin/env bash
# Seeds payment-matching before the API check: a camt.053 with credits nobody can place (the
# service knows no invoice yet), so the payments list, the queue and the decisions on a payment
# have something to work on (the document's links lead schemathesis from the list to them).
# Usage: payment-matching.sh BASE_URL API_KEY
set -euo pipefail
base="$1" key="$2"
entries=""
for i in 1 2 3 4 5 6 7 8; do
  entries+="<Ntry><Amt Ccy=\"EUR\">$((i * 37)).${i}0</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
  <BookgDt><Dt>2026-06-0${i}</Dt></BookgDt><ValDt><Dt>2026-06-0${i}</Dt></ValDt><AcctSvcrRef>SEED-${i}</AcctSvcrRef>
  <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Payer ${i}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>invoice ${i}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
done
curl -fsS -o /dev/null -X POST "$base/v1/statements?fileName=seed.xml" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/xml' --data-binary @- <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>SEED</MsgId><CreDtTm>2026-06-10T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>SEED-1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
$entries
</Stmt></BkToCstmrStmt></Document>
XML
