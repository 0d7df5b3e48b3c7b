import ScenarioScheduler
import Testing

@Suite struct DunningChannelTests {
    @Test("only the phone call is a task; the names are the contract's")
    func channels() {
        #expect(DunningChannel.allCases.filter(\.isTask) == [.phoneCall])
        #expect(DunningChannel.allCases.map(\.rawValue) == ["email", "sms", "letter", "registeredLetter", "phoneCall", "collectionAgency"])
        #expect(RecipientRole.allCases.map(\.rawValue) == ["accounting", "operational", "management"])
    }
}
