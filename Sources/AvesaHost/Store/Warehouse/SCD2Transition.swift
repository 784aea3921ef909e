/// The SCD Type 2 decision for one key, as a pure state machine: given what the warehouse
/// holds for the key and what arrived, say what to write. No database, no clock.
///
/// Rules (times are microseconds; `at` is the record's source change time, else the load
/// time; `fetchedAt` is when the record was fetched, given only for sources without delete
/// events, whose deletions were all inferred by full syncs):
///
/// | state \ event              | upsert, same hash | upsert, other hash        | delete            |
/// |----------------------------|-------------------|---------------------------|-------------------|
/// | absent                     | —                 | `insert(at)`              | `alreadyAbsent`   |
/// | current(validFrom)         | `unchanged`       | `at > validFrom`: `closeAndOpen(at)`; `at == validFrom`: `correctInPlace`; `at < validFrom`: `ignoreOutOfOrder` | `at >= validFrom`: `close(at)`, else `ignoreOutOfOrder` |
/// | deleted(closedAt)          | `at >= closedAt`: `insert(at)` (reappearance); else `fetchedAt > closedAt`: `insert(closedAt)`; else `ignoreOutOfOrder` | same | `alreadyAbsent` |
///
/// **How this differs from dbt snapshots and dlt's `scd2` strategy, and why:**
/// - *Valid-from.* dlt stamps `_dlt_valid_from` with the load time; dbt's `timestamp`
///   strategy uses `updated_at`, its `check` strategy the run time. We use the source
///   change time when there is one (like dbt `timestamp`), so history reflects when things
///   changed, not when we happened to fetch them, and so a replayed page lands on the same
///   times (idempotence); otherwise the load time (like dlt).
/// - *Change detection.* dbt `timestamp` only sees a change when `updated_at` grows and
///   ignores content changes with the same `updated_at`; dlt and dbt `check` compare
///   content. We compare a hash of all tracked columns (like dlt's row hash) *and* order by
///   time: an older version never reopens history (dbt and dlt would append it as the
///   newest row when it arrives late). Same time but different content is treated as a
///   correction of the current row in place, because two versions cannot be ordered by
///   an equal timestamp and the later write is the one the source now returns; dbt would
///   drop it, dlt would add a version.
/// - *Deletes.* dlt retires every key missing from a load unless configured otherwise;
///   dbt needs `hard_deletes: invalidate`. We close rows only on an explicit delete event or
///   `TenantWarehouse.closeMissing` after a *completed* full sync, because incremental
///   syncs never return unchanged rows. A deleted key that reappears opens a new row, as
///   in dbt's `new_record` mode: from its change time when that is not older than the
///   deletion. For a source without delete events (every deletion inferred by a full sync
///   that did not see the key), also when it was fetched after the close, from the close
///   itself: a record the sync missed (access rules, a permission change) is in the source
///   after all (ignoring it would keep it deleted until the source next edits it), and the
///   close was wrong, so history continues at once; any later version (change time from
///   the close on) still replaces it. A page fetched before the close and merged (or
///   replayed) after it is still ignored. A source's own delete events are never undone by
///   an older version, however late it comes.
/// - *Current marker.* `_valid_to` is NULL while current (dbt's default; dlt uses NULL
///   too) plus an explicit `_is_current` flag, because SQLite partial indexes need a
///   simple predicate and analytics queries read better with it.
public struct SCD2Transition: Sendable, Equatable {
    /// What the warehouse holds for a key.
    public enum State: Sendable, Equatable {
        /// The key was never seen.
        case absent
        /// A current row with this hash, valid since `validFrom`.
        case current(hash: RowHash, validFrom: Int64)
        /// The key's last row was closed by a delete at `closedAt`.
        case deleted(closedAt: Int64)
    }

    /// What arrived for the key.
    public enum Event: Sendable, Equatable {
        /// A full record with its row hash, changed at `at`.
        case upsert(hash: RowHash, at: Int64)
        /// The record was deleted at `at`.
        case delete(at: Int64)
    }

    /// What to write.
    public enum Action: Sendable, Equatable {
        /// Open a new current row valid from the time (new key or reappearance).
        case insert(validFrom: Int64)
        /// Same content: write nothing.
        case unchanged
        /// Close the current row at the time and open a new row valid from it.
        case closeAndOpen(at: Int64)
        /// Same valid-from, different content: overwrite the current row's columns.
        case correctInPlace
        /// Close the current row at the time; no new row.
        case close(at: Int64)
        /// Older than what is stored: write nothing.
        case ignoreOutOfOrder
        /// A delete for a key with no current row: write nothing.
        case alreadyAbsent
    }

    /// The key's state; `apply` moves it.
    public private(set) var state: State

    /// A machine in `state`.
    public init(state: State) { self.state = state }

    /// Decides the action for `event` without changing anything.
    /// - Parameter fetchedAt: when the record was fetched (the load time), if known.
    public static func decide(_ state: State, _ event: Event, fetchedAt: Int64? = nil) -> Action {
        switch (state, event) {
        case (.absent, .upsert(_, let at)):
            return .insert(validFrom: at)
        case (.absent, .delete), (.deleted, .delete):
            return .alreadyAbsent
        case (.current(let hash, let validFrom), .upsert(let incoming, let at)):
            if hash == incoming { return .unchanged }
            if at > validFrom { return .closeAndOpen(at: at) }
            if at == validFrom { return .correctInPlace }
            return .ignoreOutOfOrder
        case (.current(_, let validFrom), .delete(let at)):
            return at >= validFrom ? .close(at: at) : .ignoreOutOfOrder
        case (.deleted(let closedAt), .upsert(_, let at)):
            if at >= closedAt { return .insert(validFrom: at) }
            if let fetchedAt, fetchedAt > closedAt { return .insert(validFrom: closedAt) }
            return .ignoreOutOfOrder
        }
    }

    /// Decides the action for `event` and moves `state` to what the warehouse holds after it.
    public mutating func apply(_ event: Event, fetchedAt: Int64? = nil) -> Action {
        let action = Self.decide(state, event, fetchedAt: fetchedAt)
        switch (action, event) {
        case (.insert(let validFrom), .upsert(let hash, _)), (.closeAndOpen(let validFrom), .upsert(let hash, _)):
            state = .current(hash: hash, validFrom: validFrom)
        case (.correctInPlace, .upsert(let hash, let at)):
            state = .current(hash: hash, validFrom: at)
        case (.close(let at), _):
            state = .deleted(closedAt: at)
        default:
            break
        }
        return action
    }
}
