import Foundation
import XCTest

@testable import AvesaHost

/// Property-style round trips over documents from a seeded, deterministic generator.
final class JSONRoundTripTests: XCTestCase {
    private func randomString(_ rng: inout SeededGenerator) -> String {
        let pool: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "𝄞", "\u{2028}", "\u{FEFF}", "\u{10FFFF}"]
        var s = String.UnicodeScalarView()
        for _ in 0..<rng.int(0...12) { s.append(pool[rng.int(0...(pool.count - 1))]) }
        return String(s)
    }

    private func randomNumber(_ rng: inout SeededGenerator) -> JSONNumber {
        switch rng.int(0...5) {
        case 0: return JSONNumber(Int64(bitPattern: rng.next()))
        case 1: return JSONNumber(Int64(rng.int(-1000...1000)))
        case 2: return JSONNumber(literal: "\(rng.int(-99999...99999)).\(String(rng.int(0...9999)))0")!
        case 3: return JSONNumber(literal: "\(rng.int(1...9))e\(rng.int(-400...400))")!
        case 4: return JSONNumber(literal: "1234567890123456789012345678901234567890")!
        default: return JSONNumber(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))!
        }
    }

    private func randomValue(_ rng: inout SeededGenerator, depth: Int) -> JSONValue {
        let kind = depth <= 0 ? rng.int(0...3) : rng.int(0...5)
        switch kind {
        case 0: return .null
        case 1: return .bool(rng.chance(50))
        case 2: return .number(randomNumber(&rng))
        case 3: return .string(randomString(&rng))
        case 4: return .array((0..<rng.int(0...5)).map { _ in randomValue(&rng, depth: depth - 1) })
        default:
            return .object(JSONObject((0..<rng.int(0...5)).map { _ in
                JSONMember(key: randomString(&rng), value: randomValue(&rng, depth: depth - 1))
            }))
        }
    }

    func testParseWriteParseIsIdentityOnGeneratedDocuments() throws {
        var rng = SeededGenerator(seed: 0xA7E5A)
        for _ in 0..<400 {
            let value = randomValue(&rng, depth: 5)
            let written = value.jsonBytes()
            let parsed = try JSONParser.parse(written)
            XCTAssertEqual(parsed, value, value.jsonString())
            XCTAssertEqual(parsed.jsonBytes(), written, "writing is deterministic")
            let spaced = JSONTestSupport.sprinkleWhitespace(written, rng: &rng)
            XCTAssertEqual(try JSONParser.parse(spaced), value)
            XCTAssertNoThrow(try JSONParser.validate(spaced))
        }
    }

    func testSortedKeyOutputIsIndependentOfMemberOrder() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<100 {
            guard case .object(let object) = randomValue(&rng, depth: 3) else { continue }
            let reversed = JSONValue.object(JSONObject(object.members.reversed()))
            let sortedForward = JSONValue.object(object).jsonBytes(options: .init(sortedKeys: true))
            let sortedReversed = reversed.jsonBytes(options: .init(sortedKeys: true))
            if Set(object.keys.map { Array($0.utf8) }).count == object.count {
                XCTAssertEqual(sortedForward, sortedReversed)
            }
            let keys = try XCTUnwrap(try JSONParser.parse(sortedForward).object).keys.map { Array($0.utf8) }
            XCTAssertEqual(keys, keys.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    private func nested(_ depth: Int) -> JSONValue {
        var value: JSONValue = [1, "x"]
        for i in 1..<depth { value = i % 2 == 0 ? .array([value]) : .object(["k": value]) }
        return value
    }

    func testNestingExactlyAtTheDepthLimitRoundTrips() throws {
        for limit in [1, 2, 17, 512] {
            let options = JSONParserOptions(maxDepth: limit)
            let bytes = nested(limit).jsonBytes()
            XCTAssertEqual(try JSONParser.parse(bytes, options: options), nested(limit))
            XCTAssertNoThrow(try JSONParser.validate(bytes, options: options))
        }
    }

    func testNestingOnePastTheDepthLimitIsRejectedInEveryMode() throws {
        for limit in [1, 2, 17, 512] {
            let options = JSONParserOptions(maxDepth: limit)
            let bytes = nested(limit + 1).jsonBytes()
            XCTAssertEqual(parseError(bytes, options: options)?.kind, .depthLimitExceeded)
            XCTAssertThrowsError(try JSONParser.validate(bytes, options: options)) {
                XCTAssertEqual(($0 as? JSONError)?.kind, .depthLimitExceeded)
            }
            XCTAssertThrowsError(try JSONParser.values(at: [try JSONPointer("/x")], in: bytes, options: options))
            var scanner = JSONRecordScanner(bytes: Array("[\(String(decoding: bytes, as: UTF8.self))]".utf8),
                                            fields: try .init(dotted: ["k"]), options: .init(maxDepth: limit + 1))
            XCTAssertThrowsError(try scanner.allRecords()) { XCTAssertEqual(($0 as? JSONError)?.kind, .depthLimitExceeded) }
        }
    }

    func testScalarsAtTopLevelRoundTrip() throws {
        for text in ["null", "true", "false", "0", "-0", "-12.50e+3", "\"x\"", " 7 "] {
            let value = try JSONParser.parse(text)
            XCTAssertEqual(value.jsonString(), text.trimmingCharacters(in: .whitespaces))
        }
    }
}
