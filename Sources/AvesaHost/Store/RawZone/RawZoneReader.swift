import Foundation

/// Reads a tenant's raw zone back: the tables present, and each table's records in the
/// order they were fetched (files in run, then chunk order; lines in file order), in
/// batches scanned with a field plan.
public struct RawZoneReader: Sendable {
    /// One raw file and the run that wrote it.
    public struct RawFile: Sendable, Equatable {
        public let path: String
        public let run: RunID
        /// Whether it holds the rows a full sync closed (`RawZoneCloses`), not fetched records.
        public var holdsCloses: Bool { RawZoneCloses.holdsCloses(path) }
    }

    let layout: DataLayout
    let tenant: String

    /// A reader for `tenant`'s raw zone.
    public init(layout: DataLayout, tenant: String) {
        self.layout = layout
        self.tenant = tenant
    }

    /// The (service, table) pairs that have raw files.
    public func tables() throws -> [(service: String, table: String)] {
        let root = try layout.tenantDirectory(tenant) + "/raw"
        let fm = FileManager.default
        var result: [(String, String)] = []
        for service in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() where DataLayout.isValidServiceName(service) {
            for folder in ((try? fm.contentsOfDirectory(atPath: root + "/" + service)) ?? []).sorted() {
                if let table = DataLayout.decodeComponent(folder) { result.append((service, table)) }
            }
        }
        return result
    }

    /// A table's raw files in replay order: by run, then by chunk number (compared as a
    /// number: past 999,999 the six digits grow to seven, which sort wrongly as text), the
    /// run's closes last.
    public func files(service: String, table: String) throws -> [RawFile] {
        let directory = try layout.rawDirectory(tenant: tenant, service: service, table: table)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let keyed = names.filter { $0.hasSuffix(".ndjson") }.compactMap { name -> (run: String, chunk: Int64, name: String)? in
            guard RunID(String(name.prefix(24))) != nil else { return nil }
            let rest = name.dropFirst(25).dropLast(7)  // after "<run>-", before ".ndjson"
            return (String(name.prefix(24)), Int64(rest) ?? Int64.max, name)  // closes: last of its run
        }
        return keyed.sorted { ($0.run, $0.chunk, $0.name) < ($1.run, $1.chunk, $1.name) }.compactMap { entry in
            RunID(entry.run).map { RawFile(path: directory + "/" + entry.name, run: $0) }
        }
    }

    /// The closes of a `holdsCloses` file, in order, decoded for a key of `keyTypes`.
    /// - Throws: `RawZoneError` naming the file and line of a line that is not a close.
    public func closes(in file: RawFile, keyTypes: [CanonicalType]) throws -> [(key: [CanonicalValue], at: Int64)] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RawZoneError(path: file.path, operation: "read", code: ENOENT)
        }
        var result: [(key: [CanonicalValue], at: Int64)] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let value = try? JSONParser.parse(Array(line)), let close = RawZoneCloses.decode(value, keyTypes: keyTypes) else {
                throw RawZoneError(path: file.path + ":\(number + 1)", operation: "read a close", code: EINVAL)
            }
            result.append(close)
        }
        return result
    }

    /// Calls `body` with batches of up to `batchSize` records of `file`, scanned with `fields`.
    public func forEachBatch(in file: RawFile, fields: JSONFieldPlan, batchSize: Int = 1000,
                             _ body: ([JSONRecord], [UInt8]) throws -> Void) throws {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RawZoneError(path: file.path, operation: "read", code: ENOENT)
        }
        let bytes = [UInt8](data)
        var batch: [UInt8] = [UInt8(ascii: "[")]
        var count = 0
        func emit() throws {
            guard count > 0 else { return }
            batch.append(UInt8(ascii: "]"))
            var scanner = JSONRecordScanner(bytes: batch, recordsAt: JSONPointer(tokens: []), fields: fields)
            try body(try scanner.allRecords(), batch)
            batch = [UInt8(ascii: "[")]
            count = 0
        }
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            if index > start {
                if count > 0 { batch.append(UInt8(ascii: ",")) }
                batch.append(contentsOf: bytes[start..<index])
                count += 1
                if count == batchSize { try emit() }
            }
            start = index + 1
        }
        try emit()
    }
}
