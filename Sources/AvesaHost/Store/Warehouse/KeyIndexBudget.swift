import Foundation

/// How many slots (16 bytes each) the SCD2 key indexes of every open warehouse may hold
/// together, so the pipeline's memory stays bounded whatever the size of the tables.
///
/// An index grows a shard only with slots taken from its budget. When the budget is spent,
/// the index stops taking new keys and becomes *partial* (`CurrentRowIndex.isPartial`):
/// keys it holds are still decided in memory, every other key by one lookup on the
/// table's current-key index in SQLite. Nothing is lost or decided differently, only
/// slower past the budget. A table writer gives its slots back when it is released.
///
/// The default, `shared`, is 8 Mi slots (128 MiB): ~6.7M keys in memory at once, over all
/// tenants that merge at the same time. A run takes another from the configuration file's
/// `key_index_memory_mib` (`PipelineOptions.keyIndexBudget`).
///
/// Thread-safe: warehouses merging on different threads share one budget.
public final class KeyIndexBudget: @unchecked Sendable {
    /// The slots all indexes may hold together.
    public let slots: Int
    private let lock = NSLock()
    private var used = 0  // under lock

    /// A budget of `slots` slots (16 bytes each).
    public init(slots: Int) { self.slots = max(0, slots) }

    /// A budget of `mebibytes` MiB (65,536 slots each).
    public convenience init(mebibytes: Int) { self.init(slots: mebibytes.multipliedReportingOverflow(by: 1 << 16).partialValue) }

    /// The process-wide budget every warehouse uses unless given another: 128 MiB.
    public static let shared = KeyIndexBudget(mebibytes: 128)

    /// A budget that never runs out (tests, tools that load one table).
    public static var unlimited: KeyIndexBudget { KeyIndexBudget(slots: .max) }

    /// Slots currently held by indexes.
    public var slotsInUse: Int { lock.withLock { used } }

    /// Takes `count` slots if that many are left.
    /// - Returns: whether they were taken; nothing is taken otherwise.
    func take(_ count: Int) -> Bool {
        lock.withLock {
            guard count <= slots - used else { return false }
            used += count
            return true
        }
    }

    /// Returns `count` slots taken before.
    func giveBack(_ count: Int) {
        lock.withLock { used = max(0, used - count) }
    }
}
