/// A multimap from strings to positions (of invoices), packed: one `UInt32` an entry, where
/// `[String: [Int]]` takes 60 to 100 bytes. At a million open invoices with a dozen one-typo
/// neighbours each, this is what keeps ``OpenItemIndex`` within a couple of hundred MiB.
///
/// Keys are not stored, only their 32-bit hash (FNV-1a, so the table and every result are the
/// same on every run), split in three: its top bits choose a bucket of a directory (about 8
/// entries a bucket), the next bits (the tag) are kept in the entry beside the position, and
/// the rest is dropped. ``candidates(_:)`` returns the positions filed under any key whose hash
/// agrees on the bucket and tag bits (at a million invoices, 20 bits of position leave 12 of
/// tag: 32 bits in all), and the caller checks the key against the item (``OpenItemIndex``
/// does). A look-up is one directory access and a scan of a few neighbouring entries.
struct PositionTable: Sendable {
    /// Bucket after bucket; in each, ascending: the tag in the high bits, the position in the
    /// low ``positionBits``.
    private let entries: [UInt32]
    /// `directory[b]..<directory[b + 1]`: the entries whose hash starts with the bits `b`.
    private let directory: [UInt32]
    private let bucketBits: Int
    private let tagBits: Int
    private let positionBits: Int

    /// Collects (key, position) pairs, then packs them once.
    struct Builder {
        /// Hash in the high half, position in the low half.
        private var entries: [UInt64] = []
        private var largestPosition = 0

        init(capacity: Int) { entries.reserveCapacity(capacity) }

        mutating func file(_ position: Int, under key: String) {
            file(position, hash: PositionTable.hash(key.utf8))
        }

        mutating func file(_ position: Int, hash: UInt32) {
            entries.append(UInt64(hash) << 32 | UInt64(UInt32(truncatingIfNeeded: position)))
            largestPosition = max(largestPosition, position)
        }

        /// Each (hash, position) once. `mutating`, swapping the entries out, so they are freed
        /// as soon as the table is made (a consumed copy of a local builder would share them).
        mutating func build() -> PositionTable {
            var entries: [UInt64] = []
            swap(&entries, &self.entries)
            return PositionTable(expectedCount: entries.count, largestPosition: largestPosition) { file in
                for entry in entries { file(UInt32(truncatingIfNeeded: entry >> 32), Int(entry & 0xFFFF_FFFF)) }
            }
        }
    }

    /// Makes the table from what `fill` files, called twice (to count each bucket's entries,
    /// then to place them), so no list of pairs is held beside the table: `fill` must file
    /// the same (hash, position) pairs both times; a pair filed twice is kept once.
    /// - Parameters:
    ///   - expectedCount: about how many pairs `fill` files (sizes the directory).
    ///   - largestPosition: no position filed is larger.
    init(expectedCount: Int, largestPosition: Int, fill: ((_ hash: UInt32, _ position: Int) -> Void) -> Void) {
        var bits = 1
        // About 8 entries a bucket, at most 2^20 buckets (4 MiB).
        while bits < 20 && (1 << bits) < expectedCount / 8 { bits += 1 }
        let positionBits = min(32, max(1, Int.bitWidth - max(0, largestPosition).leadingZeroBitCount))
        let tagBits = max(0, min(32 - positionBits, 32 - bits))
        let buckets = 1 << bits
        var directory = [UInt32](repeating: 0, count: buckets + 1)
        directory.withUnsafeMutableBufferPointer { directory in
            fill { hash, _ in directory[Int(hash >> UInt32(32 - bits)) + 1] += 1 }
            for bucket in 0..<buckets { directory[bucket + 1] += directory[bucket] }
        }
        var entries = [UInt32](repeating: 0, count: Int(directory[buckets]))
        var cursor = Array(directory.dropLast())
        entries.withUnsafeMutableBufferPointer { entries in
            cursor.withUnsafeMutableBufferPointer { cursor in
                fill { hash, position in
                    let bucket = Int(hash >> UInt32(32 - bits))
                    entries[Int(cursor[bucket])] = PositionTable.pack(hash, position, bucketBits: bits, tagBits: tagBits, positionBits: positionBits)
                    cursor[bucket] += 1
                }
            }
        }
        cursor = []
        // Each bucket sorted and without repeats, moved down over the repeats removed before it.
        var kept = 0
        entries.withUnsafeMutableBufferPointer { entries in
            directory.withUnsafeMutableBufferPointer { directory in
                for bucket in 0..<buckets {
                    let start = Int(directory[bucket]), end = Int(directory[bucket + 1])
                    directory[bucket] = UInt32(truncatingIfNeeded: kept)
                    guard start < end else { continue }
                    if end - start <= 32 {
                        for index in (start + 1)..<end {
                            let value = entries[index]
                            var hole = index
                            while hole > start, entries[hole - 1] > value {
                                entries[hole] = entries[hole - 1]
                                hole -= 1
                            }
                            entries[hole] = value
                        }
                    } else {
                        var large = UnsafeMutableBufferPointer(rebasing: entries[start..<end])
                        large.sort()
                    }
                    for index in start..<end where index == start || entries[index] != entries[index - 1] {
                        entries[kept] = entries[index]
                        kept += 1
                    }
                }
                directory[buckets] = UInt32(truncatingIfNeeded: kept)
            }
        }
        entries.removeLast(entries.count - kept)
        self.entries = entries
        self.directory = directory
        self.bucketBits = bits
        self.tagBits = tagBits
        self.positionBits = positionBits
    }

    private static func pack(_ hash: UInt32, _ position: Int, bucketBits: Int, tagBits: Int, positionBits: Int) -> UInt32 {
        let tag = tagBits == 0 ? 0 : (hash >> UInt32(32 - bucketBits - tagBits)) & UInt32((UInt64(1) << tagBits) - 1)
        return tag << UInt32(positionBits) | UInt32(truncatingIfNeeded: position) & UInt32((UInt64(1) << positionBits) - 1)
    }

    /// Positions filed under `key` or under a key of the same bucket and tag, ascending.
    func candidates(_ key: String) -> [Int] {
        candidates(hash: PositionTable.hash(key.utf8))
    }

    func candidates(hash: UInt32) -> [Int] {
        var result: [Int] = []
        forEachCandidate(hash: hash) { result.append($0) }
        return result
    }

    /// Calls `body` with each position filed under `hash` (or a hash agreeing on the bucket
    /// and tag bits), ascending, without allocating.
    func forEachCandidate(hash: UInt32, _ body: (Int) -> Void) {
        let wanted = PositionTable.pack(hash, 0, bucketBits: bucketBits, tagBits: tagBits, positionBits: positionBits)
        let positionMask = UInt32((UInt64(1) << positionBits) - 1)
        let bucket = Int(hash >> UInt32(32 - bucketBits))
        entries.withUnsafeBufferPointer { entries in
            directory.withUnsafeBufferPointer { directory in
                var low = Int(directory[bucket])
                let high = Int(directory[bucket + 1])
                while low < high && entries[low] < wanted { low += 1 }
                while low < high, entries[low] & ~positionMask == wanted {
                    body(Int(entries[low] & positionMask))
                    low += 1
                }
            }
        }
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
        var result: [UInt32] = []
        result.reserveCapacity(key.utf8.count + 1)
        forEachDeletionNeighbourhoodHash(key) { result.append($0) }
        return result
    }

    /// ``deletionNeighbourhoodHashes(_:)`` one by one, without allocating: the index files a
    /// dozen an invoice, and the engine looks up a dozen a text run.
    static func forEachDeletionNeighbourhoodHash(_ key: String, _ body: (UInt32) -> Void) {
        var key = key
        key.withUTF8 { bytes in
            body(hash(bytes))
            for skipped in bytes.indices where skipped == 0 || bytes[skipped] != bytes[skipped - 1] {
                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                for index in bytes.indices where index != skipped { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
                body(UInt32(truncatingIfNeeded: hash ^ (hash >> 32)))
            }
        }
    }
}
