import Foundation

/// How the control database writes and reads times: ISO 8601 UTC with milliseconds
/// (`2026-11-29T14:33:46.123Z`), fixed width so text order is time order.
public enum ControlClock {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// `date` (default: now) as stored text.
    public static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(style)
    }

    /// Parses stored text; `nil` when it is not a timestamp this type wrote.
    public static func date(_ text: String) -> Date? {
        try? style.parse(text)
    }
}
