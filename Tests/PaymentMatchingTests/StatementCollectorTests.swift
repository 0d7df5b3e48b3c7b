import Events
import Money
import PaymentMatching
import Testing

@Suite struct StatementCollectorTests {
    @Test func keepsEntriesUnderTheirStatementAndTheClosingBalanceGivenAtTheEnd() throws {
        var collector = StatementCollector()
        let account = StatementAccount(iban: "FR7630006000011234567890189")
        try collector.beginStatement(BankStatement(id: "S1", account: account, currency: .eur, openingBalance: Money(minorUnits: 100, currency: .eur)))
        try collector.visit(StatementEntry(amount: Money(minorUnits: 50, currency: .eur), creditDebit: .credit, location: "line 3"))
        try collector.endStatement(closingBalance: Money(minorUnits: 150, currency: .eur))
        try collector.beginStatement(BankStatement(id: "S2", account: account, currency: .eur))
        try collector.endStatement(closingBalance: nil)
        #expect(collector.statements.map(\.id) == ["S1", "S2"])
        #expect(collector.statements[0].entries.map(\.amount.minorUnits) == [50])
        #expect(collector.statements[0].closingBalance?.minorUnits == 150)
        #expect(collector.statements[1].entries.isEmpty)
    }

    @Test func anEntryBeforeAnyStatementIsMalformed() {
        var collector = StatementCollector()
        #expect(throws: StatementError.self) {
            try collector.visit(StatementEntry(amount: Money(minorUnits: 1, currency: .eur), creditDebit: .credit))
        }
    }
}
