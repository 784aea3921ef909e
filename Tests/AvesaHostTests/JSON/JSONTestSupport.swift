import Foundation
import XCTest

@testable import AvesaHost

/// Shared helpers for the JSON tests: fixture location, a seeded generator, whitespace injection.
enum JSONTestSupport {
    /// `Tests/Fixtures/JSONTestSuite`, found from this file's path (no SwiftPM resources).
    static let suiteDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // JSON
        .deletingLastPathComponent()  // AvesaHostTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/JSONTestSuite")

    /// Name and bytes of every file in a fixture sub-folder, sorted by name.
    static func fixtures(_ folder: String) throws -> [(name: String, bytes: [UInt8])] {
        let dir = suiteDirectory.appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { ($0, Array(try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    /// Inserts random insignificant whitespace after structural characters (outside strings).
    static func sprinkleWhitespace(_ bytes: [UInt8], rng: inout SeededGenerator) -> [UInt8] {
        let ws: [UInt8] = [0x20, 0x0A, 0x0D, 0x09]
        var out: [UInt8] = []
        var inString = false
        var escaped = false
        for b in bytes {
            out.append(b)
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if b == UInt8(ascii: "\"") { inString = true; continue }
            if "{}[],:".utf8.contains(b) {
                for _ in 0..<Int(rng.next() % 3) { out.append(ws[Int(rng.next() % 4)]) }
            }
        }
        return out
    }
}

/// SplitMix64: a tiny deterministic generator so property tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}

extension XCTestCase {
    /// Parses or fails the test with the error's description.
    func parseOrFail(_ bytes: [UInt8], options: JSONParserOptions = .init(), file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
        do { return try JSONParser.parse(bytes, options: options) } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    /// The error thrown for `text`, or a failure if it parses.
    func parseError(_ text: String, options: JSONParserOptions = .init(), file: StaticString = #filePath, line: UInt = #line) -> JSONError? {
        parseError(Array(text.utf8), options: options, file: file, line: line)
    }

    /// The error thrown for `bytes`, or a failure if they parse.
    func parseError(_ bytes: [UInt8], options: JSONParserOptions = .init(), file: StaticString = #filePath, line: UInt = #line) -> JSONError? {
        do {
            _ = try JSONParser.parse(bytes, options: options)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch { return error }
    }
}
