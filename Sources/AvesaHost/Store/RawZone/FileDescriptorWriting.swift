import Glibc

/// Writing a whole buffer to a file descriptor, for the raw zone and scratch files.
enum FileDescriptorWriting {
    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and `EINTR`.
    /// - Returns: 0, or the `errno` of the write that failed.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }
}
