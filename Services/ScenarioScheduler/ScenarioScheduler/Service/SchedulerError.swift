/// What the scheduler's API refuses, and why.
public enum SchedulerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The development clock control is off (key `dev.clock`; never in production mode).
    case clockNotAdjustable
    /// A request that cannot be carried out as given.
    case invalid(String)
    /// Nothing has this id.
    case notFound(String)
    /// The request conflicts with the current state.
    case conflict(String)

    public var description: String {
        switch self {
        case .clockNotAdjustable:
            "the development clock is off: start the service with RELANCE_MODE=development and RELANCE_DEV_CLOCK=true to move time (never in production)"
        case .invalid(let reason), .notFound(let reason), .conflict(let reason):
            reason
        }
    }
}
