/// SplitMix64: a tiny, fast, seedable generator. The same seed gives the same data on
/// every machine, so simulator datasets are reproducible.
public struct SimRandom: Sendable {
    private var state: UInt64

    /// A generator started at `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one derived stream (`seed` mixed with `labels`), so each table,
    /// row and version has its own independent, stable sequence.
    public init(seed: UInt64, _ labels: UInt64...) {
        var s = seed
        for label in labels { s = SimRandom.mix(s ^ (label &* 0x9E37_79B9_7F4A_7C15)) }
        state = s
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SimRandom.mix(state)
    }

    /// A uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stable 64-bit hash of a string (FNV-1a then mixed), for labels such as table names.
    public static func label(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return mix(hash)
    }

    /// `count` lower-case hex digits from `bits` (repeating the stream as needed).
    public mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        while out.count < count {
            var bits = next()
            for _ in 0..<16 where out.count < count {
                out.append(digits[Int(bits & 0xF)])
                bits >>= 4
            }
        }
        return out
    }

    /// A version-4-shaped GUID.
    public mutating func guid() -> String {
        let h = Array(hex(32))
        func part(_ r: Range<Int>) -> String { String(h[r]) }
        return "\(part(0..<8))-\(part(8..<12))-4\(part(13..<16))-a\(part(17..<20))-\(part(20..<32))"
    }
}
