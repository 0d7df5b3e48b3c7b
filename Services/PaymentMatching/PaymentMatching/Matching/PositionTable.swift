/// A multimap from strings to positions (of invoices) packed in one sorted array of `UInt64`:
/// the key's 32-bit hash in the high half, the position in the low half. About 8 bytes an
/// entry where `[String: [Int]]` takes 60 to 100: at a million open invoices with a dozen
/// one-typo neighbours each, this is what keeps ``OpenItemIndex`` within a few hundred MiB.
///
/// Keys are not stored: ``candidates(_:)`` returns the positions filed under any key with the
/// same hash, and the caller checks the key against the item (``OpenItemIndex`` does). The
/// hash is FNV-1a, so the table, and every result, is the same on every run.
///
/// A directory on the top bits of the hash (one `UInt32` offset per bucket of about 8
/// entries) makes a look-up one or two memory accesses instead of a binary search through a
/// hundred megabytes: the engine makes hundreds of look-ups per payment.
struct PositionTable: Sendable {
    private let entries: [UInt64]
    /// `directory[b]..<directory[b + 1]`: the entries whose hash starts with the bits `b`.
    private let directory: [UInt32]
    private let bucketBits: Int

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

        /// Sorted, each (hash, position) once. Sorted in place (one distribution pass on the
        /// hash's top bits, then each small bucket), so a table of a hundred megabytes needs no
        /// second buffer of half its size, as the standard library's sort would.
        ///
        /// `mutating` and swapping the entries out rather than `consuming`: the builder is a
        /// local `var` of the caller, and a consumed copy of it would share the entries, so the
        /// sort would first copy a hundred megabytes.
        mutating func build() -> PositionTable {
            var entries: [UInt64] = []
            swap(&entries, &self.entries)
            PositionTable.sortInPlace(&entries)
            var kept = 0
            for index in entries.indices where kept == 0 || entries[index] != entries[kept - 1] {
                entries[kept] = entries[index]
                kept += 1
            }
            entries.removeLast(entries.count - kept)
            return PositionTable(entries: entries)
        }
    }

    /// American flag sort on the top bits, then each bucket sorted (insertion sort for a few
    /// entries, the standard sort, which takes a buffer of half the bucket, for more).
    static func sortInPlace(_ entries: inout [UInt64]) {
        guard entries.count > 64 else {
            entries.sort()
            return
        }
        // At most 2^11 buckets: the distribution's cursors stay in the cache (with a bucket per few
        // entries, every move was two cache misses), and each bucket is then small enough to sort
        // in the cache.
        var bits = 1
        while bits < 11 && (1 << bits) < entries.count / 4 { bits += 1 }
        let shift = UInt64(64 - bits)
        let buckets = 1 << bits
        var start = [Int](repeating: 0, count: buckets + 1)
        var next: [Int] = []
        // Through buffer pointers: tens of millions of element moves, no bounds or uniqueness checks.
        entries.withUnsafeMutableBufferPointer { entries in
            start.withUnsafeMutableBufferPointer { start in
                for entry in entries { start[Int(entry >> shift) + 1] += 1 }
                for bucket in 0..<buckets { start[bucket + 1] += start[bucket] }
                next = Array(start)
                next.withUnsafeMutableBufferPointer { next in
                    for bucket in 0..<buckets {
                        let end = start[bucket + 1]
                        while next[bucket] < end {
                            var value = entries[next[bucket]]
                            var target = Int(value >> shift)
                            while target != bucket {
                                swap(&value, &entries[next[target]])
                                next[target] += 1
                                target = Int(value >> shift)
                            }
                            entries[next[bucket]] = value
                            next[bucket] += 1
                        }
                    }
                }
                for bucket in 0..<buckets where start[bucket + 1] - start[bucket] > 1 {
                    guard start[bucket + 1] - start[bucket] <= 32 else {
                        var large = UnsafeMutableBufferPointer(rebasing: entries[start[bucket]..<start[bucket + 1]])
                        large.sort()
                        continue
                    }
                    for index in (start[bucket] + 1)..<start[bucket + 1] {
                        let value = entries[index]
                        var hole = index
                        while hole > start[bucket], entries[hole - 1] > value {
                            entries[hole] = entries[hole - 1]
                            hole -= 1
                        }
                        entries[hole] = value
                    }
                }
            }
        }
    }

    private init(entries: [UInt64]) {
        self.entries = entries
        var bits = 1
        // About 8 entries a bucket, at most 2^20 buckets (4 MiB): the scan stays short and the
        // directory small beside the entries.
        while bits < 20 && (1 << bits) < entries.count / 8 { bits += 1 }
        self.bucketBits = bits
        var directory = [UInt32](repeating: 0, count: (1 << bits) + 1)
        var position = 0
        for bucket in 0..<(1 << bits) {
            directory[bucket] = UInt32(truncatingIfNeeded: position)
            while position < entries.count && Int(entries[position] >> UInt64(64 - bits)) == bucket { position += 1 }
        }
        directory[1 << bits] = UInt32(truncatingIfNeeded: entries.count)
        self.directory = directory
    }

    /// Positions filed under `key` or under a key of the same hash, ascending.
    func candidates(_ key: String) -> [Int] {
        candidates(hash: PositionTable.hash(key.utf8))
    }

    func candidates(hash: UInt32) -> [Int] {
        var result: [Int] = []
        forEachCandidate(hash: hash) { result.append($0) }
        return result
    }

    /// Calls `body` with each position filed under `hash`, ascending, without allocating.
    func forEachCandidate(hash: UInt32, _ body: (Int) -> Void) {
        let wanted = UInt64(hash) << 32
        let bucket = Int(wanted >> UInt64(64 - bucketBits))
        var low = Int(directory[bucket])
        let high = Int(directory[bucket + 1])
        while low < high && entries[low] < wanted { low += 1 }
        while low < high, entries[low] & 0xFFFF_FFFF_0000_0000 == wanted {
            body(Int(entries[low] & 0xFFFF_FFFF))
            low += 1
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
