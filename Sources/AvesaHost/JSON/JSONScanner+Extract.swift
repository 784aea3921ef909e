extension JSONScanner {
    /// Walks the value at `position` along `plan` from `node`: values at terminal nodes are
    /// parsed into `values`, everything else is validated and skipped. Recursion follows the
    /// plan only (bounded by the longest path); skipped subtrees are iterative.
    mutating func extract(plan: JSONPathPlan, node: Int, depth: Int, into values: inout [JSONValue?]) throws(JSONError) {
        let n = plan.nodes[node]
        if n.terminalCount > 0 {
            let value = try parseValue(depth: depth)
            for i in 0..<n.terminalCount { values[plan.ints[n.terminalStart + i]] = value }
            if n.edgeCount > 0 { Self.fill(plan: plan, node: node, from: value, into: &values) }
            return
        }
        guard n.edgeCount > 0 else { return try skipValue(depth: depth) }
        let open = current
        if open == UInt8(ascii: "{") {
            try checkDepth(depth + 1)
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                position += 1
                return
            }
            var key = try scanKey("expected string key or '}'")
            while true {
                if let child = matchKey(plan: plan, node: n, key: key) {
                    let c = plan.nodes[child]
                    if c.terminalCount == 0 {
                        // A repeated key replaces what an earlier occurrence extracted (last wins).
                        for i in 0..<c.clearCount { values[plan.ints[c.clearStart + i]] = nil }
                    }
                    try extract(plan: plan, node: child, depth: depth + 1, into: &values)
                } else {
                    try skipValue(depth: depth + 1)
                }
                skipWhitespace()
                let c = current
                if c == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    key = try scanKey("expected string key after ','")
                    continue
                }
                guard c == UInt8(ascii: "}") else { throw unexpected("expected ',' or '}' after object member") }
                position += 1
                return
            }
        } else if open == UInt8(ascii: "["), n.hasIndexEdges {
            try checkDepth(depth + 1)
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                position += 1
                return
            }
            var index = 0
            while true {
                if let child = matchIndex(plan: plan, node: n, index: index) {
                    try extract(plan: plan, node: child, depth: depth + 1, into: &values)
                } else {
                    try skipValue(depth: depth + 1)
                }
                skipWhitespace()
                let c = current
                if c == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    index += 1
                    continue
                }
                guard c == UInt8(ascii: "]") else { throw unexpected("expected ',' or ']' after array element") }
                position += 1
                return
            }
        } else {
            try skipValue(depth: depth)
        }
    }

    /// The child node whose edge key equals the scanned key, or `nil`.
    @inline(__always)
    mutating func matchKey(plan: JSONPathPlan, node n: JSONPathPlan.Node, key: (start: Int, end: Int, escaped: Bool)) -> Int? {
        let keyBytes = UnsafePointer(plan.keyBytes.baseAddress!)
        if !key.escaped {
            let length = key.end - key.start
            let first = length > 0 ? base[key.start] : 0
            var e = n.edgeStart
            let stop = e + n.edgeCount
            while e < stop {
                let edge = plan.edges[e]
                if edge.keyLength == length && (length == 0 || keyBytes[edge.keyOffset] == first)
                    && memoryEquals(base + key.start, keyBytes + edge.keyOffset, length)
                {
                    return edge.node
                }
                e += 1
            }
            return nil
        }
        for e in n.edgeStart..<(n.edgeStart + n.edgeCount) {
            let edge = plan.edges[e]
            if keyEquals(key, keyBytes + edge.keyOffset, edge.keyLength) { return edge.node }
        }
        return nil
    }

    @inline(__always)
    func matchIndex(plan: JSONPathPlan, node n: JSONPathPlan.Node, index: Int) -> Int? {
        for e in n.edgeStart..<(n.edgeStart + n.edgeCount) where plan.edges[e].index == index {
            return plan.edges[e].node
        }
        return nil
    }

    /// Sets the values of every path below `node` from an already parsed value (used when a
    /// path and one of its extensions are both requested, e.g. `status` and `status.name`).
    static func fill(plan: JSONPathPlan, node: Int, from value: JSONValue?, into values: inout [JSONValue?]) {
        let n = plan.nodes[node]
        for e in n.edgeStart..<(n.edgeStart + n.edgeCount) {
            let edge = plan.edges[e]
            var sub: JSONValue? = nil
            switch value {
            case .object(let o)?:
                let key = String(decoding: UnsafeBufferPointer(start: plan.keyBytes.baseAddress! + edge.keyOffset, count: edge.keyLength), as: UTF8.self)
                sub = o[key]
            case .array(let a)? where edge.index >= 0:
                sub = edge.index < a.count ? a[edge.index] : nil
            default:
                break
            }
            let c = plan.nodes[edge.node]
            for i in 0..<c.terminalCount { values[plan.ints[c.terminalStart + i]] = sub }
            fill(plan: plan, node: edge.node, from: sub, into: &values)
        }
    }
}
