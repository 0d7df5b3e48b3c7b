/// A text split into upper-case ASCII alphanumeric parts, remembering where each came from so
/// the evidence can quote what the payer wrote.
struct TextParts {
    let parts: [Substring]
    private let ranges: [Range<Int>]
    private let bytes: [UInt8]

    init(_ text: String) {
        var parts: [Substring] = []
        var ranges: [Range<Int>] = []
        var current: [UInt8] = []
        var start = 0
        let bytes = Array(text.utf8)
        for (offset, byte) in bytes.enumerated() {
            var upper: UInt8?
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): upper = byte
            case UInt8(ascii: "a")...UInt8(ascii: "z"): upper = byte - 32
            default: upper = nil
            }
            if let upper {
                if current.isEmpty { start = offset }
                current.append(upper)
            } else if !current.isEmpty {
                parts.append(Substring(String(decoding: current, as: UTF8.self)))
                ranges.append(start..<offset)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty {
            parts.append(Substring(String(decoding: current, as: UTF8.self)))
            ranges.append(start..<bytes.count)
        }
        self.parts = parts
        self.ranges = ranges
        self.bytes = bytes
    }

    /// The text as written from the first to the last of the parts `run`.
    func quote(_ run: Range<Int>) -> String {
        String(decoding: bytes[ranges[run.lowerBound].lowerBound..<ranges[run.upperBound - 1].upperBound], as: UTF8.self)
    }
}
