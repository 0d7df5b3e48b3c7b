/// Where an order stands, following what was invoiced of its net amount: `open` (nothing),
/// `partlyInvoiced`, `invoiced` (all of it), or `cancelled` (only before any invoice).
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case open, partlyInvoiced, invoiced, cancelled
}
