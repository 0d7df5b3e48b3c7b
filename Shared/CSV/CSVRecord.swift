/// One CSV record: its fields and the physical line it starts on (1-based, the header is
/// line 1), so rejections can point at the line a person sees in a text editor.
public struct CSVRecord: Hashable, Sendable {
    /// The physical line where the record starts; a record with quoted line breaks spans
    /// several lines.
    public let line: Int
    /// The fields, unquoted, in order.
    public let fields: [String]

    /// Creates a record.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }

    /// The field at `index`, or an empty string when the record is shorter.
    @inlinable
    public subscript(index: Int) -> String {
        index < fields.count ? fields[index] : ""
    }
}
