@testable import AvesaHost
import Foundation
import XCTest

/// Every auth kind against the loopback server, token caching, expiry, and one shared
/// refresh for concurrent requests that hit a 401.
final class AuthenticationTests: XCTestCase {
    typealias F = ConnectorFixtures

    private func auth(_ kind: AuthKind, username: String? = nil, password: String? = nil, header: String? = nil,
                      query: String? = nil, secret: String? = nil, tokenURL: String? = nil, clientSecret: String? = nil,
                      refresh: String? = nil, privateKey: String? = nil, clientAuth: ClientAuthentication = .form,
                      instance: String? = nil) -> AuthSpec {
        AuthSpec(kind: kind, usernameTemplate: username, passwordTemplate: password, headerName: header, queryParam: query,
                 secretTemplate: secret, tokenURLTemplate: tokenURL, scopeTemplate: "{scope}", clientIDTemplate: "{client_id}",
                 clientSecretTemplate: clientSecret, refreshTokenTemplate: refresh, privateKeyTemplate: privateKey,
                 audienceTemplate: "{base}", clientAuthentication: clientAuth, instanceURLPointer: instance)
    }

    private var credentials: [String: String] {
        ["base": F.server.baseURL, "company_id": "acme", "public_key": "pub", "private_key": "priv", "api_key": "k123",
         "client_id": "cid", "client_secret": "csecret", "refresh_token": "rtoken", "username": "user", "password": "pw",
         "scope": "api"]
    }

    private func get(_ path: String, _ spec: AuthSpec, credentials extra: [String: String] = [:],
                     headers: [(name: String, value: String)] = []) async throws -> HTTPClientResponse {
        let authenticator = try AuthenticatorFactory.make(auth: spec, credentials: credentials.merging(extra) { $1 }, engine: F.engine)
        return try await F.client(authenticator: authenticator).send(HTTPClientRequest(url: F.server.baseURL + path, headers: headers))
    }

    func testBasicAuthWithTemplatedUserAndThePluginHeader() async throws {
        let spec = auth(.basic, username: "{company_id}+{public_key}", password: "{private_key}")
        let response = try await get("/basic", spec, headers: [(name: "clientId", value: "client-1")])
        XCTAssertEqual(response.status, 200)
    }

    func testWrongBasicCredentialsFailAsAuthenticationWithoutLeakingThem() async throws {
        let spec = auth(.basic, username: "{company_id}+{public_key}", password: "{private_key}")
        do {
            _ = try await get("/basic", spec, credentials: ["private_key": "wrong-secret"], headers: [(name: "clientId", value: "client-1")])
            XCTFail("expected an authentication error")
        } catch let error as ConnectorError {
            guard case .authentication(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("HTTP 401"), message)
            XCTAssertFalse(message.contains("wrong-secret"))
        }
    }

    func testAPIKeysInAHeaderOrTheQuery() async throws {
        let header = try await get("/apikey", auth(.apiKeyHeader, header: "X-Api-Key", secret: "{api_key}"))
        XCTAssertEqual(header.status, 200)
        let query = try await get("/apikey", auth(.apiKeyQuery, query: "api_key", secret: "{api_key}"))
        XCTAssertEqual(query.status, 200)
    }

    func testAMissingCredentialIsNamed() {
        XCTAssertThrowsError(try AuthenticatorFactory.make(auth: auth(.bearer, secret: "{token}"), credentials: [:], engine: F.engine)) { error in
            XCTAssertEqual(error as? ConnectorError, .missingCredential(field: "token"))
        }
    }

    func testOAuthClientCredentialsWithFormOrBasicClientAuthAndInstanceURL() async throws {
        for clientAuth in [ClientAuthentication.form, .basic] {
            let spec = auth(.oauth2ClientCredentials, tokenURL: "{base}/oauth/token", clientSecret: "{client_secret}",
                            clientAuth: clientAuth, instance: "/instance_url")
            let authenticator = try AuthenticatorFactory.make(auth: spec, credentials: credentials, engine: F.engine)
            let response = try await F.client(authenticator: authenticator).send(HTTPClientRequest(url: F.server.baseURL + "/protected"))
            XCTAssertEqual(response.status, 200)
            let instance = try await authenticator.instanceURL()
            XCTAssertEqual(instance, F.server.baseURL + "/instance")
        }
    }

    func testOAuthRefreshTokenAndPasswordGrants() async throws {
        let refresh = auth(.oauth2RefreshToken, tokenURL: "{base}/oauth/token", refresh: "{refresh_token}")
        let refreshed = try await get("/protected", refresh)
        XCTAssertEqual(refreshed.status, 200)
        let password = auth(.oauth2Password, username: "{username}", password: "{password}", tokenURL: "{base}/oauth/token",
                            clientSecret: "{client_secret}")
        let viaPassword = try await get("/protected", password)
        XCTAssertEqual(viaPassword.status, 200)
    }

    func testOAuthJWTBearerSignsAnRS256Assertion() async throws {
        let directory = TestPaths.makeTemporaryDirectory("jwt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keyPath = directory + "/key.pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
        let spec = auth(.oauth2JWTBearer, username: "{username}", tokenURL: "{base}/oauth/token", privateKey: "{private_key}")
        let response = try await get("/protected", spec, credentials: ["private_key": pem])
        XCTAssertEqual(response.status, 200)
    }

    func testABadPrivateKeyIsAClearAuthenticationError() async throws {
        let spec = auth(.oauth2JWTBearer, username: "{username}", tokenURL: "{base}/oauth/token", privateKey: "{private_key}")
        do {
            _ = try await get("/protected", spec, credentials: ["private_key": "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"])
            XCTFail("expected an error")
        } catch let error as ConnectorError {
            XCTAssertEqual(error, .authentication("the private key is not a readable PEM key"))
        }
    }

    func testRefusedClientCredentialsNameTheTokenEndpointNotTheSecret() async throws {
        let spec = auth(.oauth2ClientCredentials, tokenURL: "{base}/oauth/token", clientSecret: "{client_secret}")
        do {
            _ = try await get("/protected", spec, credentials: ["client_secret": "very-wrong"])
            XCTFail("expected an error")
        } catch let error as ConnectorError {
            XCTAssertTrue(error.description.contains("refused the credentials (HTTP 400, invalid_grant"), error.description)
            XCTAssertFalse(error.description.contains("very-wrong"))
        }
    }

    /// A token endpoint that is briefly unavailable is retried (its Retry-After honoured);
    /// one that stays so is a transient failure, not a refusal of the credentials.
    func testATokenEndpointsTransientFailuresAreRetriedNotTakenForRefusals() async throws {
        let key = UUID().uuidString.prefix(8)
        let spec = auth(.oauth2ClientCredentials, tokenURL: "{base}/oauth/token?fail=2&key=\(key)&code=503&retry_after=0", clientSecret: "{client_secret}")
        let response = try await get("/protected", spec)
        XCTAssertEqual(response.status, 200, "the third token request succeeded")
        let down = auth(.oauth2ClientCredentials, tokenURL: "{base}/oauth/token?fail=99&key=\(key)-down&code=502", clientSecret: "{client_secret}")
        let authenticator = try AuthenticatorFactory.make(auth: down, credentials: credentials, engine: F.engine,
                                                          policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.02))
        do {
            _ = try await F.client(authenticator: authenticator).send(HTTPClientRequest(url: F.server.baseURL + "/protected"))
            XCTFail("expected an error")
        } catch ConnectorError.retriesExhausted(let attempts, let last) {
            XCTAssertEqual(attempts, 3)
            XCTAssertTrue(last.contains("token endpoint") && last.contains("HTTP 502"), last)
        }
    }

    /// A provider that rotates refresh tokens spends each one: the new one from the
    /// response is used for the next refresh and handed over to be stored.
    func testARotatedRefreshTokenIsUsedNextAndStored() async throws {
        let key = UUID().uuidString.prefix(8)
        let spec = auth(.oauth2RefreshToken, tokenURL: "{base}/oauth/token?rotate=\(key)", clientSecret: "{client_secret}",
                        refresh: "{refresh_token}")
        let saved = LockedEvents()
        let authenticator = try AuthenticatorFactory.make(auth: spec, credentials: credentials, engine: F.engine,
                                                          saveCredential: { field, value in saved.append(LogEvent("\(field)=\(value)")) })
        let client = F.client(authenticator: authenticator)
        let first = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/protected"))
        XCTAssertEqual(first.status, 200)
        _ = try await F.server.json("/revoke")
        let second = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/protected"))
        XCTAssertEqual(second.status, 200, "the refresh after the 401 presented the rotated token")
        XCTAssertEqual(saved.messages.count, 2)
        XCTAssertTrue(saved.messages.allSatisfy { $0.hasPrefix("refresh_token=rtoken-") }, "\(saved.messages)")
        XCTAssertEqual(CredentialTemplate.soleField("{refresh_token}"), "refresh_token")
        XCTAssertNil(CredentialTemplate.soleField("prefix-{refresh_token}"))
    }

    func testConcurrentRequestsShareOneTokenAndOneRefreshAfterA401() async throws {
        let spec = auth(.oauth2ClientCredentials, tokenURL: "{base}/oauth/token", clientSecret: "{client_secret}")
        let authenticator = try AuthenticatorFactory.make(auth: spec, credentials: credentials, engine: F.engine) as! OAuth2Authenticator
        let client = F.client(authenticator: authenticator)
        let url = F.server.baseURL + "/protected"
        try await Self.sendConcurrently(20, to: url, client: client)
        let first = await authenticator.tokenRequests
        XCTAssertEqual(first, 1, "twenty concurrent requests fetch one token")
        _ = try await F.server.json("/revoke")
        try await Self.sendConcurrently(20, to: url, client: client)
        let second = await authenticator.tokenRequests
        XCTAssertEqual(second, 2, "a burst of 401s triggers exactly one refresh")
    }

    func testAnExpiringTokenIsRefreshedBeforeUse() async throws {
        let spec = auth(.oauth2ClientCredentials, tokenURL: "{base}/oauth/token?expires_in=1", clientSecret: "{client_secret}")
        let authenticator = try AuthenticatorFactory.make(auth: spec, credentials: credentials, engine: F.engine) as! OAuth2Authenticator
        let client = F.client(authenticator: authenticator)
        _ = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/protected"))
        try await Task.sleep(for: .milliseconds(1100))
        _ = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/protected"))
        let count = await authenticator.tokenRequests
        XCTAssertEqual(count, 2)
    }

    private static func sendConcurrently(_ count: Int, to url: String, client: ServiceClient) async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<count {
                group.addTask { try await client.send(HTTPClientRequest(url: url)).status }
            }
            for try await status in group { XCTAssertEqual(status, 200) }
        }
    }
}
