import Money

/// Receives a bank file's contents as a ``StatementReader`` reads them, so that a large file
/// is never held in memory whole: the importer stores entries as they come.
///
/// Calls come in file order: for each statement, ``beginStatement(_:)`` (the header: account,
/// currency, opening balance, and the closing balance when the file gives it before the
/// entries), then ``visit(_:)`` per entry, then ``endStatement(closingBalance:)``.
public protocol StatementVisitor {
    /// A statement starts. `statement.entries` is empty.
    mutating func beginStatement(_ statement: BankStatement) throws(StatementError)
    /// An entry of the current statement.
    mutating func visit(_ entry: StatementEntry) throws(StatementError)
    /// The current statement ends; `closingBalance` when the file gives it (here or in the header).
    mutating func endStatement(closingBalance: Money?) throws(StatementError)
}

/// A visitor that keeps everything: for `parse`, tests and small files.
public struct StatementCollector: StatementVisitor {
    public private(set) var statements: [BankStatement] = []

    public init() {}

    public mutating func beginStatement(_ statement: BankStatement) throws(StatementError) {
        statements.append(statement)
    }

    public mutating func visit(_ entry: StatementEntry) throws(StatementError) {
        guard !statements.isEmpty else {
            throw StatementError(.malformed, "an entry before any statement header", location: entry.location)
        }
        statements[statements.count - 1].entries.append(entry)
    }

    public mutating func endStatement(closingBalance: Money?) throws(StatementError) {
        guard !statements.isEmpty else { throw StatementError(.malformed, "a statement end without its start", location: nil) }
        if let closingBalance {
            statements[statements.count - 1].closingBalance = closingBalance
        }
    }
}
