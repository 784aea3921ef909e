import Foundation
import Glibc

/// Where the HS256 secret comes from: `AVESA_JWT_SECRET` (at least 32 bytes) when set,
/// otherwise `<data>/jwt.key`, created on first use with 32 random bytes (hex) and mode
/// 0600, by the rules of `PrivateKeyFile` (a symlink, another user's file, or one group or
/// others can read is refused).
public enum JWTSecret {
    /// A secret that cannot be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Loads or creates the secret.
    public static func load(dataDirectory: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        if let fromEnvironment = environment["AVESA_JWT_SECRET"] {
            let bytes = Array(fromEnvironment.utf8)
            guard bytes.count >= 32 else { throw Problem(description: "AVESA_JWT_SECRET must be at least 32 bytes long") }
            return bytes
        }
        let path = dataDirectory + "/jwt.key"
        do {
            if let stored = try PrivateKeyFile.read(path) { return try secret(in: stored, path: path) }
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let created = try PrivateKeyFile.create(path, contents: Array((Crypto.hex(try Crypto.randomBytes(32)) + "\n").utf8))
            return try secret(in: created, path: path)
        } catch let problem as PrivateKeyFile.Problem {
            throw Problem(description: problem.description)
        }
    }

    /// The secret a key file holds (its text, trimmed): at least 32 bytes.
    private static func secret(in bytes: [UInt8], path: String) throws -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count >= 32 else { throw Problem(description: "\(path) holds fewer than 32 bytes") }
        return Array(text.utf8)
    }
}
