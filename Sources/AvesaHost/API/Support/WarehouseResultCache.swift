import Foundation

/// The state of a warehouse a result was computed from, as its own read transaction saw it:
/// the file's random id and its `_warehouse_version`, which every transaction that changes
/// history rows advances (`TenantWarehouse.markChanged`). A result computed at one snapshot
/// is valid exactly as long as the warehouse is still at that snapshot.
struct WarehouseSnapshot: Hashable, Sendable {
    /// The tenant's warehouse path: entries of older snapshots of one path are dropped.
    let path: String
    /// `_warehouse_version.file_id`: differs between a file and the one that replaced it.
    let fileID: [UInt8]
    let version: Int64
}

/// A cached result: part of a response (a count, a company's totals) or a whole encoded
/// response body.
enum CachedResult: Sendable {
    case json(JSONValue)
    case body([UInt8])

    /// Approximate bytes held, for the cache's budget.
    var cost: Int {
        switch self {
        case .json: return 512
        case .body(let bytes): return bytes.count + 64
        }
    }
}

/// Results of read queries (dashboard aggregates, list pages and totals, company totals)
/// per warehouse snapshot, so that repeated requests between two syncs cost a lookup.
///
/// - Never stale: a key includes the snapshot; when a warehouse moves on, its older
///   entries are dropped the first time the new snapshot is stored.
/// - Single flight: when several requests miss the same key at once, one computes and the
///   others wait for its result (they run on Dispatch threads, never on Swift-concurrency
///   threads, see `Blocking`).
/// - Bounded: at most `capacity` entries and `maxBytes` of results; the least recently used
///   go first.
///
/// Thread rules: every method may be called from any thread.
final class WarehouseResultCache: @unchecked Sendable {
    struct Key: Hashable, Sendable {
        let snapshot: WarehouseSnapshot
        /// What was computed, including every parameter that shapes the result.
        let query: String
    }

    private struct Entry {
        let value: CachedResult
        var lastUse: UInt64
    }

    let capacity: Int
    let maxBytes: Int
    /// Sum of the entries' `cost`. Guarded by `condition`.
    private var bytes = 0
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var entries: [Key: Entry] = [:]
    /// One computation in progress; its waiters take its outcome even when the result is
    /// not stored (over budget, computed at an outdated version, or the cache is off).
    private final class Flight {
        var outcome: Result<CachedResult, any Error>?
    }

    /// Keys being computed. Guarded by `condition`.
    private var computing: [Key: Flight] = [:]
    /// The newest snapshot stored per warehouse path. Guarded by `condition`.
    private var newest: [String: WarehouseSnapshot] = [:]
    private var clock: UInt64 = 0
    /// Guarded by `condition`.
    private var hitCount = 0
    private var missCount = 0

    /// Requests answered from the cache or from another request's computation.
    var hits: Int {
        condition.withLock { hitCount }
    }

    /// Requests that computed their result.
    var misses: Int {
        condition.withLock { missCount }
    }

    init(capacity: Int = 4096, maxBytes: Int = 64 << 20) {
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    /// The cached JSON value for `key`, else `compute()`'s, stored. Errors are not cached.
    func value(for key: Key, compute: () throws -> JSONValue) throws -> JSONValue {
        guard case .json(let value) = try result(for: key, compute: { .json(try compute()) }) else {
            preconditionFailure("cache key \(key.query) holds a body, not a value")
        }
        return value
    }

    /// The cached encoded body for `key`, else `compute()`'s value encoded, stored.
    func body(for key: Key, compute: () throws -> JSONValue) throws -> [UInt8] {
        guard case .body(let bytes) = try result(for: key, compute: { .body(try compute().jsonBytes()) }) else {
            preconditionFailure("cache key \(key.query) holds a value, not a body")
        }
        return bytes
    }

    /// The cached result for `key`, else `compute()`'s, stored; single flight per key.
    private func result(for key: Key, compute: () throws -> CachedResult) throws -> CachedResult {
        if maxBytes == 0 { return try compute() }  // off: every request computes
        condition.lock()
        if let entry = entries[key] {
            clock += 1
            entries[key]?.lastUse = clock
            hitCount += 1
            condition.unlock()
            return entry.value
        }
        if let flight = computing[key] {
            // Someone is computing this key: share their outcome, stored or not.
            hitCount += 1
            while flight.outcome == nil { condition.wait() }
            condition.unlock()
            return try flight.outcome!.get()
        }
        let flight = Flight()
        computing[key] = flight
        missCount += 1
        condition.unlock()

        let outcome = Result { try compute() }
        condition.lock()
        computing.removeValue(forKey: key)
        flight.outcome = outcome
        if case .success(let value) = outcome { store(value, for: key) }
        condition.broadcast()
        condition.unlock()
        return try outcome.get()
    }

    /// Bytes held (tests).
    var heldBytes: Int {
        condition.withLock { bytes }
    }

    /// Entries held (tests).
    var count: Int {
        condition.withLock { entries.count }
    }

    /// Stores under the lock; drops the warehouse's entries of older snapshots and, when
    /// full, the least recently used entry.
    private func store(_ value: CachedResult, for key: Key) {
        guard value.cost <= maxBytes / 8 else { return }  // one huge result must not flush the rest
        let snapshot = key.snapshot
        if let previous = newest[snapshot.path], previous != snapshot {
            if previous.fileID == snapshot.fileID, previous.version > snapshot.version { return }  // computed late: already outdated
            entries = entries.filter { $0.key.snapshot.path != snapshot.path || $0.key.snapshot == snapshot }
            bytes = entries.values.reduce(0) { $0 + $1.value.cost }
        }
        newest[snapshot.path] = snapshot
        while entries.count >= capacity || (bytes + value.cost > maxBytes && !entries.isEmpty),
              let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            bytes -= entries.removeValue(forKey: oldest)?.value.cost ?? 0
        }
        clock += 1
        bytes += value.cost
        entries[key] = Entry(value: value, lastUse: clock)
    }
}
