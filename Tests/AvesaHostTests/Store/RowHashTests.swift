import XCTest
@testable import AvesaHost

final class RowHashTests: XCTestCase {
    func testCompositeKeysThatConcatenateAlikeHashDifferently() {
        XCTAssertNotEqual(RowHash.ofKey([.string("a"), .string("bc")]), RowHash.ofKey([.string("ab"), .string("c")]))
        XCTAssertNotEqual(RowHash.ofKey([.string(""), .string("x")]), RowHash.ofKey([.string("x"), .string("")]))
        XCTAssertNotEqual(RowHash.ofKey([.string("12345678"), .string("")]), RowHash.ofKey([.string("1234567"), .string("8")]))
    }

    func testTypesAndNullAreDistinguished() {
        let values: [CanonicalValue] = [
            .null, .string(""), .string("1"), .decimal("1"), .integer(1), .timestamp(1), .date(1), .boolean(true),
            .integer(0), .boolean(false),
        ]
        let hashes = Set(values.map { RowHash.ofKey([$0]) })
        XCTAssertEqual(hashes.count, values.count)
    }

    func testHashIsStableAcrossRunsAndVersions() {
        // Pinned: a change to the encoding or mixing would mark every stored row as changed.
        let record = CanonicalRecord(values: [.string("connectwise:1"), .string("Open"), .timestamp(1_700_000_000_000_000)],
                                     sourceService: "connectwise", sourceID: "1")
        XCTAssertEqual(RowHash.of(record).description, RowHash.of(record).description)
        XCTAssertEqual(RowHash.of(record).description, pinned)
    }
    private let pinned = "fcc2dc954c426b13e3cd98b7e2cc61c3"

    func testEveryTrackedColumnAndTheSourceAffectTheHash() {
        let base = CanonicalRecord(values: [.string("k"), .string("Open"), .null], sourceService: "s", sourceID: "1")
        var other = base
        other.values[2] = .timestamp(0)
        XCTAssertNotEqual(RowHash.of(base), RowHash.of(other))
        other = base
        other.sourceID = "2"
        XCTAssertNotEqual(RowHash.of(base), RowHash.of(other))
        other = base
        other.changedAt = 99  // not a tracked column
        XCTAssertEqual(RowHash.of(base), RowHash.of(other))
    }

    func testLongAndUnalignedTextHashesByContent() {
        let long = String(repeating: "abcdefghij", count: 100)
        XCTAssertEqual(RowHash.ofKey([.string(long)]), RowHash.ofKey([.string(String(long))]))
        XCTAssertNotEqual(RowHash.ofKey([.string(long)]), RowHash.ofKey([.string(long + "k")]))
        XCTAssertNotEqual(RowHash.ofKey([.string("abcdefgh\u{0}")]), RowHash.ofKey([.string("abcdefgh")]))
    }

    func testStorageFormRoundTrips() {
        let hash = RowHash(high: 0x0102_0304_0506_0708, low: 0xF0E0_D0C0_B0A0_9080)
        let back = hash.withBytes { RowHash(bytes: $0) }
        XCTAssertEqual(back, hash)
        XCTAssertEqual(hash.description, "0102030405060708f0e0d0c0b0a09080")
    }

    func testDecimalNormalisation() {
        XCTAssertEqual(CanonicalValue.decimal(normalizing: "007.50"), .decimal("7.5"))
        XCTAssertEqual(CanonicalValue.decimal(normalizing: "-0.0"), .decimal("0"))
        XCTAssertEqual(CanonicalValue.decimal(normalizing: "1.00"), .decimal("1"))
        XCTAssertEqual(CanonicalValue.decimal(normalizing: "-12.340"), .decimal("-12.34"))
        XCTAssertNil(CanonicalValue.decimal(normalizing: "+1"))
        XCTAssertNil(CanonicalValue.decimal(normalizing: "1."))
        XCTAssertNil(CanonicalValue.decimal(normalizing: ".5"))
        XCTAssertNil(CanonicalValue.decimal(normalizing: "1e5"))
    }
}
