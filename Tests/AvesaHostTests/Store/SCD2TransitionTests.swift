import XCTest
@testable import AvesaHost

final class SCD2TransitionTests: XCTestCase {
    private let h1 = RowHash(high: 1, low: 1)
    private let h2 = RowHash(high: 2, low: 2)

    func testDecisionTable() {
        typealias T = SCD2Transition
        let cases: [(String, T.State, T.Event, T.Action)] = [
            ("new key opens a row", .absent, .upsert(hash: h1, at: 10), .insert(validFrom: 10)),
            ("delete of unknown key writes nothing", .absent, .delete(at: 10), .alreadyAbsent),
            ("same hash is unchanged", .current(hash: h1, validFrom: 10), .upsert(hash: h1, at: 20), .unchanged),
            ("same hash older is still unchanged", .current(hash: h1, validFrom: 10), .upsert(hash: h1, at: 5), .unchanged),
            ("newer change closes and opens", .current(hash: h1, validFrom: 10), .upsert(hash: h2, at: 20), .closeAndOpen(at: 20)),
            ("same-time change corrects in place", .current(hash: h1, validFrom: 10), .upsert(hash: h2, at: 10), .correctInPlace),
            ("older change never reopens history", .current(hash: h1, validFrom: 10), .upsert(hash: h2, at: 9), .ignoreOutOfOrder),
            ("delete closes the current row", .current(hash: h1, validFrom: 10), .delete(at: 20), .close(at: 20)),
            ("delete at valid-from closes", .current(hash: h1, validFrom: 10), .delete(at: 10), .close(at: 10)),
            ("delete older than the row is ignored", .current(hash: h1, validFrom: 10), .delete(at: 9), .ignoreOutOfOrder),
            ("reappearance opens a new row", .deleted(closedAt: 20), .upsert(hash: h1, at: 30), .insert(validFrom: 30)),
            ("reappearance at the close time opens", .deleted(closedAt: 20), .upsert(hash: h1, at: 20), .insert(validFrom: 20)),
            ("update older than the delete is ignored", .deleted(closedAt: 20), .upsert(hash: h2, at: 19), .ignoreOutOfOrder),
            ("second delete writes nothing", .deleted(closedAt: 20), .delete(at: 30), .alreadyAbsent),
        ]
        for (name, state, event, expected) in cases {
            XCTAssertEqual(SCD2Transition.decide(state, event), expected, name)
        }
    }

    /// A record older than its key's deletion reopens the key when it was fetched after the
    /// deletion (it is in the source now: a full sync missed it, or it was restored without
    /// a new change time), from the close itself, so a version changed after the close still
    /// replaces it; fetched before, it stays ignored.
    func testARecordFetchedAfterItsDeletionReopensEvenWithAnOlderChangeTime() {
        typealias T = SCD2Transition
        let cases: [(String, T.State, T.Event, Int64?, T.Action)] = [
            ("fetched after the close: reopens from the close", .deleted(closedAt: 20), .upsert(hash: h1, at: 5), 25, .insert(validFrom: 20)),
            ("fetched before the close: ignored", .deleted(closedAt: 20), .upsert(hash: h1, at: 5), 15, .ignoreOutOfOrder),
            ("fetched at the close: ignored", .deleted(closedAt: 20), .upsert(hash: h1, at: 5), 20, .ignoreOutOfOrder),
            ("newer than the close: from its change time", .deleted(closedAt: 20), .upsert(hash: h1, at: 22), 25, .insert(validFrom: 22)),
            ("a current row's older change is still ignored", .current(hash: h1, validFrom: 10), .upsert(hash: h2, at: 5), 25, .ignoreOutOfOrder),
        ]
        for (name, state, event, fetchedAt, expected) in cases {
            XCTAssertEqual(SCD2Transition.decide(state, event, fetchedAt: fetchedAt), expected, name)
        }
    }

    func testApplyMovesTheStateThroughALifecycle() {
        var machine = SCD2Transition(state: .absent)
        XCTAssertEqual(machine.apply(.upsert(hash: h1, at: 10)), .insert(validFrom: 10))
        XCTAssertEqual(machine.state, .current(hash: h1, validFrom: 10))
        XCTAssertEqual(machine.apply(.upsert(hash: h1, at: 15)), .unchanged)
        XCTAssertEqual(machine.apply(.upsert(hash: h2, at: 20)), .closeAndOpen(at: 20))
        XCTAssertEqual(machine.state, .current(hash: h2, validFrom: 20))
        XCTAssertEqual(machine.apply(.upsert(hash: h1, at: 20)), .correctInPlace)
        XCTAssertEqual(machine.state, .current(hash: h1, validFrom: 20))
        XCTAssertEqual(machine.apply(.delete(at: 30)), .close(at: 30))
        XCTAssertEqual(machine.state, .deleted(closedAt: 30))
        XCTAssertEqual(machine.apply(.upsert(hash: h2, at: 25)), .ignoreOutOfOrder)
        XCTAssertEqual(machine.state, .deleted(closedAt: 30))
        XCTAssertEqual(machine.apply(.upsert(hash: h2, at: 40)), .insert(validFrom: 40))
        XCTAssertEqual(machine.state, .current(hash: h2, validFrom: 40))
    }

    func testReplayingAnEventSequenceFromItsEndStateWritesNothing() {
        let events: [SCD2Transition.Event] = [
            .upsert(hash: h1, at: 10), .upsert(hash: h2, at: 20), .delete(at: 30),
        ]
        var machine = SCD2Transition(state: .absent)
        for event in events { _ = machine.apply(event) }
        for event in events {
            let action = machine.apply(event)
            XCTAssertTrue([.ignoreOutOfOrder, .alreadyAbsent, .unchanged].contains(action), "\(event) → \(action)")
        }
    }
}
