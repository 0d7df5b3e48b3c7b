/// A schema's record key rule (`x-relance-record-key`), as `docs/events/README.md` publishes it.
///
/// Either a JSON Pointer into the event data (`"/customerId"`): the key is the string there; or
/// a list of alternatives, each a pointer with an optional prefix
/// (`[{"pointer": "/customerId"}, {"pointer": "/payerIBAN", "prefix": "payer:"}, ...]`): the key
/// is the prefix plus the string at the first pointer that holds a non-empty one (absent and
/// `null` members are skipped).
struct RecordKeyRule: Sendable, Hashable {
    /// One way to find the key.
    struct Alternative: Sendable, Hashable {
        let pointer: String
        let prefix: String
    }

    /// The alternatives, in order; one for a plain pointer.
    let alternatives: [Alternative]
    /// Whether the rule is a plain pointer (the customer id, for every customer-keyed event).
    let isPlainPointer: Bool

    /// Reads a rule; nil when the value is neither a pointer nor a non-empty list of
    /// `{pointer, prefix?}` objects.
    init?(_ value: JSONValue) {
        if let pointer = value.stringValue {
            alternatives = [Alternative(pointer: pointer, prefix: "")]
            isPlainPointer = true
            return
        }
        guard let items = value.arrayValue, !items.isEmpty else { return nil }
        var alternatives: [Alternative] = []
        for item in items {
            guard let members = item.objectValue, let pointer = members["pointer"]?.stringValue,
                  Set(members.keys).isSubset(of: ["pointer", "prefix"]) else { return nil }
            let prefix = members["prefix"].map { $0.stringValue } ?? ""
            guard let prefix else { return nil }
            alternatives.append(Alternative(pointer: pointer, prefix: prefix))
        }
        self.alternatives = alternatives
        isPlainPointer = false
    }

    /// The record key the rule gives for event data, or nil when no alternative finds a
    /// non-empty string.
    func key(in data: JSONValue) -> String? {
        for alternative in alternatives {
            if let value = data.value(atPointer: alternative.pointer)?.stringValue, !value.isEmpty {
                return alternative.prefix + value
            }
        }
        return nil
    }
}
