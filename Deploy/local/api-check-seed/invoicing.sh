#!/usr/bin/env bash
# Seeds invoicing before the API check: a customer with a credit limit, a prospect, a sent
# quote and an open order, so that the quote and order operations (reached through the
# document's links from the lists) and the vetting of a prospect have something to work on.
# Usage: invoicing.sh BASE_URL API_KEY
set -euo pipefail
base="$1" key="$2"
post() { curl -fsS -o /dev/null -X "$1" "$base$2" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary "$3"; }
post POST /v1/customers '{"customerNumber": "SEED-C1", "legalName": "Seed Customer SAS", "country": "FR", "defaultCurrency": "EUR",
  "creditLimit": {"minorUnits": 10000000, "currency": "EUR"}, "creditPolicy": "warn"}'
post POST /v1/prospects '{"customerNumber": "SEED-P1", "legalName": "Seed Prospect SA", "country": "FR", "defaultCurrency": "EUR"}'
line='{"description": "Consulting day", "quantity": 2, "unitPrice": {"minorUnits": 50000, "currency": "EUR"}, "vatRateBasisPoints": 2000}'
for i in 1 2 3; do
  post POST /v1/quotes "{\"number\": \"SEED-Q$i\", \"customerNumber\": \"SEED-C1\", \"issueDate\": \"2026-01-01\", \"validUntil\": \"2099-12-31\", \"currency\": \"EUR\", \"lines\": [$line]}"
  post POST /v1/orders "{\"number\": \"SEED-O$i\", \"customerNumber\": \"SEED-C1\", \"orderDate\": \"2026-01-01\", \"currency\": \"EUR\", \"lines\": [$line]}"
done
id=$(curl -fsS "$base/v1/quotes?limit=1" -H "Authorization: Bearer $key" | sed -E 's/.*"id" *: *"([^"]+)".*/\1/' | head -1)
post POST "/v1/quotes/$id/send" '{}'
