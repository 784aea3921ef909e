import Foundation

/// Parses RFC 8288 `Link` headers: several comma-separated links, each
/// `<uri>; rel="next"; title="a, b"` with quoted or bare parameters, possibly several
/// relation types in one `rel`.
public enum LinkHeader {
    /// One link and its parameters (names lower-cased).
    public struct Link: Sendable, Equatable {
        public let target: String
        public let parameters: [String: String]

        /// The relation types of `rel`, lower-cased.
        public var relations: [String] {
            (parameters["rel"] ?? "").lowercased().split(separator: " ").map(String.init)
        }
    }

    /// Every link in the header values `values` (a response may repeat the header).
    public static func parse(_ values: [String]) -> [Link] {
        values.flatMap(parseOne)
    }

    /// The target of the first link with relation `relation` (e.g. "next").
    public static func target(relation: String, in values: [String]) -> String? {
        parse(values).first { $0.relations.contains(relation.lowercased()) }?.target
    }

    private static func parseOne(_ value: String) -> [Link] {
        var links: [Link] = []
        var scalars = Substring(value)
        while let open = scalars.firstIndex(of: "<") {
            guard let close = scalars[open...].firstIndex(of: ">") else { break }
            let target = String(scalars[scalars.index(after: open)..<close])
            var rest = scalars[scalars.index(after: close)...]
            var parameters: [String: String] = [:]
            while true {
                rest = rest.drop { $0 == " " || $0 == "\t" }
                guard rest.first == ";" else { break }
                rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
                let name = rest.prefix { $0 != "=" && $0 != ";" && $0 != "," && $0 != " " }
                rest = rest[name.endIndex...].drop { $0 == " " }
                var parameterValue = ""
                if rest.first == "=" {
                    rest = rest.dropFirst().drop { $0 == " " }
                    if rest.first == "\"" {
                        var text = ""
                        var index = rest.index(after: rest.startIndex)
                        while index < rest.endIndex, rest[index] != "\"" {
                            if rest[index] == "\\", rest.index(after: index) < rest.endIndex { index = rest.index(after: index) }
                            text.append(rest[index])
                            index = rest.index(after: index)
                        }
                        parameterValue = text
                        rest = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
                    } else {
                        let token = rest.prefix { $0 != ";" && $0 != "," }
                        parameterValue = token.trimmingCharacters(in: .whitespaces)
                        rest = rest[token.endIndex...]
                    }
                }
                let key = name.lowercased()
                if parameters[key] == nil { parameters[key] = parameterValue }
            }
            links.append(Link(target: target, parameters: parameters))
            rest = rest.drop { $0 == " " }
            if rest.first == "," { rest = rest.dropFirst() }
            scalars = rest
        }
        return links
    }
}
