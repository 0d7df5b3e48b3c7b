/// A customer's situation under French insolvency law (procédures collectives).
public enum LegalProceedings: String, Codable, Hashable, Sendable, CaseIterable {
    /// No collective proceedings.
    case none
    /// Procédure de sauvegarde.
    case safeguard
    /// Redressement judiciaire.
    case receivership
    /// Liquidation judiciaire.
    case liquidation

    /// Whether individual collection must stop: from the opening judgment on, creditors may
    /// not pursue the debtor for debts born before it (Code de commerce L622-21); they file
    /// their claims with the mandataire judiciaire instead.
    public var suspendsIndividualCollection: Bool { self != .none }
}
