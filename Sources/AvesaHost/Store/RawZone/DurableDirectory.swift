import Foundation
import Glibc

/// Folders whose entries survive a power loss. POSIX does not promise that fsyncing a new
/// file makes its entry in its folder, or a new folder's entry in its parent, durable:
/// without that a synced file can vanish in a crash of the machine. ext4 (with a journal,
/// and without one since 2010) and XFS do persist them in practice; other
/// filesystems need the folder itself fsynced, which is what PostgreSQL and SQLite do. The
/// raw zone promises that a page is on disk before the warehouse holds it, so its folders
/// and files are made durable this way wherever the data folder lives.
enum DurableDirectory {
    /// Guards `inFlight`; signalled whenever a folder leaves it.
    private static let state = NSCondition()
    /// Folders a thread of this process is creating and has not yet synced into their
    /// parents. A folder found on disk and not in here is durable (or was made by an earlier
    /// process): a thread never builds on a folder another thread has not synced yet.
    nonisolated(unsafe) private static var inFlight: Set<String> = []  // under state

    /// Creates `path` and any missing parent folder (mode 0750: tenant data), fsyncing the
    /// parent of each folder it created, outermost first. Threads creating different
    /// folders do not wait for each other; one that needs a folder another thread is
    /// creating waits until that folder is synced.
    /// - Returns: the folders it created, outermost first (none when `path` existed).
    /// - Throws: `RawZoneError` naming the folder that could not be created or synced, or
    ///   the path that is in the way and not a folder.
    @discardableResult
    static func create(_ path: String, area: String = "raw zone") throws(RawZoneError) -> [String] {
        try createFolder(String(withoutTrailingSlashes(path)), area: area)  // one name per folder
    }

    /// `create` for the folder holding the file at `path`.
    @discardableResult
    static func createParent(of path: String, area: String = "raw zone") throws(RawZoneError) -> [String] {
        try create(parentOf(path), area: area)
    }

    private static func createFolder(_ path: String, area: String) throws(RawZoneError) -> [String] {
        guard try claim(path, area: area) else { return [] }
        defer { release(path) }
        let parent = parentOf(path)
        var created = parent == path ? [] : try createFolder(parent, area: area)
        if mkdir(path, 0o750) != 0 {
            // Made meanwhile by another process: fine if it is a folder.
            guard errno == EEXIST else { throw RawZoneError(path: path, operation: "mkdir", code: errno, area: area) }
            guard try isFolder(path, area: area) else { throw RawZoneError(path: path, operation: "mkdir", code: ENOTDIR, area: area) }
            return created
        }
        try sync(parent, area: area)
        created.append(path)
        return created
    }

    /// Waits while another thread creates `path`; then, if it is still missing, marks it
    /// as being created by the caller.
    /// - Returns: whether the caller must create it (false: it is there, and durable).
    private static func claim(_ path: String, area: String) throws(RawZoneError) -> Bool {
        state.lock()
        defer { state.unlock() }
        while inFlight.contains(path) { state.wait() }
        if try isFolder(path, area: area) { return false }
        inFlight.insert(path)
        return true
    }

    /// Ends the caller's creation of `path` (done or failed) and wakes threads waiting for it.
    private static func release(_ path: String) {
        state.lock()
        inFlight.remove(path)
        state.broadcast()
        state.unlock()
    }

    /// Whether `path` is a folder; false when nothing is there.
    /// - Throws: when something else (a file) is in the way.
    private static func isFolder(_ path: String, area: String) throws(RawZoneError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw RawZoneError(path: path, operation: "mkdir", code: ENOTDIR, area: area) }
        return true
    }

    /// fsyncs the folder at `path`, so the entries made in it so far are durable.
    static func sync(_ path: String, area: String = "raw zone") throws(RawZoneError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RawZoneError(path: path, operation: "open folder", code: errno, area: area) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw RawZoneError(path: path, operation: "fsync folder", code: errno, area: area) }
    }

    /// The folder holding `path` (`/` for a top-level entry, `.` for a bare name).
    static func parentOf(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `path` without trailing slashes (`/` stays).
    private static func withoutTrailingSlashes(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
