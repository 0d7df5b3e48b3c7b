import Events

/// Western (Gregorian) Easter Sunday, the anchor of the movable holidays.
public enum Easter {
    /// Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm
    /// (Meeus/Jones/Butcher), valid for every year from 1583 on.
    ///
    /// Worked example, 2026: a = 2026 mod 19 = 12, b = 20, c = 26, d = 5, e = 0,
    /// f = (20 + 8) / 25 = 1, g = (20 - 1 + 1) / 3 = 6, h = (19·12 + 20 - 5 - 6 + 15) mod 30 = 12,
    /// i = 6, k = 2, l = (32 + 0 + 12 - 12 - 2) mod 7 = 2, m = (12 + 132 + 44) / 451 = 0,
    /// month = (12 + 2 + 114) / 31 = 4, day = (12 + 2 + 114) mod 31 + 1 = 5: 5 April 2026.
    public static func sunday(of year: Int) -> CalendarDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        // Always 22 March ... 25 April, so the triple exists; the fallback is unreachable.
        return (try? CalendarDate(year: year, month: month, day: day)) ?? CalendarDate(daysSinceEpoch: 0)
    }
}
