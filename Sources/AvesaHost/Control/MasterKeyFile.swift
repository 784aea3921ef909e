/// The master key file `<data>/master.key`: 64 hex characters and a newline, mode 0600,
/// created and read by the rules of `PrivateKeyFile` (whole or not at all; never through a
/// symbolic link, another user's file or one that group or others can read).
struct MasterKeyFile {
    /// The key file's path.
    let path: String

    /// Reads the key, creating the file with a new random key when it does not exist.
    func loadOrCreate() throws(ControlError) -> MasterKey {
        if let key = try load() { return key }
        let created: [UInt8]
        do { created = try PrivateKeyFile.create(path, contents: Array((try MasterKey.generate().hexString + "\n").utf8)) } catch {
            throw .masterKey("master key file: \(error)")
        }
        return try MasterKey.parse(String(decoding: created, as: UTF8.self), source: "master key file \(path)")
    }

    /// Reads the key; `nil` when the file does not exist.
    func load() throws(ControlError) -> MasterKey? {
        let bytes: [UInt8]?
        do { bytes = try PrivateKeyFile.read(path) } catch { throw .masterKey("master key file: \(error)") }
        guard let bytes else { return nil }
        return try MasterKey.parse(String(decoding: bytes, as: UTF8.self), source: "master key file \(path)")
    }
}
