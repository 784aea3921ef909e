import XCTest
@testable import AvesaHost

/// The raw zone keeps each record exactly as received, one per line, appending across pages.
final class RawZoneWriterTests: XCTestCase {
    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testRecordsAreWrittenOneALineWithOnlyOutsideWhitespaceRemoved() throws {
        let path = try makeTemporaryDirectory(self).appendingPathComponent("page.ndjson").path
        let page = Array("[{\"id\":1,\"note\":\"a b\"},\n  {\n  \"id\" : 2,\r\n \"note\": \"tab\\tand \\\"quote\\\" and \\\\n\"\n}]".utf8)
        let records = [JSONRecord(index: 0, byteRange: 1..<22, values: []),
                       JSONRecord(index: 1, byteRange: 26..<(page.count - 1), values: [])]
        XCTAssertEqual(String(decoding: page[records[0].byteRange], as: UTF8.self), "{\"id\":1,\"note\":\"a b\"}")
        let writer = try RawZoneWriter(path: path)
        try writer.append(records: records, of: page)
        try writer.sync()
        try RawZoneWriter(path: path).append(records: [records[0]], of: page)  // unsynced writer: buffered, not written
        let second = try RawZoneWriter(path: path)
        try second.append(records: [records[0]], of: page)
        try second.sync()
        let written = try lines(path)
        XCTAssertEqual(written, ["{\"id\":1,\"note\":\"a b\"}",
                                 "{\"id\":2,\"note\":\"tab\\tand \\\"quote\\\" and \\\\n\"}",
                                 "{\"id\":1,\"note\":\"a b\"}", ""])
        for line in written.dropLast() { XCTAssertNoThrow(try JSONParser.parse(Array(line.utf8)), line) }
    }

    /// Replay order is by run, then chunk number as a number (seven digits past 999,999),
    /// each run's closes after its pages.
    func testRawFilesReplayInRunThenChunkNumberOrder() throws {
        let root = try makeTemporaryDirectory(self).path
        let layout = DataLayout(root: root)
        let directory = try layout.rawDirectory(tenant: "acme", service: "testdesk", table: "tickets")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let early = "20261130T050000000Z-00a1", late = "20261130T060000000Z-00b2"
        XCTAssertNotNil(RunID(String(early.prefix(24))), "a valid run id")
        let names = ["\(late.prefix(24))-000001.ndjson", "\(early.prefix(24))-closes.ndjson", "\(early.prefix(24))-1000000.ndjson",
                     "\(early.prefix(24))-999999.ndjson"]
        for name in names { FileManager.default.createFile(atPath: directory + "/" + name, contents: Data()) }
        let order = try RawZoneReader(layout: layout, tenant: "acme").files(service: "testdesk", table: "tickets")
            .map { String($0.path.split(separator: "/").last!) }
        XCTAssertEqual(order, [names[3], names[2], names[1], names[0]])
    }

    func testMissingFoldersAreCreatedOutermostFirstAndExistingOnesAreLeftAlone() throws {
        let root = try makeTemporaryDirectory(self).path
        let deep = root + "/tenants/acme/raw/connectwise"
        XCTAssertEqual(try DurableDirectory.create(deep), [root + "/tenants", root + "/tenants/acme", root + "/tenants/acme/raw", deep])
        XCTAssertEqual(try DurableDirectory.create(deep), [], "nothing to create the second time")
        XCTAssertEqual(try DurableDirectory.create(deep + "/tickets/"), [deep + "/tickets"])
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: deep + "/tickets", isDirectory: &isFolder) && isFolder.boolValue)
    }

    func testThreadsCreatingTheSameFoldersAtOnceEachCreateAndSyncADistinctPart() throws {
        let root = try makeTemporaryDirectory(self).path
        let chain = ["/tenants", "/tenants/acme", "/tenants/acme/raw", "/tenants/acme/raw/connectwise"].map { root + $0 }
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                let created = try DurableDirectory.create(chain[3] + "/table\(index)")
                results.append(created)
            } catch {
                results.append(["error: \(error)"])
            }
        }
        let all = results.values.flatMap { $0 }
        XCTAssertEqual(all.filter { chain.contains($0) }.sorted(), chain, "each shared folder created (and synced) exactly once")
        XCTAssertEqual(Set(all).subtracting(chain).count, 8, "and every table folder: \(all)")
    }

    func testAFileWhereAFolderMustGoIsAnErrorNamingIt() throws {
        let root = try makeTemporaryDirectory(self).path
        XCTAssertTrue(FileManager.default.createFile(atPath: root + "/raw", contents: Data("x".utf8)))
        XCTAssertThrowsError(try RawZoneWriter(path: root + "/raw/connectwise/tickets/r1-000001.ndjson")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("raw zone mkdir failed for \(root)/raw"), text)
        }
    }

    func testParentOfAPath() {
        XCTAssertEqual(DurableDirectory.parentOf("/a/b/c.ndjson"), "/a/b")
        XCTAssertEqual(DurableDirectory.parentOf("/a/b/"), "/a")
        XCTAssertEqual(DurableDirectory.parentOf("/a"), "/")
        XCTAssertEqual(DurableDirectory.parentOf("a"), ".")
    }
}

/// Lists appended to from several threads.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[String]] = []
    func append(_ list: [String]) { lock.withLock { stored.append(list) } }
    var values: [[String]] { lock.withLock { stored } }
}

/// The raw-zone threads: one file always on one thread, files spread over all of them.
final class RawZoneThreadsTests: XCTestCase {
    func testAFileAlwaysGetsTheSameThreadAndFilesSpreadOverThemAll() {
        let threads = RawZoneThreads(count: 4)
        let paths = (0..<200).map { "/data/tenants/t\($0)/raw/connectwise/tickets/r1-000001.ndjson" }
        for path in paths { XCTAssertTrue(threads.worker(for: path) === threads.worker(for: path)) }
        let used = Set(paths.map { ObjectIdentifier(threads.worker(for: $0)) })
        XCTAssertEqual(used.count, 4, "200 files use every thread")
        let one = RawZoneThreads(count: 0)  // at least one thread
        XCTAssertTrue(one.worker(for: "a") === one.worker(for: "b"))
    }
}
