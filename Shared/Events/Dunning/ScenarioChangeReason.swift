/// Why a customer moved to another dunning scenario. An open set (a struct, not an enum),
/// encoded as its raw string: later releases of v1 may add reasons; show `reason` (the
/// sentence) for one you do not know.
public struct ScenarioChangeReason: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The customer's first scenario (no `from`).
    public static let initialAssignment = ScenarioChangeReason(rawValue: "initialAssignment")
    /// The customer paid late often enough to move to a stricter scenario.
    public static let paidLate = ScenarioChangeReason(rawValue: "paidLate")
    /// The customer paid on time long enough to move to a gentler scenario.
    public static let paidOnTime = ScenarioChangeReason(rawValue: "paidOnTime")
    /// A promise to pay was broken.
    public static let promiseBroken = ScenarioChangeReason(rawValue: "promiseBroken")
    /// The customer's risk category, segment or strategic flag changed the scenario rules' choice.
    public static let customerProfileChanged = ScenarioChangeReason(rawValue: "customerProfileChanged")
    /// A person assigned the scenario by hand.
    public static let manual = ScenarioChangeReason(rawValue: "manual")

    /// The values this version of the code publishes.
    public static let known: [ScenarioChangeReason] = [
        .initialAssignment, .paidLate, .paidOnTime, .promiseBroken, .customerProfileChanged, .manual,
    ]

    public var description: String { rawValue }
}
