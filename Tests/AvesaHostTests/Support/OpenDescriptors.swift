import Foundation

/// How many file descriptors this process holds open on `path`, or on files under it when
/// `path` is a folder (read from `/proc/self/fd`).
func openDescriptors(to path: String) -> Int {
    let folder = "/proc/self/fd"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return entries.filter { entry in
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + entry) else { return false }
        return target == path || target.hasPrefix(path + "/")
    }.count
}
