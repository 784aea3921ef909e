import Foundation
import Glibc

/// Appends the records of fetched pages, exactly as received, to one raw-zone file: one
/// JSON record per line (whitespace between tokens is removed when a record spans
/// lines; string contents are never touched). `sync()` flushes and fsyncs before the
/// chunk commits, so the raw zone always holds at least what the warehouse holds. One
/// writer serves a whole chunk: its folders are created and its file opened once.
///
/// Durability: the folders it creates are fsynced into their parents, and the first
/// `sync()` also fsyncs the file's folder, so a synced page survives a power loss even
/// when its file (or the file's folder) is new (`DurableDirectory`).
///
/// Ownership: owns one file descriptor, closed in `deinit`. Not thread-safe: one writer
/// per chunk, used from one thread at a time.
public final class RawZoneWriter {
    /// The file written.
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Whether the folder's entry for the file may not be on disk yet (until the first sync).
    private var folderNeedsSync = true

    /// Buffered bytes past which `append` writes them out.
    static let flushThreshold = 1 << 20

    /// Opens (creating folders and the file, appending if it exists) `path`.
    public init(path: String) throws {
        self.path = path
        try DurableDirectory.createParent(of: path)
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw RawZoneError(path: path, operation: "open", code: errno) }
    }

    deinit {
        close(descriptor)
    }

    /// Appends each record of `page` (byte ranges into `body`) as one line.
    public func append(records: [JSONRecord], of body: [UInt8]) throws {
        for record in records {
            JSONLine.append(body[record.byteRange], to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= Self.flushThreshold { try flush() }
        }
    }

    /// Writes buffered lines and fsyncs the file.
    public func sync() throws {
        try flush()
        guard fsync(descriptor) == 0 else { throw RawZoneError(path: path, operation: "fsync", code: errno) }
        if folderNeedsSync {
            try DurableDirectory.sync(DurableDirectory.parentOf(path))
            folderNeedsSync = false
        }
    }

    private func flush() throws {
        let failure = buffer.withUnsafeBytes { FileDescriptorWriting.writeAll(descriptor, $0) }
        guard failure == 0 else { throw RawZoneError(path: path, operation: "write", code: failure) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A raw-zone (or scratch-file) I/O failure: what was done to which file, and errno.
public struct RawZoneError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let code: Int32
    /// What the file is, for the message ("raw zone", "seen-key spill").
    public let area: String

    /// A failure of `operation` on `path` with errno `code`.
    public init(path: String, operation: String, code: Int32, area: String = "raw zone") {
        self.path = path
        self.operation = operation
        self.code = code
        self.area = area
    }

    public var description: String { "\(area) \(operation) failed for \(path): \(String(cString: strerror(code)))" }
}

/// One JSON value on one line: copies bytes as they are, dropping only whitespace
/// outside strings (JSON strings cannot hold raw line breaks, so the result has none).
enum JSONLine {
    static func append(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        // Most records hold no line break: one memchr pass each (vectorised), then one copy.
        let hasBreak = bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return false }
            return memchr(base, 0x0A, buffer.count) != nil || memchr(base, 0x0D, buffer.count) != nil
        }
        guard hasBreak else {
            output.append(contentsOf: bytes)
            return
        }
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                output.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                output.append(byte)
            } else if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                output.append(byte)
            }
        }
    }
}
