/// A growable stack that hands out its top elements as an exact-size `Array` by *moving* them
/// (no retain/release per element). Storage is allocated on the first push.
///
/// Invariant: `base[0..<count]` is initialized. The owner must call `destroy()` exactly once
/// (parsers do so in a `defer`, which also covers the error paths).
struct JSONMoveStack<Element> {
    private var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base! + count).initialize(to: element)
        count += 1
    }

    /// Removes the elements from `start` to the top and returns them in order.
    @inline(__always)
    mutating func popArray(from start: Int) -> [Element] {
        let n = count - start
        guard n > 0, let base else { return [] }
        count = start
        return Array(unsafeUninitializedCapacity: n) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: base + start, count: n)
            initialized = n
        }
    }

    private mutating func grow() {
        let newCapacity = max(32, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    /// Deinitializes what is left and frees the storage.
    mutating func destroy() {
        guard let base else { return }
        base.deinitialize(count: count)
        base.deallocate()
        self.base = nil
        count = 0
        capacity = 0
    }
}
