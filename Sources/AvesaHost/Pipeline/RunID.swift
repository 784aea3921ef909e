import Foundation

/// A run's identifier: its UTC start time to the millisecond plus a random suffix,
/// e.g. `20261129T143000123Z-3f9a`. Ids sort in start order, which the raw zone relies
/// on (files named `<run>-<chunk>.ndjson` replay in order).
public struct RunID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The text form.
    public let value: String

    /// A new id for a run starting at `date`.
    public init(startingAt date: Date = Date()) {
        let micros = Int64((date.timeIntervalSince1970 * 1e6).rounded())
        let iso = TimestampParser.iso8601(micros - micros % 1000)  // 2026-11-29T14:30:00.123000Z
        var digits = iso.filter { $0.isNumber }                     // 20261129143000123000
        while digits.count < 20 { digits += "0" }
        let stamp = String(digits.prefix(8)) + "T" + String(digits.dropFirst(8).prefix(9)) + "Z"
        value = stamp + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }

    /// Wraps a stored id; nil when malformed (not `yyyymmddThhmmssSSSZ-xxxx`).
    public init?(_ text: String) {
        guard text.utf8.count == 24, Self.startMicroseconds(text) != nil else { return nil }
        value = text
    }

    /// The run's start time in microseconds since the epoch.
    public var startMicroseconds: Int64 { Self.startMicroseconds(value) ?? 0 }

    public var description: String { value }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.value < rhs.value }

    private static func startMicroseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 24, b[8] == UInt8(ascii: "T"), b[18] == UInt8(ascii: "Z"), b[19] == UInt8(ascii: "-") else { return nil }
        let d = String(decoding: b[0..<8], as: UTF8.self), t = String(decoding: b[9..<18], as: UTF8.self)
        let iso = "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))T\(t.prefix(2)):\(t.dropFirst(2).prefix(2)):\(t.dropFirst(4).prefix(2)).\(t.suffix(3))Z"
        return TimestampParser.microseconds(iso)
    }
}
