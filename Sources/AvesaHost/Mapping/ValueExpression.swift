/// How one canonical column gets its value from a source record, as declared in a
/// service mapping file. Parsed and validated once; compiled into a `MappingPlan`.
public indirect enum ValueExpression: Sendable, Equatable {
    /// The value at a dotted path (`status.name`).
    case path(String)
    /// The first of several expressions that has a value (not null, not ""). Usually
    /// paths; an expression with a value map whose `default` is null passes its turn for
    /// values its table lacks (`closedFlag` decides where a custom status name is unknown).
    case firstOf([ValueExpression])
    /// A constant (string, number or boolean as text, or null).
    case constant(ConstantValue)
    /// The non-null parts joined with `separator`.
    case concat([ValueExpression], separator: String)
    /// `base`, then the modifiers in order.
    case modified(ValueExpression, [ValueModifier])
    /// `base` only when the value at `path` (as text) is one of `accepted`; else no value.
    case guarded(ValueExpression, path: String, accepted: [String])
}

/// A constant in a mapping file.
public enum ConstantValue: Sendable, Equatable {
    case null
    case string(String)
    case number(String)
    case boolean(Bool)

    /// The constant as the JSON value a record would hold.
    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .string(let text): .string(text)
        case .number(let literal): JSONNumber(literal: literal).map(JSONValue.number) ?? .string(literal)
        case .boolean(let flag): .bool(flag)
        }
    }
}

/// A step applied to an expression's value.
public enum ValueModifier: Sendable, Equatable {
    /// From an array value: the first element (whose `key` equals `value`, when given),
    /// then its member `take` (when given).
    case arrayElement(whereKey: String?, equals: String?, take: String?)
    /// Looks the value up in a table; `unmapped` says what values it lacks become.
    case valueMap([String: String], unmapped: UnmappedValue)
    /// Prefixes the service (`connectwise:` + value): a reference to another canonical row.
    case scopeID
    /// Text transforms.
    case lowercase, uppercase, trim
    /// Reads a ServiceNow duration (`1970-01-01 01:30:00`) or a number of seconds as hours.
    case durationToHours
    /// Reads a number as UNIX seconds or milliseconds (timestamps).
    case unixSeconds, unixMillis
}

/// What a value map gives for a value its table lacks.
public enum UnmappedValue: Sendable, Equatable {
    /// The value itself (no `default` given).
    case keep
    /// This text, also for a missing value (`"default": "open"`).
    case replace(String)
    /// No value (`"default": null`): a `first_of` goes on to its next expression.
    case drop
}
