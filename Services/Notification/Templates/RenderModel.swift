import Events
import Money

/// What a template sees: the values of a `NotificationRequested` for one recipient, already
/// formatted for the language and currency, under fixed names.
///
/// Every key below is always present; the ones marked *optional* may be `missing` and must
/// be used inside a section on themselves (`{{#sender.bic}}BIC {{sender.bic}}{{/sender.bic}}`),
/// or rendering fails rather than leaving a blank. Amounts are like `1 234,56 €` / `€1,234.56`,
/// dates like `15 janvier 2027` / `15 January 2027` (see ``ValueFormatter``).
///
/// - `notificationId`, `templateId`, `language` (the template's), `date` (the letter's date),
///   `registered` (flag: a registered letter), `currency` (ISO code)
/// - `customer.name`, `customer.number`
/// - `recipient.name`, `recipient.email` *opt*, `recipient.phone` *opt*, `recipient.address` *opt*
/// - `sender.name`, `sender.iban` (groups of four), `sender.ibanElectronic`, `sender.bic` *opt*,
///   `sender.replyTo` *opt*, `sender.address` *opt*
/// - an address: `lines` (list of text: `{{#lines}}{{.}}{{/lines}}`), `postalCode`, `city`,
///   `cityLine` (`75011 Paris`), `country` (ISO code), `countryName`, `abroad` (flag: not the
///   sender's country, print the country line)
/// - `invoices` (list), each: `number`, `issueDate`, `dueDate`, `total`, `balance`,
///   `lateInterest`, `recoveryIndemnity`, `daysOverdue`, `daysUntilDue`, `isOverdue` (flag),
///   `paymentReference` *opt*
/// - `invoiceCount`, `severalInvoices` (flag), `invoiceNumbers` (`FA-1, FA-2`)
/// - `totals.balance`, `totals.lateInterest`, `totals.recoveryIndemnity`, `totals.totalClaimed`,
///   `totals.hasLateInterest`, `totals.hasRecoveryIndemnity`, `totals.hasCharges` (flags)
/// - `payBy`, `paymentReference` (the invoices' one RF reference when they share one, else
///   their numbers: what to write on the transfer)
/// - `formalNotice` *opt*: `formalNotice.responseDeadline`, `formalNotice.annualRate`
///   (`12,15 %`), `formalNotice.indemnityPerInvoice` (40 € in the language's format)
///
/// Text from the request (names, numbers, address lines) is one line: control characters
/// (CR, LF, tab...) and Unicode line separators become a space.
public struct RenderModel: Sendable, Hashable {
    /// The whole model, an object.
    public let root: RenderValue
    /// The language the values are formatted for.
    public let language: String

    /// Builds the model of a request for one of its recipients.
    /// - Parameters:
    ///   - request: The command.
    ///   - recipient: Who this copy goes to; nil: the request's first recipient.
    ///   - date: The date the message bears (a letter's date): the command has none of its own.
    ///   - language: The language of the template that will render it (after fallback);
    ///     nil: the request's.
    /// - Throws: `NotificationTemplateError` `.invalidRequest` when the request has no
    ///   recipient or its amounts are not all in one currency.
    public init(request: NotificationRequested, recipient: NotificationRecipient? = nil, date: CalendarDate, language: String? = nil)
        throws(NotificationTemplateError)
    {
        let language = language ?? request.language
        let format = ValueFormatter(language: language)
        guard let recipient = recipient ?? request.recipients.first else {
            throw NotificationTemplateError(
                .invalidRequest, "notification \(request.notificationId) has no recipient; the scheduler must name at least one")
        }
        let currency = request.totals.totalClaimed.currency
        let amounts = [request.totals.balance, request.totals.lateInterest, request.totals.recoveryIndemnity]
            + request.invoices.flatMap { [$0.total, $0.balance, $0.lateInterest, $0.recoveryIndemnity] }
        if let other = amounts.first(where: { $0.currency != currency }) {
            throw NotificationTemplateError(
                .invalidRequest,
                "notification \(request.notificationId) mixes \(currency.code) and \(other.currency.code); one command is one currency")
        }
        func line(_ text: String) -> RenderValue { .text(RenderModel.oneLine(text)) }
        func optionalLine(_ text: String?) -> RenderValue { text.map(line) ?? .missing }
        func amount(_ money: Money) -> RenderValue { .text(format.amount(money)) }

        let invoices: [RenderValue] = request.invoices.map { invoice in
            .object([
                "number": line(invoice.invoiceNumber),
                "issueDate": .text(format.date(invoice.issueDate)),
                "dueDate": .text(format.date(invoice.dueDate)),
                "total": amount(invoice.total),
                "balance": amount(invoice.balance),
                "lateInterest": amount(invoice.lateInterest),
                "recoveryIndemnity": amount(invoice.recoveryIndemnity),
                "daysOverdue": .text(format.integer(invoice.daysOverdue)),
                "daysUntilDue": .text((invoice.daysOverdue >= 0 ? "0" : format.integer(Int(clamping: invoice.daysOverdue.magnitude)))),
                "isOverdue": .flag(invoice.daysOverdue > 0),
                "paymentReference": optionalLine(invoice.paymentReference),
            ])
        }
        let references = Set(request.invoices.compactMap(\.paymentReference))
        let everyInvoiceHasOne = request.invoices.allSatisfy { $0.paymentReference != nil }
        let numbers = request.invoices.map { RenderModel.oneLine($0.invoiceNumber) }.joined(separator: ", ")
        let paymentReference = references.count == 1 && everyInvoiceHasOne ? references.first.map(RenderModel.oneLine) ?? numbers : numbers
        let totals = request.totals

        let formalNotice: RenderValue = request.formalNotice.map { notice in
            .object([
                "responseDeadline": .text(format.date(notice.responseDeadline)),
                "annualRate": .text(format.rate(basisPoints: notice.annualInterestRateBasisPoints)),
                "indemnityPerInvoice": .text(format.amount(Money(minorUnits: 4000, currency: .eur))),
            ])
        } ?? .missing

        root = .object([
            "notificationId": line(request.notificationId),
            "templateId": line(request.templateId.rawValue),
            "language": line(language),
            "date": .text(format.date(date)),
            "registered": .flag(request.channel == .registeredLetter),
            "currency": .text(currency.code),
            "customer": .object(["name": line(request.customer.legalName), "number": line(request.customer.customerNumber)]),
            "recipient": .object([
                "name": line(recipient.name),
                "email": optionalLine(recipient.email),
                "phone": optionalLine(recipient.phone),
                "address": recipient.postalAddress.map { RenderModel.address($0, format: format, home: request.sender.postalAddress?.country) } ?? .missing,
            ]),
            "sender": .object([
                "name": line(request.sender.legalName),
                "iban": .text(RenderModel.printedIBAN(RenderModel.oneLine(request.sender.iban))),
                "ibanElectronic": line(request.sender.iban),
                "bic": optionalLine(request.sender.bic),
                "replyTo": optionalLine(request.sender.replyTo),
                "address": request.sender.postalAddress.map { RenderModel.address($0, format: format, home: nil) } ?? .missing,
            ]),
            "invoices": .list(invoices),
            "invoiceCount": .text(format.integer(request.invoices.count)),
            "severalInvoices": .flag(request.invoices.count > 1),
            "invoiceNumbers": .text(numbers),
            "totals": .object([
                "balance": amount(totals.balance),
                "lateInterest": amount(totals.lateInterest),
                "recoveryIndemnity": amount(totals.recoveryIndemnity),
                "totalClaimed": amount(totals.totalClaimed),
                "hasLateInterest": .flag(!totals.lateInterest.isZero),
                "hasRecoveryIndemnity": .flag(!totals.recoveryIndemnity.isZero),
                "hasCharges": .flag(!totals.lateInterest.isZero || !totals.recoveryIndemnity.isZero),
            ]),
            "payBy": .text(format.date(request.payBy)),
            "paymentReference": .text(paymentReference),
            "formalNotice": formalNotice,
        ])
        self.language = language
    }

    /// The text of one line: control characters (CR, LF, tab, NEL...) and the Unicode line and
    /// paragraph separators become spaces, runs of them one space, and the ends are trimmed.
    public static func oneLine(_ text: String) -> String {
        // Most values are clean: check their bytes before building a copy. Controls are below
        // 0x20 or 0x7F; C1 controls start with 0xC2, U+2028/U+2029 with 0xE2 (a false alarm
        // for other characters only costs the slow path).
        var previous: UInt8 = 0x20
        var clean = true
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 || (byte == 0x20 && previous == 0x20) {
                clean = false
                break
            }
            previous = byte
        }
        if clean && previous != 0x20 { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let breaks = scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
            if breaks || scalar == " " {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.unicodeScalars.append(" ")
                pendingSpace = false
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// An IBAN in its printed form, groups of four: `FR76 3000 6000 0112 3456 7890 189`.
    static func printedIBAN(_ iban: String) -> String {
        let compact = iban.filter { !$0.isWhitespace }
        var groups: [String] = []
        var current = ""
        for character in compact {
            current.append(character)
            if current.count == 4 {
                groups.append(current)
                current = ""
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: " ")
    }

    /// An address; `abroad` when its country is not `home` (the sender's), so that a letter
    /// prints the country line only for international mail.
    private static func address(_ address: PostalAddressSnapshot, format: ValueFormatter, home: String?) -> RenderValue {
        let postalCode = oneLine(address.postalCode)
        let city = oneLine(address.city)
        return .object([
            "lines": .list(address.lines.map { .text(oneLine($0)) }),
            "postalCode": .text(postalCode),
            "city": .text(city),
            "cityLine": .text([postalCode, city].filter { !$0.isEmpty }.joined(separator: " ")),
            "country": .text(oneLine(address.country)),
            "countryName": .text(format.countryName(oneLine(address.country))),
            "abroad": .flag(home.map { $0.uppercased() != address.country.uppercased() } ?? false),
        ])
    }
}
