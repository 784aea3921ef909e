import Foundation
import Glibc

/// A small secret kept in a file of mode 0600 in the data folder (the credentials' master
/// key, the API's token-signing key), created whole or not at all and read only when it is
/// safe to trust.
///
/// - Creating: the contents are written and fsynced into a temporary file of mode 0600,
///   which is hard-linked to the final name (`link` fails if the name exists), and the
///   folder is fsynced. A second process racing to create it reads the first one's whole
///   file; a crash never leaves an empty or partial key behind.
/// - Reading: through the file itself (`O_NOFOLLOW`, then `fstat`). A symbolic link, a
///   file of another user, or one that group or others can access is refused rather than
///   used or silently tightened (someone may already have read it).
enum PrivateKeyFile {
    /// Why a key file cannot be used; the description names the path, never the contents.
    struct Problem: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// Largest file read (keys are far smaller).
    static let maxBytes = 4096

    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) throws(Problem) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw Problem(description: "\(path) is a symbolic link; refusing to follow it") }
            throw Problem(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Problem(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Problem(description: "\(path) is not a regular file") }
        // Root (cron, sudo) may use the service user's folder; anyone else only their own file.
        guard info.st_uid == geteuid() || geteuid() == 0 else {
            throw Problem(description: "refusing to use \(path): it belongs to another user (uid \(info.st_uid))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Problem(description: "refusing to use \(path): its mode is \(String(mode, radix: 8)), readable by group or others; run `chmod 600 \(path)` if it has not leaked, otherwise rotate the key")
        }
        var bytes = [UInt8](repeating: 0, count: maxBytes)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw Problem(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        return Array(bytes.prefix(count))
    }

    /// Creates the file with `contents`, or returns the contents of the one another process
    /// created first.
    static func create(_ path: String, contents: [UInt8]) throws(Problem) -> [UInt8] {
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Problem(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }  // the final name stays linked to the file
        guard writeWhole(contents, to: fd) else { throw Problem(description: "cannot write \(path)") }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST, let theirs = try read(path) { return theirs }  // another process won: theirs is whole
            guard [EPERM, ENOTSUP, EOPNOTSUPP, EXDEV, ENOSYS].contains(code) else {
                throw Problem(description: "cannot create \(path): \(String(cString: strerror(code)))")
            }
            // A filesystem without hard links (SMB, some FUSE mounts): create the name itself.
            return try createInPlace(path, contents: contents)
        }
        do { try DurableDirectory.sync((path as NSString).deletingLastPathComponent, area: "data folder") } catch {
            throw Problem(description: "cannot make \(path) durable: \(error)")
        }
        return contents
    }

    /// Creates `path` directly (`O_EXCL`), for filesystems without hard links: a racing
    /// process that finds it may read it before it is whole, so an empty read is retried.
    private static func createInPlace(_ path: String, contents: [UInt8]) throws(Problem) -> [UInt8] {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST, let theirs = try read(path), !theirs.isEmpty { return theirs }
            throw Problem(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard writeWhole(contents, to: fd) else {
            unlink(path)
            throw Problem(description: "cannot write \(path)")
        }
        return contents
    }

    /// Writes `contents` to `fd`, fsyncs and closes it; whether all of it reached the disk.
    private static func writeWhole(_ contents: [UInt8], to fd: Int32) -> Bool {
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        return written == contents.count && synced == 0
    }
}
