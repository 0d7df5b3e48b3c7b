import Foundation

/// An ISO 3166-1 alpha-2 country code (`FR`, `BE`, `US`), upper case.
///
/// Only the 249 officially assigned codes are accepted; user-assigned or reserved ones
/// (`XK`, `EU`, `UK`) are refused so that tax and address rules can rely on the code.
/// Encodes as the two-letter string.
public struct CountryCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The code, upper case (`"FR"`).
    public let code: String

    /// Validates a country code, case-insensitively, ignoring surrounding spaces.
    /// - Throws: `InvoicingError` `.invalidCountry` (field `country`) when it is not an
    ///   assigned ISO 3166-1 alpha-2 code.
    public init(_ text: String) throws(InvoicingError) {
        let upper = TextNormalisation.trimmed(text).uppercased()
        guard CountryCode.assigned.contains(upper) else {
            throw InvoicingError(.invalidCountry,
                                 "'\(text)' is not an ISO 3166-1 alpha-2 country code; use two letters like FR, BE or US",
                                 field: "country")
        }
        self.code = upper
    }

    /// France.
    public static let france = CountryCode(unchecked: "FR")

    /// The two-letter code.
    public var description: String { code }

    /// Alphabetical order of the codes.
    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.code < rhs.code }

    private init(unchecked code: String) { self.code = code }

    /// Every officially assigned ISO 3166-1 alpha-2 code (249).
    public static let assigned: Set<String> = Set("""
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
        BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
        DE DJ DK DM DO DZ \
        EC EE EG EH ER ES ET \
        FI FJ FK FM FO FR \
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
        HK HM HN HR HT HU \
        ID IE IL IM IN IO IQ IR IS IT \
        JE JM JO JP \
        KE KG KH KI KM KN KP KR KW KY KZ \
        LA LB LC LI LK LR LS LT LU LV LY \
        MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
        NA NC NE NF NG NI NL NO NP NR NU NZ \
        OM \
        PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
        QA \
        RE RO RS RU RW \
        SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
        TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
        UA UG UM US UY UZ \
        VA VC VE VG VI VN VU \
        WF WS \
        YE YT \
        ZA ZM ZW
        """.split(separator: " ").map(String.init))
}

extension CountryCode: Codable {
    /// Decodes and validates the two-letter code, in any letter case but without surrounding
    /// spaces (which CSV cells may have): exactly what the OpenAPI document's pattern accepts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do throws(InvoicingError) {
            guard text.utf8.count == 2 else {
                throw InvoicingError(.invalidCountry,
                                     "'\(text)' is not an ISO 3166-1 alpha-2 country code; use two letters like FR, BE or US",
                                     field: "country")
            }
            try self.init(text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the two-letter code.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
