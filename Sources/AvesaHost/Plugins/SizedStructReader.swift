import Glibc

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
    ///   - minimumSize: the struct's size in the oldest supported ABI (1.0).
    static func read<T>(_ pointer: UnsafeRawPointer?, as type: T.Type, field: String,
                        minimumSize: Int = MemoryLayout<T>.size) throws -> T {
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
