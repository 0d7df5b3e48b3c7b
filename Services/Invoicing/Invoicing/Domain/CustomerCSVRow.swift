import CSV
import Foundation
import Money

/// Turns records of a customer CSV into validated ``CustomerDraft``s, or rejections with the
/// line.
///
/// One customer and at most one contact per record; a customer with several contacts takes
/// several records with the same `customerNumber`, which the importer merges. Header names
/// match case-insensitively, ignoring spaces, `_` and `-`; order is free; other columns are
/// ignored.
///
/// | column | required | content (default when blank) |
/// |---|---|---|
/// | `customerNumber` | yes | the creditor's customer number |
/// | `legalName` | yes | registered name |
/// | `country` | yes | ISO 3166-1 alpha-2 (`FR`) |
/// | `currency` | yes | default currency, ISO 4217 (also `defaultCurrency`) |
/// | `language` | no | a BCP 47 tag, `fr`, `en-GB`... (from the country) |
/// | `timeZone` | no | IANA (the country's when it has one, else required) |
/// | `paymentTerms` | no | `net:30`, `eom+10`, `45eom`, `30eom:10`, `instalments:30/60/90`, `receipt` (`net:30`) |
/// | `creditLimit` | no | amount in the currency (`50000`, `50 000,00`) |
/// | `segment` | no | free text |
/// | `riskCategory` | no | `low`, `medium`, `high`, `critical` |
/// | `strategic` | no | `true`/`false`, `yes`/`no`, `oui`/`non`, `1`/`0` (false) |
/// | `tags` | no | `|`-separated (`key account|export`) |
/// | `registrationId`, `vatId` | no | company and VAT numbers |
/// | `addressLine1`...`addressLine3`, `postalCode`, `city` | no | billing address (in `country`) |
/// | `contactName` | no | the contact's name (the e-mail or phone when blank) |
/// | `contactEmail`, `contactPhone` | no | e-mail; E.164 phone (`+33 6 12 34 56 78`) |
/// | `contactRole` | no | `accounting`, `operational`, `management` (`accounting`) |
/// | `contactChannel` | no | `email`, `sms`, `letter`, `phone` (e-mail, else SMS, else letter) |
/// | `contactDunningRecipient` | no | boolean (true) |
///
/// A record has a contact when any of `contactName`, `contactEmail`, `contactPhone` is set.
/// A customer may have several contacts of one role (two accounting contacts, one per
/// record). The role's primary dunning recipient is its first contact, in file order, whose
/// `contactDunningRecipient` is true or blank; the later ones are stored as not receiving
/// reminders, so write `no` on the first rows to pick a later contact. A record repeating
/// the e-mail of an earlier contact of the same customer and role is rejected
/// (`duplicateContact`); the customer keeps the earlier one.
public struct CustomerCSVRow: Sendable {
    /// Columns that must be in the header.
    public static let requiredColumns = ["customerNumber", "legalName", "country", "currency"]
    /// Columns that may be in the header.
    public static let optionalColumns = [
        "language", "timeZone", "paymentTerms", "creditLimit", "segment", "riskCategory", "strategic", "tags",
        "registrationId", "vatId", "addressLine1", "addressLine2", "addressLine3", "postalCode", "city",
        "contactName", "contactEmail", "contactPhone", "contactRole", "contactChannel", "contactDunningRecipient",
    ]

    private let columns: CSVColumns
    private let index: [String: Int]

    /// Reads the header record.
    /// - Throws: `InvoicingError` `.missingColumn` when a required column is absent.
    public init(header: CSVRecord) throws(InvoicingError) {
        columns = try CSVColumns(header: header, required: CustomerCSVRow.requiredColumns,
                                 aliases: ["defaultcurrency": "currency", "number": "customernumber", "name": "legalname"])
        var index: [String: Int] = [:]
        for name in CustomerCSVRow.requiredColumns + CustomerCSVRow.optionalColumns {
            if let position = columns.index(name) { index[name] = position }
        }
        self.index = index
    }

    /// Maps and validates one record.
    /// - Returns: The validated draft (``CustomerDraft/validated()``), or a rejection with the
    ///   record's line, the CSV column at fault and the reason.
    public func map(_ record: CSVRecord) -> Result<CustomerDraft, CSVRejection> {
        do throws(InvoicingError) {
            try CSVColumns.checkWidth(record, headerCount: columns.headerCount)
            return .success(try draft(record).validated())
        } catch {
            return .failure(CSVRejection(line: record.line, error: CustomerCSVRow.renamingField(error)))
        }
    }

    private func value(_ record: CSVRecord, _ column: String) -> String? {
        CSVColumns.value(record, index[column])
    }

    private func draft(_ record: CSVRecord) throws(InvoicingError) -> CustomerDraft {
        let country = try CountryCode(try CSVColumns.required(record, index["country"], column: "country"))
        var cache: Currency?
        let currency = try CSVColumns.currency(try CSVColumns.required(record, index["currency"], column: "currency"),
                                               column: "currency", cache: &cache)
        let language = try value(record, "language").map { text throws(InvoicingError) in try Language(parsing: text) }
            ?? Language.default(for: country)
        let timeZone: TimeZoneIdentifier
        if let text = value(record, "timeZone") {
            timeZone = try TimeZoneIdentifier(text)
        } else if let fallback = TimeZoneIdentifier.default(for: country) {
            timeZone = fallback
        } else {
            throw InvoicingError(.missingField, "give the customer's time zone, like America/New_York; \(country) has several",
                                 field: "timeZone")
        }
        let creditLimit: Money?
        do {
            creditLimit = try value(record, "creditLimit").map { text throws(MoneyError) in try TextNormalisation.money(text, currency: currency) }
        } catch {
            throw InvoicingError(error, field: "creditLimit")
        }
        let addressLines = ["addressLine1", "addressLine2", "addressLine3"].compactMap { value(record, $0) }
        let city = value(record, "city")
        let address: PostalAddress? = addressLines.isEmpty && city == nil ? nil
            : PostalAddress(lines: addressLines, postalCode: value(record, "postalCode") ?? "", city: city ?? "", country: country)
        return CustomerDraft(
            customerNumber: try CSVColumns.required(record, index["customerNumber"], column: "customerNumber"),
            legalName: try CSVColumns.required(record, index["legalName"], column: "legalName"),
            registrationId: value(record, "registrationId"),
            vatId: value(record, "vatId"),
            billingAddress: address,
            country: country,
            language: language,
            timeZone: timeZone,
            defaultCurrency: currency,
            paymentTerms: try value(record, "paymentTerms").map { text throws(InvoicingError) in try PaymentTerms(parsing: text) }
                ?? .netDays(30),
            creditLimit: creditLimit,
            segment: value(record, "segment"),
            riskCategory: try value(record, "riskCategory").map { text throws(InvoicingError) in try RiskCategory(parsing: text) },
            strategic: try CustomerCSVRow.boolean(value(record, "strategic"), column: "strategic") ?? false,
            tags: value(record, "tags").map { $0.split(separator: "|").map(String.init) } ?? [],
            contacts: try contact(record).map { [$0] } ?? [])
    }

    private func contact(_ record: CSVRecord) throws(InvoicingError) -> ContactDraft? {
        let name = value(record, "contactName")
        let emailText = value(record, "contactEmail")
        let phoneText = value(record, "contactPhone")
        guard name != nil || emailText != nil || phoneText != nil else { return nil }
        let email = try emailText.map { text throws(InvoicingError) in try EmailAddress(text) }
        let phone = try phoneText.map { text throws(InvoicingError) in try PhoneNumber(text) }
        return ContactDraft(
            name: name ?? email?.address ?? phone?.e164 ?? "",
            email: email,
            phone: phone,
            role: try value(record, "contactRole").map { text throws(InvoicingError) in try ContactRole(parsing: text) } ?? .accounting,
            preferredChannel: try value(record, "contactChannel").map { text throws(InvoicingError) in try Channel(parsing: text) },
            isDunningRecipient: try CustomerCSVRow.boolean(value(record, "contactDunningRecipient"), column: "contactDunningRecipient") ?? true)
    }

    /// Reads a yes/no cell; nil when blank.
    static func boolean(_ text: String?, column: String) throws(InvoicingError) -> Bool? {
        guard let text else { return nil }
        switch text.lowercased() {
        case "true", "yes", "y", "oui", "o", "1", "x": return true
        case "false", "no", "n", "non", "0": return false
        default:
            throw InvoicingError(.invalidField, "'\(text)' is not yes or no; write true or false", field: column)
        }
    }

    /// Names the CSV column instead of the JSON field in errors from validation, for any
    /// contact of the customer (`contacts[1].email` is `contactEmail`: rows merged into one
    /// customer are rejected one by one).
    static func renamingField(_ error: InvoicingError) -> InvoicingError {
        guard var field = error.field else { return error }
        let isContactField = field.hasPrefix("contacts[")
        if isContactField, let dot = field.firstIndex(of: ".") {
            field = String(field[field.index(after: dot)...])
        }
        let renamed: String? = switch field {
        case "email": "contactEmail"
        case "phone": "contactPhone"
        case "role": "contactRole"
        case "preferredChannel": "contactChannel"
        case "name" where isContactField: "contactName"
        case "isDunningRecipient": "contactDunningRecipient"
        case "defaultCurrency": "currency"
        case "billingAddress.lines", "billingAddress": "addressLine1"
        case "billingAddress.city": "city"
        default: nil
        }
        return renamed.map { InvoicingError(error.code, error.reason, field: $0) } ?? error
    }
}
