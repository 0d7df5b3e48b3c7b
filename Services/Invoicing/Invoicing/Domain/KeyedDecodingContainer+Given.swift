extension KeyedDecodingContainer {
    /// The value of an optional key: `nil` when the key is absent, but an explicit `null` is
    /// refused (`DecodingError.valueNotFound`, a 400 naming the field) like any other value of
    /// the wrong type. `decodeIfPresent` would take `null` for absent, which the OpenAPI
    /// document does not allow.
    func decodeIfGiven<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        return try decode(type, forKey: key)
    }
}
