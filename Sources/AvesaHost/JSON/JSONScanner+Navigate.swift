extension JSONScanner {
    /// A container passed through on the way to the records array.
    struct EnclosingLevel: Sendable {
        var isObject: Bool
        /// The page-field plan node for this container, or -1 when no page pointer goes through it.
        var pageNode: Int
        /// For arrays: the index of the element on the records path.
        var index: Int
    }

    /// Moves from the root to just inside the array at `pointer`, skipping other members but
    /// extracting those `page` asks for. Records the containers passed through in `levels`.
    mutating func navigate(to plan: JSONPathPlan, pointer: JSONPointer, page: JSONPathPlan,
                           levels: inout [EnclosingLevel], pageValues: inout [JSONValue?]) throws(JSONError) {
        var node = 0
        var pageNode = 0
        while plan.nodes[node].edgeCount > 0 {
            let depth = levels.count
            let open = current
            guard open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else {
                if position >= count { throw unexpected("expected a value") }
                throw error(.typeMismatch, "expected an object or array on the way to records at '\(pointer)'", at: position)
            }
            let isObject = open == UInt8(ascii: "{")
            try checkDepth(depth + 1)
            position += 1
            skipWhitespace()
            var found: Int? = nil
            var pageChild: Int? = nil
            var index = 0
            if current != (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                while true {
                    if isObject {
                        let key = try scanKey(index == 0 ? "expected string key or '}'" : "expected string key after ','")
                        found = matchKey(plan: plan, node: plan.nodes[node], key: key)
                        pageChild = pageNode < 0 ? nil : matchKey(plan: page, node: page.nodes[pageNode], key: key)
                    } else {
                        found = matchIndex(plan: plan, node: plan.nodes[node], index: index)
                        pageChild = pageNode < 0 ? nil : matchIndex(plan: page, node: page.nodes[pageNode], index: index)
                    }
                    if found != nil { break }
                    try extractOrSkip(page: page, node: pageChild, depth: depth + 1, into: &pageValues)
                    skipWhitespace()
                    guard current == UInt8(ascii: ",") else { break }
                    position += 1
                    skipWhitespace()
                    index += 1
                }
            }
            guard let child = found else {
                skipWhitespace()
                if current != (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    throw unexpected(isObject ? "expected ',' or '}' after object member" : "expected ',' or ']' after array element")
                }
                throw error(.pathNotFound, "no value at '\(pointer)'", at: position)
            }
            levels.append(EnclosingLevel(isObject: isObject, pageNode: pageNode, index: index))
            node = child
            pageNode = pageChild ?? -1
        }
        guard current == UInt8(ascii: "[") else {
            if position >= count { throw unexpected("expected a value") }
            throw error(.typeMismatch, "expected an array of records at '\(pointer)'", at: position)
        }
        try checkDepth(levels.count + 1)
        position += 1
    }

    /// After the records array: reads the rest of each enclosing container (extracting page
    /// fields, validating everything) and checks the end of input.
    mutating func finish(levels: [EnclosingLevel], page: JSONPathPlan, pageValues: inout [JSONValue?]) throws(JSONError) {
        var level = levels.count - 1
        while level >= 0 {
            let l = levels[level]
            var index = l.index
            while true {
                skipWhitespace()
                let c = current
                if c == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    var pageChild: Int? = nil
                    if l.isObject {
                        let key = try scanKey("expected string key after ','")
                        if l.pageNode >= 0 { pageChild = matchKey(plan: page, node: page.nodes[l.pageNode], key: key) }
                    } else {
                        index += 1
                        if l.pageNode >= 0 { pageChild = matchIndex(plan: page, node: page.nodes[l.pageNode], index: index) }
                    }
                    try extractOrSkip(page: page, node: pageChild, depth: level + 1, into: &pageValues)
                    continue
                }
                if l.isObject {
                    guard c == UInt8(ascii: "}") else { throw unexpected("expected ',' or '}' after object member") }
                } else {
                    guard c == UInt8(ascii: "]") else { throw unexpected("expected ',' or ']' after array element") }
                }
                position += 1
                break
            }
            level -= 1
        }
        try expectEndOfDocument()
    }

    @inline(__always)
    private mutating func extractOrSkip(page: JSONPathPlan, node: Int?, depth: Int, into values: inout [JSONValue?]) throws(JSONError) {
        if let node {
            let n = page.nodes[node]
            if n.terminalCount == 0 {
                // A repeated key replaces what an earlier occurrence extracted (last wins).
                for i in 0..<n.clearCount { values[page.ints[n.clearStart + i]] = nil }
            }
            try extract(plan: page, node: node, depth: depth, into: &values)
        } else {
            try skipValue(depth: depth)
        }
    }
}
