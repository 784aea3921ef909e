@testable import AvesaHost
import Foundation
import XCTest

/// Scanning a plugins folder: good plugins load, bad files are listed with reasons,
/// and one bad file never stops the others.
final class PluginCatalogTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = TestPaths.makeTemporaryDirectory("plugin-catalog")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testAMissingDirectoryIsAClearError() {
        XCTAssertThrowsError(try PluginCatalog.scan(directory: directory + "/nope")) { error in
            let error = error as! PluginLoadError
            XCTAssertEqual(error.kind, .missingDirectory)
            XCTAssertTrue(error.description.contains("/nope"))
        }
    }

    func testTwoPluginsWithTheSameServiceNameKeepTheFirstAndRefuseTheSecond() throws {
        for library in ["libA.so", "libB.so"] {
            _ = try CPluginCompiler.compile(source: CPluginCompiler.fixtureSource, defines: ["FIXTURE_NAME=\"twin\""],
                                            libraryName: library, into: directory)
        }
        let catalog = try PluginCatalog.scan(directory: directory)
        XCTAssertEqual(catalog.plugins.map(\.manifest.service), ["twin"])
        XCTAssertEqual(catalog.plugins.first?.path, directory + "/libA.so")
        XCTAssertEqual(catalog.refused.count, 1)
        XCTAssertEqual(catalog.refused.first?.kind, .duplicateService)
        XCTAssertEqual(catalog.refused.first?.path, directory + "/libB.so")
        XCTAssertTrue(catalog.refused.first?.reason.contains("already provided by \(directory)/libA.so") ?? false)
    }

    func testBadFilesAreListedWhileGoodPluginsStillLoad() throws {
        _ = try CPluginCompiler.compile(source: CPluginCompiler.fixtureSource, libraryName: "libGood.so", into: directory)
        _ = try CPluginCompiler.compile(source: CPluginCompiler.fixtureSource, defines: ["FIXTURE_NAME=\"bad\"", "UNKNOWN_AUTH_KIND"],
                                        libraryName: "libBad.so", into: directory)
        try "garbage".write(toFile: directory + "/libGarbage.so", atomically: true, encoding: .utf8)
        try "ignored".write(toFile: directory + "/README.txt", atomically: true, encoding: .utf8)
        let catalog = try PluginCatalog.scan(directory: directory)
        XCTAssertEqual(catalog.plugins.map(\.manifest.service), ["fixture"])
        XCTAssertEqual(Set(catalog.refused.map { ($0.path as NSString).lastPathComponent }), ["libBad.so", "libGarbage.so"])
    }

    func testTheCExampleFromTheDocsLoadsThroughTheSameLoader() throws {
        let source = TestPaths.repositoryRoot + "/examples/plugins/helpdesk/helpdesk_plugin.c"
        _ = try CPluginCompiler.compile(source: source, libraryName: "libHelpdesk.so", into: directory)
        let catalog = try PluginCatalog.scan(directory: directory)
        XCTAssertEqual(catalog.refused, [])
        let manifest = try XCTUnwrap(catalog.plugin(for: "helpdesk")?.manifest)
        XCTAssertEqual(manifest.auth.kind, .apiKeyHeader)
        XCTAssertEqual(manifest.endpoints.map(\.name), ["organizations", "tickets"])
        XCTAssertEqual(manifest.endpoints[0].pagination.kind, .offsetLimit)
        XCTAssertTrue(manifest.endpoints[0].supportsRangeFilter)
        XCTAssertEqual(manifest.rateLimit.throttleStatuses, [429, 503])
    }
}
