/// What identifies a customer as the payer of a bank credit.
public struct PayerProfile: Sendable, Hashable {
    public var customerId: String
    /// The customer number the customer may quote in the remittance text ("C-00042").
    public var customerNumber: String?
    public var legalName: String
    /// Other names the customer pays under (trading names, the parent company, a factor).
    public var nameVariants: [String]
    /// Accounts the customer has paid from, electronic form or printed.
    public var ibans: [String]

    public init(customerId: String, customerNumber: String? = nil, legalName: String, nameVariants: [String] = [], ibans: [String] = []) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.legalName = legalName
        self.nameVariants = nameVariants
        self.ibans = ibans
    }
}
