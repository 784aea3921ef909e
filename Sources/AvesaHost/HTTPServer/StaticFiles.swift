import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serves files below a root folder, with content types, `ETag`/`Last-Modified`, 304 on
/// `If-None-Match`/`If-Modified-Since`, and no way out of the root: `..`/`.` segments
/// (plain or percent-encoded), NUL, backslashes and empty segments (`//etc/passwd`) are
/// rejected with 400, and the resolved real path (symlinks followed) must stay under the
/// root's real path, else 404.
///
/// Files up to `streamThreshold` are read whole, on the `reader` worker thread (never on a
/// Swift-concurrency thread); larger ones are streamed in 64 KiB chunks as the client reads.
public struct StaticFiles: Sendable {
    /// The root folder's resolved real path.
    public let root: String
    /// `Cache-Control` value sent with every file.
    public var cacheControl: String
    /// Files larger than this are streamed.
    public var streamThreshold: Int

    /// Creates a file server; the root must exist.
    public init(root: String, cacheControl: String = "public, max-age=0, must-revalidate",
                streamThreshold: Int = 1 << 20) throws(HTTPServerError) {
        guard let resolved = Self.realPath(root) else { throw .invalidStaticRoot(root) }
        self.root = resolved
        self.cacheControl = cacheControl
        self.streamThreshold = streamThreshold
    }

    /// A handler serving the route parameter `parameter` (from a `*name` pattern) as a path below the root.
    /// Reads run on this worker thread, so disk I/O never blocks a Swift-concurrency thread.
    static let reader = BlockingWorker(name: "avesa-static-files")

    public func handler(parameter: String = "path") -> HTTPHandler {
        let files = self
        return { request in
            try await StaticFiles.reader.run { try files.respond(to: request, relativePath: request.pathParameters[parameter] ?? "") }
        }
    }

    /// Answers `request` with the file at `relativePath` (decoded, `/`-separated).
    public func respond(to request: HTTPRequest, relativePath: String) throws(HTTPError) -> HTTPResponse {
        let invalid = HTTPError(.badRequest, code: "invalid_path", message: "The path is not allowed.")
        let notFound = HTTPError(.notFound, code: "not_found", message: "No such file.")
        let segments = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments where relativePath != "" {
            if segment.isEmpty || segment == "." || segment == ".." || segment.contains("\0") || segment.contains("\\") {
                throw invalid
            }
            // Hidden files (`.env`, `.git`) are never served, at any depth.
            if segment.hasPrefix(".") { throw notFound }
        }
        if request.path.contains("\0") || request.target.contains("%00") { throw invalid }
        var candidate = relativePath.isEmpty ? root : root + "/" + relativePath
        guard var resolved = Self.realPath(candidate), Self.isInside(resolved, root: root) else { throw notFound }
        var info = stat()
        guard stat(resolved, &info) == 0 else { throw notFound }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            candidate = resolved + "/index.html"
            guard let index = Self.realPath(candidate), Self.isInside(index, root: root), stat(index, &info) == 0 else { throw notFound }
            resolved = index
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw notFound }

        let size = Int(info.st_size)
        let mtime = Int(info.st_mtim.tv_sec)
        let etag = "\"\(String(size, radix: 16))-\(String(mtime, radix: 16))-\(String(Int(info.st_mtim.tv_nsec), radix: 16))\""
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: MediaTypes.type(for: resolved))
        headers.add(name: "ETag", value: etag)
        headers.add(name: "Last-Modified", value: HTTPDate.format(mtime))
        headers.add(name: "Cache-Control", value: cacheControl)
        if Self.notModified(request, etag: etag, mtime: mtime) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        if request.method == .head {
            headers.add(name: "Content-Length", value: String(size))
            return HTTPResponse(status: .ok, headers: headers)  // HEAD: the server sends the head only
        }
        if size <= streamThreshold {
            guard let data = FileManager.default.contents(atPath: resolved) else { throw notFound }
            return HTTPResponse(status: .ok, headers: headers, body: [UInt8](data))
        }
        let path = resolved
        return HTTPResponse(status: .ok, headers: headers) { writer in
            guard let handle = FileHandle(forReadingAtPath: path) else { throw HTTPError(.notFound, code: "not_found", message: "No such file.") }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                try await writer.write([UInt8](chunk))
            }
        }
    }

    static func notModified(_ request: HTTPRequest, etag: String, mtime: Int) -> Bool {
        let matches = request.headers.listValues(for: "If-None-Match")
        if !matches.isEmpty {
            let weakless = { (tag: String) in tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
            return matches.contains { $0 == "*" || weakless($0) == etag }
        }
        if let since = request.headers["If-Modified-Since"].flatMap(HTTPDate.parse) {
            return mtime <= since
        }
        return false
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isInside(_ path: String, root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }
}

extension Router {
    /// Serves `files` under `prefix` (GET and HEAD), e.g. `/assets` → `/assets/*path`.
    public mutating func staticFiles(_ prefix: String, _ files: StaticFiles) {
        let pattern = (prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix) + "/*path"
        get(pattern, handler: files.handler(parameter: "path"))
    }
}
