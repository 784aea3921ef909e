import Foundation
import Glibc

/// Key fingerprints a `SeenKeySet` moved to disk once it held more than its memory limit:
/// one file per shard (the fingerprint's top byte, `SeenKeySet.shard(of:)`) of raw 16-byte
/// fingerprints, appended unsorted, in a folder of its own.
///
/// Scratch data: never fsynced, because a crash loses the full sync they serve anyway (its
/// next attempt collects them again). The files belong to the scratch folder's owner, which
/// removes them on a blocking thread: `TenantStorage.discardSpills(of:)` after the close
/// pass, `close()` when the tenant's run ends, the next run's storage when a killed one
/// left them (releasing a set never does file I/O, since that may happen on a
/// Swift-concurrency thread).
///
/// Thread rules: appended by the one sync that collects; only read once its set is sealed.
/// Call from a blocking thread (it does file I/O).
public final class SeenKeySpill: @unchecked Sendable {
    /// The folder holding the shard files.
    public let directory: String
    /// Fingerprints written per shard (duplicates included).
    private(set) var counts = [Int](repeating: 0, count: SeenKeySet.shardCount)

    /// Creates an empty folder `seen-<random>` under `parent` (created if missing).
    init(parent: String) throws {
        directory = parent + "/seen-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func path(_ shard: Int) -> String { directory + "/" + String(shard) }

    /// Appends `keys`, all of shard `shard`.
    func append(_ keys: [RowHash], shard: Int) throws {
        guard !keys.isEmpty else { return }
        let descriptor = open(path(shard), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RawZoneError(path: path(shard), operation: "open", code: errno, area: "seen-key spill") }
        defer { close(descriptor) }
        let failure = keys.withUnsafeBytes { FileDescriptorWriting.writeAll(descriptor, $0) }
        guard failure == 0 else { throw RawZoneError(path: path(shard), operation: "write", code: failure, area: "seen-key spill") }
        counts[shard] += keys.count
    }

    /// Every fingerprint written to shard `shard`, in the order written.
    func keys(shard: Int) throws -> [RowHash] {
        let count = counts[shard]
        guard count > 0 else { return [] }
        let descriptor = open(path(shard), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RawZoneError(path: path(shard), operation: "open", code: errno, area: "seen-key spill") }
        defer { close(descriptor) }
        let stride = MemoryLayout<RowHash>.stride
        var failure: Int32 = 0
        let keys = [RowHash](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            while offset < count * stride {
                let read = pread(descriptor, bytes.baseAddress! + offset, count * stride - offset, off_t(offset))
                if read < 0 && errno == EINTR { continue }
                if read <= 0 {
                    failure = read < 0 ? errno : EIO  // a short file: someone truncated it
                    break
                }
                offset += read
            }
            initialized = failure == 0 ? count : 0
        }
        if failure != 0 { throw RawZoneError(path: path(shard), operation: "read", code: failure, area: "seen-key spill") }
        return keys
    }
}
