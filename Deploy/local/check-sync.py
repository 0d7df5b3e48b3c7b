#!/usr/bin/env python3
"""Checks, from the API, what a sync of an ERP export must produce (make demo, issue 7).

Usage: check-sync.py EXPORT.csv INVOICES.json IMPORT_DAY
  INVOICES.json: the items of GET /v1/invoices (a page or a list).
  IMPORT_DAY: YYYY-MM-DD, the import day in the business time zone.

Every invoice the export says is paid or settled must be closed (paid with paidOn, or
written off), never open; every invoice still open in the export must be open with
dunningStartsOn = the import day (unless the export gives one), whatever its age. Prints one
line per invoice, exits 1 on the first broken rule's summary.
"""
import csv
import json
import sys


def main() -> int:
    export, invoices_path, import_day = sys.argv[1:4]
    data = json.load(open(invoices_path))
    invoices = {i["number"]: i for i in (data["items"] if isinstance(data, dict) else data)}
    broken = []
    with open(export, newline="") as handle:
        for row in csv.DictReader(handle):
            number = row["invoiceNumber"]
            invoice = invoices.get(number)
            if invoice is None:
                broken.append(f"{number}: not in the API")
                continue
            settled = row["status"].lower() in ("paid", "settled")
            state = f'{invoice["status"]:<14} balance {invoice["balance"]["minorUnits"] / 100:>9.2f}  dunningStartsOn {invoice["dunningStartsOn"]}'
            print(f"  {number:<14} ERP {row['status']:<14} -> {state}{'  disputed' if invoice['disputed'] else ''}")
            if invoice["origin"] != "imported":
                broken.append(f"{number}: origin {invoice['origin']}")
            if settled:
                if invoice["status"] not in ("paid", "writtenOff") or invoice["balance"]["minorUnits"] != 0:
                    broken.append(f"{number}: settled in the ERP but {invoice['status']} here")
                if invoice["status"] == "paid" and not invoice.get("paidOn"):
                    broken.append(f"{number}: paid without paidOn")
            else:
                expected = row.get("dunningStartsOn") or import_day
                if invoice["status"] not in ("open", "partiallyPaid"):
                    broken.append(f"{number}: open in the ERP but {invoice['status']} here")
                if invoice["dunningStartsOn"] != expected:
                    broken.append(f"{number}: dunningStartsOn {invoice['dunningStartsOn']}, expected {expected}")
            if row.get("disputed", "").lower() in ("yes", "true", "1") and not invoice["disputed"]:
                broken.append(f"{number}: disputed in the ERP, not here")
    if broken:
        print("BROKEN:\n  " + "\n  ".join(broken))
        return 1
    print("OK: no settled invoice is open; open items are reminded about from", import_day, "at the earliest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
