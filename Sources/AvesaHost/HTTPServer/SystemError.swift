#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: the function and its errno.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The C function that failed, e.g. `bind`.
    public let function: String
    /// The errno value.
    public let code: Int32

    /// Creates an error.
    public init(function: String, code: Int32) {
        self.function = function
        self.code = code
    }

    /// The strerror text for `code`.
    public var reason: String { String(cString: strerror(code)) }

    /// `"<function>: <reason> (errno N)"`.
    public var description: String { "\(function): \(reason) (errno \(code))" }

    /// Whether this is EAGAIN/EWOULDBLOCK.
    var isWouldBlock: Bool { code == EAGAIN || code == EWOULDBLOCK }
}

/// The single place where syscalls are made from Swift: retries EINTR, maps -1 to `SystemError`.
enum Syscall {
    /// Calls `body` until it does not fail with EINTR; throws for any other failure.
    @inline(__always)
    static func call<T: FixedWidthInteger>(_ function: StaticString, _ body: () -> T) throws(SystemError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let e = errno
            if e == EINTR { continue }
            throw SystemError(function: "\(function)", code: e)
        }
    }

    /// Like `call`, but returns nil for EAGAIN/EWOULDBLOCK (non-blocking descriptors).
    @inline(__always)
    static func nonBlocking<T: FixedWidthInteger>(_ function: StaticString, _ body: () -> T) throws(SystemError) -> T? {
        while true {
            let result = body()
            if result != -1 { return result }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return nil }
            throw SystemError(function: "\(function)", code: e)
        }
    }

    /// Closes a descriptor, ignoring errors (EINTR after close must not be retried on Linux).
    static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
