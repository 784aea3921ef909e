/// A bounded first-in-first-out hand-off between one producer task and one consumer task:
/// a chunk's fetch side (fetch, map, raw zone) and its commit side (merge, checkpoint), so
/// the next pages are fetched while earlier ones merge.
///
/// - `put` waits while `capacity` elements are waiting, so memory stays bounded.
/// - `take` returns every waiting element (at most `limit`), so the consumer can commit
///   several pages in one transaction when it fell behind.
/// - `finish` ends production; the consumer still receives every element put before it,
///   then the failure (if any).
/// - `stopProducing` asks the producer to fetch nothing more (it checks `wantsMore`)
///   while the consumer still takes what was already produced.
/// - `close` ends the hand-off from either side: a waiting or later `put` returns `false`
///   and a waiting or later `take` returns nothing.
///
/// One producer and one consumer only: each side has at most one waiter.
actor PageHandoff<Element: Sendable> {
    private let capacity: Int
    private var waiting: [Element] = []
    private var finished = false
    private var failure: (any Error)?
    private var closed = false
    private var stopRequested = false
    private var producerWaiter: CheckedContinuation<Void, Never>?
    private var consumerWaiter: CheckedContinuation<Void, Never>?

    /// A hand-off holding at most `capacity` (at least 1) waiting elements.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands over `element`, waiting for room first.
    /// - Returns: false when the consumer closed the hand-off (the element is dropped:
    ///   the producer should stop).
    func put(_ element: Element) async -> Bool {
        while waiting.count >= capacity && !closed {
            await withCheckedContinuation { producerWaiter = $0 }
        }
        if closed { return false }
        waiting.append(element)
        wakeConsumer()
        return true
    }

    /// Ends production; `error` (if any) reaches the consumer after the waiting elements.
    func finish(throwing error: (any Error)? = nil) {
        finished = true
        failure = error
        wakeConsumer()
    }

    /// The waiting elements, oldest first and at most `limit`, waiting until there is one.
    /// - Returns: an empty array once production finished and everything was taken, or
    ///   once the hand-off is closed.
    /// - Throws: the producer's failure, after every element put before it was taken.
    func take(limit: Int) async throws -> [Element] {
        while waiting.isEmpty && !finished && !closed {
            await withCheckedContinuation { consumerWaiter = $0 }
        }
        if closed { return [] }
        if waiting.isEmpty {
            if let failure { throw failure }
            return []
        }
        let count = min(max(1, limit), waiting.count)
        let taken = Array(waiting.prefix(count))
        waiting.removeFirst(count)
        wakeProducer()
        return taken
    }

    /// Whether the producer should produce another element.
    var wantsMore: Bool { !stopRequested && !closed }

    /// Asks the producer to stop after the element it is producing; what it already
    /// produced (and that one) still reaches the consumer.
    func stopProducing() {
        stopRequested = true
    }

    /// Ends the hand-off: pending and later `put`s return false, pending and later `take`s
    /// return nothing, and what was waiting is dropped.
    func close() {
        closed = true
        waiting.removeAll()
        wakeProducer()
        wakeConsumer()
    }

    private func wakeConsumer() {
        consumerWaiter?.resume()
        consumerWaiter = nil
    }

    private func wakeProducer() {
        producerWaiter?.resume()
        producerWaiter = nil
    }
}
