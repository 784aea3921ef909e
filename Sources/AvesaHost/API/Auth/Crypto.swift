import CCrypto

/// The libcrypto calls the API's authentication needs, each a thin typed wrapper:
/// secure random (`RAND_bytes`), SHA-256 (`EVP_Digest`), HMAC-SHA256 (`HMAC`),
/// PBKDF2-HMAC-SHA256 (`PKCS5_PBKDF2_HMAC`) and constant-time comparison
/// (`CRYPTO_memcmp`). Nothing here is hand-rolled cryptography.
public enum Crypto {
    /// A libcrypto call that reported failure (never carries secret material).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The libcrypto function that failed.
        public let function: String
        public var description: String { "libcrypto \(function) failed" }
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    public static func randomBytes(_ count: Int) throws(Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&bytes, Int32(count)) == 1 else { throw Failure(function: "RAND_bytes") }
        return bytes
    }

    /// SHA-256 of `data`.
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) cannot fail on valid input")
        return digest
    }

    /// HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     m.count, &mac, &length)
            }
        }
        precondition(result != nil && length == 32, "HMAC-SHA256 cannot fail on valid input")
        return mac
    }

    /// PBKDF2-HMAC-SHA256 of `password` with `salt`, `iterations` rounds, `length` output bytes.
    public static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int,
                                    length: Int) throws(Failure) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                PKCS5_PBKDF2_HMAC(p.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(p.count),
                                  s.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(s.count),
                                  Int32(iterations), EVP_sha256(), Int32(length), &output)
            }
        }
        guard ok == 1 else { throw Failure(function: "PKCS5_PBKDF2_HMAC") }
        return output
    }

    /// Whether `a` and `b` are equal, in time independent of where they differ
    /// (`CRYPTO_memcmp`). Different lengths compare unequal (lengths are not secret here).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 } }
    }

    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
