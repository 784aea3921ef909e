/// A validated tenant id: `^[a-z0-9][a-z0-9_-]{0,62}$`.
///
/// Ids become folder names (`<data>/tenants/<id>/`), so nothing from outside is used as a
/// path before it passes through here: the pattern excludes `/`, `.`, upper case and empty
/// ids, which rules out traversal (`../x`) and case-folding collisions.
public struct TenantID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id text, known to match the pattern.
    public let rawValue: String

    /// The longest id accepted.
    public static let maximumLength = 63

    /// Validates `text`.
    /// - Throws: `ControlError.invalidTenantID` explaining which rule failed.
    public init(_ text: String) throws(ControlError) {
        if let problem = TenantID.problem(with: text) {
            throw .invalidTenantID(text, problem)
        }
        rawValue = text
    }

    /// Why `text` is not a valid tenant id, or `nil` when it is.
    public static func problem(with text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return "is empty" }
        guard bytes.count <= maximumLength else { return "is longer than \(maximumLength) characters" }
        guard isLowerAlphanumeric(first) else { return "must start with a lower-case letter or digit" }
        guard bytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) else {
            return "may only contain a-z, 0-9, '_' and '-'"
        }
        return nil
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The id text.
    public var description: String { rawValue }

    /// Orders ids by their text.
    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }
}
