import Foundation

/// Base64 and base64url (RFC 4648 §5, unpadded, for JWTs) over Foundation's codec.
public enum Base64 {
    /// Standard padded base64.
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Unpadded base64url.
    public static func encodeURL(_ bytes: [UInt8]) -> String {
        encode(bytes).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes unpadded or padded base64url; nil when malformed (a character outside the
    /// alphabet, padding anywhere but at the end or of the wrong length, a length no
    /// encoding produces, or non-zero leftover bits).
    /// Byte-level: every API request decodes its bearer token's three segments.
    public static func decodeURL(_ text: String) -> [UInt8]? {
        var input = Array(text.utf8)
        while input.last == UInt8(ascii: "=") { input.removeLast() }
        let padding = text.utf8.count - input.count
        // Padding, when present, must complete the last 4-character group exactly.
        guard input.count % 4 != 1, padding <= 2, padding == 0 || (input.count + padding) % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            let value = urlAlphabetValue[Int(byte)]
            guard value < 64 else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // The bits left over must be zero, so each byte string has exactly one encoding.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }

    /// The 6-bit value of each byte in the base64url alphabet; 255 for any other byte.
    private static let urlAlphabetValue: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        return table
    }()
}
