/// How a scenario resumes when a promise to pay passes unpaid (issue 9: "a broken promise
/// resumes the scenario (optionally one step stricter)"). Set per scenario, YAML key
/// `brokenPromise`; the default is ``resume``.
public enum BrokenPromiseRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// The scenario goes on where time puts it: the latest step due goes out (the ones before
    /// it are skipped), or the next one waits for its day.
    case resume
    /// The scenario goes on one step further than ``resume`` would, at once: the step after
    /// the latest one due (or, when none is due yet, the next step) goes out when the promise
    /// is found broken, the ones before it skipped. With no step after the latest one due it
    /// resumes as ``resume``. The contact cap, the sending window and the freshness guard
    /// still apply; a step they defer goes at its own planned time.
    case oneStepStricter
}
