/// The checks behind the size limits of what clients send: at most so many characters in a
/// text, so many items in a list.
///
/// Why limits: a customer is published whole (`CustomerSnapshot`) in `customer.registered`
/// and `customer.updated`, invoice events carry reasons and references, and librdkafka refuses
/// a record larger than `message.max.bytes` (1 MB by default); a refused record blocks the
/// outbox behind it. The limits make the largest customer's snapshot a small fraction of that
/// (tested), refused at the source with a 422 `limitExceeded` naming the field and the limit.
///
/// Lengths count Unicode scalars of the text as given, before trimming: what JSON Schema's
/// `maxLength` counts, so the OpenAPI document states each limit exactly.
enum InputLimits {
    /// Checks that `text` has at most `maximum` characters.
    /// - Throws: `InvoicingError` `.limitExceeded` naming `field` and the limit.
    static func check(_ text: String, atMost maximum: Int, field: String, _ what: String) throws(InvoicingError) {
        let length = TextNormalisation.length(text)
        guard length <= maximum else {
            throw InvoicingError(.limitExceeded, "\(what) has \(length) characters; the limit is \(maximum)", field: field)
        }
    }

    /// Checks that a list has at most `maximum` items.
    /// - Throws: `InvoicingError` `.limitExceeded` naming `field` and the limit.
    static func check(count: Int, atMost maximum: Int, field: String, _ what: String) throws(InvoicingError) {
        guard count <= maximum else {
            throw InvoicingError(.limitExceeded, "\(count) \(what) given; the limit is \(maximum)", field: field)
        }
    }
}
