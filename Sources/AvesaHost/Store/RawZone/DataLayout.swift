import Foundation

/// Where everything lives under the data folder, with every outside name validated
/// before it becomes part of a path:
///
///     <data>/control.sqlite
///     <data>/tenants/<tenant>/warehouse.sqlite
///     <data>/tenants/<tenant>/raw/<service>/<table>/<run>-<chunk>.ndjson
///     <data>/tenants/<tenant>/scratch/   (a run's temporary files, e.g. spilled seen keys)
public struct DataLayout: Sendable {
    /// The data folder.
    public let root: String

    /// A layout rooted at `root`.
    public init(root: String) {
        self.root = root
    }

    /// Tenant ids: `^[a-z0-9][a-z0-9_-]{0,62}$` (the rule `TenantID` enforces).
    public static func isValidTenantID(_ id: String) -> Bool {
        TenantID.problem(with: id) == nil
    }

    /// Service ids: `^[a-z][a-z0-9_]{0,31}$` (the ABI's rule).
    public static func isValidServiceName(_ name: String) -> Bool {
        ManifestRules.isServiceName(name)
    }

    /// The control database.
    public var controlDatabase: String { root + "/control.sqlite" }

    /// A tenant's folder; throws for an invalid id.
    public func tenantDirectory(_ tenant: String) throws(DataLayoutError) -> String {
        guard Self.isValidTenantID(tenant) else { throw DataLayoutError(what: "tenant id", value: tenant) }
        return root + "/tenants/" + tenant
    }

    /// A tenant's warehouse file.
    public func warehouse(_ tenant: String) throws(DataLayoutError) -> String {
        try tenantDirectory(tenant) + "/warehouse.sqlite"
    }

    /// A tenant's folder for temporary files of the run working it: removed as each use
    /// ends, when the run's `TenantStorage` closes, and (a killed run's) when the next run's
    /// storage opens.
    public func scratchDirectory(_ tenant: String) throws(DataLayoutError) -> String {
        try tenantDirectory(tenant) + "/scratch"
    }

    /// The raw folder of one table. Endpoint names such as `service/tickets` become one
    /// path component by percent-encoding everything outside `[A-Za-z0-9_.-]`.
    public func rawDirectory(tenant: String, service: String, table: String) throws(DataLayoutError) -> String {
        guard Self.isValidServiceName(service) else { throw DataLayoutError(what: "service", value: service) }
        guard ManifestRules.isEndpointName(table) else { throw DataLayoutError(what: "table", value: table) }
        return try tenantDirectory(tenant) + "/raw/" + service + "/" + Self.encodeComponent(table)
    }

    /// The table name a raw folder's last component stands for.
    public static func decodeComponent(_ component: String) -> String? {
        URLQuery.decode(Substring(component), plusIsSpace: false)
    }

    static func encodeComponent(_ name: String) -> String {
        var output = ""
        for byte in name.utf8 {
            if isLowerAlnum(byte) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x2D || (byte == 0x2E && !output.isEmpty) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }
}

/// A name from outside that is not acceptable as part of a path.
public struct DataLayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    public let what: String
    public let value: String
    public var description: String {
        what == "tenant id" ? "invalid tenant id \"\(value)\": must match ^[a-z0-9][a-z0-9_-]{0,62}$" : "invalid \(what) \"\(value)\""
    }
}
