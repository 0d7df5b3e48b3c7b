import Events
import Foundation
import Money

/// Turns the tokenizer's events into statements and entries, matching elements by local name
/// and position so that every camt version (001.02 to 001.08 and later) reads alike.
///
/// Only the innermost open builder (statement header, balance, entry, transaction detail) is
/// held in memory, so memory does not grow with the number of entries.
struct CAMTDocumentParser {
    private let expected: StatementFormat?
    private let maxTextBytes: Int
    private(set) var format: StatementFormat?

    /// Local names of the open elements, root first.
    private var stack: [String] = []
    /// The same with indexes on statements, entries and details (`Ntry[3]`), for locations.
    private var labels: [String] = []
    private var messageDepth: Int?
    private var statementDepth: Int?
    private var entryDepth: Int?
    private var detailDepth: Int?
    private var statementCount = 0
    private var entryCount = 0
    private var detailCount = 0

    private var text: [UInt8] = []
    private var amountCurrency: String?
    private var currencies: [String: Currency] = [:]

    private var statementID: String?
    private var account = StatementAccount()
    private var accountCurrency: Currency?
    private var opening: Money?
    private var previousClosing: Money?
    private var closing: Money?
    private var firstBalanceCurrency: Currency?
    private var headerSent = false
    private var balance: CAMTBalanceBuilder?
    private var entry: CAMTEntryBuilder?
    private var detail: CAMTDetailBuilder?

    /// The message elements and the statement element each contains.
    static let messages: [String: (format: StatementFormat, statement: String)] = [
        "BkToCstmrStmt": (.camt053, "Stmt"),
        "BkToCstmrAcctRpt": (.camt052, "Rpt"),
        "BkToCstmrDbtCdtNtfctn": (.camt054, "Ntfctn"),
    ]

    init(expected: StatementFormat?, maxTextBytes: Int) {
        self.expected = expected
        self.maxTextBytes = maxTextBytes
    }

    /// Reads the whole document, reporting to `visitor`.
    /// - Returns: The format found in the document.
    mutating func run(_ tokenizer: inout XMLPullTokenizer, into visitor: inout some StatementVisitor) throws(StatementError) -> StatementFormat {
        while true {
            switch try tokenizer.next() {
            case .start:
                text.removeAll(keepingCapacity: true)
                try start(tokenizer.name, attributes: tokenizer.attributes, line: tokenizer.line)
            case .text:
                text.append(contentsOf: tokenizer.text)
                guard text.count <= maxTextBytes else {
                    throw StatementError(.unsafe, "text longer than \(maxTextBytes) bytes; bank statement fields are short, so the file is refused", location: location(line: tokenizer.line))
                }
            case .end:
                try end(line: tokenizer.line, into: &visitor)
                text.removeAll(keepingCapacity: true)
            case .endOfDocument:
                guard let format else {
                    throw StatementError(.unknownFormat, "the document has no camt message", location: nil)
                }
                return format
            }
        }
    }

    // MARK: - Structure

    private mutating func start(_ name: String, attributes: [(name: String, value: String)], line: Int) throws(StatementError) {
        let depth = stack.count
        var label = name
        if depth == 0 {
            if let message = Self.messages[name] {
                try found(message.format, line: line)
                messageDepth = 0
            } else if name != "Document" {
                throw StatementError(.unknownFormat,
                                     "the root element is <\(name)>, not a camt document (<Document> with BkToCstmrStmt, BkToCstmrAcctRpt or BkToCstmrDbtCdtNtfctn)",
                                     location: "line \(line)")
            }
        } else if depth == 1 && messageDepth == nil {
            guard let message = Self.messages[name] else {
                throw StatementError(.unknownFormat,
                                     "<Document> holds <\(name)>, not a camt.052, camt.053 or camt.054 message (BkToCstmrAcctRpt, BkToCstmrStmt, BkToCstmrDbtCdtNtfctn)",
                                     location: "Document, line \(line)")
            }
            try found(message.format, line: line)
            messageDepth = 1
        } else if let messageDepth, depth == messageDepth + 1, let format, name == Self.statementElement(format) {
            statementDepth = depth
            statementCount += 1
            label = "\(name)[\(statementCount)]"
            beginStatement()
        } else if let statementDepth, depth == statementDepth + 1, entry == nil {
            if name == "Ntry" {
                entryDepth = depth
                entryCount += 1
                detailCount = 0
                label = "\(name)[\(entryCount)]"
                entry = CAMTEntryBuilder(location: (labels.dropFirst(messageDepth ?? 0) + [label]).joined(separator: "/"))
            } else if name == "Bal" {
                balance = CAMTBalanceBuilder()
            }
        } else if let entryDepth, depth == entryDepth + 2, name == "TxDtls", stack[entryDepth + 1] == "NtryDtls" {
            detailDepth = depth
            detailCount += 1
            label = "\(name)[\(detailCount)]"
            detail = CAMTDetailBuilder()
        }
        if name == "Amt" {
            amountCurrency = attributes.first(where: { $0.name == "Ccy" })?.value
        }
        stack.append(name)
        labels.append(label)
    }

    private mutating func end(line: Int, into visitor: inout some StatementVisitor) throws(StatementError) {
        let depth = stack.count - 1
        if let detailDepth, depth > detailDepth {
            try detailField(stack[(detailDepth + 1)...], line: line)
        } else if let entryDepth, depth > entryDepth {
            try entryField(stack[(entryDepth + 1)...], line: line)
        } else if let statementDepth, depth > statementDepth {
            if balance != nil {
                try balanceField(stack[(statementDepth + 1)...], line: line)
            } else {
                try headerField(stack[(statementDepth + 1)...], line: line)
            }
        }

        if depth == detailDepth, let detail {
            entry?.details.append(detail)
            self.detail = nil
            detailDepth = nil
        } else if depth == entryDepth, let entry {
            self.entry = nil
            entryDepth = nil
            try finishEntry(entry, into: &visitor)
        } else if let statementDepth, depth == statementDepth + 1, let balance {
            self.balance = nil
            finishBalance(balance)
        } else if depth == statementDepth {
            try finishStatement(line: line, into: &visitor)
            statementDepth = nil
        }
        stack.removeLast()
        labels.removeLast()
    }

    private mutating func found(_ format: StatementFormat, line: Int) throws(StatementError) {
        if let expected, expected != format {
            throw StatementError(.unknownFormat, "the file is a \(format.rawValue) document, not \(expected.rawValue) as given", location: "line \(line)")
        }
        self.format = format
    }

    private static func statementElement(_ format: StatementFormat) -> String {
        switch format {
        case .camt052: "Rpt"
        case .camt054: "Ntfctn"
        default: "Stmt"
        }
    }

    // MARK: - Statements

    private mutating func beginStatement() {
        entryCount = 0
        statementID = nil
        account = StatementAccount()
        accountCurrency = nil
        opening = nil
        previousClosing = nil
        closing = nil
        firstBalanceCurrency = nil
        headerSent = false
    }

    private mutating func headerField(_ path: ArraySlice<String>, line: Int) throws(StatementError) {
        switch path.last {
        case "Id" where Self.matches(path, ["Id"]):
            statementID = try value()
        case "IBAN" where Self.matches(path, ["Acct", "Id", "IBAN"]):
            account.iban = try value().map(Self.electronicIBAN)
        case "Id" where Self.matches(path, ["Acct", "Id", "Othr", "Id"]):
            account.other = try value()
        case "Ccy" where Self.matches(path, ["Acct", "Ccy"]):
            if let code = try value() { accountCurrency = try currency(code, line: line) }
        case "BIC", "BICFI":
            if Self.matches(path.dropLast(), ["Acct", "Svcr", "FinInstnId"]) { account.bic = try value() }
        default:
            break
        }
    }

    private mutating func balanceField(_ path: ArraySlice<String>, line: Int) throws(StatementError) {
        guard var builder = balance else { return }
        balance = nil
        switch path.last {
        case "Cd" where Self.matches(path, ["Bal", "Tp", "CdOrPrtry", "Cd"]):
            builder.code = try value()?.uppercased()
        case "Amt" where Self.matches(path, ["Bal", "Amt"]):
            builder.amount = try money(line: line, positive: false)
        case "CdtDbtInd" where Self.matches(path, ["Bal", "CdtDbtInd"]):
            builder.creditDebit = try creditDebit(line: line)
        default:
            break
        }
        balance = builder
    }

    private mutating func finishBalance(_ balance: CAMTBalanceBuilder) {
        guard let amount = balance.signed else { return }
        if firstBalanceCurrency == nil { firstBalanceCurrency = amount.currency }
        switch balance.code {
        case "OPBD": opening = amount
        case "PRCD": previousClosing = amount
        case "CLBD": closing = amount
        default: break
        }
    }

    private mutating func sendHeader(entryCurrency: Currency?, line: Int, into visitor: inout some StatementVisitor) throws(StatementError) {
        guard !headerSent else { return }
        guard let currency = accountCurrency ?? firstBalanceCurrency ?? entryCurrency else {
            throw StatementError(.malformed, "the statement gives no currency: no Acct/Ccy, no balance and no entry", location: location(line: line))
        }
        headerSent = true
        try visitor.beginStatement(BankStatement(
            id: statementID, account: account, currency: currency, openingBalance: opening ?? previousClosing, closingBalance: closing
        ))
    }

    private mutating func finishStatement(line: Int, into visitor: inout some StatementVisitor) throws(StatementError) {
        try sendHeader(entryCurrency: nil, line: line, into: &visitor)
        try visitor.endStatement(closingBalance: closing)
    }

    // MARK: - Entries

    private mutating func entryField(_ path: ArraySlice<String>, line: Int) throws(StatementError) {
        guard var builder = entry else { return }
        entry = nil
        switch path.last {
        case "Amt" where path.count == 1:
            builder.amount = try money(line: line, positive: true)
        case "CdtDbtInd" where path.count == 1:
            builder.creditDebit = try creditDebit(line: line)
        case "RvslInd" where path.count == 1:
            builder.reversal = try flag(line: line)
        case "Sts" where path.count == 1, "Cd" where Self.matches(path, ["Sts", "Cd"]):
            // v8 nests the code (`Sts/Cd`); the white space left in `Sts` must not erase it.
            if let status = try value() { builder.status = status }
        case "Dt" where path.count == 2, "DtTm" where path.count == 2:
            if path.first == "BookgDt" {
                builder.bookingDate = try date(line: line)
            } else if path.first == "ValDt" {
                builder.valueDate = try date(line: line)
            }
        case "AcctSvcrRef" where path.count == 1:
            builder.bankReference = try value()
        case "NtryRef" where path.count == 1:
            builder.entryReference = try value()
        case "Cd" where Self.matches(path, ["BkTxCd", "Domn", "Cd"]):
            builder.domain = try value()
        case "Cd" where Self.matches(path, ["BkTxCd", "Domn", "Fmly", "Cd"]):
            builder.family = try value()
        case "SubFmlyCd" where Self.matches(path, ["BkTxCd", "Domn", "Fmly", "SubFmlyCd"]):
            builder.subFamily = try value()
        case "Cd" where Self.matches(path, ["BkTxCd", "Prtry", "Cd"]):
            builder.proprietaryCode = try value()
        default:
            break
        }
        entry = builder
    }

    private mutating func finishEntry(_ builder: CAMTEntryBuilder, into visitor: inout some StatementVisitor) throws(StatementError) {
        let entry = try builder.build()
        guard builder.isBooked else { return }
        try sendHeader(entryCurrency: entry.amount.currency, line: 0, into: &visitor)
        try visitor.visit(entry)
    }

    private mutating func detailField(_ path: ArraySlice<String>, line: Int) throws(StatementError) {
        guard var builder = detail else { return }
        detail = nil
        switch path.last {
        case "EndToEndId" where Self.matches(path, ["Refs", "EndToEndId"]):
            if let id = try value(), Self.normalisedNotProvided(id) != "NOTPROVIDED" { builder.endToEndId = id }
        case "AcctSvcrRef" where Self.matches(path, ["Refs", "AcctSvcrRef"]):
            builder.bankReference = try value()
        case "Amt" where Self.matches(path, ["AmtDtls", "TxAmt", "Amt"]):
            builder.amount = try money(line: line, positive: false)
        case "Amt" where path.count == 1:
            builder.directAmount = try money(line: line, positive: false)
        case "CdtDbtInd" where path.count == 1:
            builder.creditDebit = try creditDebit(line: line)
        case "Ustrd" where Self.matches(path, ["RmtInf", "Ustrd"]):
            if let text = try value() { builder.unstructured.append(text) }
        case "Ref" where Self.matches(path, ["RmtInf", "Strd", "CdtrRefInf", "Ref"]):
            if let reference = try value() { builder.structured.append(reference) }
        case "Nm":
            // Dbtr/Nm up to v7, Dbtr/Pty/Nm from v8.
            if Self.matches(path, ["RltdPties", "Dbtr", "Nm"]) || Self.matches(path, ["RltdPties", "Dbtr", "Pty", "Nm"]) {
                builder.debtor.name = try value()
            } else if Self.matches(path, ["RltdPties", "Cdtr", "Nm"]) || Self.matches(path, ["RltdPties", "Cdtr", "Pty", "Nm"]) {
                builder.creditor.name = try value()
            }
        case "IBAN":
            if Self.matches(path, ["RltdPties", "DbtrAcct", "Id", "IBAN"]) {
                builder.debtor.iban = try value().map(Self.electronicIBAN)
            } else if Self.matches(path, ["RltdPties", "CdtrAcct", "Id", "IBAN"]) {
                builder.creditor.iban = try value().map(Self.electronicIBAN)
            }
        case "BIC", "BICFI":
            let agent = path.dropLast()
            if Self.matches(agent, ["RltdAgts", "DbtrAgt", "FinInstnId"]) {
                builder.debtor.bic = try value()
            } else if Self.matches(agent, ["RltdAgts", "CdtrAgt", "FinInstnId"]) {
                builder.creditor.bic = try value()
            }
        default:
            break
        }
        detail = builder
    }

    // MARK: - Values

    /// The trimmed text of the element that just ended; nil when empty.
    private func value() throws(StatementError) -> String? {
        var start = 0
        var end = text.count
        while start < end, Self.isSpace(text[start]) { start += 1 }
        while end > start, Self.isSpace(text[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return try XMLPullTokenizer.string(text[start..<end], location: labels.joined(separator: "/"))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Whether `path` is exactly `names` (cheaper than the generic `elementsEqual`).
    private static func matches(_ path: ArraySlice<String>, _ names: [String]) -> Bool {
        guard path.count == names.count else { return false }
        var index = path.startIndex
        for name in names {
            guard path[index] == name else { return false }
            index += 1
        }
        return true
    }

    private mutating func currency(_ code: String, line: Int) throws(StatementError) -> Currency {
        if let known = currencies[code] { return known }
        do {
            let currency = try Currency(code: code)
            currencies[code] = currency
            return currency
        } catch {
            throw StatementError(.invalidAmount, "'\(code)' is not an ISO 4217 currency code", location: location(line: line))
        }
    }

    private mutating func money(line: Int, positive: Bool) throws(StatementError) -> Money {
        let where_ = location(line: line)
        guard let text = try value() else {
            throw StatementError(.malformed, "an empty amount", location: where_)
        }
        let currency: Currency
        if let code = amountCurrency?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty {
            currency = try self.currency(code, line: line)
        } else if let accountCurrency {
            currency = accountCurrency
        } else {
            throw StatementError(.malformed, "the amount has no Ccy attribute and the account gives no currency", location: where_)
        }
        let minorUnits = try CAMTAmount.minorUnits(text, currency: currency, location: where_)
        if positive && minorUnits <= 0 {
            throw StatementError(.malformed,
                                 "an entry amount must be positive ('\(text)'); the direction is given by CdtDbtInd",
                                 location: where_)
        }
        return Money(minorUnits: minorUnits, currency: currency)
    }

    private func creditDebit(line: Int) throws(StatementError) -> CreditDebit {
        switch try value()?.uppercased() {
        case "CRDT": return .credit
        case "DBIT": return .debit
        case let other:
            throw StatementError(.malformed, "CdtDbtInd is '\(other ?? "")'; it must be CRDT or DBIT", location: location(line: line))
        }
    }

    private func flag(line: Int) throws(StatementError) -> Bool {
        switch try value()?.lowercased() {
        case "true", "1": return true
        case "false", "0", nil: return false
        case let other:
            throw StatementError(.malformed, "'\(other ?? "")' is not a boolean; write true or false", location: location(line: line))
        }
    }

    /// `Dt` (`2014-01-05`, possibly with a time zone) or `DtTm` (`2014-01-05T10:00:00+01:00`):
    /// the calendar date as written, so the bank's own day is kept.
    private func date(line: Int) throws(StatementError) -> CalendarDate? {
        guard let text = try value() else { return nil }
        do {
            return try CalendarDate(iso8601: String(text.prefix(10)))
        } catch {
            throw StatementError(.malformed, "'\(text)' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)", location: location(line: line))
        }
    }

    private func location(line: Int) -> String {
        labels.joined(separator: "/") + ", line \(line)"
    }

    private static func electronicIBAN(_ text: String) -> String {
        guard text.utf8.contains(where: { isSpace($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) }) else { return text }
        return String(text.filter { !$0.isWhitespace }).uppercased()
    }

    private static func normalisedNotProvided(_ text: String) -> String {
        guard text.utf8.count <= 16 else { return text }
        return String(text.filter { !$0.isWhitespace }).uppercased()
    }
}
