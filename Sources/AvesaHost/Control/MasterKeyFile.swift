import Foundation
import Glibc

/// The master key file `<data>/master.key`: 64 hex characters and a newline, mode 0600.
///
/// Created atomically with `O_CREAT | O_EXCL` and mode 0600 on first use, so two processes
/// racing to create it end up with the same key. A file that group or others can access is
/// refused rather than silently tightened: someone may already have read it.
struct MasterKeyFile {
    /// The key file's path.
    let path: String

    /// Reads the key, creating the file with a new random key when it does not exist.
    func loadOrCreate() throws(ControlError) -> MasterKey {
        if let key = try load() { return key }
        let key = try MasterKey.generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            // Another process created it first: use theirs.
            if code == EEXIST, let key = try load() { return key }
            throw .masterKey("cannot create master key file \(path): \(String(cString: strerror(code)))")
        }
        let text = Array((key.hexString + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.count, synced == 0 else {
            unlink(path)
            throw .masterKey("cannot write master key file \(path)")
        }
        return key
    }

    /// Reads the key; `nil` when the file does not exist.
    func load() throws(ControlError) -> MasterKey? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw .masterKey("cannot read master key file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .masterKey("master key file \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw .masterKey("refusing to use master key file \(path): its mode is \(String(mode, radix: 8)), readable by group or others; run `chmod 600 \(path)` if it has not leaked, otherwise rotate the key")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .masterKey("cannot read master key file \(path)")
        }
        return try MasterKey.parse(String(decoding: data, as: UTF8.self), source: "master key file \(path)")
    }
}
