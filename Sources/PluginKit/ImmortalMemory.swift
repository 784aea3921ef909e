import Glibc
import PluginABI

/// Memory for a plugin's manifest: allocated once, never freed. The ABI requires the
/// manifest to live as long as the process (plugins are never unloaded), so every C
/// string and struct the manifest points to is allocated here and intentionally leaked.
enum ImmortalMemory {
    /// Copies `string` into a NUL-terminated C string that is never freed.
    static func string(_ string: String) -> UnsafePointer<CChar> {
        UnsafePointer(strdup(string)!)
    }

    /// Like `string(_:)`, but NULL for nil (the ABI's "absent").
    static func optionalString(_ string: String?) -> UnsafePointer<CChar>? {
        string.map { Self.string($0) }
    }

    /// Moves `value` into heap memory that is never freed and returns its address.
    static func value<T>(_ value: T) -> UnsafePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
        pointer.initialize(to: value)
        return UnsafePointer(pointer)
    }

    /// Stores `values` in an immortal array and returns its base (NULL when empty).
    static func array<T>(_ values: [T]) -> UnsafePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        pointer.initialize(from: values, count: values.count)
        return UnsafePointer(pointer)
    }

    /// Stores each value immortally and returns an immortal array of pointers to them:
    /// the ABI's "array of pointers to sized structs" shape.
    static func pointerArray<T>(_ values: [T]) -> UnsafePointer<UnsafePointer<T>?>? {
        array(values.map { Optional(value($0)) })
    }
}
