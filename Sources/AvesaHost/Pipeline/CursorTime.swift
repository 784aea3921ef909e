/// Cursor values (an endpoint's change-time field) as the pipeline handles them: parsed
/// to microseconds for comparison, and written back in the endpoint's own format for the
/// incremental filter (with a look-back so records changed in the same second as the
/// watermark are never missed; re-fetching them is harmless because the merge is
/// idempotent).
public enum CursorTime {
    /// 9999-12-31T23:59:59Z: the upper bound of an open range.
    public static let endOfTime: Int64 = 253_402_300_799_000_000

    /// Microseconds of a cursor value in any of the services' formats.
    public static func microseconds(_ text: String, format: TimeFormat) -> Int64? {
        switch format {
        case .unixSeconds: Double(text).map { Int64($0 * 1e6) }
        case .unixMillis: Double(text).map { Int64($0 * 1e3) }
        case .none, .opaque: nil
        default: TimestampParser.microseconds(text)
        }
    }

    /// `microseconds` written in `format` for a filter: ISO with Z (also for Salesforce,
    /// whose records say `.000+0000` but whose SOQL documents only `…Z` and `±hh:mm`
    /// literals); ServiceNow SQL UTC; UNIX numbers.
    public static func format(_ microseconds: Int64, as format: TimeFormat) -> String {
        let seconds = microseconds / 1_000_000 * 1_000_000
        let iso = TimestampParser.iso8601(seconds)  // 2026-11-02T12:00:00Z
        switch format {
        case .sqlUTC: return String(iso.dropLast()).replacingOccurrences(of: "T", with: " ")
        case .unixSeconds: return String(microseconds / 1_000_000)
        case .unixMillis: return String(microseconds / 1_000)
        default: return iso
        }
    }

    /// The `since` value for an incremental run from the stored watermark.
    public static func since(watermark: String, format: TimeFormat, lookbackSeconds: Int64) -> String? {
        guard let micros = microseconds(watermark, format: format) else { return nil }
        return Self.format(micros - lookbackSeconds * 1_000_000, as: format)
    }
}
