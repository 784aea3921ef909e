@testable import AvesaHost
import Foundation
import XCTest

/// The configuration file: defaults applied with the documented precedence, every
/// mistake named by key, an unreadable file refused before anything runs.
final class PipelineConfigurationTests: XCTestCase {
    private func parse(_ json: String) throws -> PipelineConfiguration {
        try PipelineConfiguration.parse(Array(json.utf8), file: "avesa.json")
    }

    func testReadsEveryDefault() throws {
        let config = try parse("""
        {"concurrency": 4, "lookback_seconds": 30, "page_size": 250, "chunk_records": 1000, "max_chunks": 3, "schedule": "15m",
         "rate_limits": {"connectwise": "10/s,burst=20"}, "tenant_rate_limits": {"acme": {"servicenow": "2/s,concurrency=1"}},
         "key_index_memory_mib": 48, "tenant_concurrency": 5}
        """)
        var options = PipelineOptions()
        config.apply(to: &options, commandLineConcurrency: false)
        XCTAssertEqual(options.concurrency, 4)
        XCTAssertEqual(options.lookbackSeconds, 30)
        XCTAssertEqual(options.pageSize, 250)
        XCTAssertEqual(options.chunkPlanner, ChunkPlanner(targetRecords: 1000, maxChunks: 3))
        XCTAssertEqual(config.scheduleSeconds, 900)
        XCTAssertEqual(options.serviceRateDefaults["connectwise"], RateLimitOverride(requestsPerSecond: 10, burst: 20))
        XCTAssertEqual(options.tenantRateOverrides["acme"]?["servicenow"], RateLimitOverride(requestsPerSecond: 2, maxConcurrent: 1))
        XCTAssertEqual(options.keyIndexBudget.slots, 48 << 16, "48 MiB of 16-byte slots")
        XCTAssertEqual(options.tenantsAtOnce, 5)
        XCTAssertEqual(PipelineOptions().tenantsAtOnce, 16, "twice the table concurrency when the file says nothing")
        XCTAssertEqual(PipelineOptions().keyIndexBudget.slots, 128 << 16, "128 MiB when the file says nothing")
        var fromCommandLine = PipelineOptions()
        fromCommandLine.concurrency = 16
        config.apply(to: &fromCommandLine, commandLineConcurrency: true)
        XCTAssertEqual(fromCommandLine.concurrency, 16, "the command line wins")
    }

    func testNamesEveryMistake() {
        let cases: [(String, String, String)] = [
            (#"{"concurency": 4}"#, "/concurency", "unknown key"),
            (#"{"concurrency": 0}"#, "/concurrency", "from 1 to 256"),
            (#"{"concurrency": 4, "concurrency": 200}"#, "/concurrency", "is given twice"),
            (#"{"schedule": "often"}"#, "/schedule", "duration"),
            (#"{"schedule": "inf"}"#, "/schedule", "duration"),
            (#"{"schedule": "1e300s"}"#, "/schedule", "duration"),
            (#"{"schedule": "8d"}"#, "/schedule", "duration"),
            (#"{"schedule": "0.5s"}"#, "/schedule", "duration"),
            (#"{"tenant_concurrency": 5000}"#, "/tenant_concurrency", "from 1 to 4096"),
            (#"{"key_index_memory_mib": 0}"#, "/key_index_memory_mib", "from 1 to 1048576"),
            (#"{"key_index_memory_mib": "lots"}"#, "/key_index_memory_mib", "whole number"),
            (#"{"rate_limits": {"connectwise": "fast"}}"#, "/rate_limits/connectwise", "invalid rate limit"),
            (#"{"tenant_rate_limits": {"../x": {}}}"#, "/tenant_rate_limits/..~1x", "invalid tenant id"),
            ("{", "", "not valid JSON"),
        ]
        for (json, pointer, needle) in cases {
            XCTAssertThrowsError(try parse(json), json) { error in
                guard let error = error as? MappingFileError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.pointer, pointer, json)
                XCTAssertTrue(error.message.contains(needle), "\(error)")
            }
        }
    }

    func testAnUnreadableConfigurationStopsTheRunBeforeAnyWork() {
        let cli = RecordingCLI()
        let data = TestPaths.makeTemporaryDirectory("config")
        defer { try? FileManager.default.removeItem(atPath: data) }
        XCTAssertEqual(cli.run(["--data", data, "--config", data + "/missing.json", "run"]), 1)
        XCTAssertTrue(cli.standardError.contains("missing.json"), cli.standardError)
        XCTAssertTrue(cli.standardError.contains("cannot be read"), cli.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: data + "/control.sqlite"), "nothing half-written")
        // A backfill reads the same file (its throttles apply to it too).
        let backfill = RecordingCLI()
        XCTAssertEqual(backfill.run(["--data", data, "--config", data + "/missing.json", "backfill", "--tenant-id", "acme",
                                     "--service", "connectwise", "--since", "2026-01-01"]), 1)
        XCTAssertTrue(backfill.standardError.contains("cannot be read"), backfill.standardError)
        // So does the server (the runs it starts apply the file), before it serves anything.
        let serve = RecordingCLI()
        XCTAssertEqual(serve.run(["--data", data, "--config", data + "/missing.json", "serve", "--port", "0"]), 1)
        XCTAssertTrue(serve.standardError.contains("cannot be read"), serve.standardError)
    }
}
