import Foundation
import Glibc

/// Where the HS256 secret comes from: `AVESA_JWT_SECRET` (at least 32 bytes) when set,
/// otherwise `<data>/jwt.key`, created on first use with 32 random bytes (hex) and mode
/// 0600. An existing key file readable by group or others is refused.
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
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & 0o077 == 0 else {
                throw Problem(description: "\(path) is readable by group or others; run chmod 600 \(path)")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Problem(description: "cannot read \(path)")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.utf8.count >= 32 else { throw Problem(description: "\(path) holds fewer than 32 bytes") }
            return Array(text.utf8)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let secret = Crypto.hex(try Crypto.randomBytes(32))
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return try load(dataDirectory: dataDirectory, environment: environment) }  // lost a race
            throw Problem(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array((secret + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw Problem(description: "cannot write \(path)") }
        return Array(secret.utf8)
    }
}
