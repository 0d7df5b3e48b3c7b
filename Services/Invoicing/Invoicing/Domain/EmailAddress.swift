import Foundation

/// A syntactically plausible e-mail address: `local@domain.tld`.
///
/// Pragmatic, not RFC 5322: one `@`, a non-empty local part of at most 64 characters without
/// leading, trailing or doubled dots, a domain with at least one dot and labels of letters,
/// digits and hyphens (internationalised letters allowed), a top-level domain of two or more
/// letters, no spaces or control characters, 254 characters at most. The domain is stored in
/// lower case; the local part is kept as given. Encodes as the address string.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address, domain in lower case.
    public let address: String

    /// The longest address deliverable over SMTP (RFC 5321 path limit).
    public static let maximumLength = 254

    /// Validates an address, ignoring surrounding spaces.
    /// - Throws: `InvoicingError` `.invalidEmail` (field `email`) with what is wrong.
    public init(_ text: String) throws(InvoicingError) {
        let trimmed = TextNormalisation.trimmed(text)
        func invalid(_ why: String) -> InvoicingError {
            InvoicingError(.invalidEmail, "'\(text)' is not an e-mail address: \(why); write it like name@example.com", field: "email")
        }
        guard !trimmed.isEmpty else { throw invalid("it is empty") }
        guard trimmed.utf8.count <= EmailAddress.maximumLength else { throw invalid("it is longer than 254 characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            throw invalid("it contains spaces or control characters")
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw invalid("it must contain exactly one @") }
        let local = parts[0]
        let domain = parts[1].lowercased()
        guard !local.isEmpty, local.utf8.count <= 64 else { throw invalid("the part before @ must have 1 to 64 characters") }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw invalid("the part before @ has a misplaced dot")
        }
        guard !local.contains(where: { "()<>[]\\,;:\"".contains($0) }) else {
            throw invalid("the part before @ contains a character like , ; : < > or quotes")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw invalid("the domain after @ needs a dot, like example.com") }
        for label in labels {
            guard !label.isEmpty, label.count <= 63 else { throw invalid("the domain has an empty or too long part") }
            guard !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.allSatisfy({ $0 == "-" || $0.isLetter || $0.isNumber })
            else { throw invalid("the domain may contain only letters, digits, hyphens and dots") }
        }
        guard let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) || tld.hasPrefix("xn--") else {
            throw invalid("the domain must end with a top-level domain like .com or .fr")
        }
        self.address = "\(local)@\(domain)"
    }

    /// The address.
    public var description: String { address }
}

extension EmailAddress: Codable {
    /// Decodes and validates the address, without surrounding spaces (which CSV cells may
    /// have).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do throws(InvoicingError) {
            guard TextNormalisation.trimmed(text) == text else {
                throw InvoicingError(.invalidEmail, "'\(text)' has surrounding spaces; write it like name@example.com", field: "email")
            }
            try self.init(text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the address.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(address)
    }
}
