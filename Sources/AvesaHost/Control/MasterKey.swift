import Foundation

/// The 32-byte key that encrypts every tenant's credentials.
///
/// Resolution order: the `AVESA_MASTER_KEY` environment variable (64 hex characters or
/// base64 of 32 bytes), else the key file `<data>/master.key` (created with mode 0600 on
/// first use; refused when group or others may read it). Its `description` never shows
/// the key.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// The environment variable holding the key.
    public static let environmentVariable = "AVESA_MASTER_KEY"
    /// The key file's name inside the data folder.
    public static let fileName = "master.key"

    /// The raw key bytes (32).
    let bytes: [UInt8]

    /// Wraps 32 raw bytes.
    /// - Throws: `ControlError.masterKey` for any other length.
    public init(bytes: [UInt8]) throws(ControlError) {
        guard bytes.count == AESGCM.keyLength else {
            throw .masterKey("master key must be \(AESGCM.keyLength) bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A new random key.
    public static func generate() throws(ControlError) -> MasterKey {
        try MasterKey(bytes: AESGCM.randomBytes(AESGCM.keyLength))
    }

    /// Parses 64 hex characters or base64 of 32 bytes; `source` names where the text came
    /// from in the error, which never repeats the text itself.
    public static func parse(_ text: String, source: String) throws(ControlError) -> MasterKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 64, let bytes = hexBytes(trimmed) { return try MasterKey(bytes: bytes) }
        if let data = Data(base64Encoded: trimmed), data.count == AESGCM.keyLength {
            return try MasterKey(bytes: [UInt8](data))
        }
        throw .masterKey("\(source) is not a valid master key: expected 64 hex characters or base64 of 32 bytes (got \(trimmed.utf8.count) characters)")
    }

    /// The key from `environment`, else from `<dataDirectory>/master.key`, created if absent
    /// only while the data folder holds no sealed credentials: otherwise they were sealed
    /// with a key this process was not given (`AVESA_MASTER_KEY` unset in a cron job), and a
    /// new key would leave them unreadable and mix two keys in one folder.
    public static func resolve(environment: [String: String], dataDirectory: String) throws(ControlError) -> MasterKey {
        if let text = environment[environmentVariable] {
            return try parse(text, source: environmentVariable)
        }
        let file = MasterKeyFile(path: (dataDirectory as NSString).appendingPathComponent(fileName))
        if let key = try file.load() { return key }
        if try sealedCredentialsExist(dataDirectory: dataDirectory) {
            throw .masterKey("credentials in \(dataDirectory) are sealed with a master key this process was not given: set \(environmentVariable), or restore \(file.path)")
        }
        return try file.loadOrCreate()
    }

    /// Whether `<dataDirectory>/control.sqlite` holds any sealed credentials (read-only).
    private static func sealedCredentialsExist(dataDirectory: String) throws(ControlError) -> Bool {
        let path = (dataDirectory as NSString).appendingPathComponent(ControlStore.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do {
            let database = try SQLiteDatabase(path: path, options: SQLiteDatabase.Options(readOnly: true))
            let table = try database.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'credentials'")
            guard try table.step(), table.int64(0) > 0 else { return false }
            let count = try database.prepare("SELECT COUNT(*) FROM credentials")
            return try count.step() && count.int64(0) > 0
        } catch {
            throw .masterKey("cannot tell whether \(path) holds sealed credentials: \(error)")
        }
    }

    /// The key as 64 lower-case hex characters (for writing the key file).
    var hexString: String {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Never shows the key.
    public var description: String { "MasterKey(redacted)" }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = hexValue(high), let l = hexValue(low) else { return nil }
            result.append(h << 4 | l)
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
