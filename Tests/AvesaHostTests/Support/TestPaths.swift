import Foundation

/// Where tests find the repository and the built plugins.
enum TestPaths {
    /// The repository root (three levels above this file).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The ABI header's folder, for compiling C plugins.
    static let abiIncludeDirectory = repositoryRoot + "/Sources/PluginABI/include"

    /// The folder holding the built first-party plugins: `AVESA_TEST_PLUGINS`, else the
    /// folder of the test binary (SwiftPM puts the `.so` products next to it).
    static let builtPluginsDirectory: String = {
        if let override = ProcessInfo.processInfo.environment["AVESA_TEST_PLUGINS"] { return override }
        var url = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        url.deleteLastPathComponent()
        // The XCTest bundle binary sits in <bin>/AvesaPackageTests.xctest on Linux.
        while !url.path.isEmpty, url.path != "/",
              !FileManager.default.fileExists(atPath: url.appendingPathComponent("libConnectWise.so").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// A new empty temporary directory, removed by the caller's `addTeardownBlock`.
    static func makeTemporaryDirectory(_ label: String = "avesa-test") -> String {
        let path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
