/// A `ValueExpression` compiled against a slot table: paths became indexes into the
/// values the record scanner extracted.
indirect enum CompiledExpression: Sendable {
    case slot(Int)
    case firstOf([Int])
    case firstOfExpressions([CompiledExpression])
    case constant(JSONValue)
    case concat([CompiledExpression], separator: String)
    case modified(CompiledExpression, [ValueModifier])
    case guarded(CompiledExpression, slot: Int, accepted: Set<String>)

    /// The expression's value for one record (`values` in slot order); nil when absent.
    func evaluate(_ values: [JSONValue?], service: String) -> JSONValue? {
        switch self {
        case .slot(let index):
            return values[index]
        case .firstOf(let indexes):
            // Empty strings are missing values (ServiceNow sends "" for every empty field).
            for index in indexes { if let value = values[index], Self.isPresent(value) { return value } }
            return nil
        case .firstOfExpressions(let candidates):
            for candidate in candidates {
                if let value = candidate.evaluate(values, service: service), Self.isPresent(value) { return value }
            }
            return nil
        case .constant(let value):
            return value
        case .concat(let parts, let separator):
            let texts = parts.compactMap { $0.evaluate(values, service: service).flatMap(MappingPlan.text(of:)) }.filter { !$0.isEmpty }
            return texts.isEmpty ? nil : .string(texts.joined(separator: separator))
        case .modified(let base, let modifiers):
            var value = base.evaluate(values, service: service)
            for modifier in modifiers { value = Self.apply(modifier, to: value, service: service) }
            return value
        case .guarded(let base, let slot, let accepted):
            guard let condition = values[slot].flatMap(MappingPlan.text(of:)), accepted.contains(condition) else { return nil }
            return base.evaluate(values, service: service)
        }
    }

    /// Whether `first_of` takes `value`: not null and not "".
    private static func isPresent(_ value: JSONValue) -> Bool {
        !value.isNull && value.string != ""
    }

    private static func apply(_ modifier: ValueModifier, to value: JSONValue?, service: String) -> JSONValue? {
        guard let value, !value.isNull else { return modifier.appliesToNull ? nullResult(modifier) : nil }
        switch modifier {
        case .arrayElement(let key, let equals, let take):
            guard let elements = value.array else { return nil }
            let match = elements.first { element in
                guard let key else { return true }
                return element[key]?.string == equals
            }
            return take.flatMap { match?[$0] } ?? (take == nil ? match : nil)
        case .valueMap(let table, let unmapped):
            if let text = MappingPlan.text(of: value), let mapped = table[text] { return .string(mapped) }
            switch unmapped {
            case .keep: return value
            case .replace(let fallback): return .string(fallback)
            case .drop: return nil
            }
        case .scopeID:
            return MappingPlan.text(of: value).map { $0.isEmpty ? .null : .string(service + ":" + $0) }
        case .lowercase:
            return value.string.map { .string($0.lowercased()) } ?? value
        case .uppercase:
            return value.string.map { .string($0.uppercased()) } ?? value
        case .trim:
            return value.string.map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? value
        case .durationToHours:
            let seconds: Double?
            if let text = value.string {
                seconds = text.isEmpty ? nil : TimestampParser.microseconds(text).map { Double($0) / 1e6 }
            } else {
                seconds = value.double
            }
            guard let seconds else { return value.string?.isEmpty == true ? nil : value }
            // Out of range (or not finite): left as it was, so the conversion names it.
            guard let hours = DecimalText.format(seconds / 3600, places: 4) else { return value }
            return JSONNumber(literal: hours).map(JSONValue.number)
        case .unixSeconds, .unixMillis:
            guard let number = value.double ?? value.string.flatMap(Double.init) else { return value }
            // Beyond year ±9999 (or not finite) there is no timestamp: left as it was, so the
            // conversion names it, where Int64(_:) would stop the process.
            let micros = (number * (modifier == .unixSeconds ? 1e6 : 1e3)).rounded()
            guard micros.isFinite, abs(micros) < 253_402_300_800e6 else { return value }
            return .string(TimestampParser.iso8601(Int64(micros)))
        }
    }

    private static func nullResult(_ modifier: ValueModifier) -> JSONValue? {
        if case .valueMap(_, .replace(let fallback)) = modifier { return .string(fallback) }
        return nil
    }
}

extension ValueModifier {
    /// Whether the modifier gives a value for a missing input (a map's text default does).
    var appliesToNull: Bool {
        if case .valueMap(_, .replace) = self { return true }
        return false
    }
}

/// Collects the distinct paths expressions read and assigns each a slot.
struct ExpressionCompiler {
    private(set) var paths: [String] = []
    private var slots: [String: Int] = [:]

    mutating func slot(for path: String) -> Int {
        if let slot = slots[path] { return slot }
        paths.append(path)
        slots[path] = paths.count - 1
        return paths.count - 1
    }

    mutating func compile(_ expression: ValueExpression) -> CompiledExpression {
        switch expression {
        case .path(let path): return .slot(slot(for: path))
        case .firstOf(let candidates):
            // Paths only (the usual case): read the slots directly.
            let paths = candidates.compactMap { candidate -> String? in
                if case .path(let path) = candidate { return path }
                return nil
            }
            if paths.count == candidates.count { return .firstOf(paths.map { slot(for: $0) }) }
            return .firstOfExpressions(candidates.map { compile($0) })
        case .constant(let constant): return .constant(constant.jsonValue)
        case .concat(let parts, let separator): return .concat(parts.map { compile($0) }, separator: separator)
        case .modified(let base, let modifiers): return .modified(compile(base), modifiers)
        case .guarded(let base, let path, let accepted): return .guarded(compile(base), slot: slot(for: path), accepted: Set(accepted))
        }
    }
}
