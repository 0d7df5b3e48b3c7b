/// How an invoice sold to a factor is collected.
public enum FactoringMode: String, Codable, Hashable, Sendable, CaseIterable {
    /// The customer was notified of the assignment and pays the factor, who collects: the
    /// seller must not remind the invoice.
    case notified
    /// The customer is not told (affacturage confidentiel): the seller keeps collecting in
    /// its own name and reminds the invoice as usual.
    case confidential
}
