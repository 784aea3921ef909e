import Foundation
import Glibc

/// Scoped C strings for host memory handed to a hook: every string is copied with
/// `strdup` and released together by `releaseAll()`, after the hook returned (host
/// memory is valid only during the call). Thread-safe: a hook may look up a credential
/// from another of its threads during the call.
final class CStringArena: @unchecked Sendable {
    private let lock = NSLock()
    private var pointers: [UnsafeMutablePointer<CChar>] = []  // under lock

    /// A NUL-terminated copy of `text` (nil stays nil), valid until `releaseAll()`.
    func copy(_ text: String?) -> UnsafePointer<CChar>? {
        guard let text, let pointer = strdup(text) else { return nil }
        lock.withLock { pointers.append(pointer) }
        return UnsafePointer(pointer)
    }

    /// Frees every string handed out.
    func releaseAll() {
        lock.withLock {
            pointers.forEach { free($0) }
            pointers.removeAll()
        }
    }
}
