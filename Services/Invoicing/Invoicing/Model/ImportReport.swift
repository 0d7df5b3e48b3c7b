/// The result of a bulk CSV import.
public struct ImportReport: Codable, Sendable, Hashable {
    /// Data rows read (header excluded).
    public var rowsRead: Int
    /// Rows that created a customer or invoice.
    public var created: Int
    /// Rows whose number already existed: skipped, nothing changed (re-importing is safe).
    public var alreadyPresent: Int
    /// Rows refused, with line number and reason (the first ``maximumListedRejections``).
    public var rejected: [CSVRejection]
    /// All refused rows, listed or not.
    public var rejectedCount: Int

    /// Rejections listed in full; beyond, only counted (keeps memory bounded).
    public static let maximumListedRejections = 1_000

    public init() {
        rowsRead = 0
        created = 0
        alreadyPresent = 0
        rejected = []
        rejectedCount = 0
    }

    mutating func reject(_ rejection: CSVRejection) {
        rejectedCount += 1
        if rejected.count < Self.maximumListedRejections { rejected.append(rejection) }
    }
}
