/// An element or attribute name of at most 16 bytes held in two words, so that the tokenizer
/// recognises a tag with two integer comparisons instead of a hash-table lookup and a byte loop.
///
/// Names are at most 16 bytes in nearly every tag of a camt file (`Ntry`, `ns2:TxDtls`); longer
/// ones (the message elements, once per file) are not packed (``count`` 0) and take the name
/// table's path. Name bytes are never 0, so the zero bytes after a name make the words unique
/// for each spelling.
struct XMLPackedName: Equatable {
    /// The longest name packed.
    static let maxBytes = 16

    /// Bytes 0..<8, little-endian, zero past the name.
    var low: UInt64
    /// Bytes 8..<16, little-endian, zero past the name.
    var high: UInt64
    /// The name's length; 0 for a name that is not packed.
    var count: Int

    /// No packed name (a name longer than ``maxBytes``).
    static let none = XMLPackedName(low: 0, high: 0, count: 0)

    private init(low: UInt64, high: UInt64, count: Int) {
        self.low = low
        self.high = high
        self.count = count
    }

    /// The `count` bytes (1...``maxBytes``) at `base`, which must have ``maxBytes`` readable
    /// bytes: the bytes after the name are loaded and masked off.
    @inline(__always)
    init(loading base: UnsafeRawPointer, count: Int) {
        let low = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        self.low = count >= 8 ? low : low & ((1 &<< UInt64(count &* 8)) &- 1)
        self.high = count >= 16 ? high : count <= 8 ? 0 : high & ((1 &<< UInt64((count &- 8) &* 8)) &- 1)
        self.count = count
    }

    /// `bytes` packed, or ``none`` when empty or longer than ``maxBytes``.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty, bytes.count <= Self.maxBytes else {
            self = .none
            return
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        self.low = UInt64(littleEndian: words.0)
        self.high = UInt64(littleEndian: words.1)
        self.count = bytes.count
    }

    /// A direct-mapped cache from packed names to the name table's ids: a tag whose name was
    /// met before is recognised without hashing its bytes one by one. A slot holds the last
    /// name that hashed to it, so a collision costs a table lookup, never a wrong id; the
    /// cache has a fixed size whatever the document holds.
    struct Cache {
        private struct Slot {
            var name: XMLPackedName
            var id: Int32
        }

        private static let slotCount = 1_024
        private var slots = [Slot](repeating: Slot(name: .none, id: -1), count: Cache.slotCount)

        init() {}

        @inline(__always)
        private static func slot(_ name: XMLPackedName) -> Int {
            let mixed = (name.low &* 0x9E37_79B9_7F4A_7C15) ^ (name.high &* 0xC2B2_AE3D_27D4_EB4F)
            return Int(truncatingIfNeeded: mixed >> 54) & (slotCount - 1)
        }

        /// The id remembered for `name`, nil when it is not (or no longer) in the cache.
        @inline(__always)
        func id(of name: XMLPackedName) -> Int32? {
            let slot = slots[Self.slot(name)]
            return slot.name == name && name.count > 0 ? slot.id : nil
        }

        /// Remembers `id` for `name` (a packed one), replacing what its slot held.
        mutating func remember(_ name: XMLPackedName, id: Int32) {
            guard name.count > 0 else { return }
            slots[Self.slot(name)] = Slot(name: name, id: id)
        }
    }
}
