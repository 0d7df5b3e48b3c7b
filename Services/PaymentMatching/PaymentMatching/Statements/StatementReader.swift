import Foundation

/// Reads one bank file format, streaming: memory stays bounded whatever the file's size
/// (``StatementVisitor`` receives the contents as they are read).
public protocol StatementReader: Sendable {
    /// The format this reader reads.
    var format: StatementFormat { get }

    /// Reads `file`, reporting statements and entries to `visitor` in file order.
    /// - Throws: ``StatementError`` with the location of the first problem (line, or element
    ///   path for XML); what the visitor received before stays valid.
    func read(_ file: URL, into visitor: inout some StatementVisitor) throws(StatementError)
}

extension StatementReader {
    /// Reads a whole file into memory: for `parse`, tests and small files.
    public func read(_ file: URL) throws(StatementError) -> StatementFile {
        var collector = StatementCollector()
        try read(file, into: &collector)
        return StatementFile(format: format, statements: collector.statements)
    }
}
