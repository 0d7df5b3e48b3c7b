/// A server-side failure of the HTTP layer (rendered as a 500 whose text stays in the log).
struct InvoicingAPIFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
