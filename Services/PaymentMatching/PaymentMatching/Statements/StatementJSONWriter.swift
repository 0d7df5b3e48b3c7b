import Foundation
import Money

/// Writes a bank file as the JSON of ``StatementFile`` while it is read, so that `parse` on a
/// 200 MB statement needs no more memory than one entry: a ``StatementVisitor`` that encodes
/// each entry as it arrives and hands the bytes to `write`.
///
/// The document is the one `JSONEncoder` gives for ``StatementFile`` (same keys and values;
/// an entry per line, keys sorted within each object), except that a statement's
/// `closingBalance` and `balanceMismatch` come after its entries: the writer only knows them
/// at the end. When reading fails half-way, what was written is an incomplete document.
public struct StatementJSONWriter: StatementVisitor {
    private let write: (Data) -> Void
    private let encoder: JSONEncoder
    private var statements = 0
    private var entriesInStatement = 0
    private var balanceCheck = StatementBalanceCheck(opening: nil)
    private var headerClosingBalance: Money?

    /// Starts the document (`{"format": ..., "statements": [`).
    public init(format: StatementFormat, write: @escaping (Data) -> Void) {
        self.write = write
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        write(Data("{\n  \"format\" : \"\(format.rawValue)\",\n  \"statements\" : [".utf8))
    }

    public mutating func beginStatement(_ statement: BankStatement) throws(StatementError) {
        var fields: [String] = []
        fields.append("\"account\" : " + (try encoded(statement.account)))
        fields.append("\"currency\" : " + (try encoded(statement.currency)))
        if let id = statement.id { fields.append("\"id\" : " + (try encoded(id))) }
        if let opening = statement.openingBalance { fields.append("\"openingBalance\" : " + (try encoded(opening))) }
        write(Data(((statements == 0 ? "\n" : ",\n") + "    {\n      " + fields.joined(separator: ",\n      ") + ",\n      \"entries\" : [").utf8))
        statements += 1
        entriesInStatement = 0
        balanceCheck = StatementBalanceCheck(opening: statement.openingBalance)
        headerClosingBalance = statement.closingBalance
    }

    public mutating func visit(_ entry: StatementEntry) throws(StatementError) {
        write(Data(((entriesInStatement == 0 ? "\n        " : ",\n        ") + (try encoded(entry))).utf8))
        entriesInStatement += 1
        balanceCheck.add(entry)
    }

    public mutating func endStatement(closingBalance: Money?) throws(StatementError) {
        var text = entriesInStatement == 0 ? "]" : "\n      ]"
        let closing = closingBalance ?? headerClosingBalance
        if let closing { text += ",\n      \"closingBalance\" : " + (try encoded(closing)) }
        if let mismatch = balanceCheck.mismatch(closing: closing) {
            text += ",\n      \"balanceMismatch\" : " + (try encoded(mismatch))
        }
        write(Data((text + "\n    }").utf8))
    }

    /// Ends the document; call once after the reader returned.
    public func finish() {
        write(Data(((statements == 0 ? "]" : "\n  ]") + "\n}\n").utf8))
    }

    private func encoded(_ value: some Encodable) throws(StatementError) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StatementError(.malformed, "cannot encode a parsed value as JSON: \(error)", location: nil)
        }
    }
}
