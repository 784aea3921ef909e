/// Bearer-token checks shared by the route guard and `AuthenticationMiddleware`.
extension APIContext {
    /// The 401 every authentication failure answers, whatever the reason (no detail leak).
    static var unauthorized: HTTPError {
        HTTPError(.unauthorized, code: "unauthorized", message: "Authentication required.",
                  headers: ["WWW-Authenticate": "Bearer"])
    }

    /// The principal of the request's `Authorization: Bearer …` token, or 401. The token's
    /// user must still exist in the token's tenant (checked at most every few seconds,
    /// `LiveUserCheck`), and acts with the lower of the token's role and its current one.
    public func authenticate(_ request: HTTPRequest) async throws(HTTPError) -> Principal {
        let values = request.headers.values(for: "Authorization")
        guard values.count == 1 else { throw Self.unauthorized }
        let value = values[0]
        guard value.count > 7, value.prefix(7).lowercased() == "bearer " else { throw Self.unauthorized }
        let token = value.dropFirst(7).trimmingASCIIWhitespace()
        var principal: Principal
        switch signer.verify(token, now: nowSeconds) {
        case .success(let verified): principal = verified
        case .failure: throw Self.unauthorized
        }
        let now = clock()
        var entry = liveUsers.cached(principal.userID, now: now)
        if entry == nil {
            let users = self.users, userID = principal.userID
            let user: UserRecord?
            do { user = try await Blocking.run { try users.user(id: userID) } } catch {
                throw HTTPError(.serviceUnavailable, code: "server_busy", message: "The user directory could not be read; try again.")
            }
            let fresh = LiveUserCheck.Entry(tenantID: user?.tenantID, role: user?.role ?? .viewer, checkedAt: now)
            liveUsers.remember(userID, fresh)
            entry = fresh
        }
        guard let entry, entry.tenantID == principal.tenantID else { throw Self.unauthorized }
        principal.role = min(principal.role, entry.role)
        return principal
    }

    /// Wraps `handler` so it runs only for a valid token whose role includes `role`
    /// (401 without a valid token, 403 with too small a role).
    public func protected(_ role: Role,
                          _ handler: @escaping @Sendable (HTTPRequest, Principal) async throws -> HTTPResponse) -> HTTPHandler {
        let context = self
        return { request in
            let principal = try await context.authenticate(request)
            guard principal.role.includes(role) else {
                throw HTTPError(.forbidden, code: "forbidden", message: "This action needs the \(role.rawValue) role.")
            }
            var response = try await handler(request, principal)
            // Tenant data must never sit in a shared cache.
            if !response.headers.contains("Cache-Control") { response.headers.set(name: "Cache-Control", value: "private, no-store") }
            return response
        }
    }
}

/// Authenticates every request whose path starts with one of `protectedPrefixes`
/// (default `/api/`): 401 without a valid bearer token, otherwise the principal is
/// attached as request attributes (`Principal.Attribute`) for later middleware and for
/// routes outside `APIRoutes` (e.g. `/api/pipeline/*`). Attributes a client might try to
/// smuggle are cleared first. The API's own routes verify the token again themselves, so
/// they stay protected even where this middleware is not installed.
public struct AuthenticationMiddleware: Middleware {
    public let context: APIContext
    public let protectedPrefixes: [String]

    public init(context: APIContext, protectedPrefixes: [String] = ["/api/"]) {
        self.context = context
        self.protectedPrefixes = protectedPrefixes
    }

    public func handle(_ request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
        var request = request
        for name in [Principal.Attribute.userID, Principal.Attribute.tenantID, Principal.Attribute.role] {
            request.attributes[name] = nil
        }
        guard request.method != .options, protectedPrefixes.contains(where: { request.path.hasPrefix($0) }) else {
            return try await next(request)
        }
        let principal = try await context.authenticate(request)
        request.attributes[Principal.Attribute.userID] = principal.userID
        request.attributes[Principal.Attribute.tenantID] = principal.tenantID
        request.attributes[Principal.Attribute.role] = principal.role.rawValue
        return try await next(request)
    }
}
