import Glibc

/// Folders whose entries survive a power loss. A file fsynced in a folder can still vanish
/// after a crash of the machine unless the folder's own entry for it, and every new folder
/// above it, reached the disk too (POSIX: fsync the directory; ext4 without a journal, for
/// one, does not do it for you). The raw zone promises that a page is on disk before the
/// warehouse holds it, so its folders and files are made durable this way.
enum DurableDirectory {
    /// Creates `path` and any missing parent folder (mode 0750), fsyncing the parent of each
    /// folder it created, deepest last.
    /// - Returns: the folders it created, outermost first (none when `path` existed).
    /// - Throws: `RawZoneError` naming the folder that could not be created or synced.
    @discardableResult
    static func create(_ path: String, area: String = "raw zone") throws(RawZoneError) -> [String] {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw RawZoneError(path: path, operation: "mkdir", code: ENOTDIR, area: area)
            }
            return []
        }
        let parent = parentOf(path)
        var created = parent == path ? [] : try create(parent, area: area)
        if mkdir(path, 0o750) != 0 {
            guard errno == EEXIST else { throw RawZoneError(path: path, operation: "mkdir", code: errno, area: area) }
            return created  // made by someone else meanwhile: their job to sync it
        }
        try sync(parent, area: area)
        created.append(path)
        return created
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
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
