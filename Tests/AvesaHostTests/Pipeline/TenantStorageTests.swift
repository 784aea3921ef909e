@testable import AvesaHost
import XCTest

/// A tenant's storage during a run: deferred indexes of a table are built once the last
/// sync feeding it ended, not before, and the rest at `close`.
final class TenantStorageTests: XCTestCase {
    func testATablesIndexesAreBuiltWhenItsLastSyncEnds() async throws {
        let root = try makeTemporaryDirectory(self).path
        let storage = TenantStorage(tenant: "acme", layout: DataLayout(root: root), tables: CanonicalTable.defaultTables,
                                    bulkLoadThreshold: 5, syncsPerTable: ["tickets": 2, "time_entries": 1])
        let tickets = (1...10).map { n in
            canonical(.tickets, ["id": .string("connectwise:\(n)"), "summary": .string("Ticket \(n)"),
                                 "created_at": .timestamp(Int64(n) * 1_000_000)])
        }
        _ = try await storage.withWarehouse { try $0.merge(tickets, into: "tickets", runID: "r1", loadTime: 1) }
        func deferred() async throws -> Set<String> { try await storage.withWarehouse { $0.tablesWithDeferredIndexes } }
        let afterLoad = try await deferred()
        XCTAssertEqual(afterLoad, ["tickets"])

        try await storage.syncEnded(feeding: "tickets")
        let afterFirst = try await deferred()
        XCTAssertEqual(afterFirst, ["tickets"], "another sync still feeds tickets")
        try await storage.syncEnded(feeding: "tickets")
        let afterLast = try await deferred()
        XCTAssertEqual(afterLast, [], "built as soon as the last sync of tickets ended")
        let indexes = try await storage.withWarehouse { try schemaNames($0.database, type: "index", table: "tickets") }
        XCTAssertEqual(indexes, allTicketIndexes)
        try await storage.syncEnded(feeding: "companies")  // no sync was counted for it: nothing happens
        let failure = await storage.close()
        XCTAssertNil(failure)
    }

    func testAChunksRawFileIsOpenedOnceForAllItsPagesAndClosedWhenTheChunkEnds() async throws {
        let root = try makeTemporaryDirectory(self).path
        let layout = DataLayout(root: root)
        let storage = TenantStorage(tenant: "acme", layout: layout, tables: CanonicalTable.defaultTables)
        let path = try layout.rawDirectory(tenant: "acme", service: "connectwise", table: "tickets") + "/r1-000001.ndjson"
        let page = Array("[{\"id\":1},{\"id\":2}]".utf8)
        let records = [JSONRecord(index: 0, byteRange: 1..<9, values: []), JSONRecord(index: 1, byteRange: 10..<18, values: [])]
        try await storage.appendRaw(path: path, records: [records[0]], of: page)
        try await storage.appendRaw(path: path, records: [records[1]], of: page)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"id\":1}\n{\"id\":2}\n", "each page durable on return")
        XCTAssertEqual(openDescriptors(to: path), 1, "one descriptor serves every page of the chunk")
        await storage.closeRaw(path: path)
        XCTAssertEqual(openDescriptors(to: path), 0, "closed when the chunk ended")
        try await storage.appendRaw(path: path, records: [records[0]], of: page)  // a requeued chunk appends again
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"id\":1}\n{\"id\":2}\n{\"id\":1}\n")
        await storage.close()
        XCTAssertEqual(openDescriptors(to: path), 0, "close() closes what a chunk left open")
    }

    func testMergesHandedInWhileTheWarehouseIsBusyCommitTogether() async throws {
        let storage = TenantStorage(tenant: "acme", layout: DataLayout(root: try makeTemporaryDirectory(self).path),
                                    tables: CanonicalTable.defaultTables)
        func version() async throws -> Int64 {
            try await storage.withWarehouse { warehouse in
                let statement = try warehouse.database.prepare(WarehouseDDL.selectVersion)
                _ = try statement.step()
                return statement.int64(0)
            }
        }
        func ticketPage(_ numbers: ClosedRange<Int>) -> [CanonicalRecord] {
            numbers.map { canonical(.tickets, ["id": .string("connectwise:\($0)"), "summary": .string("T\($0)")]) }
        }
        let contacts = [canonical(.contacts, ["id": .string("connectwise:7"), "first_name": .string("Ada")])]
        _ = try await storage.merge(ticketPage(1...2), into: "tickets", runID: "r1", loadTime: 1)
        let before = try await version()
        // Hold the warehouse thread while three syncs hand in their pages.
        let gate = DispatchSemaphore(value: 0)
        storage.worker.post { gate.wait() }
        async let first = storage.merge(ticketPage(3...4), into: "tickets", runID: "r1", loadTime: 1)
        async let second = storage.merge(contacts, into: "contacts", runID: "r1", loadTime: 1)
        async let third = storage.merge(ticketPage(5...9), into: "tickets", runID: "r1", loadTime: 1)
        for _ in 0..<500 where storage.mergeQueue.count < 3 { try await Task.sleep(nanoseconds: 10_000_000) }
        XCTAssertEqual(storage.mergeQueue.count, 3)
        gate.signal()
        let inserted = try await [first.inserted, second.inserted, third.inserted]
        XCTAssertEqual(inserted, [2, 1, 5], "each merge gets its own outcome")
        let after = try await version()
        XCTAssertEqual(after, before + 1, "one transaction for the three")
        XCTAssertEqual(storage.mergeQueue.count, 0)
        await storage.close()
    }

    func testManySyncsMergingAtOnceEachGetTheirOwnOutcomeAndNothingIsLostOrDoubled() async throws {
        let storage = TenantStorage(tenant: "acme", layout: DataLayout(root: try makeTemporaryDirectory(self).path),
                                    tables: CanonicalTable.defaultTables)
        // 40 syncs of 5 pages each, two tables; every 7th page holds a record the table refuses.
        let outcomes = await withTaskGroup(of: (inserted: Int, failed: Int).self) { group in
            for sync in 0..<40 {
                group.addTask {
                    var inserted = 0, failed = 0
                    for page in 0..<5 {
                        let table = sync % 2 == 0 ? "tickets" : "contacts"
                        var records = (0..<10).map { n in
                            canonical(table == "tickets" ? .tickets : .contacts, ["id": .string("cw:\(sync)-\(page)-\(n)")])
                        }
                        if (sync * 5 + page) % 7 == 0 { records[3].values[0] = .integer(1) }  // a non-text key
                        do {
                            inserted += try await storage.merge(records, into: table, runID: "r1", loadTime: 1).inserted
                        } catch {
                            failed += 1
                        }
                    }
                    return (inserted, failed)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let failedPages = (0..<200).filter { $0 % 7 == 0 }.count
        XCTAssertEqual(outcomes.reduce(0) { $0 + $1.failed }, failedPages, "exactly the refused pages failed")
        XCTAssertEqual(outcomes.reduce(0) { $0 + $1.inserted }, (200 - failedPages) * 10)
        let stored = try await storage.withWarehouse { warehouse in
            try ["tickets", "contacts"].map { table in
                let count = try warehouse.database.prepare("SELECT COUNT(*), COUNT(DISTINCT id) FROM \"\(table)\"")
                _ = try count.step()
                return [count.int64(0), count.int64(1)]
            }
        }
        XCTAssertEqual(stored.map { $0[0] }.reduce(0, +), Int64((200 - failedPages) * 10), "every committed record once")
        XCTAssertEqual(stored.map { $0[0] }, stored.map { $0[1] }, "no key twice")
        await storage.close()
    }

    func testKnowsWhichTablesWereEmptyWhenTheRunBegan() async throws {
        let root = try makeTemporaryDirectory(self).path
        let layout = DataLayout(root: root)
        let path = try layout.warehouse("acme")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let earlier = try TenantWarehouse(path: path)
            try earlier.merge([canonical(.tickets, ["id": .string("connectwise:1"), "summary": .string("Old")])],
                              into: "tickets", runID: "r0", loadTime: 1)
        }
        let storage = TenantStorage(tenant: "acme", layout: layout, tables: CanonicalTable.defaultTables)
        let contacts = [canonical(.contacts, ["id": .string("connectwise:7"), "first_name": .string("Ada")])]
        _ = try await storage.withWarehouse { try $0.merge(contacts, into: "contacts", runID: "r1", loadTime: 2) }
        let tickets = try await storage.wasEmptyAtStart("tickets")
        let contactsEmpty = try await storage.wasEmptyAtStart("contacts")
        XCTAssertFalse(tickets, "tickets held a row from an earlier run")
        XCTAssertTrue(contactsEmpty, "empty when the run began, whatever this run wrote since")
        await storage.close()
    }

    func testTheWarehouseTakesItsKeyIndexSlotsFromTheGivenBudgetAndGivesThemBackAtClose() async throws {
        let layout = DataLayout(root: try makeTemporaryDirectory(self).path)
        let budget = KeyIndexBudget(slots: 64)
        let storage = TenantStorage(tenant: "acme", layout: layout, tables: CanonicalTable.defaultTables, keyIndexBudget: budget)
        let contacts = (1...300).map { n in canonical(.contacts, ["id": .string("connectwise:\(n)"), "first_name": .string("C\(n)")]) }
        let first = try await storage.withWarehouse { try $0.merge(contacts, into: "contacts", runID: "r1", loadTime: 1) }
        let again = try await storage.withWarehouse { try $0.merge(contacts, into: "contacts", runID: "r2", loadTime: 2) }
        XCTAssertEqual(first.inserted, 300)
        XCTAssertEqual(again.unchanged, 300, "keys past the budget were found in SQLite")
        XCTAssertGreaterThan(budget.slotsInUse, 0)
        XCTAssertLessThanOrEqual(budget.slotsInUse, 64)
        await storage.close()
        XCTAssertEqual(budget.slotsInUse, 0)
    }

    func testSpilledKeysLiveInTheScratchFolderUntilDiscardedAndAKilledRunsAreRemoved() async throws {
        let root = try makeTemporaryDirectory(self).path
        let layout = DataLayout(root: root)
        let scratch = try layout.scratchDirectory("acme")
        // A killed run's leftovers.
        try FileManager.default.createDirectory(atPath: scratch + "/seen-old", withIntermediateDirectories: true)
        let storage = TenantStorage(tenant: "acme", layout: layout, tables: CanonicalTable.defaultTables)
        var keys = SeenKeySet(memoryLimit: 4)
        for n in 0..<3 { keys.insert(RowHash.ofKey([.string("connectwise:\(n)")])) }
        keys = try await storage.spillIfNeeded(keys)
        XCTAssertFalse(keys.isSpilled, "below its limit")
        keys = try await storage.spillIfNeeded(keys, threshold: 2)
        XCTAssertTrue(keys.isSpilled)
        let folders = try FileManager.default.contentsOfDirectory(atPath: scratch)
        XCTAssertEqual(folders.count, 1, "the leftover went before this run's spill: \(folders)")
        XCTAssertEqual(keys.spillDirectories, [scratch + "/" + folders[0]])
        await storage.discardSpills(of: keys)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), [])
        let failure = await storage.close()
        XCTAssertNil(failure)
    }
}
