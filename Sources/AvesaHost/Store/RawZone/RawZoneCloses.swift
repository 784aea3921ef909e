import Foundation

/// Rows a full sync closed because the source no longer had them, kept in the raw zone
/// beside the pages, so `retransform` replays the deletions too: a completed full sync
/// writes `<run>-closes.ndjson` in its table's folder, one line per closed row,
/// `{"at": <close time, µs>, "key": [<key column values>]}`. The name sorts after the run's
/// page files (`<run>-<6-digit chunk>.ndjson`), the order in which the closes happened.
///
/// Key values are written as JSON by their canonical type: text and decimals as strings,
/// integers, timestamps (µs) and dates (days) as numbers, booleans as booleans.
public enum RawZoneCloses {
    /// The file name of run `run`'s closes.
    public static func fileName(run: RunID) -> String { "\(run.value)-closes.ndjson" }

    /// Whether a raw file holds closes rather than fetched records.
    public static func holdsCloses(_ path: String) -> Bool { path.hasSuffix("-closes.ndjson") }

    /// The lines of `closed` (key values, close time) as one body with a record per line,
    /// ready for `RawZoneWriter.append(records:of:)`.
    public static func encode(_ closed: [[CanonicalValue]], at: Int64) -> (records: [JSONRecord], body: [UInt8]) {
        var body: [UInt8] = []
        var records: [JSONRecord] = []
        for (index, key) in closed.enumerated() {
            let line: JSONValue = .object(["at": .number(JSONNumber(at)), "key": .array(key.map(json))])
            let start = body.count
            body += line.jsonBytes()
            records.append(JSONRecord(index: index, byteRange: start..<body.count, values: []))
        }
        return (records, body)
    }

    /// One line read back: the key values in `keyTypes` and the close time, or nil when the
    /// line is not a close of a key of these types.
    public static func decode(_ line: JSONValue, keyTypes: [CanonicalType]) -> (key: [CanonicalValue], at: Int64)? {
        guard let at = line["at"]?.int64, let values = line["key"]?.array, values.count == keyTypes.count else { return nil }
        var key: [CanonicalValue] = []
        for (value, type) in zip(values, keyTypes) {
            switch type {
            case .string: guard let text = value.string else { return nil }; key.append(.string(text))
            case .decimal: guard let text = value.string else { return nil }; key.append(.decimal(text))
            case .integer: guard let number = value.int64 else { return nil }; key.append(.integer(number))
            case .timestamp: guard let number = value.int64 else { return nil }; key.append(.timestamp(number))
            case .date: guard let days = value.int64.flatMap(Int32.init(exactly:)) else { return nil }; key.append(.date(days))
            case .boolean: guard let flag = value.bool else { return nil }; key.append(.boolean(flag))
            }
        }
        return (key, at)
    }

    private static func json(_ value: CanonicalValue) -> JSONValue {
        switch value {
        case .null: .null
        case .string(let text), .decimal(let text): .string(text)
        case .integer(let number), .timestamp(let number): .number(JSONNumber(number))
        case .date(let days): .number(JSONNumber(Int64(days)))
        case .boolean(let flag): .bool(flag)
        }
    }
}
