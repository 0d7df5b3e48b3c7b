/// A late-payment charge a step claims from the customer under French law (Code de commerce
/// L441-10): the late interest and the fixed recovery indemnity (40 EUR per invoice, B2B).
public enum LateCharge: String, Sendable, Hashable, Codable, CaseIterable {
    /// Late interest on the amount still due, from the day after the due date.
    case interest
    /// The fixed recovery indemnity ("indemnité forfaitaire pour frais de recouvrement").
    case indemnity
}
