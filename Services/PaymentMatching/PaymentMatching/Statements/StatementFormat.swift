/// A bank statement file format that payment matching reads.
public enum StatementFormat: String, Codable, Sendable, CaseIterable {
    /// ISO 20022 intraday account report (`camt.052`).
    case camt052 = "camt.052"
    /// ISO 20022 bank-to-customer statement (`camt.053`).
    case camt053 = "camt.053"
    /// ISO 20022 debit/credit notification (`camt.054`).
    case camt054 = "camt.054"
    /// SWIFT MT940 customer statement.
    case mt940
    /// French CFONB 120-character "relevé de compte".
    case cfonb120
    /// CSV with a configured column mapping.
    case csv
}
