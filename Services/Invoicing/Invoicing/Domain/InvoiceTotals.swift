import Foundation
import Money

/// The totals of an invoice computed from its lines: net, VAT, gross and the VAT breakdown.
///
/// Method (the one French and EU invoices print): each line's net is quantity × unit price
/// rounded half away from zero to the minor unit; lines are grouped by VAT rate; the VAT of a
/// rate is the sum of that rate's line nets × rate, rounded half away from zero once. Gross is
/// net + VAT. All arithmetic is exact on integers; overflow is an error, never a trap.
public struct InvoiceTotals: Hashable, Sendable, Codable {
    /// The VAT due at one rate.
    public struct RateTotal: Hashable, Sendable, Codable {
        /// The rate in basis points (2000 = 20 %).
        public let vatRateBasisPoints: Int
        /// The sum of the line nets at this rate.
        public let net: Money
        /// The VAT on ``net``.
        public let vat: Money

        /// Creates a breakdown row.
        public init(vatRateBasisPoints: Int, net: Money, vat: Money) {
            self.vatRateBasisPoints = vatRateBasisPoints
            self.net = net
            self.vat = vat
        }
    }

    /// Total excluding VAT.
    public let net: Money
    /// Total VAT.
    public let vat: Money
    /// Total including VAT: what the customer owes.
    public let gross: Money
    /// One row per VAT rate used, by increasing rate.
    public let breakdown: [RateTotal]

    /// Computes the totals of `lines`, all of which must be in `currency`.
    /// - Parameters:
    ///   - lines: The invoice lines; none gives zero totals.
    ///   - currency: The invoice currency.
    /// - Throws: `InvoicingError` `.currencyMismatch` (field `lines[i].unitPrice`) when a line
    ///   has another currency, `.overflow` when a sum exceeds 64 bits.
    public init(lines: [InvoiceLine], currency: Currency) throws(InvoicingError) {
        var netByRate: [Int: Int64] = [:]
        for (index, line) in lines.enumerated() {
            guard line.unitPrice.currency == currency else {
                throw InvoicingError(.currencyMismatch,
                                     "line \(index + 1) is in \(line.unitPrice.currency.code) but the invoice is in \(currency.code); put every line in the invoice currency",
                                     field: "lines[\(index)].unitPrice")
            }
            let lineNet: Money
            do {
                lineNet = try line.netAmount()
            } catch {
                throw InvoicingError(error.code, error.reason, field: "lines[\(index)]")
            }
            let (sum, overflow) = netByRate[line.vatRateBasisPoints, default: 0].addingReportingOverflow(lineNet.minorUnits)
            guard !overflow else { throw InvoiceTotals.overflow }
            netByRate[line.vatRateBasisPoints] = sum
        }
        var breakdown: [RateTotal] = []
        var totalNet: Int64 = 0
        var totalVAT: Int64 = 0
        for rate in netByRate.keys.sorted() {
            let rateNet = netByRate[rate] ?? 0
            guard let rateVAT = InvoiceLine.roundedQuotient(Int128(rateNet) * Int128(rate), 10_000) else {
                throw InvoiceTotals.overflow
            }
            let (netSum, overflow1) = totalNet.addingReportingOverflow(rateNet)
            let (vatSum, overflow2) = totalVAT.addingReportingOverflow(rateVAT)
            guard !overflow1, !overflow2 else { throw InvoiceTotals.overflow }
            totalNet = netSum
            totalVAT = vatSum
            breakdown.append(RateTotal(vatRateBasisPoints: rate,
                                       net: Money(minorUnits: rateNet, currency: currency),
                                       vat: Money(minorUnits: rateVAT, currency: currency)))
        }
        let (gross, overflow) = totalNet.addingReportingOverflow(totalVAT)
        guard !overflow else { throw InvoiceTotals.overflow }
        self.net = Money(minorUnits: totalNet, currency: currency)
        self.vat = Money(minorUnits: totalVAT, currency: currency)
        self.gross = Money(minorUnits: gross, currency: currency)
        self.breakdown = breakdown
    }

    /// How far, in minor units per invoice line, a given total may be from ``gross`` and still
    /// be accepted: 1. Issuers that round VAT (or the gross) line by line, as French law allows
    /// and most ERPs do, land up to half a minor unit per line away from the VAT computed once
    /// per rate; a whole unit per line covers that with margin, and nothing more.
    public static let roundingTolerancePerLine: Int64 = 1

    /// The most a given total may differ from ``gross`` for an invoice of `lineCount` lines:
    /// ``roundingTolerancePerLine`` × `lineCount` minor units.
    public static func roundingTolerance(lineCount: Int) -> Int64 {
        roundingTolerancePerLine * Int64(max(lineCount, 0))
    }

    /// These totals with the gross the issuer gave instead of the computed one, when the two
    /// differ by per-line rounding only.
    ///
    /// The net is the same either way (the sum of the rounded line nets), so the difference is
    /// the issuer's VAT rounding: `vat` becomes `total − net` and `gross` becomes `total`, so
    /// net + VAT = gross still holds. ``breakdown`` stays the per-rate computation.
    /// - Parameters:
    ///   - total: The gross total the issuer printed, in the invoice currency.
    ///   - lineCount: The number of lines the totals were computed from.
    /// - Returns: The adjusted totals, or `nil` when the currencies differ or the difference
    ///   is above ``roundingTolerance(lineCount:)``.
    public func reconciled(withGivenTotal total: Money, lineCount: Int) -> InvoiceTotals? {
        guard total.currency == gross.currency else { return nil }
        let (difference, overflow) = total.minorUnits.subtractingReportingOverflow(gross.minorUnits)
        guard !overflow, difference.magnitude <= InvoiceTotals.roundingTolerance(lineCount: lineCount).magnitude else { return nil }
        let (vat, vatOverflow) = total.minorUnits.subtractingReportingOverflow(net.minorUnits)
        guard !vatOverflow else { return nil }
        return InvoiceTotals(net: net, vat: Money(minorUnits: vat, currency: total.currency), gross: total, breakdown: breakdown)
    }

    private init(net: Money, vat: Money, gross: Money, breakdown: [RateTotal]) {
        self.net = net
        self.vat = vat
        self.gross = gross
        self.breakdown = breakdown
    }

    private static let overflow = InvoicingError(.overflow, "the invoice totals are too large to represent; split the invoice", field: "lines")
}
