/// The lines of one MT940 field (the tag's line without the tag, then its continuation lines)
/// back to back in one buffer, with where each line ends.
///
/// The reader keeps one and refills it for every field (``removeAll()`` keeps the storage), so
/// reading a field allocates nothing; the structured `:86:` dialects join their lines as they
/// are, which here is the buffer itself.
struct MT940FieldText {
    /// The lines' bytes as in the file, without line breaks.
    private(set) var bytes: [UInt8] = []
    /// The end of each line in ``bytes``.
    private var lineEnds: [Int] = []
    /// Whether every byte is ASCII (then no line needs decoding).
    private(set) var isASCII = true

    init() {}

    /// A field of these lines (tests, and ``MT940Information/init(lines:)``).
    init(lines: [[UInt8]]) {
        for line in lines { append(line[...], isASCII: !line.contains(where: { $0 >= 0x80 })) }
    }

    var lineCount: Int { lineEnds.count }

    /// Line `index` (0-based).
    func line(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : lineEnds[index - 1])..<lineEnds[index]]
    }

    /// Adds a line.
    /// - Parameter isASCII: False when the line may hold a byte >= 0x80 (true only when it holds none).
    mutating func append(_ line: ArraySlice<UInt8>, isASCII lineIsASCII: Bool) {
        bytes.append(contentsOf: line)
        lineEnds.append(bytes.count)
        isASCII = isASCII && lineIsASCII
    }

    /// Empties the field, keeping the storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        lineEnds.removeAll(keepingCapacity: true)
        isASCII = true
    }
}
