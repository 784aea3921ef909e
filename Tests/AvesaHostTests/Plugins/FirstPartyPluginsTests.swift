@testable import AvesaHost
import Foundation
import XCTest

/// The four first-party connectors load from four separate shared libraries with their
/// real identity, auth, credential fields, limits and canonical endpoints.
final class FirstPartyPluginsTests: XCTestCase {
    private static let catalog = Result { try PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory) }

    private func manifest(_ service: String) throws -> PluginManifest {
        try Self.loadManifest(service)
    }

    /// The manifest of the built first-party plugin of `service`.
    static func loadManifest(_ service: String) throws -> PluginManifest {
        let catalog = try Self.catalog.get()
        return try XCTUnwrap(catalog.plugin(for: service)?.manifest, "\(service) not loaded from \(TestPaths.builtPluginsDirectory)")
    }

    func testAllFourLoadFromSeparateLibrariesWithoutRefusals() throws {
        let catalog = try Self.catalog.get()
        XCTAssertEqual(catalog.refused, [])
        XCTAssertEqual(Set(catalog.plugins.map(\.manifest.service)), ["connectwise", "servicenow", "salesforce", "m365"])
        XCTAssertEqual(Set(catalog.plugins.map(\.path)).count, 4)
    }

    func testEachFeedsTheCanonicalTablesItHas() throws {
        let expected: [String: Set<String>] = [
            "connectwise": ["companies", "contacts", "tickets", "time_entries"],
            "servicenow": ["companies", "contacts", "tickets", "time_entries"],
            "salesforce": ["companies", "contacts", "tickets"],
            "m365": ["companies", "contacts", "tickets"],
        ]
        for (service, tables) in expected {
            let fed = Set(try manifest(service).endpoints.compactMap(\.canonicalTable))
            XCTAssertEqual(fed, tables, service)
            XCTAssertGreaterThanOrEqual(try manifest(service).endpoints.count, 10, service)
        }
    }

    func testConnectWiseDeclaresItsRealAuthAndPaging() throws {
        let m = try manifest("connectwise")
        XCTAssertEqual(m.auth.kind, .basic)
        XCTAssertEqual(m.auth.usernameTemplate, "{company_id}+{public_key}")
        XCTAssertEqual(m.credentialFields.map(\.name), ["api_url", "company_id", "public_key", "private_key", "client_id"])
        XCTAssertEqual(m.credentialFields[0].defaultValue, "https://api-na.myconnectwise.net")
        XCTAssertEqual(m.headers.first, NameValue(name: "clientId", value: "{client_id}"))
        XCTAssertFalse(m.headers.contains { $0.name == "pagination-type" }, "keyset paging needs no forward-only support")
        let tickets = try XCTUnwrap(m.endpoint(named: "service/tickets"))
        XCTAssertEqual(tickets.pagination.kind, .keyset)
        XCTAssertEqual(tickets.pagination.keysetTemplate, "id > {after} and ")
        XCTAssertEqual(tickets.pagination.maxPageSize, 1000)
        XCTAssertEqual(tickets.cursorField, "_info.lastUpdated")
        XCTAssertEqual(tickets.incrementalTemplate, "{keyset}lastUpdated > [{since}] and lastUpdated <= [{until}]")
        XCTAssertTrue(tickets.supportsRangeFilter)
        XCTAssertEqual(tickets.countPath, "/service/tickets/count")
    }

    func testSalesforceAndGraphUseOAuthWithFieldsForEveryBaseURL() throws {
        let salesforce = try manifest("salesforce")
        XCTAssertEqual(salesforce.auth.kind, .oauth2ClientCredentials)
        XCTAssertEqual(salesforce.auth.instanceURLPointer, "/instance_url")
        // The client credentials flow needs the org's My Domain: login.salesforce.com is no default.
        let loginURL = try XCTUnwrap(salesforce.credentialFields.first { $0.name == "login_url" })
        XCTAssertNil(loginURL.defaultValue)
        XCTAssertTrue(loginURL.isRequired)
        XCTAssertEqual(salesforce.endpoint(named: "Case")?.path, "/queryAll", "deleted records arrive as deletions")
        XCTAssertEqual(salesforce.endpoint(named: "Case")?.pagination.nextPointer, "/nextRecordsUrl")
        let graph = try manifest("m365")
        XCTAssertEqual(graph.auth.tokenURLTemplate, "{authority_url}/{directory_tenant_id}/oauth2/v2.0/token")
        XCTAssertEqual(graph.endpoint(named: "users")?.pagination.kind, .deltaLink)
        XCTAssertEqual(graph.endpoint(named: "users")?.deletedMarker, "@removed")
        let servicenow = try manifest("servicenow")
        XCTAssertEqual(servicenow.endpoint(named: "incident")?.pagination.totalHeader, "X-Total-Count")
        XCTAssertEqual(servicenow.rateLimit.resetKind, .unixTime)
    }

    func testSecretsAreMarkedSecret() throws {
        for service in ["connectwise", "servicenow", "salesforce", "m365"] {
            let secrets = try manifest(service).credentialFields.filter { ["private_key", "password", "client_secret"].contains($0.name) }
            XCTAssertFalse(secrets.isEmpty, service)
            XCTAssertTrue(secrets.allSatisfy(\.isSecret), service)
        }
    }
}
