import Events
import Foundation
import Money

/// Turns the tokenizer's events into statements and entries, matching elements by local name
/// and position so that every camt version (001.02 to 001.08 and later) reads alike.
///
/// Only the innermost open builder (statement header, balance, entry, transaction detail) is
/// held in memory, so memory does not grow with the number of entries.
///
/// Elements are tracked as ``CAMTName`` ids (the tokenizer interns names) and amounts, dates
/// and directions are read from the text's bytes: a `String` is made only for the values an
/// entry keeps, and location strings only for errors and entries.
struct CAMTDocumentParser: ~Copyable {
    private let expected: StatementFormat?
    private let maxTextBytes: Int
    private(set) var format: StatementFormat?

    /// One open element. Not `private`: a private type as ``XMLElementStack``'s element breaks
    /// debug (non whole-module) builds, whose other files then refer to its metadata (Swift 6.3).
    struct OpenElement {
        /// The local name's id (a ``CAMTName`` raw value for known names).
        var id: Int32
        /// Its index among its kind for statements, entries and details (`Ntry[3]`), else 0.
        var index: Int
    }

    /// The open elements, root first.
    private var stack = XMLElementStack<OpenElement>()
    /// Open elements below a builder's element, lent in place from ``stack``.
    private typealias Path = UnsafeBufferPointer<OpenElement>
    /// The tokenizer's names, copied when it has met new ones: element names for locations and
    /// messages, so that an open element is kept without a `String` (no retain and release
    /// per element).
    private var names = XMLNameTable(known: [])
    /// `BkToCstmrStmt/Stmt[1]/Ntry[` as UTF-8: the start of the open statement's entries'
    /// locations, so that each entry's is written in one step (the interpolation it replaces
    /// cost about 2,500 instructions per entry).
    private var entryLocationHead: [UInt8]?
    private var messageDepth: Int?
    private var statementDepth: Int?
    private var entryDepth: Int?
    private var detailDepth: Int?
    private var statementCount = 0
    private var entryCount = 0
    private var detailCount = 0

    /// The text of the element that just ended, in place in the tokenizer's storage (mostly
    /// its read buffer): set inside ``XMLPullTokenizer/withTextBytes(_:)`` while the end is
    /// handled and emptied before that call returns, so it never outlives the bytes. A pointer,
    /// not an `ArraySlice`, to save a retain and a release per element.
    private var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var amountCurrency: String?
    private var currencies: [String: Currency] = [:]
    /// The last `Ccy` read and its currency: files repeat one currency.
    private var lastCurrencyCode = ""
    private var lastCurrency: Currency?

    private var statementID: String?
    private var account = StatementAccount()
    private var accountCurrency: Currency?
    private var opening: Money?
    private var previousClosing: Money?
    private var closing: Money?
    private var firstBalanceCurrency: Currency?
    private var headerSent = false
    private var balance: CAMTBalanceBuilder?
    /// The open entry while ``entryDepth`` is set (the last one after): a builder of its own,
    /// not an optional one, so that its fields are set in place and its `TxDtls` too
    /// (``CAMTEntryBuilder/detail``).
    private var entry = CAMTEntryBuilder(location: "")
    /// The last entry's transaction code and the codes it was made of.
    private var lastTransactionCode: (domain: String?, family: String?, subFamily: String?, code: String?) = (nil, nil, nil, nil)

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
                tokenizer.discardText()
                if tokenizer.names.count != names.count { names = tokenizer.names }
                let id = tokenizer.nameID
                let currency = id == CAMTName.Amt.rawValue ? tokenizer.attributes.first(where: { $0.name == CAMTName.Ccy.rawValue })?.value : nil
                try start(id, amountCurrency: currency, line: tokenizer.line)
            case .text:
                // Not sent (the tokenizer coalesces text and refuses more than the limit); kept
                // for a tokenizer made otherwise.
                guard tokenizer.textCount <= maxTextBytes else {
                    throw StatementError(.unsafe, "text longer than \(maxTextBytes) bytes; bank statement fields are short, so the file is refused", location: location(line: tokenizer.line))
                }
            case .end:
                // Borrowed for the end's values without a copy, and let go before the tokenizer
                // reads on.
                let line = tokenizer.line
                try tokenizer.withTextBytes { (bytes) throws(StatementError) in
                    text = bytes
                    defer { text = UnsafeBufferPointer(start: nil, count: 0) }
                    try end(line: line, into: &visitor)
                }
                tokenizer.discardText()
            case .endOfDocument:
                guard let format else {
                    throw StatementError(.unknownFormat, "the document has no camt message", location: nil)
                }
                return format
            }
        }
    }

    // MARK: - Structure

    private mutating func start(_ id: Int32, amountCurrency currency: String?, line: Int) throws(StatementError) {
        var name: String { names.localName(id) }
        let depth = stack.count
        var index = 0
        if depth == 0 {
            if let message = Self.message(id) {
                try found(message, line: line)
                messageDepth = 0
            } else if id != CAMTName.Document.rawValue {
                throw StatementError(.unknownFormat,
                                     "the root element is <\(name)>, not a camt document (<Document> with BkToCstmrStmt, BkToCstmrAcctRpt or BkToCstmrDbtCdtNtfctn)",
                                     location: "line \(line)")
            }
        } else if depth == 1 && messageDepth == nil {
            guard let message = Self.message(id) else {
                throw StatementError(.unknownFormat,
                                     "<Document> holds <\(name)>, not a camt.052, camt.053 or camt.054 message (BkToCstmrAcctRpt, BkToCstmrStmt, BkToCstmrDbtCdtNtfctn)",
                                     location: "Document, line \(line)")
            }
            try found(message, line: line)
            messageDepth = 1
        } else if let messageDepth, depth == messageDepth + 1, let format, id == Self.statementElement(format).rawValue {
            statementDepth = depth
            statementCount += 1
            index = statementCount
            beginStatement()
        } else if let statementDepth, depth == statementDepth + 1, entryDepth == nil {
            if id == CAMTName.Ntry.rawValue {
                entryDepth = depth
                entryCount += 1
                detailCount = 0
                index = entryCount
                if entryLocationHead == nil {
                    var prefix = ""
                    for open in (messageDepth ?? 0)..<depth {
                        prefix += label(open)
                        prefix += "/"
                    }
                    entryLocationHead = Array("\(prefix)\(name)[".utf8)
                }
                entry = CAMTEntryBuilder(location: Self.indexedLocation(entryLocationHead ?? [], entryCount))
            } else if id == CAMTName.Bal.rawValue {
                balance = CAMTBalanceBuilder()
            }
        } else if let entryDepth, depth == entryDepth + 2, id == CAMTName.TxDtls.rawValue, stack[entryDepth + 1].id == CAMTName.NtryDtls.rawValue {
            detailDepth = depth
            detailCount += 1
            index = detailCount
            entry.beginDetail()
        }
        if id == CAMTName.Amt.rawValue {
            amountCurrency = currency
        }
        stack.push(OpenElement(id: id, index: index))
    }

    /// `head` (UTF-8 up to the `[`) followed by `index` in decimal and `]`.
    static func indexedLocation(_ head: [UInt8], _ index: Int) -> String {
        // The digits, last first, in a stack buffer: no intermediate `String`.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let digitCount = withUnsafeMutableBytes(of: &digits) { raw -> Int in
            var value = index.magnitude
            var count = 0
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0 && count < raw.count
            return count
        }
        let negative = index < 0
        return String(unsafeUninitializedCapacity: head.count + digitCount + (negative ? 2 : 1)) { output -> Int in
            var written = 0
            for byte in head {
                output[written] = byte
                written += 1
            }
            if negative {
                output[written] = UInt8(ascii: "-")
                written += 1
            }
            withUnsafeBytes(of: digits) { raw in
                for offset in stride(from: digitCount - 1, through: 0, by: -1) {
                    output[written] = raw[offset]
                    written += 1
                }
            }
            output[written] = UInt8(ascii: "]")
            return written + 1
        }
    }

    /// `Ntry[3]` for an open entry, the name for elements that are not counted.
    private func label(_ depth: Int) -> String {
        let element = stack[depth]
        let name = names.localName(element.id)
        return element.index > 0 ? "\(name)[\(element.index)]" : name
    }

    /// The open elements as a path (`Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt`).
    private var path: String {
        var labels: [String] = []
        for depth in 0..<stack.count { labels.append(label(depth)) }
        return labels.joined(separator: "/")
    }

    private mutating func end(line: Int, into visitor: inout some StatementVisitor) throws(StatementError) {
        let depth = stack.count - 1
        if let detailDepth, depth > detailDepth {
            try detailField(stack.elements(from: detailDepth + 1), line: line)
        } else if let entryDepth, depth > entryDepth {
            try entryField(stack.elements(from: entryDepth + 1), line: line)
        } else if let statementDepth, depth > statementDepth {
            if balance != nil {
                try balanceField(stack.elements(from: statementDepth + 1), line: line)
            } else {
                try headerField(stack.elements(from: statementDepth + 1), line: line)
            }
        }

        // The entry's builder is read in place and the balance's moved out (`take()`): a copy
        // costs a retain and a release per string and array they hold.
        if depth == detailDepth {
            detailDepth = nil
        } else if depth == entryDepth {
            entryDepth = nil
            try finishEntry(into: &visitor)
        } else if let statementDepth, depth == statementDepth + 1, let balance = self.balance.take() {
            finishBalance(balance)
        } else if depth == statementDepth {
            try finishStatement(line: line, into: &visitor)
            statementDepth = nil
        }
        stack.removeLast()
    }

    private mutating func found(_ format: StatementFormat, line: Int) throws(StatementError) {
        if let expected, expected != format {
            throw StatementError(.unknownFormat, "the file is a \(format.rawValue) document, not \(expected.rawValue) as given", location: "line \(line)")
        }
        self.format = format
    }

    private static func statementElement(_ format: StatementFormat) -> CAMTName {
        switch format {
        case .camt052: .Rpt
        case .camt054: .Ntfctn
        default: .Stmt
        }
    }

    /// The format of a message element (`BkToCstmrStmt` → camt.053), nil for other elements.
    private static func message(_ id: Int32) -> StatementFormat? {
        switch CAMTName.known(id) {
        case .BkToCstmrStmt: .camt053
        case .BkToCstmrAcctRpt: .camt052
        case .BkToCstmrDbtCdtNtfctn: .camt054
        default: nil
        }
    }

    // MARK: - Statements

    private mutating func beginStatement() {
        entryCount = 0
        entryLocationHead = nil
        statementID = nil
        account = StatementAccount()
        accountCurrency = nil
        opening = nil
        previousClosing = nil
        closing = nil
        firstBalanceCurrency = nil
        headerSent = false
    }

    private mutating func headerField(_ path: Path, line: Int) throws(StatementError) {
        switch CAMTName.known(path.last?.id ?? -1) {
        case .Id where Self.matches(path, .Id):
            statementID = try value()
        case .IBAN where Self.matches(path, .Acct, .Id, .IBAN):
            account.iban = try value().map(Self.electronicIBAN)
        case .Id where Self.matches(path, .Acct, .Id, .Othr, .Id):
            account.other = try value()
        case .Ccy where Self.matches(path, .Acct, .Ccy):
            if let code = try value() { accountCurrency = try currency(code, line: line) }
        case .BIC, .BICFI:
            if Self.matches(Path(rebasing: path.dropLast()), .Acct, .Svcr, .FinInstnId) { account.bic = try value() }
        default:
            break
        }
    }

    private mutating func balanceField(_ path: Path, line: Int) throws(StatementError) {
        guard balance != nil else { return }
        switch CAMTName.known(path.last?.id ?? -1) {
        case .Cd where Self.matches(path, .Bal, .Tp, .CdOrPrtry, .Cd):
            let read = try value()?.uppercased()
            balance?.code = read
        case .Amt where Self.matches(path, .Bal, .Amt):
            let read = try money(line: line, positive: false)
            balance?.amount = read
        case .CdtDbtInd where Self.matches(path, .Bal, .CdtDbtInd):
            let read = try creditDebit(line: line)
            balance?.creditDebit = read
        default:
            break
        }
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

    private mutating func entryField(_ path: Path, line: Int) throws(StatementError) {
        // Values are read first, then stored in place: copying the entry out and back
        // (retains and a large move per field) was the reader's main cost.
        switch CAMTName.known(path.last?.id ?? -1) {
        case .Amt where path.count == 1:
            let read = try money(line: line, positive: true)
            entry.amount = read
        case .CdtDbtInd where path.count == 1:
            let read = try creditDebit(line: line)
            entry.creditDebit = read
        case .RvslInd where path.count == 1:
            let read = try flag(line: line)
            entry.reversal = read
        case .Sts where path.count == 1, .Cd where Self.matches(path, .Sts, .Cd):
            // v8 nests the code (`Sts/Cd`); the white space left in `Sts` must not erase it.
            if let status = try value() { entry.status = status }
        case .Dt where path.count == 2, .DtTm where path.count == 2:
            if path.first?.id == CAMTName.BookgDt.rawValue {
                let read = try date(line: line)
                entry.bookingDate = read
            } else if path.first?.id == CAMTName.ValDt.rawValue {
                let read = try date(line: line)
                entry.valueDate = read
            }
        case .AcctSvcrRef where path.count == 1:
            let read = try value()
            entry.bankReference = read
        case .NtryRef where path.count == 1:
            let read = try value()
            entry.entryReference = read
        case .Cd where Self.matches(path, .BkTxCd, .Domn, .Cd):
            let read = try value()
            entry.domain = read
        case .Cd where Self.matches(path, .BkTxCd, .Domn, .Fmly, .Cd):
            let read = try value()
            entry.family = read
        case .SubFmlyCd where Self.matches(path, .BkTxCd, .Domn, .Fmly, .SubFmlyCd):
            let read = try value()
            entry.subFamily = read
        case .Cd where Self.matches(path, .BkTxCd, .Prtry, .Cd):
            let read = try value()
            entry.proprietaryCode = read
        default:
            break
        }
    }

    private mutating func finishEntry(into visitor: inout some StatementVisitor) throws(StatementError) {
        let code = entry.transactionCode(reusing: &lastTransactionCode)
        let finished = try entry.build(transactionCode: code)
        guard entry.isBooked else { return }
        try sendHeader(entryCurrency: finished.amount.currency, line: 0, into: &visitor)
        try visitor.visit(finished)
    }

    private mutating func detailField(_ path: Path, line: Int) throws(StatementError) {
        switch CAMTName.known(path.last?.id ?? -1) {
        case .EndToEndId where Self.matches(path, .Refs, .EndToEndId):
            if let id = try value(), !Self.isNotProvided(id) { entry.detail.endToEndId = id }
        case .AcctSvcrRef where Self.matches(path, .Refs, .AcctSvcrRef):
            let read = try value()
            entry.detail.bankReference = read
        case .Amt where Self.matches(path, .AmtDtls, .TxAmt, .Amt):
            let read = try money(line: line, positive: false)
            entry.detail.amount = read
        case .Amt where path.count == 1:
            let read = try money(line: line, positive: false)
            entry.detail.directAmount = read
        case .CdtDbtInd where path.count == 1:
            let read = try creditDebit(line: line)
            entry.detail.creditDebit = read
        case .Ustrd where Self.matches(path, .RmtInf, .Ustrd):
            if let text = try value() { entry.detail.addUnstructured(text) }
        case .Ref where Self.matches(path, .RmtInf, .Strd, .CdtrRefInf, .Ref):
            if let reference = try value() { entry.detail.structured.append(reference) }
        case .Nm:
            // Dbtr/Nm up to v7, Dbtr/Pty/Nm from v8.
            if Self.matches(path, .RltdPties, .Dbtr, .Nm) || Self.matches(path, .RltdPties, .Dbtr, .Pty, .Nm) {
                let read = try value()
                entry.detail.debtor.name = read
            } else if Self.matches(path, .RltdPties, .Cdtr, .Nm) || Self.matches(path, .RltdPties, .Cdtr, .Pty, .Nm) {
                let read = try value()
                entry.detail.creditor.name = read
            }
        case .IBAN:
            if Self.matches(path, .RltdPties, .DbtrAcct, .Id, .IBAN) {
                let read = try value().map(Self.electronicIBAN)
                entry.detail.debtor.iban = read
            } else if Self.matches(path, .RltdPties, .CdtrAcct, .Id, .IBAN) {
                let read = try value().map(Self.electronicIBAN)
                entry.detail.creditor.iban = read
            }
        case .BIC, .BICFI:
            let agent = Path(rebasing: path.dropLast())
            if Self.matches(agent, .RltdAgts, .DbtrAgt, .FinInstnId) {
                let read = try value()
                entry.detail.debtor.bic = read
            } else if Self.matches(agent, .RltdAgts, .CdtrAgt, .FinInstnId) {
                let read = try value()
                entry.detail.creditor.bic = read
            }
        default:
            break
        }
    }

    // MARK: - Values

    // The value readers are `mutating` though they change nothing: the parser is a large struct
    // (about 1.2 KB with its builders), and a non-mutating method called from the mutating
    // field handlers gets a copy of it, a memcpy per value read.

    /// The trimmed text of the element that just ended; nil when empty.
    private mutating func value() throws(StatementError) -> String? {
        let bytes = trimmedText
        guard !bytes.isEmpty else { return nil }
        return try XMLPullTokenizer.string(bytes, location: path)
    }

    /// The text of the element that just ended without surrounding white space, as bytes.
    private var trimmedText: Slice<UnsafeBufferPointer<UInt8>> {
        mutating get { Self.trimmed(text) }
    }

    private static func trimmed(_ text: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, Self.isSpace(text[start]) { start += 1 }
        while end > start, Self.isSpace(text[end - 1]) { end -= 1 }
        return text[start..<end]
    }

    /// Whether every byte is ASCII and none is a carriage return: such text reads the same as
    /// bytes and as `Character`s, so the byte fast paths below give what the `String` ones give.
    private static func isPlainASCII(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        !bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D })
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Whether `path` is exactly the names given (one overload per length: no array per call).
    private static func matches(_ path: Path, _ first: CAMTName) -> Bool {
        path.count == 1 && path[path.startIndex].id == first.rawValue
    }

    private static func matches(_ path: Path, _ first: CAMTName, _ second: CAMTName) -> Bool {
        let start = path.startIndex
        return path.count == 2 && path[start].id == first.rawValue && path[start + 1].id == second.rawValue
    }

    private static func matches(_ path: Path, _ first: CAMTName, _ second: CAMTName, _ third: CAMTName) -> Bool {
        let start = path.startIndex
        return path.count == 3 && path[start].id == first.rawValue && path[start + 1].id == second.rawValue && path[start + 2].id == third.rawValue
    }

    private static func matches(_ path: Path, _ first: CAMTName, _ second: CAMTName, _ third: CAMTName, _ fourth: CAMTName) -> Bool {
        let start = path.startIndex
        return path.count == 4 && path[start].id == first.rawValue && path[start + 1].id == second.rawValue && path[start + 2].id == third.rawValue
            && path[start + 3].id == fourth.rawValue
    }

    private mutating func currency(_ code: String, line: Int) throws(StatementError) -> Currency {
        if code == lastCurrencyCode, let lastCurrency { return lastCurrency }
        if let known = currencies[code] {
            lastCurrencyCode = code
            lastCurrency = known
            return known
        }
        do {
            let currency = try Currency(code: code)
            currencies[code] = currency
            lastCurrencyCode = code
            lastCurrency = currency
            return currency
        } catch {
            throw StatementError(.invalidAmount, "'\(code)' is not an ISO 4217 currency code", location: location(line: line))
        }
    }

    private mutating func money(line: Int, positive: Bool) throws(StatementError) -> Money {
        let bytes = trimmedText
        // Plain ASCII digits need no `String`; anything else takes the checked path below.
        let text: String?
        if Self.isPlainASCII(bytes) {
            text = nil
            guard !bytes.isEmpty else {
                throw StatementError(.malformed, "an empty amount", location: location(line: line))
            }
        } else {
            guard let decoded = try value() else {
                throw StatementError(.malformed, "an empty amount", location: location(line: line))
            }
            text = decoded
        }
        let currency: Currency
        if let code = amountCurrency.map(Self.trimmedCode), !code.isEmpty {
            currency = try self.currency(code, line: line)
        } else if let accountCurrency {
            currency = accountCurrency
        } else {
            throw StatementError(.malformed, "the amount has no Ccy attribute and the account gives no currency", location: location(line: line))
        }
        let minorUnits: Int64
        if let text {
            minorUnits = try CAMTAmount.minorUnits(text, currency: currency, location: location(line: line))
        } else {
            minorUnits = try CAMTAmount.minorUnits(bytes: bytes, currency: currency, location: self.location(line: line))
        }
        if positive && minorUnits <= 0 {
            throw StatementError(.malformed,
                                 "an entry amount must be positive ('\(text ?? String(decoding: bytes, as: UTF8.self))'); the direction is given by CdtDbtInd",
                                 location: location(line: line))
        }
        return Money(minorUnits: minorUnits, currency: currency)
    }

    /// A `Ccy` attribute without surrounding white space; ASCII codes without any (all real
    /// ones) skip Foundation's trimming.
    private static func trimmedCode(_ code: String) -> String {
        if code.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 > 0x20 && $0 < 0x80 } }) ?? code.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x80 }) { return code }
        return code.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private mutating func creditDebit(line: Int) throws(StatementError) -> CreditDebit {
        let bytes = trimmedText
        if bytes.count == 4 {
            // ASCII letters compared without case, as `uppercased()` does for them.
            let start = bytes.startIndex
            let folded = (UInt32(bytes[start] & 0xDF) << 24) | (UInt32(bytes[start + 1] & 0xDF) << 16)
                | (UInt32(bytes[start + 2] & 0xDF) << 8) | UInt32(bytes[start + 3] & 0xDF)
            if folded == 0x4352_4454 { return .credit } // CRDT
            if folded == 0x4442_4954 { return .debit } // DBIT
        }
        switch try value()?.uppercased() {
        case "CRDT": return .credit
        case "DBIT": return .debit
        case let other:
            throw StatementError(.malformed, "CdtDbtInd is '\(other ?? "")'; it must be CRDT or DBIT", location: location(line: line))
        }
    }

    private mutating func flag(line: Int) throws(StatementError) -> Bool {
        switch try value()?.lowercased() {
        case "true", "1": return true
        case "false", "0", nil: return false
        case let other:
            throw StatementError(.malformed, "'\(other ?? "")' is not a boolean; write true or false", location: location(line: line))
        }
    }

    /// `Dt` (`2014-01-05`, possibly with a time zone) or `DtTm` (`2014-01-05T10:00:00+01:00`):
    /// the calendar date as written, so the bank's own day is kept.
    private mutating func date(line: Int) throws(StatementError) -> CalendarDate? {
        let bytes = trimmedText
        if Self.isPlainASCII(bytes) {
            guard !bytes.isEmpty else { return nil }
            do {
                // `CalendarDate(iso8601:)`'s rule (exactly `YYYY-MM-DD`, a day that exists) on
                // the bytes: no `String` per date.
                guard let parts = Self.isoDateParts(bytes.prefix(10)) else {
                    throw CalendarDate.InvalidDate(reason: "not YYYY-MM-DD")
                }
                return try CalendarDate(year: parts.year, month: parts.month, day: parts.day)
            } catch {
                throw StatementError(.malformed, "'\(String(decoding: bytes, as: UTF8.self))' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)", location: location(line: line))
            }
        }
        guard let text = try value() else { return nil }
        do {
            return try CalendarDate(iso8601: String(text.prefix(10)))
        } catch {
            throw StatementError(.malformed, "'\(text)' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)", location: location(line: line))
        }
    }

    /// Year, month and day of exactly `YYYY-MM-DD` (ASCII digits); nil for any other shape.
    static func isoDateParts<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> (year: Int, month: Int, day: Int)? where Bytes.Index == Int {
        guard bytes.count == 10 else { return nil }
        let start = bytes.startIndex
        guard bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-") else { return nil }
        func number(_ offsets: Range<Int>) -> Int? {
            var value = 0
            for offset in offsets {
                let digit = Int(bytes[start + offset]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return (year, month, day)
    }

    private func location(line: Int) -> String {
        path + ", line \(line)"
    }

    private static func electronicIBAN(_ text: String) -> String {
        // `String.UTF8View` iteration is slow: the bytes in place when the string has them.
        func needsWork(_ byte: UInt8) -> Bool { isSpace(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) }
        if text.utf8.withContiguousStorageIfAvailable({ !$0.contains(where: needsWork) }) == true { return text }
        guard text.utf8.contains(where: needsWork) else { return text }
        return String(text.filter { !$0.isWhitespace }).uppercased()
    }

    /// Whether `text` reads "NOTPROVIDED" once white space is removed and letters are upper
    /// case. ASCII text (all real ones) is compared byte by byte, without making strings.
    private static func isNotProvided(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count <= 16 else { return false }
        // Most ids are not "NOTPROVIDED": a first ASCII byte that is neither white space nor
        // n/N decides without walking the string (a first `Character` starting with it is
        // neither removed as white space nor upper-cased to N).
        if let first = utf8.first, first < 0x80, !(first == 0x20 || (0x09...0x0D).contains(first)), first & 0xDF != UInt8(ascii: "N") {
            return false
        }
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return normalisedNotProvided(text) == "NOTPROVIDED" }
        let expected: StaticString = "NOTPROVIDED"
        return expected.withUTF8Buffer { expected -> Bool in
            var matched = 0
            for byte in utf8 where !(byte == 0x20 || (0x09...0x0D).contains(byte)) {
                // `& 0xDF` upper-cases an ASCII letter and maps no other byte onto one.
                guard matched < expected.count, byte & 0xDF == expected[matched] else { return false }
                matched += 1
            }
            return matched == expected.count
        }
    }

    private static func normalisedNotProvided(_ text: String) -> String {
        guard text.utf8.count <= 16 else { return text }
        return String(text.filter { !$0.isWhitespace }).uppercased()
    }
}
