/// A 128-bit fingerprint used for **change detection only** (not security): the row hash
/// of a record's tracked columns, and the fingerprint of a natural key in the warehouse's
/// in-memory index.
///
/// Stored in `_row_hash` as 16 bytes (`high` then `low`, each big-endian). `high` is never
/// zero for a real hash, which leaves `high == 0` free as a marker in
/// `CurrentRowIndex`.
public struct RowHash: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits (never zero for a computed hash).
    public let high: UInt64
    /// The last 64 bits.
    public let low: UInt64

    /// Wraps two lanes; `RowHasher.finalize()` is the normal way to get one.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads the 16-byte storage form; `nil` when `bytes` is not 16 bytes long.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16 else { return nil }
        high = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// Calls `body` with the 16-byte storage form.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (high.bigEndian, low.bigEndian)
        return try withUnsafeBytes(of: &words) { try body($0) }
    }

    /// 32 lower-case hex digits.
    public var description: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}

/// Streams the canonical encoding of values into two independent 64-bit lanes.
///
/// **Canonical encoding** (what makes the hash independent of JSON key order and of how
/// values were concatenated): values are taken in table-column order; each value is a
/// header word — the type tag in the low byte, the payload's byte length above it —
/// followed by its payload as little-endian 64-bit words, text zero-padded to a word. The
/// length prefix makes the encoding injective: `("a","bc")` and `("ab","c")` encode
/// differently. Tags: null 0, string 1, integer 2, decimal 3, boolean 4, timestamp 5,
/// date 6, and 7 for warehouse bookkeeping text.
///
/// **Mixing**: each word goes through two multiply–xorshift lanes with different constants
/// and a final `fmix64` avalanche (MurmurHash3's finalizer); no allocation, one pass. This
/// is a change-detection hash: an adversary could construct collisions, which would at
/// worst hide a change to a row they control the contents of.
public struct RowHasher {
    private var a: UInt64 = 0x243F_6A88_85A3_08D3
    private var b: UInt64 = 0x1319_8A2E_0370_7344
    private var words: UInt64 = 0

    /// A hasher in its initial state.
    public init() {}

    @inline(__always)
    private mutating func absorb(_ word: UInt64) {
        a = (a ^ word) &* 0x9E37_79B9_7F4A_7C15
        a ^= a >> 29
        b = (b &+ word) &* 0xC2B2_AE3D_27D4_EB4F
        b = ((b << 31) | (b >> 33)) ^ word
        words &+= 1
    }

    @inline(__always)
    private mutating func absorb(tag: UInt8, length: Int) {
        absorb(UInt64(tag) | (UInt64(truncatingIfNeeded: length) << 8))
    }

    /// Absorbs raw bytes as whole little-endian words, zero-padding the last one.
    @inline(__always)
    private mutating func absorbPadded(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            absorb(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < count {
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                last |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            absorb(last)
        }
    }

    /// Absorbs text with the given tag (string 1, decimal 3, bookkeeping 7).
    @inline(__always)
    mutating func combine(text: String, tag: UInt8) {
        let handled = text.utf8.withContiguousStorageIfAvailable { buffer in
            absorb(tag: tag, length: buffer.count)
            absorbPadded(UnsafeRawBufferPointer(buffer))
            return true
        } ?? false
        if !handled {
            // Bridged or lazily-built strings: make a native copy once.
            var native = text
            native.makeContiguousUTF8()
            combine(text: native, tag: tag)
        }
    }

    /// Absorbs text given as raw UTF-8 bytes (e.g. read from SQLite) with the given tag;
    /// equal to `combine(text:tag:)` for the same bytes.
    @inline(__always)
    mutating func combine(utf8 bytes: UnsafeRawBufferPointer, tag: UInt8) {
        absorb(tag: tag, length: bytes.count)
        absorbPadded(bytes)
    }

    /// Absorbs a 64-bit payload with the given tag (integer 2, boolean 4, timestamp 5, date 6).
    @inline(__always)
    mutating func combine(word: UInt64, tag: UInt8) {
        absorb(tag: tag, length: 8)
        absorb(word)
    }

    /// Absorbs one canonical value.
    @inline(__always)
    public mutating func combine(_ value: CanonicalValue) {
        switch value {
        case .null: absorb(tag: 0, length: 0)
        case .string(let text): combine(text: text, tag: 1)
        case .integer(let number): combine(word: UInt64(bitPattern: number), tag: 2)
        case .decimal(let text): combine(text: text, tag: 3)
        case .boolean(let flag): combine(word: flag ? 1 : 0, tag: 4)
        case .timestamp(let micros): combine(word: UInt64(bitPattern: micros), tag: 5)
        case .date(let days): combine(word: UInt64(bitPattern: Int64(days)), tag: 6)
        }
    }

    /// Absorbs bookkeeping text (source service, source id) under its own tag.
    public mutating func combine(bookkeeping text: String) { combine(text: text, tag: 7) }

    /// The 128-bit result. The hasher can keep absorbing afterwards.
    public func finalize() -> RowHash {
        @inline(__always) func fmix(_ value: UInt64) -> UInt64 {
            var k = value
            k ^= k >> 33
            k &*= 0xFF51_AFD7_ED55_8CCD
            k ^= k >> 33
            k &*= 0xC4CE_B9FE_1A85_EC53
            k ^= k >> 33
            return k
        }
        let high = fmix(a ^ (words &* 0x9E37_79B9_7F4A_7C15) ^ fmix(b))
        let low = fmix(b &+ words &+ (a >> 7))
        return RowHash(high: high == 0 ? 1 : high, low: low)
    }
}

extension RowHash {
    /// The row hash of a record: its canonical values in column order, then source
    /// service and source id. Every canonical column is tracked (including `updated_at`),
    /// so any change the mapper surfaces yields a new version.
    public static func of(_ record: CanonicalRecord) -> RowHash {
        var hasher = RowHasher()
        for value in record.values { hasher.combine(value) }
        hasher.combine(bookkeeping: record.sourceService)
        hasher.combine(bookkeeping: record.sourceID)
        return hasher.finalize()
    }

    /// The fingerprint of a natural key: its values, in key order, column by column.
    public static func ofKey(_ values: some Sequence<CanonicalValue>) -> RowHash {
        var hasher = RowHasher()
        for value in values { hasher.combine(value) }
        return hasher.finalize()
    }
}
