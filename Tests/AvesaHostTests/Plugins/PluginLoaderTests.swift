@testable import AvesaHost
import Foundation
import XCTest

/// Every way a plugin file can be bad is refused with a message naming the file and
/// the reason, and never crashes the host. Each case is a real .so built from
/// Tests/Fixtures/plugins/fixture_plugin.c.
final class PluginLoaderTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = TestPaths.makeTemporaryDirectory("plugin-loader")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func fixture(_ defines: [String] = [], name: String = "libFixture.so") throws -> String {
        try CPluginCompiler.compile(source: CPluginCompiler.fixtureSource, defines: defines,
                                    libraryName: name, into: directory)
    }

    private func assertRefused(_ defines: [String], kind: PluginLoadError.Kind, mentioning needle: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try fixture(defines)
        XCTAssertThrowsError(try PluginLoader.load(path: path), file: file, line: line) { error in
            guard let error = error as? PluginLoadError else { return XCTFail("unexpected \(error)", file: file, line: line) }
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path), "message must name the file: \(error)", file: file, line: line)
            XCTAssertTrue(error.reason.contains(needle), "expected \"\(needle)\" in: \(error.reason)", file: file, line: line)
        }
    }

    func testLoadsAWellFormedCPluginIntoSwiftValues() throws {
        let plugin = try PluginLoader.load(path: try fixture())
        let manifest = plugin.manifest
        XCTAssertEqual(manifest.service, "fixture")
        XCTAssertEqual(manifest.version, "9.9.9")
        XCTAssertEqual(manifest.abi, ABIVersion.host)
        XCTAssertEqual(manifest.auth.kind, .bearer)
        XCTAssertEqual(manifest.credentialFields.map(\.name), ["api_url", "token"])
        XCTAssertTrue(manifest.credentialFields[1].isSecret)
        XCTAssertEqual(manifest.credentialFields[0].defaultValue, "https://api.fixture.test")
        XCTAssertEqual(manifest.endpoints.map(\.name), ["items", "others"])
        XCTAssertEqual(manifest.endpoints[0].canonicalTable, "tickets")
        XCTAssertEqual(manifest.endpoints[0].pagination.kind, .pageNumber)
        XCTAssertTrue(manifest.endpoints[0].pagination.stopConditions.contains(.emptyPage))
        XCTAssertEqual(manifest.rateLimit.maxConcurrent, 2)
        XCTAssertEqual(manifest.hooks, HookSet())
    }

    func testRefusesAFileThatIsNotASharedLibrary() throws {
        let path = directory + "/libText.so"
        try "not a plugin".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PluginLoader.load(path: path)) { error in
            let error = error as! PluginLoadError
            XCTAssertEqual(error.kind, .notLoadable)
            XCTAssertTrue(error.description.contains(path))
            XCTAssertTrue(error.reason.contains("not a loadable shared library"), error.reason)
        }
    }

    func testRefusesASharedLibraryWithoutTheEntrySymbol() throws {
        let sqlite = ["/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", "/usr/lib/aarch64-linux-gnu/libsqlite3.so.0"]
            .first { FileManager.default.fileExists(atPath: $0) }
        let path = try XCTUnwrap(sqlite, "libsqlite3 is installed by .ci/run")
        XCTAssertThrowsError(try PluginLoader.load(path: path)) { error in
            let error = error as! PluginLoadError
            XCTAssertEqual(error.kind, .missingEntry)
            XCTAssertTrue(error.reason.contains("avesa_plugin_entry"), error.reason)
        }
    }

    func testRefusesAnABIMajorMismatchTheNegotiationReports() throws {
        try assertRefused(["PLUGIN_MAJOR=2", "PLUGIN_MINOR=0"], kind: .incompatibleABI, mentioning: "plugin built for ABI 2.0")
    }

    func testRefusesAnABIMajorMismatchEvenWhenThePluginIgnoresNegotiation() throws {
        try assertRefused(["PLUGIN_MAJOR=2", "PLUGIN_MINOR=0", "IGNORE_NEGOTIATION"], kind: .incompatibleABI, mentioning: "ABI 2.0")
    }

    func testRefusesAPluginBuiltForANewerMinor() throws {
        try assertRefused(["PLUGIN_MINOR=\(ABIVersion.host.minor + 1)"], kind: .incompatibleABI,
                          mentioning: "plugin built for ABI 1.\(ABIVersion.host.minor + 1)")
    }

    func testRefusesAnEntryReturningNoManifest() throws {
        try assertRefused(["RETURN_NULL"], kind: .entryFailed, mentioning: "returned no manifest (NULL)")
    }

    func testRefusesAnEntryReportingFailure() throws {
        try assertRefused(["RETURN_FAILURE"], kind: .entryFailed, mentioning: "failed with status 3")
    }

    func testRefusesAnEmptyRequiredString() throws {
        try assertRefused(["EMPTY_DISPLAY_NAME"], kind: .invalidManifest, mentioning: "display_name: is required but empty")
    }

    func testRefusesANullRequiredString() throws {
        try assertRefused(["NULL_VERSION"], kind: .invalidManifest, mentioning: "version: is required but NULL")
    }

    func testRefusesAnUnknownAuthKind() throws {
        try assertRefused(["UNKNOWN_AUTH_KIND"], kind: .invalidManifest, mentioning: "auth.kind: unknown auth kind 42")
    }

    func testRefusesAnUnknownPaginationKindNamingTheEndpoint() throws {
        try assertRefused(["UNKNOWN_PAGINATION_KIND"], kind: .invalidManifest,
                          mentioning: "endpoints[0].pagination.kind: unknown pagination kind 99")
    }

    func testLoadsAPluginBuiltForTheFirstABI() throws {
        let plugin = try PluginLoader.load(path: try fixture(["PLUGIN_MINOR=0"]))
        XCTAssertEqual(plugin.manifest.abi, ABIVersion(major: 1, minor: 0), "an older minor keeps loading")
    }

    func testLoadsKeysetPagingWithItsTemplate() throws {
        let plugin = try PluginLoader.load(path: try fixture(["KEYSET_PAGING"]))
        let items = try XCTUnwrap(plugin.manifest.endpoint(named: "items"))
        XCTAssertEqual(items.pagination.kind, .keyset)
        XCTAssertEqual(items.pagination.keysetTemplate, "id>{after}&")
    }

    func testRefusesKeysetPagingWithoutATemplate() throws {
        try assertRefused(["KEYSET_WITHOUT_TEMPLATE"], kind: .invalidManifest,
                          mentioning: "endpoints[0].pagination.keyset_template: keyset pagination needs a template using {after}")
    }

    func testRefusesKeysetPagingThatNoParameterPlaces() throws {
        try assertRefused(["KEYSET_UNPLACED"], kind: .invalidManifest,
                          mentioning: "endpoints[0].params: keyset pagination needs {keyset} in a fixed parameter")
    }

    func testRefusesKeysetPagingThatStepsByOffsetWithoutATotal() throws {
        try assertRefused(["KEYSET_WITHOUT_TOTAL"], kind: .invalidManifest,
                          mentioning: "endpoints[0].pagination.total_header: keyset pagination with an offset parameter needs total_header")
    }

    func testRefusesKeysetPagingInAPluginThatBuildsItsOwnRequests() throws {
        try assertRefused(["KEYSET_WITH_BUILD_REQUEST"], kind: .invalidManifest,
                          mentioning: "endpoints[0].pagination.kind: keyset pagination is built by the host")
    }

    func testRefusesTheKeysetPlaceholderUnderAnotherPagination() throws {
        try assertRefused(["KEYSET_ON_PAGE_NUMBER"], kind: .invalidManifest,
                          mentioning: "endpoints[0].params[0].value: template refers to {keyset}, which only keyset pagination fills")
    }

    func testRefusesDuplicateEndpointNames() throws {
        try assertRefused(["DUPLICATE_ENDPOINT"], kind: .invalidManifest,
                          mentioning: "endpoints[1].name: duplicate endpoint name \"items\"")
    }

    func testRefusesAStructLargerThanTheHostUnderstands() throws {
        try assertRefused(["OVERSIZED_STRUCT"], kind: .invalidManifest, mentioning: "larger than this host understands")
    }

    func testRefusesATemplateNamingAnUndeclaredField() throws {
        try assertRefused(["UNDECLARED_TEMPLATE"], kind: .invalidManifest, mentioning: "{region}")
    }

    func testRefusesAnUnknownCanonicalTable() throws {
        try assertRefused(["BAD_CANONICAL"], kind: .invalidManifest, mentioning: "unknown canonical table \"invoices\"")
    }

    func testRefusesAPluginWithoutEndpoints() throws {
        try assertRefused(["NO_ENDPOINTS"], kind: .invalidManifest, mentioning: "at least one endpoint")
    }
}
