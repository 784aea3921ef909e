import Glibc

/// Timestamps of the simulated services. Every time is whole UNIX seconds (UTC); each
/// service formats and parses its own shapes here.
public enum SimTime {
    /// Broken-down UTC fields of `seconds`.
    static func fields(_ seconds: Int64) -> tm {
        var t = time_t(seconds)
        var out = tm()
        gmtime_r(&t, &out)
        return out
    }

    private static func pad(_ value: Int32, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func date(_ f: tm) -> String {
        "\(pad(f.tm_year + 1900, 4))-\(pad(f.tm_mon + 1, 2))-\(pad(f.tm_mday, 2))"
    }

    private static func clock(_ f: tm) -> String {
        "\(pad(f.tm_hour, 2)):\(pad(f.tm_min, 2)):\(pad(f.tm_sec, 2))"
    }

    /// `2026-11-01T10:00:00Z` (ConnectWise, Graph).
    public static func iso(_ seconds: Int64) -> String {
        let f = fields(seconds)
        return "\(date(f))T\(clock(f))Z"
    }

    /// `2026-11-01 10:00:00` (ServiceNow, UTC).
    public static func sql(_ seconds: Int64) -> String {
        let f = fields(seconds)
        return "\(date(f)) \(clock(f))"
    }

    /// `2026-11-01` (dates without time).
    public static func day(_ seconds: Int64) -> String { date(fields(seconds)) }

    /// `2026-11-01T10:00:00.000+0000` (Salesforce).
    public static func salesforce(_ seconds: Int64) -> String {
        let f = fields(seconds)
        return "\(date(f))T\(clock(f)).000+0000"
    }

    /// `1970-01-01 HH:MM:SS` (ServiceNow durations; hours may exceed 23 only as days roll over).
    public static func duration(_ seconds: Int64) -> String { sql(seconds) }

    /// Parses the shapes above and common ISO 8601 variants: `YYYY-MM-DD`, a `T` or a
    /// space before the time, optional fraction, and `Z`, `+HHMM`, `+HH:MM` or nothing (UTC).
    public static func parse(_ text: String) -> Int64? {
        let s = Array(text.simTrimmingSpaces().utf8)
        func number(_ at: Int, _ count: Int) -> Int32? {
            guard at + count <= s.count else { return nil }
            var value: Int32 = 0
            for byte in s[at..<(at + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), s.count >= 10, s[4] == 45, let month = number(5, 2), s[7] == 45,
              let dayOfMonth = number(8, 2) else { return nil }
        var f = tm()
        f.tm_year = year - 1900
        f.tm_mon = month - 1
        f.tm_mday = dayOfMonth
        var index = 10
        if index < s.count {
            guard s[index] == UInt8(ascii: "T") || s[index] == UInt8(ascii: " "), let h = number(index + 1, 2),
                  s.count > index + 3, s[index + 3] == 58, let m = number(index + 4, 2) else { return nil }
            f.tm_hour = h
            f.tm_min = m
            index += 6
            if index < s.count, s[index] == 58 {
                guard let sec = number(index + 1, 2) else { return nil }
                f.tm_sec = sec
                index += 3
            }
            if index < s.count, s[index] == UInt8(ascii: ".") {
                index += 1
                while index < s.count, s[index] >= 48 && s[index] <= 57 { index += 1 }
            }
        }
        var offset: Int64 = 0
        if index < s.count {
            switch s[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: " "):
                // A space is a "+" that was not percent-encoded in a query string.
                let sign: Int64 = s[index] == UInt8(ascii: "-") ? -1 : 1
                guard let h = number(index + 1, 2) else { return nil }
                var m: Int32 = 0
                var next = index + 3
                if next < s.count, s[next] == 58 { next += 1 }
                if let minutes = number(next, 2) { m = minutes; next += 2 }
                offset = sign * (Int64(h) * 3600 + Int64(m) * 60)
                index = next
            default:
                return nil
            }
        }
        guard index == s.count else { return nil }
        return Int64(timegm(&f)) - offset
    }

    /// Current wall-clock UNIX seconds.
    public static func now() -> Int64 { Int64(time(nil)) }
}

extension String {
    /// The string without leading and trailing spaces.
    func simTrimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
