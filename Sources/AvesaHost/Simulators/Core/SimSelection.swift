/// Row positions of a cached selection (`SimInstance.cachedSelection`), ordered so that a
/// condition is false up to some point and true from there on (ids or sys_ids past a key,
/// in key order): keyset pages find where they start by bisection.
extension ArraySlice where Element == Int32 {
    /// The positions from the first one for which `isPast` holds; `isPast` must be false
    /// then true along the slice.
    func fromFirst(where isPast: (Int32) -> Bool) -> ArraySlice<Int32> {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if isPast(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return self[low...]
    }
}
