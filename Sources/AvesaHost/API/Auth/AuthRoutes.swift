/// `POST /auth/login`, `POST /auth/refresh`, `POST /auth/logout`, `GET /auth/me`.
enum AuthRoutes {
    static let maxBody = 16 * 1024

    static func register(on router: inout Router, context: APIContext) {
        router.post("/auth/login", maxBodySize: maxBody) { request in try await login(request, context) }
        router.post("/auth/refresh", maxBodySize: maxBody) { request in try await refresh(request, context) }
        router.post("/auth/logout", maxBodySize: maxBody) { request in try await logout(request, context) }
        router.get("/auth/me", handler: context.protected(.viewer) { _, principal in
            let user = try await Blocking.run { try context.users.user(id: principal.userID) }
            guard let user, user.tenantID == principal.tenantID else { throw APIContext.unauthorized }
            return .json(["data": userJSON(user)])
        })
    }

    static func userJSON(_ user: UserRecord) -> JSONValue {
        ["id": .string(user.id), "tenant_id": .string(user.tenantID), "email": .string(user.email),
         "role": .string(user.role.rawValue), "created_at": .string(TimestampParser.iso8601(user.createdAt))]
    }

    static var invalidCredentials: HTTPError {
        HTTPError(.unauthorized, code: "invalid_credentials", message: "Invalid tenant, e-mail or password.")
    }

    static func login(_ request: HTTPRequest, _ context: APIContext) async throws -> HTTPResponse {
        let body = try JSONBody(request)
        let tenantID = try body.string("tenant_id", maxLength: 63)
        let email = try body.string("email", maxLength: 320).lowercased()
        let password = try body.string("password", maxLength: 1024)
        let client = request.remoteAddress?.clientKey ?? "in-process"
        let now = context.nowSeconds
        let local = request.remoteAddress?.isLoopback ?? false
        // Failures count per tenant's account: guessing one e-mail in one tenant does not lock
        // the same e-mail out of every other tenant.
        let account = tenantID + "/" + email
        if let wait = context.loginLimiter.beginAttempt(client: client, email: account, now: now, limitClient: !local) {
            throw HTTPError(.tooManyRequests, code: "too_many_attempts",
                            message: "Too many failed logins; try again later.", headers: ["Retry-After": String(wait)])
        }
        // `.some(nil)`: checked, no such user or a wrong password; `nil`: shed, nothing checked.
        let checked: UserRecord?? = try await context.passwordChecks.withPermit(unlessWaiting: context.maxWaitingPasswordChecks) {
            try await Blocking.run {
                let found = DataLayout.isValidTenantID(tenantID) ? try context.users.user(tenantID: tenantID, email: email) : nil
                guard let found else {
                    context.passwordHasher.burnVerification(password)
                    return nil
                }
                return context.passwordHasher.verify(password, against: found.passwordHash) ? found : nil
            }
        }
        guard let user = checked else {
            context.loginLimiter.cancelAttempt(client: client, email: account, now: now)
            throw HTTPError(.serviceUnavailable, code: "server_busy", message: "Too many sign-ins at once; retry shortly.",
                            headers: ["Retry-After": "1"])
        }
        guard let user else { throw invalidCredentials }  // the attempt stays counted
        context.loginLimiter.recordSuccess(client: client, email: account, now: now)
        let refresh = try await Blocking.run { try context.refreshTokens.issue(userID: user.id, tenantID: user.tenantID, now: now) }
        return try tokenResponse(user: user, refreshToken: refresh, context: context, now: now)
    }

    static func refresh(_ request: HTTPRequest, _ context: APIContext) async throws -> HTTPResponse {
        let token = try JSONBody(request).string("refresh_token", maxLength: 256)
        let now = context.nowSeconds
        let outcome = try await throttled(context) {
            try await Blocking.run { () throws -> (RefreshOutcome, UserRecord?) in
                let outcome = try context.refreshTokens.rotate(token, now: now)
                guard case .rotated(let userID, _, _) = outcome else { return (outcome, nil) }
                return (outcome, try context.users.user(id: userID))
            }
        }
        guard case (.rotated(_, let tenantID, let newToken), let user?) = outcome, user.tenantID == tenantID else {
            throw APIContext.unauthorized
        }
        return try tokenResponse(user: user, refreshToken: newToken, context: context, now: now)
    }

    static func logout(_ request: HTTPRequest, _ context: APIContext) async throws -> HTTPResponse {
        let token = try JSONBody(request).string("refresh_token", maxLength: 256)
        let now = context.nowSeconds
        try await throttled(context) { try await Blocking.run { try context.refreshTokens.revokeFamily(of: token, now: now) } }
        return HTTPResponse(status: .noContent, headers: ["Cache-Control": "no-store"])
    }

    /// Runs a refresh or logout under `APIContext.tokenRequests`; 503 when too many wait.
    private static func throttled<T: Sendable>(_ context: APIContext, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let result = try await context.tokenRequests.withPermit(unlessWaiting: context.maxWaitingTokenRequests, body) else {
            throw HTTPError(.serviceUnavailable, code: "server_busy", message: "Too many token requests at once; retry shortly.")
        }
        return result
    }

    static func tokenResponse(user: UserRecord, refreshToken: String, context: APIContext, now: Int64) throws -> HTTPResponse {
        let access = try context.signer.issue(userID: user.id, tenantID: user.tenantID, role: user.role, now: now)
        var response = HTTPResponse.json([
            "access_token": .string(access.token), "refresh_token": .string(refreshToken), "token_type": "Bearer",
            "expires_in": .number(JSONNumber(context.signer.lifetimeSeconds)), "user": userJSON(user),
        ])
        response.headers.set(name: "Cache-Control", value: "no-store")
        return response
    }
}
