import Events
import Foundation
import Money

/// `scenario-scheduler charges --amount 1234.56 --due YYYY-MM-DD --as-of YYYY-MM-DD ...`: the
/// late-payment charges of one invoice (``LatePaymentCharges``), for a person to check by
/// hand. Reads only the rate table it is given (the shipped one by default): no broker, no
/// store. The executable forwards its arguments here and prints the outcome.
public enum ChargesCommand {
    /// Exit statuses (sysexits.h).
    public enum ExitCode {
        public static let ok: Int32 = 0
        /// EX_USAGE: an unknown option, a missing option or value.
        public static let usage: Int32 = 64
        /// EX_DATAERR: a value that cannot be read (amount, currency, date, rate, payment) or
        /// charges that cannot be computed with it.
        public static let dataError: Int32 = 65
    }

    public static let usage = """
        usage: scenario-scheduler charges --amount AMOUNT --due YYYY-MM-DD --as-of YYYY-MM-DD
                 [--currency EUR] [--annual-rate 12.15] [--paid YYYY-MM-DD:AMOUNT ...] [--no-indemnity] [--json]

          --amount       the amount due including VAT (1234.56, 1 234,56)
          --currency     its ISO 4217 currency; default EUR
          --due          the due date; interest starts the next day
          --as-of        the last day of interest counted
          --annual-rate  the contractual late-payment rate in percent, replacing ECB + 10 points
          --paid         a payment received (repeatable); it reduces the base from the next day
          --no-indemnity the customer is a consumer: no 40 EUR recovery indemnity
          --json         print {"interest", "indemnity", "periods", "notes"} as JSON

        """

    /// Runs the command line (without the program name; a leading `charges` is skipped).
    /// - Parameter rates: The ECB reference rates; the shipped table by default.
    /// - Returns: 0 with the charges (text, or JSON with `--json`) on standard output; 64 with
    ///   the usage for a usage error; 65 naming the value that could not be read.
    public static func run(arguments: [String], rates: ReferenceRateTable = .shipped)
        -> (exitCode: Int32, standardOutput: String, standardError: String)
    {
        var remaining = arguments[...]
        if remaining.first == "charges" { remaining = remaining.dropFirst() }
        var values: [String: String] = [:]
        var paid: [String] = []
        var json = false
        var indemnity = true
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            switch name {
            case "--help", "-h":
                return (ExitCode.ok, usage, "")
            case "--json", "--no-indemnity":
                guard inlineValue == nil else { return usageError("\(name) takes no value") }
                if name == "--json" { json = true } else { indemnity = false }
            case "--amount", "--currency", "--due", "--as-of", "--annual-rate", "--paid":
                guard let value = inlineValue ?? remaining.popFirst() else { return usageError("\(name) needs a value") }
                if name == "--paid" {
                    paid.append(value)
                } else {
                    guard values[name] == nil else { return usageError("\(name) is given twice") }
                    values[name] = value
                }
            default:
                return usageError(argument.hasPrefix("-") ? "unknown option '\(argument)'" : "unexpected argument '\(argument)'")
            }
        }
        for required in ["--amount", "--due", "--as-of"] where values[required] == nil {
            return usageError("\(required) is required")
        }

        let currency: Currency
        do {
            currency = try Currency(code: values["--currency"] ?? "EUR")
        } catch {
            return dataError("--currency: \(error)")
        }
        let amount: Money
        let due: CalendarDate
        let asOf: CalendarDate
        var contractualRate: AnnualRate?
        var payments: [LatePaymentCharges.Payment] = []
        do throws(ValueError) {
            amount = try parseAmount(values["--amount"] ?? "", currency: currency, option: "--amount")
            due = try parseDate(values["--due"] ?? "", option: "--due")
            asOf = try parseDate(values["--as-of"] ?? "", option: "--as-of")
            if let rate = values["--annual-rate"] {
                do {
                    contractualRate = try AnnualRate(percent: rate)
                } catch {
                    throw ValueError("--annual-rate: \(error)")
                }
            }
            for payment in paid {
                guard let colon = payment.firstIndex(of: ":") else {
                    throw ValueError("--paid '\(payment)': write a payment as YYYY-MM-DD:AMOUNT, like 2025-05-02:500.00")
                }
                let date = try parseDate(String(payment[..<colon]), option: "--paid '\(payment)'")
                let money = try parseAmount(String(payment[payment.index(after: colon)...]), currency: currency, option: "--paid '\(payment)'")
                payments.append(LatePaymentCharges.Payment(date: date, amount: money))
            }
        } catch {
            return dataError(error.reason)
        }

        let result: ChargesResult
        do {
            result = try LatePaymentCharges.compute(
                amountDue: amount, dueDate: due, asOf: asOf, payments: payments,
                contractualRate: contractualRate, indemnityApplies: indemnity, rates: rates)
        } catch {
            return dataError(error.reason)
        }
        if json {
            do {
                let encoder = EventJSON.encoder
                encoder.outputFormatting.insert(.prettyPrinted)
                let data = try encoder.encode(result)
                return (ExitCode.ok, String(decoding: data, as: UTF8.self) + "\n", "")
            } catch {
                return dataError("cannot write the charges as JSON: \(error)")
            }
        }
        let description = text(of: result, amountDue: amount, dueDate: due, asOf: asOf, contractual: contractualRate != nil, rates: rates)
        return (ExitCode.ok, description, "")
    }

    /// The charges as lines a person reads: one line per period with its rate's origin, then
    /// the totals and the notes.
    public static func text(of result: ChargesResult, amountDue: Money, dueDate: CalendarDate, asOf: CalendarDate,
                            contractual: Bool, rates: ReferenceRateTable = .shipped) -> String
    {
        var lines = ["Late-payment charges on \(amountDue) due \(dueDate), as of \(asOf)"]
        let dayWidth = result.periods.map { String($0.days).count }.max() ?? 1
        for period in result.periods {
            let days = String(repeating: " ", count: dayWidth - String(period.days).count) + String(period.days)
            let origin: String
            if contractual {
                origin = "contractual rate"
            } else if let reference = try? rates.halfYearReference(for: period.from) {
                let when = reference.isExtrapolated
                    ? "last known, effective \(reference.change.effective)"
                    : "in force on \(reference.halfYearStart)"
                origin = "ECB \(reference.rate) % \(when) + \(LatePaymentCharges.statutoryMarginPoints)"
            } else {
                origin = "ECB rate + \(LatePaymentCharges.statutoryMarginPoints)"
            }
            lines.append("  \(period.from) .. \(period.to)  \(days) days on \(period.base) at \(period.annualRate) % (\(origin)): \(period.interest)")
        }
        lines.append("Interest:  \(result.interest) (actual days / 365, each period rounded half-up to the minor unit)")
        lines.append("Indemnity: \(result.indemnity)\(result.indemnity.isZero ? "" : " (fixed recovery indemnity, no VAT)")")
        if let total = try? result.interest.adding(result.indemnity) {
            lines.append("Total:     \(total)")
        }
        for note in result.notes {
            lines.append("Note: \(note)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Internals

    /// A value that cannot be read, with a sentence naming it.
    private struct ValueError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func parseAmount(_ text: String, currency: Currency, option: String) throws(ValueError) -> Money {
        do {
            return try Money(parsing: text, currency: currency)
        } catch {
            throw ValueError("\(option): \(error)")
        }
    }

    private static func parseDate(_ text: String, option: String) throws(ValueError) -> CalendarDate {
        do {
            return try CalendarDate(iso8601: text)
        } catch {
            throw ValueError("\(option): \(error)")
        }
    }

    private static func usageError(_ reason: String) -> (exitCode: Int32, standardOutput: String, standardError: String) {
        (ExitCode.usage, "", "scenario-scheduler charges: \(reason)\n" + usage)
    }

    private static func dataError(_ reason: String) -> (exitCode: Int32, standardOutput: String, standardError: String) {
        (ExitCode.dataError, "", "scenario-scheduler charges: \(reason)\n")
    }
}
