#if canImport(Glibc)
import Glibc
#endif

/// IMF-fixdate formatting and parsing (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats seconds since the Unix epoch.
    static func format(_ epochSeconds: Int) -> String {
        var t = time_t(epochSeconds)
        var tm = Glibc.tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }

    /// Parses an IMF-fixdate; nil for any other form, or a field out of its range (the
    /// header comes from clients: a year of 99999999999 must not trap a conversion).
    static func parse(_ string: String) -> Int? {
        let parts = string.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", parts[1].count == 2, parts[3].count == 4,
              let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]),
              (1...31).contains(day), (1900...9999).contains(year) else { return nil }
        let hms = parts[4].split(separator: ":")
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 }), let h = Int(hms[0]), let m = Int(hms[1]), let s = Int(hms[2]),
              (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
        var tm = Glibc.tm()
        tm.tm_year = Int32(year - 1900)
        tm.tm_mon = Int32(month)
        tm.tm_mday = Int32(day)
        tm.tm_hour = Int32(h)
        tm.tm_min = Int32(m)
        tm.tm_sec = Int32(s)
        return Int(timegm(&tm))
    }

    /// Current wall-clock seconds.
    static func nowSeconds() -> Int { Int(time(nil)) }
}
