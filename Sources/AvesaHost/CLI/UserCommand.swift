import Foundation

/// `avesa-host user add|list`: the people who sign in to the API and dashboard. Passwords
/// are hashed with PBKDF2-HMAC-SHA256 (600,000 iterations, per-user salt) and never shown.
enum UserCommand {
    static let usage = """
    Usage: avesa-host [--data DIR] user add --tenant-id ID --email EMAIL --role admin|analyst|viewer [--password-stdin]
           avesa-host [--data DIR] user list --tenant-id ID [--json]

    add   creates a user; the password is read from standard input with --password-stdin,
          else asked for on the terminal (not echoed). At least 8 characters.
    list  the tenant's users (email and role)

    """

    static func run(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        if arguments.first == nil || arguments.contains("--help") || arguments.contains("-h") {
            context.writeOut(usage)
            if arguments.first == nil { throw .usage("user: missing subcommand (add or list)") }
            return
        }
        switch arguments[0] {
        case "add": try add(Array(arguments.dropFirst()), options: options, context: context)
        case "list": try list(Array(arguments.dropFirst()), options: options, context: context)
        default: throw .usage("user: unknown subcommand \"\(arguments[0])\" (expected add or list)")
        }
    }

    private static func open(_ options: GlobalOptions, tenant: TenantID, context: CLIContext) throws(CLIError) -> APIContext {
        let store = try ControlCommandSupport.openStore(options)
        try ControlCommandSupport.mapped { () throws(ControlError) in try store.requireTenant(tenant) }
        do {
            let iterations = context.environment["AVESA_PBKDF2_ITERATIONS"].flatMap(Int.init).map { max($0, 1000) }
            return try APIContext.open(dataDirectory: options.dataDirectory, passwordIterations: iterations ?? PasswordHasher.defaultIterations,
                                       environment: context.environment)
        } catch {
            throw .failure("cannot open the user store: \(error)")
        }
    }

    private static func add(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "user add", valueOptions: ["tenant-id", "email", "role"],
                                          flagOptions: ["password-stdin"])
        guard let tenantText = parsed.values["tenant-id"], let email = parsed.values["email"], let roleText = parsed.values["role"] else {
            throw .usage("user add: --tenant-id, --email and --role are required")
        }
        guard let role = Role(rawValue: roleText) else { throw .usage("user add: --role must be admin, analyst or viewer") }
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard normalized.contains("@"), normalized.count <= 254, !normalized.contains(" ") else {
            throw .usage("user add: \"\(email)\" is not an e-mail address")
        }
        let tenant = try ControlCommandSupport.tenantID(tenantText)
        let password: String?
        if parsed.flags.contains("password-stdin") {
            password = readLine(strippingNewline: true)
        } else if context.terminal.isInteractive {
            password = context.terminal.readLine("Password for \(normalized): ", true)
        } else {
            throw .usage("user add: no terminal to ask for the password; pass it on standard input with --password-stdin")
        }
        guard let password, password.count >= 8 else { throw .failure("user add: the password must have at least 8 characters") }
        let api = try open(options, tenant: tenant, context: context)
        do {
            guard try api.users.user(tenantID: tenant.rawValue, email: normalized) == nil else {
                throw CLIError.failure("user \(normalized) already exists in tenant \(tenant)")
            }
            try api.users.add(UserRecord(id: UUID().uuidString.lowercased(), tenantID: tenant.rawValue, email: normalized, role: role,
                                         passwordHash: try api.passwordHasher.hash(password), createdAt: Int64(Date().timeIntervalSince1970)))
        } catch let error as CLIError {
            throw error
        } catch {
            throw .failure("user add failed: \(error)")
        }
        context.writeOut("Added \(role.rawValue) \(normalized) to tenant \(tenant)\n")
    }

    private static func list(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "user list", valueOptions: ["tenant-id"], flagOptions: ["json"])
        guard let tenantText = parsed.values["tenant-id"] else { throw .usage("user list: --tenant-id is required") }
        let tenant = try ControlCommandSupport.tenantID(tenantText)
        let users: [UserRecord]
        do { users = try open(options, tenant: tenant, context: context).users.users(tenantID: tenant.rawValue) } catch { throw .failure("\(error)") }
        if parsed.flags.contains("json") {
            context.writeOut(ControlCommandSupport.jsonText(.array(users.map { .object(["email": .string($0.email), "role": .string($0.role.rawValue)]) })))
            return
        }
        var table = TextTable(header: ["EMAIL", "ROLE"])
        for user in users { table.rows.append([user.email, user.role.rawValue]) }
        context.writeOut(users.isEmpty ? "No users in \(tenant).\n" : table.render())
    }
}
