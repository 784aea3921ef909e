import Foundation

/// Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds — also fractional, as Graph
/// sends (`2.128`) — or an HTTP-date. Returns seconds to wait, or nil when the header
/// is absent, zero or unreadable (the caller then backs off exponentially).
public enum RetryAfter {
    /// Seconds to wait given the header `value`, relative to `now`.
    public static func seconds(from value: String?, now: Date = Date()) -> Double? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            return seconds > 0 && seconds.isFinite ? seconds : nil
        }
        guard let date = httpDateFormatter().date(from: text) else { return nil }
        let delay = date.timeIntervalSince(now)
        return delay > 0 ? delay : nil
    }

    private static func httpDateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }
}
