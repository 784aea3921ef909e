import Foundation

/// Compiles C plugins (test fixtures and the example) with `cc -shared -fPIC`, the
/// way a third party would, against the real ABI header.
enum CPluginCompiler {
    struct CompileError: Error, CustomStringConvertible {
        let description: String
    }

    /// Compiles `source` with `defines` (e.g. ["RETURN_NULL"], ["FIXTURE_NAME=\"x\""])
    /// into `outputDirectory/<libraryName>` and returns the library's path.
    static func compile(source: String, defines: [String] = [], libraryName: String,
                        into outputDirectory: String) throws -> String {
        let output = outputDirectory + "/" + libraryName
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-std=c99", "-Wall", "-Werror", "-Wno-unused-variable",
                             "-Wno-unused-const-variable", "-I", TestPaths.abiIncludeDirectory]
            + defines.map { "-D\($0)" } + [source, "-o", output]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CompileError(description: "cc failed for \(source): \(String(decoding: message, as: UTF8.self))")
        }
        return output
    }

    /// The fixture plugin source that tests bend with defines.
    static let fixtureSource = TestPaths.repositoryRoot + "/Tests/Fixtures/plugins/fixture_plugin.c"
}
