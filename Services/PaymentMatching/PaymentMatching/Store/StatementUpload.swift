import Foundation

/// A bank file to import, already on disk (spooled upload or watched folder).
public struct StatementUpload: Sendable {
    /// The file.
    public var file: URL
    /// The name the sender gave it, kept with the import.
    public var fileName: String?
    /// The format, or nil to detect it from the first bytes.
    public var format: StatementFormat?
    /// Column mapping, required for CSV.
    public var csvMapping: CSVStatementMapping?
    /// `upload` or `folder`.
    public var origin: String

    public init(file: URL, fileName: String?, format: StatementFormat? = nil, csvMapping: CSVStatementMapping? = nil, origin: String = "upload") {
        self.file = file
        self.fileName = fileName
        self.format = format
        self.csvMapping = csvMapping
        self.origin = origin
    }
}
