import Events
import Money

/// Formats amounts, dates and rates the way a language writes them, by hand on integers
/// (money is never a floating-point number here).
///
/// Conventions (from CLDR):
/// - French: thousands grouped by a narrow no-break space (U+202F), decimal comma, a no-break
///   space (U+00A0) before the currency symbol: `1 234,56 €`; `1er janvier 2027` for the
///   first day of a month, `15 janvier 2027` otherwise; rates `12,15 %` (U+202F before `%`).
/// - English (any `en-*`): `€1,234.56`, `£2,500.00`, `-€12.50`; `15 January 2027`; `12.15%`.
/// Symbols: EUR `€`, GBP `£` (fr `£GB`), USD `US$` (fr `$US`); other currencies are written
/// with their ISO code (`1 234,56 CHF`, `CHF 1,234.56`). The number of decimals is the
/// currency's minor-unit digits (JPY none, KWD three).
/// Languages other than French and English use the French conventions (the shipped default).
public struct ValueFormatter: Sendable, Hashable {
    /// The writing conventions.
    public enum Style: String, Sendable, Hashable {
        case french
        case english
    }

    public let style: Style

    /// The conventions of a BCP 47 language tag: `en`, `en-GB`, `en-US` are English, anything
    /// else French.
    public init(language: String) {
        let primary = language.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() }
        self.style = primary == "en" ? .english : .french
    }

    public init(style: Style) {
        self.style = style
    }

    /// Narrow no-break space, U+202F: the French thousands separator.
    public static let narrowNoBreakSpace = "\u{202F}"
    /// No-break space, U+00A0: between a French amount and its currency symbol.
    public static let noBreakSpace = "\u{00A0}"

    /// The amount with its currency, e.g. `1 234,56 €` or `€1,234.56`.
    public func amount(_ money: Money) -> String {
        let digits = money.currency.minorUnitDigits
        let magnitude = money.minorUnits.magnitude
        var factor: UInt64 = 1
        for _ in 0..<digits { factor *= 10 }
        let whole = String(magnitude / factor)
        let fractionDigits = String(magnitude % factor)
        let fraction = String(repeating: "0", count: max(0, digits - fractionDigits.count)) + fractionDigits
        let sign = money.minorUnits < 0 ? "-" : ""
        switch style {
        case .french:
            let number = Self.grouped(whole, separator: Self.narrowNoBreakSpace) + (digits > 0 ? "," + fraction : "")
            return sign + number + Self.noBreakSpace + frenchSymbol(money.currency)
        case .english:
            let number = Self.grouped(whole, separator: ",") + (digits > 0 ? "." + fraction : "")
            switch money.currency.code {
            case "EUR": return sign + "€" + number
            case "GBP": return sign + "£" + number
            case "USD": return sign + "US$" + number
            default: return sign + money.currency.code + Self.noBreakSpace + number
            }
        }
    }

    /// The date in words: `15 janvier 2027`, `1er mars 2027`, `15 January 2027`.
    public func date(_ date: CalendarDate) -> String {
        switch style {
        case .french:
            let day = date.day == 1 ? "1er" : String(date.day)
            return "\(day) \(Self.frenchMonths[date.month - 1]) \(date.year)"
        case .english:
            return "\(date.day) \(Self.englishMonths[date.month - 1]) \(date.year)"
        }
    }

    /// An annual rate given in basis points, with two decimals: `12,15 %`, `12.15%`.
    public func rate(basisPoints: Int) -> String {
        let sign = basisPoints < 0 ? "-" : ""
        let magnitude = basisPoints.magnitude
        let hundredths = String(magnitude % 100)
        let fraction = hundredths.count == 1 ? "0" + hundredths : hundredths
        switch style {
        case .french: return "\(sign)\(magnitude / 100),\(fraction)\(Self.narrowNoBreakSpace)%"
        case .english: return "\(sign)\(magnitude / 100).\(fraction)%"
        }
    }

    /// An integer, grouped by thousands: `1 234` (U+202F) or `1,234`.
    public func integer(_ value: Int) -> String {
        let sign = value < 0 ? "-" : ""
        return sign + Self.grouped(String(value.magnitude), separator: style == .french ? Self.narrowNoBreakSpace : ",")
    }

    /// The country's name for an address line, or its code when not in the small table.
    public func countryName(_ code: String) -> String {
        guard let name = Self.countryNames[code.uppercased()] else { return code }
        return style == .french ? name.french : name.english
    }

    private static let countryNames: [String: (french: String, english: String)] = [
        "FR": ("France", "France"), "GB": ("Royaume-Uni", "United Kingdom"), "BE": ("Belgique", "Belgium"),
        "DE": ("Allemagne", "Germany"), "ES": ("Espagne", "Spain"), "IT": ("Italie", "Italy"),
        "CH": ("Suisse", "Switzerland"), "LU": ("Luxembourg", "Luxembourg"), "NL": ("Pays-Bas", "Netherlands"),
        "IE": ("Irlande", "Ireland"), "PT": ("Portugal", "Portugal"), "US": ("États-Unis", "United States"),
    ]

    private func frenchSymbol(_ currency: Currency) -> String {
        switch currency.code {
        case "EUR": "€"
        case "GBP": "£GB"
        case "USD": "$US"
        default: currency.code
        }
    }

    private static func grouped(_ digits: String, separator: String) -> String {
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.append(digits[start..<end])
            end = start
        }
        return groups.reversed().joined(separator: separator)
    }

    private static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]
    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
}
