/// A multimap from strings to positions (of invoices) packed in one sorted array of `UInt64`:
/// the key's 32-bit hash in the high half, the position in the low half. About 8 bytes an
/// entry where `[String: [Int]]` takes 60 to 100: at a million open invoices with a dozen
/// one-typo neighbours each, this is what keeps ``OpenItemIndex`` within a few hundred MiB.
///
/// Keys are not stored: ``candidates(_:)`` returns the positions filed under any key with the
/// same hash, and the caller checks the key against the item (``OpenItemIndex`` does). The
/// hash is FNV-1a, so the table, and every result, is the same on every run.
struct PositionTable: Sendable {
    private let entries: [UInt64]

    /// Collects (key, position) pairs, then sorts them once.
    struct Builder {
        private var entries: [UInt64] = []

        init(capacity: Int) { entries.reserveCapacity(capacity) }

        mutating func file(_ position: Int, under key: String) {
            file(position, hash: PositionTable.hash(key.utf8))
        }

        mutating func file(_ position: Int, hash: UInt32) {
            entries.append(UInt64(hash) << 32 | UInt64(UInt32(truncatingIfNeeded: position)))
        }

        /// Sorted, each (hash, position) once.
        consuming func build() -> PositionTable {
            var entries = self.entries
            self.entries = []
            entries.sort()
            var kept = 0
            for index in entries.indices where kept == 0 || entries[index] != entries[kept - 1] {
                entries[kept] = entries[index]
                kept += 1
            }
            entries.removeLast(entries.count - kept)
            return PositionTable(entries: entries)
        }
    }

    private init(entries: [UInt64]) { self.entries = entries }

    /// Positions filed under `key` or under a key of the same hash, ascending.
    func candidates(_ key: String) -> [Int] {
        candidates(hash: PositionTable.hash(key.utf8))
    }

    func candidates(hash: UInt32) -> [Int] {
        let wanted = UInt64(hash) << 32
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] < wanted { low = middle + 1 } else { high = middle }
        }
        var result: [Int] = []
        while low < entries.count, entries[low] & 0xFFFF_FFFF_0000_0000 == wanted {
            result.append(Int(entries[low] & 0xFFFF_FFFF))
            low += 1
        }
        return result
    }

    var count: Int { entries.count }

    /// FNV-1a over the bytes, folded to 32 bits.
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    /// The hashes of `key` and of every distinct string made by deleting one of its characters
    /// (``InvoiceNumberKey/deletionNeighbourhood(_:)`` without building the strings).
    static func deletionNeighbourhoodHashes(_ key: String) -> [UInt32] {
        let bytes = Array(key.utf8)
        var result = [hash(bytes)]
        result.reserveCapacity(bytes.count + 1)
        for skipped in bytes.indices where skipped == 0 || bytes[skipped] != bytes[skipped - 1] {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for index in bytes.indices where index != skipped { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
            result.append(UInt32(truncatingIfNeeded: hash ^ (hash >> 32)))
        }
        return result
    }
}
