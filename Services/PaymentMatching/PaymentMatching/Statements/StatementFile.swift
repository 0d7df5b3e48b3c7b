/// A whole parsed bank file, as `payment-matching parse` prints it.
public struct StatementFile: Codable, Sendable, Hashable {
    public var format: StatementFormat
    public var statements: [BankStatement]

    public init(format: StatementFormat, statements: [BankStatement]) {
        self.format = format
        self.statements = statements
    }
}
