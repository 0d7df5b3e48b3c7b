import Events

/// A named set of public holidays, the same rules every year: France and Alsace-Moselle are
/// built in; others (Belgium, Germany's Länder...) come from configuration (`Codable`, see
/// ``HolidayRule`` for the form) without code.
public struct HolidayCalendar: Sendable, Hashable, Codable {
    /// One holiday in a given year.
    public struct Holiday: Sendable, Hashable, Codable {
        /// The day.
        public let date: CalendarDate
        /// Its name.
        public let name: String
    }

    /// The code used to choose the calendar (`FR`, `FR-57`, `BE`), compared case-insensitively.
    public let code: String
    /// A name for people.
    public let name: String
    /// The rules, in configuration order.
    public let holidays: [HolidayRule]

    /// Creates a calendar.
    /// - Throws: `CalendarError.invalidHoliday` when the code is empty.
    public init(code: String, name: String, holidays: [HolidayRule]) throws(CalendarError) {
        guard !code.isEmpty else {
            throw CalendarError(.invalidHoliday, "a holiday calendar needs a code, like FR or BE", location: "code")
        }
        self.code = code
        self.name = name
        self.holidays = holidays
    }

    /// Whether a day is a public holiday.
    public func isHoliday(_ date: CalendarDate) -> Bool {
        holidays.contains { $0.matches(date) }
    }

    /// The names of the holidays on a day (usually none or one; two rules may meet, as
    /// Ascension and 1 May did in 2008).
    public func holidayNames(on date: CalendarDate) -> [String] {
        holidays.filter { $0.matches(date) }.map(\.name)
    }

    /// Every holiday of a year, in date order (configuration order on the same day).
    public func holidays(in year: Int) -> [Holiday] {
        holidays.enumerated()
            .compactMap { index, rule in rule.occurrence(in: year).map { (index, Holiday(date: $0, name: rule.name)) } }
            .sorted { ($0.1.date, $0.0) < ($1.1.date, $1.0) }
            .map(\.1)
    }

    // MARK: - Built in

    /// Metropolitan France's eleven public holidays (Code du travail, art. L3133-1).
    ///
    /// Whit Monday is kept: many firms make it their "journée de solidarité" (a worked day),
    /// but it is still a public holiday and neither banks nor most customers work; a firm that
    /// works it can configure its own calendar without that rule.
    public static let france = builtIn(code: "FR", name: "France", extra: [])

    /// Alsace and Moselle (départements 57, 67, 68): France's holidays plus Good Friday and
    /// Saint Stephen's Day (26 December), from the local law kept since 1918.
    public static let alsaceMoselle = builtIn(code: "FR-57", name: "Alsace-Moselle", extra: [
        ("Vendredi saint", .easterRelative(days: -2)),
        ("Saint-Étienne", .fixed(month: 12, day: 26)),
    ])

    /// The built-in calendars by code: `FR`; `FR-57`, `FR-67` and `FR-68` (Alsace-Moselle).
    public static let builtInCodes = ["FR", "FR-57", "FR-67", "FR-68"]

    /// A built-in or configured calendar by its code, compared case-insensitively; the
    /// configured ones are searched first, so a configuration may replace a built-in.
    /// - Throws: `CalendarError.unknownCalendar`, naming the codes that exist.
    public static func named(_ code: String, configured: [HolidayCalendar] = []) throws(CalendarError) -> HolidayCalendar {
        let wanted = code.uppercased()
        if let calendar = configured.first(where: { $0.code.uppercased() == wanted }) {
            return calendar
        }
        switch wanted {
        case "FR": return france
        case "FR-57", "FR-67", "FR-68": return alsaceMoselle
        default:
            let known = (builtInCodes + configured.map(\.code)).joined(separator: ", ")
            throw CalendarError(.unknownCalendar, "no holiday calendar '\(code)'; use one of \(known), or configure it", location: "calendar")
        }
    }

    private static func builtIn(code: String, name: String, extra: [(String, HolidayRule.Day)]) -> HolidayCalendar {
        let france: [(String, HolidayRule.Day)] = [
            ("Jour de l'an", .fixed(month: 1, day: 1)),
            ("Lundi de Pâques", .easterRelative(days: 1)),
            ("Fête du travail", .fixed(month: 5, day: 1)),
            ("Victoire 1945", .fixed(month: 5, day: 8)),
            ("Ascension", .easterRelative(days: 39)),
            ("Lundi de Pentecôte", .easterRelative(days: 50)),
            ("Fête nationale", .fixed(month: 7, day: 14)),
            ("Assomption", .fixed(month: 8, day: 15)),
            ("Toussaint", .fixed(month: 11, day: 1)),
            ("Armistice 1918", .fixed(month: 11, day: 11)),
            ("Noël", .fixed(month: 12, day: 25)),
        ]
        // The rules above are valid by construction (checked by the tests); `try?` only
        // satisfies the typed initialiser.
        let rules = (france + extra).compactMap { try? HolidayRule(name: $0.0, day: $0.1) }
        return HolidayCalendar(unchecked: code, name: name, holidays: rules)
    }

    private enum CodingKeys: String, CodingKey { case code, name, holidays }

    /// Decodes `{code, name, holidays: [rule...]}`, checking the code like ``init(code:name:holidays:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let code = try container.decode(String.self, forKey: .code)
        let name = try container.decodeIfPresent(String.self, forKey: .name) ?? code
        let holidays = try container.decode([HolidayRule].self, forKey: .holidays)
        do {
            try self.init(code: code, name: name, holidays: holidays)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath + [CodingKeys.code], debugDescription: error.reason, underlyingError: error))
        }
    }

    private init(unchecked code: String, name: String, holidays: [HolidayRule]) {
        self.code = code
        self.name = name
        self.holidays = holidays
    }
}
