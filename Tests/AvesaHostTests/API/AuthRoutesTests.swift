@testable import AvesaHost
import XCTest

/// `/auth/*`, role checks and the token attack set, in-process through the router.
final class AuthRoutesTests: XCTestCase {
    func login(_ f: APIFixture, tenant: String = "acme", email: String = "admin@acme.test",
               password: String = APIFixture.password, remote: String? = "10.0.0.1") async throws -> APIResult {
        try await f.send(.post, "/auth/login",
                         json: #"{"tenant_id":"\#(tenant)","email":"\#(email)","password":"\#(password)"}"#, remote: remote)
    }

    func testLoginReturnsTokensAndUserAndTheAccessTokenWorks() async throws {
        let f = try APIFixture(self)
        let result = try await login(f, email: "Admin@Acme.test")
        XCTAssertEqual(result.status, 200, result.text)
        XCTAssertEqual(result.body?["token_type"]?.string, "Bearer")
        XCTAssertEqual(result.body?["expires_in"]?.int64, 900)
        XCTAssertEqual(result.body?["user"]?["id"]?.string, "u-acme-admin")
        XCTAssertEqual(result.body?["user"]?["role"]?.string, "admin")
        XCTAssertNil(result.body?["user"]?["password_hash"], "never leak the hash")
        XCTAssertEqual(result.headers["Cache-Control"], "no-store")
        let access = try XCTUnwrap(result.body?["access_token"]?.string)
        XCTAssertFalse(try XCTUnwrap(result.body?["refresh_token"]?.string).isEmpty)
        let me = try await f.get("/auth/me", token: access)
        XCTAssertEqual(me.status, 200)
        XCTAssertEqual(me.data?["email"]?.string, "admin@acme.test")
        XCTAssertEqual(me.data?["tenant_id"]?.string, "acme")
        XCTAssertEqual(me.data?["created_at"]?.string, "2026-03-31T12:00:00Z")
    }

    /// Guessing across many e-mails from one client (or one IPv6 /64) is limited too.
    func testOneClientGuessingManyEmailsIsRefusedOnceItsLimitIsReached() async throws {
        let f = try APIFixture(self, maxClientFailures: 4)
        for n in 0..<4 {
            let guess = try await login(f, email: "user\(n)@acme.test", password: "nope", remote: "2001:db8:7:7::\(n + 1)")
            XCTAssertEqual(guess.status, 401)
        }
        let refused = try await login(f, email: "admin@acme.test", remote: "2001:db8:7:7:ffff::9")
        XCTAssertEqual(refused.status, 429, "the same /64, another e-mail, the right password: refused")
        XCTAssertNotNil(refused.headers["Retry-After"])
        let other = try await login(f, email: "admin@acme.test", remote: "2001:db8:7:8::1")
        XCTAssertEqual(other.status, 200, "another /64 is another client")
        // A local reverse proxy speaks for many users: loopback has no per-client limit.
        for n in 0..<6 {
            let guess = try await login(f, email: "proxied\(n)@acme.test", password: "nope", remote: "127.0.0.1")
            XCTAssertEqual(guess.status, 401)
        }
        let proxied = try await login(f, email: "admin@acme.test", remote: "127.0.0.1")
        XCTAssertEqual(proxied.status, 200)
    }

    /// Password checks run at most a few at a time; past the queue a login is shed with 503
    /// before any password is checked, and the shed attempt counts as no failure.
    func testLoginsBeyondThePasswordCheckQueueAreShedWithoutCountingAsFailures() async throws {
        let f = try APIFixture(self, maxFailures: 1, maxWaitingPasswordChecks: 0)
        var held = 0
        while await f.context.passwordChecks.acquire(unlessWaiting: 0) { held += 1 }
        XCTAssertGreaterThan(held, 0)
        let shed = try await login(f, password: "nope")
        XCTAssertEqual(shed.status, 503, shed.text)
        XCTAssertEqual(shed.errorCode, "server_busy")
        XCTAssertEqual(shed.headers["Retry-After"], "1")
        for _ in 0..<held { await f.context.passwordChecks.release() }
        let wrong = try await login(f, password: "nope")
        XCTAssertEqual(wrong.status, 401, "the shed attempt was not counted (one failure allowed)")
        let limited = try await login(f)
        XCTAssertEqual(limited.status, 429)
    }

    func testSameEmailInTwoTenantsLogsIntoTheNamedTenant() async throws {
        let f = try APIFixture(self)
        let acme = try await login(f, tenant: "acme", email: "shared@example.test")
        let globex = try await login(f, tenant: "globex", email: "shared@example.test")
        XCTAssertEqual(acme.body?["user"]?["id"]?.string, "u-acme-shared")
        XCTAssertEqual(globex.body?["user"]?["id"]?.string, "u-globex-shared")
        XCTAssertEqual(globex.body?["user"]?["role"]?.string, "admin")
    }

    func testBadCredentialsAnswerTheSame401() async throws {
        let f = try APIFixture(self)
        let wrongPassword = try await login(f, password: "nope")
        let unknownEmail = try await login(f, email: "ghost@acme.test")
        let unknownTenant = try await login(f, tenant: "initech")
        let wrongTenant = try await login(f, tenant: "globex", email: "admin@acme.test")
        let badTenantID = try await login(f, tenant: "../globex")
        for result in [wrongPassword, unknownEmail, unknownTenant, wrongTenant, badTenantID] {
            XCTAssertEqual(result.status, 401)
            XCTAssertEqual(result.errorCode, "invalid_credentials")
            XCTAssertEqual(result.errorMessage, "Invalid tenant, e-mail or password.")
        }
    }

    func testLoginBodyValidation() async throws {
        let f = try APIFixture(self)
        let missing = try await f.send(.post, "/auth/login", json: #"{"tenant_id":"acme","email":"a@b"}"#)
        XCTAssertEqual(missing.status, 400)
        XCTAssertTrue(missing.errorMessage.contains("'password'"))
        let notJSON = try await f.send(.post, "/auth/login", json: "tenant=acme")
        XCTAssertEqual(notJSON.status, 400)
        XCTAssertEqual(notJSON.errorCode, "invalid_json")
        let wrongType = try await f.send(.post, "/auth/login", json: #"{"tenant_id":"acme","email":"a@b","password":123}"#)
        XCTAssertEqual(wrongType.status, 400)
        let formEncoded = try await f.send(.post, "/auth/login", headers: [("Content-Type", "text/plain")])
        XCTAssertEqual(formEncoded.status, 415)
    }

    func testFailedLoginsAreRateLimitedPerClientAndEmail() async throws {
        let f = try APIFixture(self, maxFailures: 3)
        for _ in 0..<3 { let _r1 = try await login(f, password: "wrong", remote: "10.0.0.9"); XCTAssertEqual(_r1.status, 401) }
        let limited = try await login(f, password: APIFixture.password, remote: "10.0.0.9")
        XCTAssertEqual(limited.status, 429, "even the right password waits")
        XCTAssertEqual(limited.errorCode, "too_many_attempts")
        XCTAssertEqual(limited.headers["Retry-After"], "900")
        let _r2 = try await login(f, remote: "10.0.0.10")
        XCTAssertEqual(_r2.status, 200, "another client is not blocked")
        let _r3 = try await login(f, email: "viewer@acme.test", remote: "10.0.0.9")
        XCTAssertEqual(_r3.status, 200, "another e-mail is not blocked")
        let otherTenant = try await login(f, tenant: "globex", email: "shared@example.test", remote: "10.0.0.9")
        XCTAssertEqual(otherTenant.status, 200, "nor the same client in another tenant")
        f.clock.advance(seconds: 600)
        let _r4 = try await login(f, remote: "10.0.0.9")
        XCTAssertEqual(_r4.headers["Retry-After"], "300")
        f.clock.advance(seconds: 301)
        let _r5 = try await login(f, remote: "10.0.0.9")
        XCTAssertEqual(_r5.status, 200, "window over")
    }

    func testRefreshRotatesAndReuseRevokesTheFamily() async throws {
        let f = try APIFixture(self)
        let first = try await login(f)
        let r1 = try XCTUnwrap(first.body?["refresh_token"]?.string)
        let second = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r1)"}"#)
        XCTAssertEqual(second.status, 200, second.text)
        let r2 = try XCTUnwrap(second.body?["refresh_token"]?.string)
        XCTAssertNotEqual(r1, r2)
        let _r6 = try await f.get("/auth/me", token: second.body?["access_token"]?.string)
        XCTAssertEqual(_r6.status, 200)
        let third = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r2)"}"#)
        XCTAssertEqual(third.status, 200)
        let r3 = try XCTUnwrap(third.body?["refresh_token"]?.string)

        // r1 was already rotated: presenting it again is theft; the whole family dies.
        let replay = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r1)"}"#)
        XCTAssertEqual(replay.status, 401)
        let _r7 = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r3)"}"#)
        XCTAssertEqual(_r7.status, 401,
                       "the newest token of the family is revoked too")

        // Another login is another family and still works.
        let other = try await login(f)
        let o1 = try XCTUnwrap(other.body?["refresh_token"]?.string)
        let _r8 = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(o1)"}"#)
        XCTAssertEqual(_r8.status, 200)
    }

    func testRefreshTokensAreStoredHashedAndExpire() async throws {
        let f = try APIFixture(self)
        let _r9 = try await login(f)
        let r1 = try XCTUnwrap(_r9.body?["refresh_token"]?.string)
        let stored = try SQLiteDatabase(path: f.context.layout.controlDatabase)
        let query = try stored.prepare("SELECT token_hash FROM refresh_tokens")
        var hashes: [String] = []
        while try query.step() { hashes.append(query.text(0) ?? "") }
        XCTAssertEqual(hashes, [Crypto.hex(Crypto.sha256(Array(r1.utf8)))])
        f.clock.advance(seconds: 31 * 24 * 3600)
        let _r10 = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r1)"}"#)
        XCTAssertEqual(_r10.status, 401)
        let _r11 = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"made-up"}"#)
        XCTAssertEqual(_r11.status, 401)
    }

    func testLogoutRevokesTheFamily() async throws {
        let f = try APIFixture(self)
        let _r12 = try await login(f)
        let r1 = try XCTUnwrap(_r12.body?["refresh_token"]?.string)
        let _r13 = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r1)"}"#)
        let r2 = try XCTUnwrap(_r13.body?["refresh_token"]?.string)
        let logout = try await f.send(.post, "/auth/logout", json: #"{"refresh_token":"\#(r2)"}"#)
        XCTAssertEqual(logout.status, 204)
        let _r14 = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(r2)"}"#)
        XCTAssertEqual(_r14.status, 401)
        let _r15 = try await f.send(.post, "/auth/logout", json: #"{"refresh_token":"unknown"}"#)
        XCTAssertEqual(_r15.status, 204)
    }

    func testTokenAttackSetAnswers401WithoutDetail() async throws {
        let f = try APIFixture(self)
        let valid = try f.acmeViewer
        let parts = valid.split(separator: ".").map(String.init)
        let otherKey = AccessTokenSigner(secret: Array(repeating: 1, count: 32))
        let forged = try otherKey.issue(userID: "u-acme-admin", tenantID: "acme", role: .admin, now: f.clock.now / 1_000_000).token
        let now = f.clock.now / 1_000_000
        let claims = Base64.encodeURL(Array(#"{"iss":"avesa","sub":"u-acme-admin","tenant_id":"acme","role":"admin","iat":\#(now),"exp":\#(now + 900),"jti":"x"}"#.utf8))
        let none = Base64.encodeURL(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + claims + "."
        let tampered = parts[0] + "." + claims + "." + parts[2]
        let expired = try f.context.signer.issue(userID: "u-acme-viewer", tenantID: "acme", role: .viewer, now: now - 3600).token
        for (name, token) in [("forged", forged), ("alg none", none), ("tampered", tampered), ("expired", expired),
                              ("garbage", "abc"), ("empty", "")] {
            for path in ["/auth/me", "/api/tickets", "/api/analytics/dashboard", "/api/companies/connectwise:100"] {
                let result = try await f.get(path, token: token)
                XCTAssertEqual(result.status, 401, "\(name) \(path)")
                XCTAssertEqual(result.errorCode, "unauthorized")
                XCTAssertEqual(result.errorMessage, "Authentication required.")
                XCTAssertEqual(result.headers["WWW-Authenticate"], "Bearer")
            }
        }
        let _r16 = try await f.get("/api/tickets", token: nil)
        XCTAssertEqual(_r16.status, 401)
        let _r17 = try await f.send(.get, "/api/tickets", headers: [("Authorization", "Basic " + valid)])
        XCTAssertEqual(_r17.status, 401)
        let _r18 = try await f.send(.get, "/api/tickets", headers: [("Authorization", "Bearer " + valid),
                                                                     ("Authorization", "Bearer " + forged)])
        XCTAssertEqual(_r18.status, 401)
        let _r19 = try await f.send(.get, "/api/tickets", headers: [("Authorization", "bearer " + valid)])
        XCTAssertEqual(_r19.status, 200)
        f.clock.advance(seconds: 16 * 60)
        let _r20 = try await f.get("/api/tickets", token: valid)
        XCTAssertEqual(_r20.status, 401, "15-minute access tokens expire")
    }

    func testRolesViewerReadsAdminManagesUsers() async throws {
        let f = try APIFixture(self)
        let viewer = try f.acmeViewer
        let analyst = try f.token("u-acme-analyst", tenant: "acme", role: .analyst)
        let _r21 = try await f.get("/api/tickets", token: viewer)
        XCTAssertEqual(_r21.status, 200)
        let _r22 = try await f.get("/api/users", token: viewer)
        XCTAssertEqual(_r22.status, 403)
        let _r23 = try await f.get("/api/users", token: analyst)
        XCTAssertEqual(_r23.status, 403)
        let list = try await f.get("/api/users", token: try f.acmeAdmin)
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.data?.array?.compactMap { $0["email"]?.string },
                       ["admin@acme.test", "analyst@acme.test", "shared@example.test", "viewer@acme.test"], "only acme users")
        let body = #"{"email":"new@acme.test","password":"long enough password","role":"analyst"}"#
        let _r24 = try await f.send(.post, "/api/users", token: viewer, json: body)
        XCTAssertEqual(_r24.status, 403)
        let created = try await f.send(.post, "/api/users", token: try f.acmeAdmin, json: body)
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created.data?["tenant_id"]?.string, "acme")
        let _r25 = try await f.send(.post, "/api/users", token: try f.acmeAdmin, json: body)
        XCTAssertEqual(_r25.status, 409)
        let _r26 = try await f.send(.post, "/api/users", token: try f.acmeAdmin,
                                    json: #"{"email":"x@acme.test","password":"short","role":"analyst"}"#)
        XCTAssertEqual(_r26.status, 400)
        let _r27 = try await f.send(.post, "/api/users", token: try f.acmeAdmin,
                                    json: #"{"email":"y@acme.test","password":"long enough password","role":"root"}"#)
        XCTAssertEqual(_r27.status, 400)
        let login = try await login(f, email: "new@acme.test", password: "long enough password")
        XCTAssertEqual(login.status, 200)
        XCTAssertEqual(login.body?["user"]?["role"]?.string, "analyst")
    }

    /// A token outlives neither its user nor its tenant: once the user is gone (a removed
    /// tenant takes its users with it, and a tenant created again under the same id has new
    /// ones) the token answers 401 within the check's few seconds, and a demoted user acts
    /// with its new role, not the one its token was signed with.
    func testATokenStopsWorkingWhenItsUserIsRemovedOrDemoted() async throws {
        let f = try APIFixture(self)
        let admin = try f.acmeAdmin
        let before = try await f.get("/api/users", token: admin)
        XCTAssertEqual(before.status, 200)
        let control = try SQLiteDatabase(path: DataLayout(root: f.root).controlDatabase)
        try control.execute("UPDATE users SET role = 'viewer' WHERE id = 'u-acme-admin'")
        let cached = try await f.get("/api/users", token: admin)
        XCTAssertEqual(cached.status, 200, "within the check's few seconds, the remembered answer")
        f.clock.advance(seconds: 6)
        let demoted = try await f.get("/api/users", token: admin)
        XCTAssertEqual(demoted.status, 403, "acts as the viewer it now is")
        try control.execute("DELETE FROM users WHERE id = 'u-acme-admin'")
        f.clock.advance(seconds: 6)
        let removed = try await f.get("/api/tickets", token: admin)
        XCTAssertEqual(removed.status, 401)
        let me = try await f.get("/auth/me", token: admin)
        XCTAssertEqual(me.status, 401)
    }

    /// Refreshes and logouts are bounded like logins: past the permits and the waiting room
    /// they answer 503 at once; an unknown refresh token is answered from a read alone.
    func testRefreshesBeyondTheirLimitAreShedAndUnknownTokensTakeNoWriteLock() async throws {
        let f = try APIFixture(self)
        var context = f.context
        context.tokenRequests = AsyncLimiter(permits: 1)
        context.maxWaitingTokenRequests = 0
        await context.tokenRequests.acquire()  // every permit busy
        var router = Router()
        APIRoutes.register(on: &router, context: context)
        let withBody = try HTTPRequest(method: .post, target: "/auth/refresh", headers: ["Content-Type": "application/json"],
                                       body: Array(#"{"refresh_token":"nope"}"#.utf8))
        let shed = await router.respond(to: withBody)
        XCTAssertEqual(shed.status.code, 503)
        await context.tokenRequests.release()
        let unknown = await router.respond(to: withBody)
        XCTAssertEqual(unknown.status.code, 401)
        XCTAssertEqual(try f.refreshTokens.rotate("nope", now: f.context.nowSeconds), .invalid)
    }

    func testMiddlewareAttachesPrincipalForOtherApiRoutes() async throws {
        let f = try APIFixture(self)
        var router = Router()
        router.get("/api/pipeline/runs") { request in
            .json(["tenant": .string(request.attributes[Principal.Attribute.tenantID] ?? "none"),
                   "role": .string(request.attributes[Principal.Attribute.role] ?? "none")])
        }
        let server = HTTPServer(router: router, middleware: [AuthenticationMiddleware(context: f.context)])
        var request = try HTTPRequest(method: .get, target: "/api/pipeline/runs", headers: ["Authorization": "Bearer " + (try f.globexAdmin)])
        request.attributes[Principal.Attribute.tenantID] = "acme"
        let ok = await server.respond(to: request)
        XCTAssertEqual(try JSONParser.parse(ok.bodyBytes)["tenant"]?.string, "globex")
        XCTAssertEqual(try JSONParser.parse(ok.bodyBytes)["role"]?.string, "admin")
        let anonymous = await server.respond(to: try HTTPRequest(method: .get, target: "/api/pipeline/runs"))
        XCTAssertEqual(anonymous.status, .unauthorized)
    }
}

/// Races and concurrent use.
final class AuthConcurrencyTests: XCTestCase {
    func testParallelGuessesCannotExceedTheLimit() async throws {
        let f = try APIFixture(self, maxFailures: 3)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await f.send(.post, "/auth/login", json: #"{"tenant_id":"acme","email":"admin@acme.test","password":"guess"}"#,
                                     remote: "10.9.9.9").status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        XCTAssertEqual(statuses.filter { $0 == 401 }.count, 3, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == 429 }.count, 9)
    }

    func testConcurrentUseOfOneRefreshTokenLetsOnlyOneWinAndRevokesTheFamily() async throws {
        let f = try APIFixture(self)
        let login = try await f.send(.post, "/auth/login",
                                     json: #"{"tenant_id":"acme","email":"admin@acme.test","password":"\#(APIFixture.password)"}"#)
        let token = try XCTUnwrap(login.body?["refresh_token"]?.string)
        let results = try await withThrowingTaskGroup(of: APIResult.self) { group in
            for _ in 0..<4 {
                group.addTask { try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(token)"}"#) }
            }
            return try await group.reduce(into: [APIResult]()) { $0.append($1) }
        }
        let winners = results.filter { $0.status == 200 }
        XCTAssertEqual(winners.count, 1, "\(results.map(\.status))")
        XCTAssertEqual(results.filter { $0.status == 401 }.count, 3)
        let successor = try XCTUnwrap(winners.first?.body?["refresh_token"]?.string)
        let after = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(successor)"}"#)
        XCTAssertEqual(after.status, 401, "the replays revoked the family, the winner's successor included")
    }
}
