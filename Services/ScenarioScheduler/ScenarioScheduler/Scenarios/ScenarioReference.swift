/// A scenario version a schedule pins: it keeps running that version until migrated.
public struct ScenarioReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The scenario's name.
    public var name: String
    /// The version, from 1.
    public var version: Int

    /// Creates a reference.
    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }

    /// `standard-b2b@2`.
    public var description: String { "\(name)@\(version)" }
}
