/// Parses the timestamp formats services send into microseconds since the epoch (UTC):
/// ISO-8601 / RFC 3339 with `Z`, `±hh:mm` or `±hhmm` offsets and optional fractions
/// (ConnectWise, Graph, Salesforce `…+0000`), and `YYYY-MM-DD HH:MM:SS` in UTC
/// (ServiceNow). Also plain dates. Hand-written for speed: no Foundation formatters.
public enum TimestampParser {
    /// Microseconds since 1970-01-01T00:00:00Z, or nil when `text` is not a timestamp.
    public static func microseconds(_ text: String) -> Int64? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse($0) }
    }

    /// Days since 1970-01-01 for `YYYY-MM-DD`; a timestamp gives its UTC date (an offset
    /// is applied first, so `2026-01-01T01:00:00+02:00` is 2025-12-31).
    public static func days(_ text: String) -> Int32? {
        let bytes = Array(text.utf8)
        if bytes.count > 10 {
            guard let micros = microseconds(text) else { return nil }
            let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
            return Int32(exactly: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        }
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D,
              let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
              isDate(year: year, month: month, day: day) else { return nil }
        return Int32(daysFromCivil(year: year, month: month, day: day))
    }

    /// Whether the day exists in that month of that (proleptic Gregorian) year.
    static func isDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// Formats microseconds as ISO-8601 UTC with a `Z` (`2026-01-31T12:00:00Z`, fractions when present).
    public static func iso8601(_ microseconds: Int64) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        // Written into a fixed buffer: this runs for every timestamp an API response holds.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var length = 0
            func digits(_ value: Int, _ width: Int) {
                var value = value
                if value < 0 { buffer[length] = 0x2D; length += 1; value = -value }
                var count = 1, rest = value / 10
                while rest > 0 { count += 1; rest /= 10 }
                let total = max(count, width)
                var position = length + total - 1
                for _ in 0..<total { buffer[position] = UInt8(0x30 + value % 10); value /= 10; position -= 1 }
                length += total
            }
            func byte(_ value: UInt8) { buffer[length] = value; length += 1 }
            digits(year, 4); byte(0x2D); digits(month, 2); byte(0x2D); digits(day, 2); byte(0x54)
            digits(Int(secondOfDay / 3600), 2); byte(0x3A); digits(Int(secondOfDay % 3600 / 60), 2); byte(0x3A)
            digits(Int(secondOfDay % 60), 2)
            if fraction != 0 { byte(0x2E); digits(Int(fraction), 6) }
            byte(0x5A)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<length]), as: UTF8.self)
        }
    }

    private static func parse(_ b: UnsafeMutableBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20 || b[10] == 0x74,
              b[13] == 0x3A, b[16] == 0x3A,
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
              isDate(year: year, month: month, day: day), hour <= 23, minute <= 59,
              second <= 59 || (second == 60 && hour == 23 && minute == 59) else { return nil }  // a leap second ends a day
        var index = 19
        var micros = 0
        if index < b.count, b[index] == 0x2E {  // fraction
            index += 1
            var digits = 0
            while index < b.count, b[index] >= 0x30, b[index] <= 0x39 {
                if digits < 6 { micros = micros * 10 + Int(b[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offsetSeconds = 0
        if index < b.count {
            switch b[index] {
            case 0x5A, 0x7A:  // Z
                index += 1
            case 0x2B, 0x2D:  // + or -
                let sign = b[index] == 0x2D ? -1 : 1
                index += 1
                guard let hours = number(b, index, 2) else { return nil }
                index += 2
                if index < b.count, b[index] == 0x3A { index += 1 }
                guard let minutes = number(b, index, 2), hours <= 23, minutes <= 59 else { return nil }
                index += 2
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            default:
                return nil
            }
        }
        guard index == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000 + Int64(micros)
    }

    private static func number<C: RandomAccessCollection>(_ bytes: C, _ start: Int, _ length: Int) -> Int?
    where C.Element == UInt8, C.Index == Int {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for index in start..<(start + length) {
            let byte = bytes[bytes.startIndex + index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's civil_from_days.
    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
