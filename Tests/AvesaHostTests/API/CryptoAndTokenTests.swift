@testable import AvesaHost
import Foundation
import XCTest

/// libcrypto wrappers against published vectors, password hashing and strict JWT verification.
final class CryptoAndTokenTests: XCTestCase {
    func testHMACSHA256MatchesRFC4231Case1() {
        let mac = Crypto.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        XCTAssertEqual(Crypto.hex(mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    func testPBKDF2MatchesRFC7914Vector() throws {
        let derived = try Crypto.pbkdf2SHA256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        XCTAssertEqual(Crypto.hex(derived),
                       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    func testSHA256AndConstantTimeCompare() {
        XCTAssertEqual(Crypto.hex(Crypto.sha256(Array("abc".utf8))),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertTrue(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(Crypto.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    func testPasswordHashFormatSaltAndVerification() throws {
        let hasher = PasswordHasher(iterations: 1_000)
        let first = try hasher.hash("s3cret password")
        let second = try hasher.hash("s3cret password")
        let parts = first.split(separator: "$")
        XCTAssertEqual(parts.count, 4)
        XCTAssertEqual(parts[0], "pbkdf2-sha256")
        XCTAssertEqual(parts[1], "1000")
        XCTAssertEqual(Data(base64Encoded: String(parts[2]))?.count, 16)
        XCTAssertEqual(Data(base64Encoded: String(parts[3]))?.count, 32)
        XCTAssertNotEqual(first, second, "every hash has its own salt")
        XCTAssertTrue(hasher.verify("s3cret password", against: first))
        XCTAssertTrue(PasswordHasher(iterations: 5).verify("s3cret password", against: first), "rounds come from the stored hash")
        XCTAssertFalse(hasher.verify("s3cret passworD", against: first))
        for malformed in ["", "pbkdf2-sha256$1000$$", "md5$1$AA==$AA==", "pbkdf2-sha256$0$AAAA$AAAAAAAAAAAAAAAAAAAAAA==",
                          "pbkdf2-sha256$99999999999$AAAA$AAAAAAAAAAAAAAAAAAAAAA==", "pbkdf2-sha256$x$AAAA$AAAA"] {
            XCTAssertFalse(hasher.verify("s3cret password", against: malformed), malformed)
        }
        // A stored hash of another length is refused before any PBKDF2 (a planted 1 MB value
        // would have cost a derivation per 32 bytes of it).
        let parts32 = first.split(separator: "$").map(String.init)
        let long = Data(repeating: 7, count: 1 << 20).base64EncodedString()
        XCTAssertFalse(hasher.verify("s3cret password", against: [parts32[0], parts32[1], parts32[2], long].joined(separator: "$")))
    }

    func testDefaultIterationsIsOWASPRecommendation() {
        XCTAssertEqual(PasswordHasher().iterations, 600_000)
    }

    let signer = AccessTokenSigner(secret: Array("k".utf8) + [UInt8](repeating: 7, count: 40))
    let now: Int64 = 1_800_000_000

    func testIssuedTokenVerifiesWithItsClaims() throws {
        let (token, principal) = try signer.issue(userID: "u1", tenantID: "acme", role: .analyst, now: now)
        XCTAssertEqual(try signer.verify(token, now: now + 10).get(), principal)
        XCTAssertEqual(principal.expiresAt, now + 900)
        let claims = try JSONParser.parse(Base64.decodeURL(String(token.split(separator: ".")[1]))!)
        XCTAssertEqual(claims["sub"]?.string, "u1")
        XCTAssertEqual(claims["tenant_id"]?.string, "acme")
        XCTAssertEqual(claims["role"]?.string, "analyst")
        XCTAssertEqual(claims["iat"]?.int64, now)
        XCTAssertEqual(claims["exp"]?.int64, now + 900)
        XCTAssertEqual(claims["jti"]?.string?.count, 32)
    }

    func testExpiredAndFutureTokensAreRefused() throws {
        let (token, _) = try signer.issue(userID: "u1", tenantID: "acme", role: .viewer, now: now)
        XCTAssertNoThrow(try signer.verify(token, now: now + 900 + 29).get(), "inside the leeway")
        XCTAssertEqual(signer.verify(token, now: now + 900 + 31), .failure(.expired))
        XCTAssertEqual(signer.verify(token, now: now - 120), .failure(.notYetValid))
    }

    /// Builds a token with arbitrary header and claims, signed with `key` (nil = no signature).
    func craft(header: String, claims: String, key: [UInt8]?) -> String {
        let input = Base64.encodeURL(Array(header.utf8)) + "." + Base64.encodeURL(Array(claims.utf8))
        guard let key else { return input + "." }
        return input + "." + Base64.encodeURL(Crypto.hmacSHA256(key: key, message: Array(input.utf8)))
    }

    var goodClaims: String { #"{"iss":"avesa","sub":"u1","tenant_id":"acme","role":"admin","iat":\#(now),"exp":\#(now + 900),"jti":"j"}"# }
    let secret = Array("k".utf8) + [UInt8](repeating: 7, count: 40)

    func testCraftedTokenWithRightKeyIsAcceptedSoTheNegativeCasesAreMeaningful() {
        XCTAssertNoThrow(try signer.verify(craft(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: goodClaims, key: secret), now: now).get())
    }

    func testAlgorithmMustBeExactlyHS256() {
        XCTAssertEqual(signer.verify(craft(header: #"{"alg":"none","typ":"JWT"}"#, claims: goodClaims, key: nil), now: now), .failure(.malformed))
        XCTAssertEqual(signer.verify(craft(header: #"{"alg":"none"}"#, claims: goodClaims, key: secret), now: now), .failure(.algorithm))
        for alg in ["hs256", "HS512", "RS256", "HS256 ", ""] {
            XCTAssertEqual(signer.verify(craft(header: #"{"alg":"\#(alg)"}"#, claims: goodClaims, key: secret), now: now), .failure(.algorithm), alg)
        }
        XCTAssertEqual(signer.verify(craft(header: #"{"typ":"JWT"}"#, claims: goodClaims, key: secret), now: now), .failure(.algorithm))
        XCTAssertEqual(signer.verify(craft(header: #"{"alg":"HS256","crit":["exp"]}"#, claims: goodClaims, key: secret), now: now), .failure(.malformed))
    }

    func testForgedTamperedAndMalformedTokensAreRefused() throws {
        XCTAssertEqual(signer.verify(craft(header: #"{"alg":"HS256"}"#, claims: goodClaims, key: Array("x".utf8)), now: now), .failure(.signature))
        let (token, _) = try signer.issue(userID: "u1", tenantID: "acme", role: .viewer, now: now)
        let parts = token.split(separator: ".").map(String.init)
        let escalated = Base64.encodeURL(Array(#"{"iss":"avesa","sub":"u1","tenant_id":"globex","role":"admin","iat":\#(now),"exp":\#(now + 900),"jti":"j"}"#.utf8))
        XCTAssertEqual(signer.verify(parts[0] + "." + escalated + "." + parts[2], now: now), .failure(.signature))
        var flipped = Array(parts[2].utf8)
        flipped[0] = flipped[0] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertEqual(signer.verify(parts[0] + "." + parts[1] + "." + String(decoding: flipped, as: UTF8.self), now: now), .failure(.signature))
        for malformed in ["", "a.b", "a.b.c.d", token + ".", parts[0] + "." + parts[1] + "." + parts[2] + "=", "..", "a b.c.d",
                          parts[0] + "=." + parts[1] + "." + parts[2], String(repeating: "a", count: 5000)] {
            if case .success = signer.verify(malformed, now: now) { XCTFail("accepted \(malformed)") }
        }
    }

    func testClaimsAreValidatedEvenWhenSigned() {
        let bad = [
            #"{"iss":"avesa","sub":"u1","tenant_id":"../globex","role":"admin","iat":\#(now),"exp":\#(now + 900),"jti":"j"}"#,
            #"{"iss":"avesa","sub":"u1","tenant_id":"acme","role":"root","iat":\#(now),"exp":\#(now + 900),"jti":"j"}"#,
            #"{"iss":"other","sub":"u1","tenant_id":"acme","role":"admin","iat":\#(now),"exp":\#(now + 900),"jti":"j"}"#,
            #"{"iss":"avesa","sub":"","tenant_id":"acme","role":"admin","iat":\#(now),"exp":\#(now + 900),"jti":"j"}"#,
            #"{"iss":"avesa","sub":"u1","tenant_id":"acme","role":"admin","iat":\#(now),"exp":"\#(now + 900)","jti":"j"}"#,
            #"{"iss":"avesa","sub":"u1","tenant_id":"acme","role":"admin","iat":\#(now),"exp":\#(now + 9_000_000),"jti":"j"}"#,
            #"{"iss":"avesa","sub":"u1","tenant_id":"acme","role":"admin","iat":\#(now),"exp":\#(now + 900)}"#,
        ]
        for claims in bad {
            XCTAssertEqual(signer.verify(craft(header: #"{"alg":"HS256"}"#, claims: claims, key: secret), now: now), .failure(.claims), claims)
        }
        XCTAssertEqual(signer.verify(craft(header: #"{"alg":"HS256"}"#, claims: #"["not an object"]"#, key: secret), now: now), .failure(.malformed))
        let notBefore = #"{"iss":"avesa","sub":"u1","tenant_id":"acme","role":"admin","iat":\#(now),"nbf":\#(now + 600),"exp":\#(now + 900),"jti":"j"}"#
        XCTAssertEqual(signer.verify(craft(header: #"{"alg":"HS256"}"#, claims: notBefore, key: secret), now: now), .failure(.notYetValid))
    }

    func testJWTSecretFileIsCreatedWithMode0600AndReused() throws {
        let dir = try makeTemporaryDirectory(self).path
        let first = try JWTSecret.load(dataDirectory: dir, environment: [:])
        XCTAssertEqual(first.count, 64)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/jwt.key")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try JWTSecret.load(dataDirectory: dir, environment: [:]), first)
        XCTAssertEqual(try JWTSecret.load(dataDirectory: dir, environment: ["AVESA_JWT_SECRET": String(repeating: "z", count: 40)]),
                       Array(String(repeating: "z", count: 40).utf8))
        XCTAssertThrowsError(try JWTSecret.load(dataDirectory: dir, environment: ["AVESA_JWT_SECRET": "short"]))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/jwt.key")
        XCTAssertThrowsError(try JWTSecret.load(dataDirectory: dir, environment: [:]), "a world-readable key is refused")
    }

    func testLoginRateLimiterWindow() {
        let limiter = LoginRateLimiter(maxFailures: 3, windowSeconds: 60)
        for t in 0..<3 { XCTAssertNil(limiter.retryAfter(client: "1.2.3.4", email: "a@b", now: Int64(t))); limiter.recordFailure(client: "1.2.3.4", email: "A@b", now: Int64(t)) }
        XCTAssertEqual(limiter.retryAfter(client: "1.2.3.4", email: "a@b", now: 10), 50)
        XCTAssertNil(limiter.retryAfter(client: "5.6.7.8", email: "a@b", now: 10), "other client")
        XCTAssertNil(limiter.retryAfter(client: "1.2.3.4", email: "c@b", now: 10), "other e-mail")
        XCTAssertNil(limiter.retryAfter(client: "1.2.3.4", email: "a@b", now: 61), "oldest failure left the window")
        limiter.recordSuccess(client: "1.2.3.4", email: "a@b")
        XCTAssertNil(limiter.retryAfter(client: "1.2.3.4", email: "a@b", now: 10))
    }

    func testLoginRateLimiterCountsAClientOverEveryEmailAndCanTakeAnAttemptBack() {
        let limiter = LoginRateLimiter(maxFailures: 3, maxClientFailures: 4, windowSeconds: 60)
        for n in 0..<4 { XCTAssertNil(limiter.beginAttempt(client: "1.2.3.4", email: "u\(n)@b", now: 0)) }
        XCTAssertEqual(limiter.beginAttempt(client: "1.2.3.4", email: "fresh@b", now: 10), 50, "the client's limit")
        XCTAssertNil(limiter.beginAttempt(client: "5.6.7.8", email: "fresh@b", now: 10), "another client")
        limiter.cancelAttempt(client: "5.6.7.8", email: "fresh@b", now: 10)
        for _ in 0..<3 { XCTAssertNil(limiter.beginAttempt(client: "5.6.7.8", email: "fresh@b", now: 20)) }
        XCTAssertNotNil(limiter.beginAttempt(client: "5.6.7.8", email: "fresh@b", now: 20), "three counted, the cancelled one not")
        XCTAssertNil(limiter.beginAttempt(client: "1.2.3.4", email: "fresh@b", now: 61), "the client's failures left the window")
    }
}
