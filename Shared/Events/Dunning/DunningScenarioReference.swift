/// A dunning scenario at one version: scenarios are versioned, and a customer follows the
/// version it was assigned until moved.
public struct DunningScenarioReference: Codable, Sendable, Hashable {
    /// The scenario's name, e.g. `standard-b2b`.
    public var name: String
    /// Its version, from 1.
    public var version: Int

    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }
}
