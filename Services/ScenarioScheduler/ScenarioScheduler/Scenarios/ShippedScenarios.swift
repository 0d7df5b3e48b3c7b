/// The three scenarios shipped with the scheduler, following French practice, as canonical
/// YAML (``ScenarioYAML``): embedded as string literals because a resource folder would need
/// the package manifest to declare it. A test checks each text is what the exporter writes.
///
/// The usual French cadence, which `standard-b2b` follows: a courtesy e-mail a few days before
/// the due date, a first reminder to accounts payable about a week after it, a second one
/// about two weeks after (by letter too when the e-mail bounces), a phone call around three
/// weeks, the formal notice ("mise en demeure") by registered letter at 30 days claiming the
/// late interest and the 40 EUR recovery indemnity (Code de commerce L441-10, D441-5) with
/// eight days to pay ("sous huitaine"), then the hand-off to a collection agency. `gentle`
/// (strategic customers) waits longer, and a person approves its formal notice and hand-off;
/// `firm` (late payers) has shorter intervals, an earlier call and an earlier formal notice.
///
/// The formal notice and the agency hand-off apply from 100 EUR and 500 EUR overdue: below
/// that, the cost of a registered letter or an agency exceeds what is at stake.
public enum ShippedScenarios {
    /// The name of the scenario customers get when nothing else applies.
    public static let defaultName = "standard-b2b"

    /// The stricter-and-stricter order behaviour-based tightening moves along.
    public static let ladder = ["gentle", "standard-b2b", "firm"]

    /// `gentle`, for strategic customers.
    public static let gentleYAML = """
        name: gentle
        version: 1
        description: "Strategic customers: later, softer steps; a person approves the formal notice and the agency hand-off."
        steps:
          - id: courtesy
            offsetDays: -5
            channel: email
            recipient: accounting
            fallbackRoles: [operational]
            template: courtesy-reminder
            mode: automatic
          - id: reminder-1
            offsetDays: 10
            channel: email
            recipient: accounting
            fallbackRoles: [operational]
            template: reminder-1
            mode: automatic
          - id: reminder-2
            offsetDays: 25
            channel: email
            recipient: accounting
            fallbackRoles: [operational, management]
            template: reminder-2
            mode: automatic
            letterIfEmailFails: true
          - id: call
            offsetDays: 35
            channel: phoneCall
            recipient: operational
            fallbackRoles: [accounting, management]
            template: call-follow-up
            mode: manual
          - id: formal-notice
            offsetDays: 50
            channel: registeredLetter
            recipient: management
            fallbackRoles: [accounting]
            template: formal-notice
            mode: manual
            claims: [interest, indemnity]
            responseDeadlineDays: 15
            when:
              minimumOverdue:
                EUR: 100.00
          - id: agency
            offsetDays: 90
            channel: collectionAgency
            recipient: management
            fallbackRoles: [accounting]
            template: agency-handoff
            mode: manual
            when:
              minimumOverdue:
                EUR: 500.00

        """

    /// `standard-b2b`, the default.
    public static let standardB2BYAML = """
        name: standard-b2b
        version: 1
        description: "Business customers: courtesy e-mail before the due date, two reminders, a call, the formal notice at 30 days claiming charges, an agency at 60."
        steps:
          - id: courtesy
            offsetDays: -5
            channel: email
            recipient: accounting
            fallbackRoles: [operational]
            template: courtesy-reminder
            mode: automatic
          - id: reminder-1
            offsetDays: 7
            channel: email
            recipient: accounting
            fallbackRoles: [operational]
            template: reminder-1
            mode: automatic
          - id: reminder-2
            offsetDays: 15
            channel: email
            recipient: accounting
            fallbackRoles: [management]
            template: reminder-2
            mode: automatic
            letterIfEmailFails: true
          - id: call
            offsetDays: 20
            channel: phoneCall
            recipient: accounting
            fallbackRoles: [management]
            template: call-follow-up
            mode: manual
          - id: formal-notice
            offsetDays: 30
            channel: registeredLetter
            recipient: management
            fallbackRoles: [accounting]
            template: formal-notice
            mode: automatic
            claims: [interest, indemnity]
            responseDeadlineDays: 8
            when:
              minimumOverdue:
                EUR: 100.00
          - id: agency
            offsetDays: 60
            channel: collectionAgency
            recipient: management
            fallbackRoles: [accounting]
            template: agency-handoff
            mode: manual
            when:
              minimumOverdue:
                EUR: 500.00

        """

    /// `firm`, for late payers.
    public static let firmYAML = """
        name: firm
        version: 1
        description: "Late payers: short intervals, a letter with the second reminder, an early call and the formal notice at 20 days."
        steps:
          - id: courtesy
            offsetDays: -5
            channel: email
            recipient: accounting
            fallbackRoles: [management]
            template: courtesy-reminder
            mode: automatic
          - id: reminder-1
            offsetDays: 3
            channel: email
            recipient: accounting
            fallbackRoles: [management]
            template: reminder-1
            mode: automatic
          - id: reminder-2
            offsetDays: 8
            channel: email
            recipient: accounting
            fallbackRoles: [management]
            template: reminder-2
            mode: automatic
          - id: reminder-2-letter
            offsetDays: 8
            channel: letter
            recipient: management
            fallbackRoles: [accounting]
            template: reminder-2
            mode: automatic
          - id: call
            offsetDays: 12
            channel: phoneCall
            recipient: management
            fallbackRoles: [accounting]
            template: call-follow-up
            mode: manual
          - id: formal-notice
            offsetDays: 20
            channel: registeredLetter
            recipient: management
            fallbackRoles: [accounting]
            template: formal-notice
            mode: automatic
            claims: [interest, indemnity]
            responseDeadlineDays: 8
            when:
              minimumOverdue:
                EUR: 100.00
          - id: agency
            offsetDays: 45
            channel: collectionAgency
            recipient: management
            fallbackRoles: [accounting]
            template: agency-handoff
            mode: manual
            when:
              minimumOverdue:
                EUR: 500.00

        """

    /// The YAML of every shipped scenario, by name, in ladder order.
    public static let yamlByName: [(name: String, yaml: String)] = [
        ("gentle", gentleYAML), ("standard-b2b", standardB2BYAML), ("firm", firmYAML),
    ]

    /// The shipped scenarios, read from their YAML, in ladder order.
    /// - Throws: `ScenarioValidationError` if a shipped text were invalid (the tests prove
    ///   they are not); never in practice.
    public static func scenarios() throws(ScenarioValidationError) -> [DunningScenario] {
        var result: [DunningScenario] = []
        for entry in yamlByName { result.append(try ScenarioYAML.decode(entry.yaml)) }
        return result
    }

    /// A catalog holding version 1 of each shipped scenario.
    /// - Throws: `ScenarioCatalogError` as ``scenarios()`` (never in practice).
    public static func catalog() throws(ScenarioCatalogError) -> ScenarioCatalog {
        let shipped: [DunningScenario]
        do {
            shipped = try scenarios()
        } catch {
            throw ScenarioCatalogError(.invalidScenario, "a shipped scenario is invalid: \(error)", validation: error)
        }
        var catalog = ScenarioCatalog()
        for scenario in shipped { try catalog.publish(scenario) }
        return catalog
    }
}
