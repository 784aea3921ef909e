import Foundation

/// The optional configuration file (`--config FILE`, JSON) with defaults for runs:
///
///     { "concurrency": 8, "lookback_seconds": 60, "page_size": 500,
///       "chunk_records": 50000, "max_chunks": 16, "schedule": "15m",
///       "rate_limits": { "connectwise": "10/s,burst=20" },
///       "tenant_rate_limits": { "acme": { "servicenow": "2/s,concurrency=2" } },
///       "key_index_memory_mib": 128, "tenant_concurrency": 16 }
///
/// `key_index_memory_mib` bounds the memory of the SCD2 key indexes of all tenants syncing
/// at once (`KeyIndexBudget`; 128 MiB by default): past it, keys are looked up in SQLite.
/// `tenant_concurrency` is how many tenants are worked at once (twice `concurrency` by
/// default); the others wait their turn in id order.
///
/// Precedence for limits: command line, then tenant entries here, then the tenant's
/// stored override (`service add --rate-limit`), then service entries here, then the
/// plugin's manifest. Unknown keys and malformed values are errors naming the key.
public struct PipelineConfiguration: Sendable, Equatable {
    public var concurrency: Int?
    public var lookbackSeconds: Int64?
    public var pageSize: Int?
    public var chunkRecords: Int?
    public var maxChunks: Int?
    /// Seconds between runs for `run` without `--every`.
    public var scheduleSeconds: Double?
    public var rateLimits: [String: RateLimitOverride] = [:]
    public var tenantRateLimits: [String: [String: RateLimitOverride]] = [:]
    /// MiB all SCD2 key indexes may hold together.
    public var keyIndexMemoryMiB: Int?
    /// Tenants worked at once.
    public var tenantConcurrency: Int?

    public init() {}

    /// Reads and validates `path`.
    public static func load(path: String) throws(MappingFileError) -> PipelineConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MappingFileError(file: path, pointer: "", message: "configuration file cannot be read")
        }
        return try parse([UInt8](data), file: path)
    }

    /// Parses configuration JSON read from `file`.
    public static func parse(_ bytes: [UInt8], file: String) throws(MappingFileError) -> PipelineConfiguration {
        let reader = MappingDocumentReader(file: file)
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw reader.fail("", "not valid JSON: \(error)") }
        try reader.refuseDuplicateKeys(in: document, at: "")
        let root = try reader.object(document, at: "")
        try reader.onlyKeys(root, ["concurrency", "lookback_seconds", "page_size", "chunk_records", "max_chunks", "schedule",
                                   "rate_limits", "tenant_rate_limits", "key_index_memory_mib", "tenant_concurrency"], at: "")
        var config = PipelineConfiguration()
        func positive(_ key: String, max: Int64) throws(MappingFileError) -> Int64? {
            guard let value = root[key] else { return nil }
            guard let number = value.int64, number >= 1, number <= max else {
                throw reader.fail("/" + key, "must be a whole number from 1 to \(max)")
            }
            return number
        }
        config.concurrency = try positive("concurrency", max: 256).map(Int.init)
        config.tenantConcurrency = try positive("tenant_concurrency", max: 4096).map(Int.init)
        if let value = root["lookback_seconds"] {
            guard let number = value.int64, number >= 0, number <= 86_400 * 7 else {
                throw reader.fail("/lookback_seconds", "must be a whole number of seconds from 0 to 604800")
            }
            config.lookbackSeconds = number
        }
        config.pageSize = try positive("page_size", max: 100_000).map(Int.init)
        config.chunkRecords = try positive("chunk_records", max: 100_000_000).map(Int.init)
        config.maxChunks = try positive("max_chunks", max: 1024).map(Int.init)
        config.keyIndexMemoryMiB = try positive("key_index_memory_mib", max: 1 << 20).map(Int.init)
        if let schedule = root["schedule"] {
            guard let text = schedule.string, let seconds = RunSchedule.seconds(text) else {
                throw reader.fail("/schedule", "must be a duration like \"30s\", \"15m\" or \"1h\"")
            }
            config.scheduleSeconds = seconds
        }
        if let limits = root["rate_limits"] {
            config.rateLimits = try rates(limits, at: "/rate_limits", reader: reader)
        }
        if let tenants = root["tenant_rate_limits"] {
            for member in try reader.object(tenants, at: "/tenant_rate_limits") {
                let pointer = reader.child("/tenant_rate_limits", member.key)
                guard TenantID.problem(with: member.key) == nil else { throw reader.fail(pointer, "invalid tenant id \"\(member.key)\"") }
                config.tenantRateLimits[member.key] = try rates(member.value, at: pointer, reader: reader)
            }
        }
        return config
    }

    private static func rates(_ value: JSONValue, at pointer: String, reader: MappingDocumentReader) throws(MappingFileError) -> [String: RateLimitOverride] {
        var result: [String: RateLimitOverride] = [:]
        for member in try reader.object(value, at: pointer) {
            let at = reader.child(pointer, member.key)
            let text = try reader.string(member.value, at: at)
            do { result[member.key] = try RateLimitOverride.parse(text) } catch { throw reader.fail(at, error.description) }
        }
        return result
    }

    /// Applies the file's defaults to `options` (values already set on the command line win).
    public func apply(to options: inout PipelineOptions, commandLineConcurrency: Bool) {
        if let concurrency, !commandLineConcurrency { options.concurrency = concurrency }
        if let lookbackSeconds { options.lookbackSeconds = lookbackSeconds }
        if let pageSize, options.pageSize == nil { options.pageSize = pageSize }
        if let chunkRecords { options.chunkPlanner.targetRecords = chunkRecords }
        if let maxChunks { options.chunkPlanner.maxChunks = maxChunks }
        if let tenantConcurrency { options.tenantConcurrency = tenantConcurrency }
        if let keyIndexMemoryMiB { options.keyIndexBudget = KeyIndexBudget(mebibytes: keyIndexMemoryMiB) }
        options.serviceRateDefaults = rateLimits
        options.tenantRateOverrides = tenantRateLimits
    }
}

/// Durations for schedules: `30s`, `15m`, `1h` or seconds; from 1 second to 7 days.
public enum RunSchedule {
    /// The longest interval accepted.
    public static let longest = 7.0 * 86_400

    /// Seconds of `text`, or nil when it is not a plain positive number (with an optional
    /// unit) between 1 second and `longest` (`inf` or `1e300` would stop the scheduler).
    public static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text), unit = 1.0
        if let last = text.last, let scale = units[last] { number = text.dropLast(); unit = scale }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCIIDigit || $0 == "." }), let value = Double(number) else { return nil }
        let seconds = value * unit
        return seconds >= 1 && seconds <= longest ? seconds : nil
    }
}
