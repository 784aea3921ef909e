// swift-tools-version:6.2
//
// Avesa: the host runtime (`avesa-host`), its plugin contract, and the four
// first-party connector plugins. Each plugin is a separate `.dynamic` product that
// the host loads with dlopen at run time; the host never links a plugin.
import PackageDescription

/// Flags every Swift target shares: a `const char *` taken from a temporary Swift
/// String is a dangling pointer, so that warning is an error (PLATFORM_NOTES.md).
let strictPointers: [SwiftSetting] = [.treatWarning("TemporaryPointers", as: .error)]

/// Builds one first-party connector plugin: a dynamic library exporting only
/// `avesa_plugin_entry` (the linker version script hides every other symbol).
func connectorPlugin(_ name: String) -> Target {
    .target(
        name: "\(name)Plugin",
        dependencies: ["PluginABI", "PluginKit"],
        path: "Plugins/\(name)",
        swiftSettings: strictPointers,
        linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=Plugins/exports.map"])]
    )
}

let connectors = ["ConnectWise", "ServiceNow", "Salesforce", "M365"]

let package = Package(
    name: "Avesa",
    products: [
        .executable(name: "avesa-host", targets: ["AvesaHostMain"]),
    ] + connectors.map { .library(name: $0, type: .dynamic, targets: ["\($0)Plugin"]) },
    targets: [
        // The C contract between host and plugins: one header, no code.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // System libraries, each behind a small module map and typed shims.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        // epoll and eventfd, which Glibc's Swift module does not expose (header only).
        .target(name: "CAvesaHTTP", path: "Sources/CAvesaHTTP"),
        // Helpers for writing a plugin in Swift (immortal C manifests); linked into plugins only.
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit",
                swiftSettings: strictPointers),
        // Everything the host does; the executable is a thin shell around it.
        .target(
            name: "AvesaHost",
            dependencies: ["PluginABI", "CCurl", "CSQLite", "CCrypto", "CAvesaHTTP"],
            path: "Sources/AvesaHost",
            swiftSettings: strictPointers
        ),
        .executableTarget(name: "AvesaHostMain", dependencies: ["AvesaHost"], path: "Sources/avesa-host",
                          swiftSettings: strictPointers),
        // Benchmarks: run with bench/<name>/run.sh (release builds).
        .executableTarget(name: "BenchHTTPEngine", dependencies: ["AvesaHost"], path: "bench/http-engine",
                          exclude: ["run.sh", "baseline.c", "README.md"]),
        .executableTarget(name: "BenchHTTPServer", dependencies: ["AvesaHost"], path: "bench/http-server",
                          exclude: ["run.sh", "README.md"]),
        .executableTarget(name: "BenchJSON", dependencies: ["AvesaHost"], path: "bench/json", exclude: ["run.sh"]),
        .executableTarget(name: "BenchSCD2", dependencies: ["AvesaHost"], path: "bench/scd2", exclude: ["run.sh"]),
        .executableTarget(name: "BenchAPI", dependencies: ["AvesaHost"], path: "bench/api", exclude: ["run.sh", "README.md"]),
        .executableTarget(name: "BenchPipeline", dependencies: ["AvesaHost"], path: "bench/pipeline",
                          exclude: ["run.sh", "README.md"]),
        .testTarget(
            name: "AvesaHostTests",
            dependencies: ["AvesaHost", "PluginABI"],
            path: "Tests/AvesaHostTests"
        ),
    ] + connectors.map(connectorPlugin)
)
