import Foundation

/// PBKDF2-HMAC-SHA256 password hashing with a per-user 16-byte random salt, stored as
/// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>` (32-byte hash).
///
/// The iteration count is part of the stored string, so raising `iterations` later keeps
/// old hashes verifiable. 600,000 rounds (OWASP 2023) cost ~190 ms on this machine class:
/// call `hash`/`verify` off the cooperative pool (`Blocking.run`) and rate-limit logins.
public struct PasswordHasher: Sendable {
    /// Rounds for new hashes.
    public var iterations: Int
    /// OWASP's recommendation for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000
    static let scheme = "pbkdf2-sha256"
    /// Stored hashes asking for more rounds than this are refused (a planted hash must not
    /// turn a login into a CPU denial of service).
    static let maximumIterations = 10_000_000

    /// Creates a hasher; tests pass ~1,000 iterations.
    public init(iterations: Int = PasswordHasher.defaultIterations) {
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration")
        self.iterations = iterations
    }

    /// A new salted hash of `password` in the stored format.
    public func hash(_ password: String) throws -> String {
        let salt = try Crypto.randomBytes(16)
        let derived = try Crypto.pbkdf2SHA256(password: Array(password.utf8), salt: salt, iterations: iterations, length: 32)
        return "\(Self.scheme)$\(iterations)$\(Base64.encode(salt))$\(Base64.encode(derived))"
    }

    /// Whether `password` matches `stored`; false for any malformed stored value.
    /// The final comparison is constant-time.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.scheme,
              let rounds = Int(parts[1]), rounds >= 1, rounds <= Self.maximumIterations,
              let salt = Data(base64Encoded: String(parts[2])), (1...64).contains(salt.count),
              // Exactly the length `hash` writes: a planted multi-megabyte value would make each
              // check cost PBKDF2 once per 32 bytes of it.
              let expected = Data(base64Encoded: String(parts[3])), expected.count == 32 else { return false }
        guard let derived = try? Crypto.pbkdf2SHA256(password: Array(password.utf8), salt: [UInt8](salt),
                                                     iterations: rounds, length: expected.count) else { return false }
        return Crypto.constantTimeEqual(derived, [UInt8](expected))
    }

    /// Runs a verification that always fails, costing what a real one costs, so a login for
    /// an unknown e-mail takes as long as one with a wrong password.
    public func burnVerification(_ password: String) {
        _ = try? Crypto.pbkdf2SHA256(password: Array(password.utf8), salt: Array(repeating: 0, count: 16),
                                     iterations: iterations, length: 32)
    }
}
