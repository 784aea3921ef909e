import Foundation

/// `GET /api/users` and `POST /api/users`: user management within the caller's tenant,
/// admins only.
enum UserRoutes {
    static func register(on router: inout Router, context: APIContext) {
        router.get("/api/users", handler: context.protected(.admin) { _, principal in
            let users = try await Blocking.run { try context.users.users(tenantID: principal.tenantID) }
            return .json(["data": .array(users.map(AuthRoutes.userJSON))])
        })
        router.post("/api/users", maxBodySize: AuthRoutes.maxBody, handler: context.protected(.admin) { request, principal in
            let body = try JSONBody(request)
            let email = try body.string("email", maxLength: 320).lowercased()
            guard email.contains("@"), !email.contains(where: { $0.isWhitespace }) else {
                throw HTTPError(.badRequest, code: "invalid_field", message: "Field 'email' must be an e-mail address.")
            }
            let password = try body.string("password", maxLength: 1024)
            guard password.count >= 12 else {
                throw HTTPError(.badRequest, code: "invalid_field", message: "Field 'password' must have at least 12 characters.")
            }
            guard let role = Role(rawValue: try body.string("role", maxLength: 16)) else {
                throw HTTPError(.badRequest, code: "invalid_field", message: "Field 'role' must be admin, analyst or viewer.")
            }
            let now = context.clock()
            let conflict = HTTPError(HTTPStatus(code: 409), code: "conflict", message: "A user with this e-mail already exists.")
            // A taken e-mail is answered before any hashing, and hashing (~0.2 s of a core) waits
            // for a password-check permit like logins do.
            if try await Blocking.run({ try context.users.user(tenantID: principal.tenantID, email: email) }) != nil { throw conflict }
            let hashed = try await context.passwordChecks.withPermit(unlessWaiting: context.maxWaitingPasswordChecks) {
                try await Blocking.run { try context.passwordHasher.hash(password) }
            }
            guard let hashed else {
                throw HTTPError(.serviceUnavailable, code: "server_busy", message: "Too many password checks at once; retry shortly.")
            }
            let user = try await Blocking.run { () throws -> UserRecord? in
                let user = UserRecord(id: UUID().uuidString.lowercased(), tenantID: principal.tenantID, email: email,
                                      role: role, passwordHash: hashed, createdAt: now)
                do { try context.users.add(user) } catch UserDirectoryError.duplicateEmail { return nil }
                return user
            }
            guard let user else { throw conflict }
            return .json(["data": AuthRoutes.userJSON(user)], status: .created)
        })
    }
}
