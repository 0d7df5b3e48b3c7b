/// Element and attribute names of one XML document, interned: the tokenizer looks a name's
/// bytes up here instead of making a `String` per tag, and readers compare small integer ids
/// instead of strings.
///
/// Local names (prefix stripped) have ids of their own; the names a reader passes at creation
/// get ids 0, 1, 2... in that order, so it can compare against constants. A qualified name
/// (`ns2:Ntry`) maps to its local name's id. The table is bounded (``maxNames``,
/// ``maxTotalBytes``): a document with more distinct names than any bank file has is refused
/// by the tokenizer, so hostile names cannot grow memory with the file.
struct XMLNameTable {
    /// Distinct qualified names kept at most.
    static let maxNames = 20_000
    /// Bytes of distinct qualified names kept at most (camt's few hundred names take a few KiB).
    static let maxTotalBytes = 1 << 20

    private(set) var localNames: [String] = []
    private var localIDs: [String: Int32] = [:]
    /// The qualified names' bytes, back to back.
    private var storage: [UInt8] = []
    private var ranges: [(start: Int, count: Int)] = []
    private(set) var qualifiedNames: [String] = []
    private var localOfQualified: [Int32] = []
    /// Open addressing: 0 empty, else a qualified id + 1.
    private var slots: [Int32] = Array(repeating: 0, count: 512)

    /// - Parameter known: Local names that get ids 0..<known.count, in order.
    init(known: [String]) {
        for name in known { _ = localID(interning: name) }
    }

    var count: Int { qualifiedNames.count }

    /// The local name with `id`.
    func localName(_ id: Int32) -> String { localNames[Int(id)] }

    /// The qualified name with `id`.
    func qualifiedName(_ id: Int32) -> String { qualifiedNames[Int(id)] }

    /// The local id of the qualified name `id`.
    func localID(ofQualified id: Int32) -> Int32 { localOfQualified[Int(id)] }

    /// The qualified name's bytes.
    func withBytes<R>(ofQualified id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let range = ranges[Int(id)]
        return storage.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[range.start..<(range.start + range.count)]))
        }
    }

    /// The id of the qualified name spelled by `bytes`, or nil when it is not in the table.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        lookup(bytes, hash: Self.hash(bytes))
    }

    /// ``lookup(_:)`` with the bytes' ``hash(_:)`` already known.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        return storage.withUnsafeBufferPointer { all -> Int32? in
            ranges.withUnsafeBufferPointer { ranges -> Int32? in
                slots.withUnsafeBufferPointer { table -> Int32? in
                    while true {
                        let entry = table[slot]
                        if entry == 0 { return nil }
                        let range = ranges[Int(entry - 1)]
                        if range.count == bytes.count, Self.equal(all, from: range.start, bytes) { return entry - 1 }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Whether `storage[start...]` starts with `bytes`; names are short, so a loop beats memcmp.
    private static func equal(_ storage: UnsafeBufferPointer<UInt8>, from start: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for offset in 0..<bytes.count where storage[start + offset] != bytes[offset] { return false }
        return true
    }

    /// Adds a qualified name not yet in the table.
    /// - Parameters:
    ///   - bytes: Its bytes.
    ///   - qualified: The same decoded (the caller has checked the UTF-8).
    /// - Returns: Its id, or nil when the table is full.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, qualified: String) -> Int32? {
        guard qualifiedNames.count < Self.maxNames, storage.count + bytes.count <= Self.maxTotalBytes else { return nil }
        if (qualifiedNames.count + 1) * 2 > slots.count { grow() }
        let id = Int32(qualifiedNames.count)
        ranges.append((storage.count, bytes.count))
        storage.append(contentsOf: bytes)
        qualifiedNames.append(qualified)
        localOfQualified.append(localID(interning: Self.localName(qualified)))
        place(id, hash: Self.hash(bytes))
        return id
    }

    private mutating func place(_ id: Int32, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for index in qualifiedNames.indices {
            let range = ranges[index]
            let hash = storage.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[range.start..<(range.start + range.count)])) }
            place(Int32(index), hash: hash)
        }
    }

    private mutating func localID(interning name: String) -> Int32 {
        if let id = localIDs[name] { return id }
        let id = Int32(localNames.count)
        localNames.append(name)
        localIDs[name] = id
        return id
    }

    /// FNV-1a: names are short, so a simple byte hash is cheapest.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash = initialHash
        for byte in bytes { hash = Self.hash(hash, byte) }
        return hash
    }

    /// The hash of no bytes.
    @inline(__always)
    static var initialHash: UInt32 { 2_166_136_261 }

    /// The hash so far with one more byte.
    @inline(__always)
    static func hash(_ hash: UInt32, _ byte: UInt8) -> UInt32 { (hash ^ UInt32(byte)) &* 16_777_619 }

    /// `ns2:Ntry` → `Ntry`.
    static func localName(_ qualified: String) -> String {
        let utf8 = qualified.utf8
        guard let colon = utf8.lastIndex(of: UInt8(ascii: ":")) else { return qualified }
        return String(qualified[utf8.index(after: colon)...])
    }
}
