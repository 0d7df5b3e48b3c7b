/// The Python script the differential test runs with the reference parser `mt-940` (PyPI).
/// Kept as Swift source so that the test target holds no file SwiftPM would not know what to
/// do with; the test writes it to a temporary file.
enum MT940ReferenceScript {
    static let source = #"""
"""Prints what the Python reference parser `mt-940` (PyPI) reads from an MT940 file, as JSON.

Used by the Swift differential test (MT940DifferentialTests): one object per statement line
(`:61:`) with the fields both parsers must agree on.

usage: python mt940_reference.py FILE
"""
import json
import sys

import mt940


def main(path):
    transactions = mt940.parse(path)
    entries = []
    for transaction in transactions:
        data = transaction.data
        amount = data.get("amount")
        if amount is None:
            continue
        date = data.get("date")
        entry_date = data.get("entry_date")
        entries.append({
            # Signed decimal string as the library reads it ("-25.03").
            "amount": str(amount.amount),
            "currency": amount.currency,
            "date": date.isoformat() if date else None,
            "entry_date": entry_date.isoformat() if entry_date else None,
            "status": data.get("status"),
            "customer_reference": data.get("customer_reference"),
            "bank_reference": data.get("bank_reference"),
        })
    json.dump({"entries": entries}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
"""#
}
