import Foundation
import Money

/// What was wrong with customer or invoice input, and what to do about it.
///
/// Every validation of the invoicing domain throws this one type. ``code`` is stable for
/// programs (the HTTP layer maps every code to a 4xx status, the CSV import reports it per
/// line); ``reason`` is a sentence for people; ``field`` names the offending input field
/// with the JSON / CSV key (`"dueDate"`, `"contacts[1].email"`) when there is one.
public struct InvoicingError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The kind of failure. Every case is a client error (HTTP 4xx): the input must change.
    public enum Code: String, Hashable, Sendable, Codable, CaseIterable {
        /// A field is present but its value is not acceptable (422).
        case invalidField
        /// A text has more characters, or a list more items, than accepted (422); the reason
        /// gives the limit. See the limits on ``CustomerDraft``, ``ContactDraft``,
        /// ``PostalAddress`` and ``InvoiceDraft``.
        case limitExceeded
        /// A required field is absent or blank (422).
        case missingField
        /// A date is not a real `YYYY-MM-DD` calendar date (422).
        case invalidDate
        /// The due date is before the issue date (422).
        case dueBeforeIssue
        /// The given total disagrees with the total computed from the lines (422).
        case totalsMismatch
        /// The invoice total is zero or negative; credit notes are a separate document (422).
        case nonPositiveTotal
        /// Amounts in different currencies were combined (422).
        case currencyMismatch
        /// A currency code is not an active ISO 4217 code (422).
        case unknownCurrency
        /// An amount or quantity has more decimals than allowed (422).
        case tooManyDecimals
        /// An amount or quantity is not a number (422).
        case malformedAmount
        /// A computation exceeded the 64-bit range of minor units (422).
        case overflow
        /// Payment terms are not one of the known forms or out of range (422).
        case invalidPaymentTerms
        /// An ISO 11649 creditor reference is malformed or its check digits are wrong (422).
        case invalidCreditorReference
        /// An e-mail address is not syntactically valid (422).
        case invalidEmail
        /// A phone number is not a valid E.164 number (422).
        case invalidPhone
        /// A time zone is not an IANA identifier like `Europe/Paris` (422).
        case invalidTimeZone
        /// A country is not an ISO 3166-1 alpha-2 code (422).
        case invalidCountry
        /// The language is not one Relance writes in (422).
        case unsupportedLanguage
        /// No longer raised: several contacts of a role may be marked dunning recipient, the
        /// first listed being the primary one. Kept so that clients matching on it still build.
        case duplicateDunningRecipient
        /// A contact is given twice: the same e-mail address in one role, or the same contact
        /// `id` or `externalReference` (422).
        case duplicateContact
        /// A CSV file is not readable as RFC 4180 UTF-8 CSV (400).
        case malformedCSV
        /// A CSV header lacks a required column (400).
        case missingColumn
        /// The uploaded input could not be opened or read (400 for uploads; the server's
        /// own files failing is an operations problem).
        case unreadableInput
        /// The customer, invoice or allocation named does not exist (404).
        case notFound
        /// A customer, invoice or credit-note number is already taken (409).
        case duplicateNumber
        /// The operation does not fit the current state, e.g. cancelling a paid invoice (409).
        case invalidState
        /// A partial write-off is above the configured tolerance (`writeoff.tolerance`) (422).
        case writeOffAboveTolerance
        /// Accepting the quote or creating the order would take the customer over its credit
        /// limit and its policy is `block` (409); the reason gives the figures.
        case creditLimitExceeded
    }

    /// The kind of failure, for programs.
    public let code: Code
    /// A sentence for people: what was wrong and how to fix it.
    public let reason: String
    /// The input field at fault, with its JSON / CSV name, when there is one.
    public let field: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - reason: What was wrong and what to do, for people.
    ///   - field: The offending input field, if any.
    public init(_ code: Code, _ reason: String, field: String? = nil) {
        self.code = code
        self.reason = reason
        self.field = field
    }

    /// Wraps an error from the `Money` module, keeping its meaning.
    /// - Parameters:
    ///   - error: The money error.
    ///   - field: The input field the amount came from.
    public init(_ error: MoneyError, field: String? = nil) {
        let code: Code = switch error.code {
        case .unknownCurrency: .unknownCurrency
        case .currencyMismatch: .currencyMismatch
        case .tooManyDecimals: .tooManyDecimals
        case .malformedAmount: .malformedAmount
        case .overflow: .overflow
        }
        self.init(code, error.reason, field: field)
    }

    /// The same error attributed to a field, or to a nested field (`contacts[0]` + `email`
    /// gives `contacts[0].email`).
    public func at(_ parent: String) -> InvoicingError {
        InvoicingError(code, reason, field: field.map { "\(parent).\($0)" } ?? parent)
    }

    /// The reason, prefixed by the field when there is one: `dueDate: ...`.
    public var description: String {
        field.map { "\($0): \(reason)" } ?? reason
    }
}

extension InvoicingError {
    /// A `DecodingError` carrying this error, for `Decodable` initialisers of validated
    /// values: the HTTP layer finds the `InvoicingError` in the context's `underlyingError`.
    func decodingError(_ decoder: any Decoder) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(
            codingPath: decoder.codingPath, debugDescription: reason, underlyingError: self))
    }
}
