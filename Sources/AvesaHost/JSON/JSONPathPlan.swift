/// A compiled trie of member-name (and, for pointers, array-index) paths, flattened into
/// plain buffers so the extractor matches keys with no ARC traffic or bounds checks.
///
/// Invariant: the buffers are written once in `init` and never mutated afterwards, which is
/// why sharing the instance across threads is safe (`@unchecked Sendable`).
final class JSONPathPlan: @unchecked Sendable {
    struct Node {
        var edgeStart: Int
        var edgeCount: Int
        var terminalStart: Int  // path indices that end at this node
        var terminalCount: Int
        var clearStart: Int  // path indices ending strictly below this node
        var clearCount: Int
        var hasIndexEdges: Bool
    }

    struct Edge {
        var keyOffset: Int
        var keyLength: Int
        var index: Int  // array index this token denotes, or -1
        var node: Int
    }

    let nodes: UnsafeMutableBufferPointer<Node>
    let edges: UnsafeMutableBufferPointer<Edge>
    let keyBytes: UnsafeMutableBufferPointer<UInt8>
    let ints: UnsafeMutableBufferPointer<Int>  // terminal and clear lists
    let pathCount: Int

    /// Compiles token paths; `indices` lets tokens that look like `0`, `12` also match array positions.
    init(paths: [[String]], indices: Bool) {
        var children: [[(key: [UInt8], node: Int)]] = [[]]
        var terminals: [[Int]] = [[]]
        for (pathIndex, tokens) in paths.enumerated() {
            var node = 0
            for token in tokens {
                let key = Array(token.utf8)
                if let existing = children[node].first(where: { $0.key == key }) {
                    node = existing.node
                } else {
                    children.append([])
                    terminals.append([])
                    children[node].append((key, children.count - 1))
                    node = children.count - 1
                }
            }
            terminals[node].append(pathIndex)
        }
        // Subtree terminal lists, children always have larger indices than parents.
        var below = [[Int]](repeating: [], count: children.count)
        for node in stride(from: children.count - 1, through: 0, by: -1) {
            for child in children[node] {
                below[node] += terminals[child.node] + below[child.node]
            }
        }
        let edgeTotal = children.reduce(0) { $0 + $1.count }
        let keyTotal = children.reduce(0) { $0 + $1.reduce(0) { $0 + $1.key.count } }
        let intTotal = terminals.reduce(0) { $0 + $1.count } + below.reduce(0) { $0 + $1.count }
        nodes = .allocate(capacity: children.count)
        edges = .allocate(capacity: max(edgeTotal, 1))
        keyBytes = .allocate(capacity: max(keyTotal, 1))
        ints = .allocate(capacity: max(intTotal, 1))
        pathCount = paths.count
        var e = 0, k = 0, i = 0
        for node in children.indices {
            var n = Node(edgeStart: e, edgeCount: children[node].count, terminalStart: i, terminalCount: terminals[node].count,
                         clearStart: 0, clearCount: below[node].count, hasIndexEdges: false)
            for t in terminals[node] { ints[i] = t; i += 1 }
            n.clearStart = i
            for t in below[node] { ints[i] = t; i += 1 }
            for child in children[node] {
                let index = indices ? JSONPointer.arrayIndex(String(decoding: child.key, as: UTF8.self)) ?? -1 : -1
                if index >= 0 { n.hasIndexEdges = true }
                edges[e] = Edge(keyOffset: k, keyLength: child.key.count, index: index, node: child.node)
                for b in child.key { keyBytes[k] = b; k += 1 }
                e += 1
            }
            nodes[node] = n
        }
    }

    /// A plan for JSON pointers (tokens may address array elements).
    convenience init(pointers: [JSONPointer]) {
        self.init(paths: pointers.map(\.tokens), indices: true)
    }

    deinit {
        nodes.deallocate()
        edges.deallocate()
        keyBytes.deallocate()
        ints.deallocate()
    }
}
