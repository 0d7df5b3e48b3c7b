import Foundation

/// A mailbox: an ASCII `local@domain` address and an optional display name.
///
/// The address is validated when the value is made; the name is free text (a customer's name)
/// and is rendered so that it cannot change the header it appears in.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: String
    public let name: String?

    /// - Throws: ``SMTPError/Code/invalidAddress`` when `address` is not a plain
    ///   `local@domain` (internationalised addresses are not supported).
    public init(_ address: String, name: String? = nil) throws(SMTPError) {
        guard Self.isValid(address) else {
            throw SMTPError(.invalidAddress, reason: "not an ASCII local@domain address: \(address.debugDescription)")
        }
        self.address = address
        self.name = name.map(MIMEEncoding.neutralised).flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String { rendered(column: 0) }

    /// `Name <local@domain>`, the name as an atom phrase, a quoted string or encoded-words.
    func rendered(column: Int) -> String {
        guard let name else { return "<\(address)>" }
        // A long name goes out as encoded-words too: those can be folded, a quoted string not.
        if MIMEEncoding.needsEncodedWords(name) || name.utf8.count > 60 {
            return MIMEEncoding.encodedWords(name, column: column) + " <\(address)>"
        }
        let isPlainPhrase = name.unicodeScalars.allSatisfy { $0 == " " || Self.atext.contains($0) }
        if isPlainPhrase { return "\(name) <\(address)>" }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\" <\(address)>"
    }

    /// RFC 5322 3.2.3 `atext`.
    private static let atext: Set<Unicode.Scalar> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// A dot-atom local part and a host name (RFC 5321 4.1.2), at most 254 octets. Quoted
    /// local parts and address literals are refused: no customer needs them, and each is a
    /// way to smuggle characters into commands.
    static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        let isDotAtom = { (text: Substring, allowed: (Unicode.Scalar) -> Bool) in
            !text.isEmpty && text.utf8.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false)
                .allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(allowed) }
        }
        return local.utf8.count <= 64 && isDotAtom(local) { atext.contains($0) }
            && isDotAtom(domain) { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
