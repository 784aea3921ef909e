import Glibc
import PluginABI

/// Reads the ABI's size-prefixed structs safely across versions: copies
/// `min(struct_size, host size)` bytes into zeroed memory, so fields a plugin's older
/// header did not have read as zero/NULL, and refuses structs larger than the host
/// knows or smaller than the oldest supported layout.
enum SizedStructReader {
    /// Reads the struct at `pointer`, whose first field is its `uint32_t struct_size`.
    ///
    /// - Parameters:
    ///   - pointer: plugin memory; nil is reported as a missing required struct.
    ///   - field: where in the manifest the struct sits, for error messages.
    ///   - minimumSize: the struct's size in the oldest supported ABI (1.0); by default the
    ///     frozen `abi10Sizes` entry, else (a struct not listed) the host's own size.
    static func read<T>(_ pointer: UnsafeRawPointer?, as type: T.Type, field: String,
                        minimumSize: Int? = nil) throws -> T {
        let minimumSize = minimumSize ?? abi10Sizes[ObjectIdentifier(T.self)] ?? MemoryLayout<T>.size
        guard let pointer else { throw ManifestViolation(field: field, problem: "is NULL") }
        let declared = Int(pointer.loadUnaligned(as: UInt32.self))
        let known = MemoryLayout<T>.size
        guard declared <= known else {
            throw ManifestViolation(field: field, problem: "struct_size \(declared) is larger than this host understands (\(known)); upgrade avesa-host")
        }
        guard declared >= minimumSize else {
            throw ManifestViolation(field: field, problem: "struct_size \(declared) is smaller than the ABI 1.0 layout (\(minimumSize))")
        }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: known, alignment: MemoryLayout<T>.alignment)
        defer { copy.deallocate() }
        memset(copy, 0, known)
        memcpy(copy, pointer, declared)
        return copy.load(as: T.self)
    }

    /// The size-prefixed structs' sizes in ABI 1.0 (LP64: x86-64 and arm64 Linux), frozen.
    /// A later 1.x header appends fields, so the host's own structs grow while a plugin
    /// built against 1.0 still declares these sizes, which must stay accepted (PLUGIN_ABI.md
    /// §1). `SizedStructReaderTests` checks them against the header while it is 1.0.
    static let abi10Sizes: [ObjectIdentifier: Int] = [
        ObjectIdentifier(avesa_plugin.self): 184, ObjectIdentifier(avesa_credential_field.self): 48,
        ObjectIdentifier(avesa_name_value.self): 24, ObjectIdentifier(avesa_auth.self): 152,
        ObjectIdentifier(avesa_rate_limit.self): 112, ObjectIdentifier(avesa_pagination.self): 120,
        ObjectIdentifier(avesa_endpoint.self): 168, ObjectIdentifier(avesa_http_request.self): 48,
        ObjectIdentifier(avesa_http_response.self): 40, ObjectIdentifier(avesa_page.self): 40,
        ObjectIdentifier(avesa_chunk_plan.self): 16, ObjectIdentifier(avesa_hooks.self): 120,
    ]

    /// Reads an array of `count` pointers to sized structs (the ABI's growable array shape).
    static func readArray<T>(_ base: UnsafePointer<UnsafePointer<T>?>?, count: UInt32, as type: T.Type,
                             field: String) throws -> [T] {
        guard count > 0 else { return [] }
        guard let base else { throw ManifestViolation(field: field, problem: "is NULL but its count is \(count)") }
        return try (0..<Int(count)).map { index in
            try read(UnsafeRawPointer(base[index]), as: T.self, field: "\(field)[\(index)]")
        }
    }
}
