/// 64-bit FNV-1a: a stable, dependency-free fingerprint of a request. Not cryptographic, which
/// is enough here: the hash only tells a retry from a different request under one client's key.
enum FNV1a {
    /// The hash of the concatenated parts, as 16 lower-case hex digits.
    static func hex(of parts: [[UInt8]]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
