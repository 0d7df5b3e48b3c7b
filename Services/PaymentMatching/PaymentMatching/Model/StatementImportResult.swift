import Events
import Foundation

/// What one statement import did: the answer of `POST /v1/statements`, and what
/// `GET /v1/imports/{id}` shows later.
public struct StatementImportResult: Sendable, Hashable, Codable {
    public var importId: String
    public var fileName: String?
    /// `camt.053`, `mt940`, ...
    public var format: String
    /// `upload` or `folder`.
    public var origin: String
    public var importedAt: Date
    /// The statements of the file (account, balances, whether they reconcile).
    public var statements: [StatementImported.Statement]
    public var summary: StatementImported.Summary
    /// What was imported anyway but deserves a look: balances that do not reconcile, a
    /// reversal whose payment is unknown, a debit reversal.
    public var warnings: [ImportWarning]

    public init(
        importId: String, fileName: String?, format: String, origin: String, importedAt: Date,
        statements: [StatementImported.Statement], summary: StatementImported.Summary, warnings: [ImportWarning]
    ) {
        self.importId = importId
        self.fileName = fileName
        self.format = format
        self.origin = origin
        self.importedAt = importedAt
        self.statements = statements
        self.summary = summary
        self.warnings = warnings
    }
}

/// Something of an import a person should look at, with where it is in the file.
public struct ImportWarning: Sendable, Hashable, Codable {
    /// `balanceMismatch`, `unknownReversal`, `notBooked`.
    public var code: String
    public var message: String
    /// Line or element path, when known.
    public var location: String?

    public init(code: String, message: String, location: String?) {
        self.code = code
        self.message = message
        self.location = location
    }
}
