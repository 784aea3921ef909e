import Foundation

/// Issues and verifies HS256 JWT access tokens (RFC 7519) with libcrypto's HMAC-SHA256.
///
/// Claims: `iss` (`avesa`), `sub` (user id), `tenant_id`, `role`, `iat`, `exp`, `jti`.
/// Verification is strict and says nothing about *why* a token failed (callers answer a
/// bare 401):
/// - exactly three base64url segments, no padding, at most `maximumTokenLength` bytes;
/// - the header is a JSON object whose `alg` is exactly `HS256` (`none`, `hs256`, RS256…
///   are refused), `typ` absent or `JWT`, and no `crit`;
/// - the signature (32 bytes) is compared in constant time before the claims are read;
/// - `exp` in the future, `iat` and `nbf` (if present) not in the future, each with
///   `leewaySeconds`; `iss` matches; `sub`, `jti` non-empty; `tenant_id` a valid tenant
///   id; `role` a known role; token lifetime no longer than `maximumLifetimeSeconds`.
public struct AccessTokenSigner: Sendable {
    /// Why a token was refused (for logs and tests; never sent to clients).
    public enum Rejection: Error, Sendable, Equatable {
        case malformed
        case algorithm
        case signature
        case claims
        case expired
        case notYetValid
    }

    private let secret: [UInt8]
    /// Lifetime of new tokens (15 minutes by default).
    public let lifetimeSeconds: Int64
    /// Clock skew tolerated on `exp`, `iat`, `nbf`.
    public let leewaySeconds: Int64
    /// The issuer written and required.
    public let issuer = "avesa"
    static let maximumTokenLength = 4096
    static let maximumLifetimeSeconds: Int64 = 24 * 3600

    /// Creates a signer; `secret` must hold at least 32 bytes.
    public init(secret: [UInt8], lifetimeSeconds: Int64 = 900, leewaySeconds: Int64 = 30) {
        precondition(secret.count >= 32, "the JWT secret needs at least 32 bytes")
        self.secret = secret
        self.lifetimeSeconds = lifetimeSeconds
        self.leewaySeconds = leewaySeconds
    }

    /// A signed token for `user` in `tenantID`, issued at `now` (seconds since the epoch).
    public func issue(userID: String, tenantID: String, role: Role, now: Int64) throws -> (token: String, principal: Principal) {
        let jti = Crypto.hex(try Crypto.randomBytes(16))
        let exp = now + lifetimeSeconds
        let claims: JSONValue = [
            "iss": .string(issuer), "sub": .string(userID), "tenant_id": .string(tenantID), "role": .string(role.rawValue),
            "iat": .number(JSONNumber(now)), "exp": .number(JSONNumber(exp)), "jti": .string(jti),
        ]
        let header = Base64.encodeURL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let input = header + "." + Base64.encodeURL(claims.jsonBytes())
        let signature = Crypto.hmacSHA256(key: secret, message: Array(input.utf8))
        return (input + "." + Base64.encodeURL(signature),
                Principal(userID: userID, tenantID: tenantID, role: role, tokenID: jti, expiresAt: exp))
    }

    /// The principal of a valid token, or the reason it was refused.
    public func verify(_ token: String, now: Int64) -> Result<Principal, Rejection> {
        guard token.utf8.count <= Self.maximumTokenLength else { return .failure(.malformed) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ Self.isBase64URL($0) }),
              let headerBytes = Base64.decodeURL(String(parts[0])),
              let signature = Base64.decodeURL(String(parts[2])),
              let header = try? JSONParser.parse(headerBytes), header.object != nil else { return .failure(.malformed) }
        guard header["alg"]?.string == "HS256" else { return .failure(.algorithm) }
        if let typ = header["typ"], typ.string != "JWT" { return .failure(.malformed) }
        if header["crit"] != nil { return .failure(.malformed) }
        let input = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let expected = Crypto.hmacSHA256(key: secret, message: input)
        guard Crypto.constantTimeEqual(expected, signature) else { return .failure(.signature) }
        guard let claimBytes = Base64.decodeURL(String(parts[1])),
              let claims = try? JSONParser.parse(claimBytes), claims.object != nil else { return .failure(.malformed) }
        guard claims["iss"]?.string == issuer,
              let sub = claims["sub"]?.string, !sub.isEmpty,
              let tenant = claims["tenant_id"]?.string, DataLayout.isValidTenantID(tenant),
              let role = claims["role"]?.string.flatMap(Role.init(rawValue:)),
              let jti = claims["jti"]?.string, !jti.isEmpty,
              let iat = claims["iat"]?.int64, let exp = claims["exp"]?.int64,
              exp > iat, exp - iat <= Self.maximumLifetimeSeconds else { return .failure(.claims) }
        if let nbfValue = claims["nbf"] {
            guard let nbf = nbfValue.int64 else { return .failure(.claims) }
            if nbf > now + leewaySeconds { return .failure(.notYetValid) }
        }
        if iat > now + leewaySeconds { return .failure(.notYetValid) }
        if exp <= now - leewaySeconds { return .failure(.expired) }
        return .success(Principal(userID: sub, tenantID: tenant, role: role, tokenID: jti, expiresAt: exp))
    }

    static func isBase64URL(_ part: Substring) -> Bool {
        !part.isEmpty && part.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
    }
}
