import Events

/// Reads dates in a CSV mapping's `dateFormat` (`dd.MM.yyyy`, `yyyy-MM-dd`, `M/d/yy`...).
struct CSVDateFormat: Sendable {
    private enum Token: Equatable {
        case year4, year2, month, day
        case literal(Character)
    }

    private let tokens: [Token]

    init(_ format: String) {
        var tokens: [Token] = []
        var rest = Substring(format)
        while let first = rest.first {
            if rest.hasPrefix("yyyy") {
                tokens.append(.year4)
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("yy") {
                tokens.append(.year2)
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("MM") || rest.hasPrefix("M") {
                tokens.append(.month)
                rest = rest.dropFirst(rest.hasPrefix("MM") ? 2 : 1)
            } else if rest.hasPrefix("dd") || rest.hasPrefix("d") {
                tokens.append(.day)
                rest = rest.dropFirst(rest.hasPrefix("dd") ? 2 : 1)
            } else {
                tokens.append(.literal(first))
                rest = rest.dropFirst()
            }
        }
        self.tokens = tokens
    }

    /// The date, or nil when `text` does not follow the format or is not a real day.
    func date(_ text: String) -> CalendarDate? {
        var rest = Substring(text.trimmingSpaces)
        var year = 0
        var month = 0
        var day = 0
        func number(maxDigits: Int) -> Int? {
            let digits = rest.prefix(maxDigits).prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        for token in tokens {
            switch token {
            case .year4:
                guard let value = number(maxDigits: 4) else { return nil }
                year = value
            case .year2:
                guard let value = number(maxDigits: 2) else { return nil }
                year = value >= 80 ? 1900 + value : 2000 + value
            case .month:
                guard let value = number(maxDigits: 2) else { return nil }
                month = value
            case .day:
                guard let value = number(maxDigits: 2) else { return nil }
                day = value
            case .literal(let character):
                guard rest.first == character else { return nil }
                rest = rest.dropFirst()
            }
        }
        // A time after the date ("2024-11-08 10:15") is ignored.
        guard rest.isEmpty || rest.first == " " || rest.first == "T" else { return nil }
        return try? CalendarDate(year: year, month: month, day: day)
    }
}
