/// One step of a dunning scenario: when (days from the due date), how (channel), to whom
/// (role, then fallbacks), with what (template), whether a person is needed, for which
/// customers, and which late-payment charges it claims.
public struct DunningStep: Sendable, Hashable, Codable, Identifiable {
    /// Unique within the scenario, kebab-case (`reminder-1`): what schedules and migrations
    /// refer to.
    public var id: String
    /// Days from the due date: negative before it (a courtesy reminder), 0 on it.
    public var offsetDays: Int
    /// How the step reaches the customer.
    public var channel: DunningChannel
    /// The contact addressed first.
    public var recipient: RecipientRole
    /// The roles tried in order when the customer has no contact with ``recipient``.
    public var fallbackRoles: [RecipientRole]
    /// The notification template (issue 10's names: `courtesy-reminder`, `reminder-1`,
    /// `reminder-2`, `call-follow-up`, `formal-notice`, `agency-handoff`), kebab-case.
    public var template: String
    /// Automatic, or manual (a person approves or performs it).
    public var mode: StepMode
    /// Which customers the step applies to.
    public var conditions: StepConditions
    /// The late-payment charges the step claims; empty for a plain reminder.
    public var claims: Set<LateCharge>
    /// For a formal notice: the days the customer is given to pay (typically 8).
    public var responseDeadlineDays: Int?
    /// For an e-mail: send the same template by letter when the e-mail fails
    /// (`notification.failed`).
    public var letterIfEmailFails: Bool

    /// Creates a step; ``DunningScenario/validate()`` checks it within its scenario.
    public init(
        id: String, offsetDays: Int, channel: DunningChannel, recipient: RecipientRole,
        fallbackRoles: [RecipientRole] = [], template: String, mode: StepMode = .automatic,
        conditions: StepConditions = .none, claims: Set<LateCharge> = [], responseDeadlineDays: Int? = nil,
        letterIfEmailFails: Bool = false
    ) {
        self.id = id
        self.offsetDays = offsetDays
        self.channel = channel
        self.recipient = recipient
        self.fallbackRoles = fallbackRoles
        self.template = template
        self.mode = mode
        self.conditions = conditions
        self.claims = claims
        self.responseDeadlineDays = responseDeadlineDays
        self.letterIfEmailFails = letterIfEmailFails
    }

    /// A French formal notice ("mise en demeure"): a registered letter claiming charges.
    public var isFormalNotice: Bool { channel == .registeredLetter && !claims.isEmpty }

    /// Who receives the step: ``recipient`` if the customer has such a contact, else the
    /// first fallback role they have; `nil` when they have none of them (the service then
    /// raises a task to find a contact).
    public func recipientRole(among available: Set<RecipientRole>) -> RecipientRole? {
        ([recipient] + fallbackRoles).first { available.contains($0) }
    }
}
