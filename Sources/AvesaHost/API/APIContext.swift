import Foundation

/// Everything the API routes need, built once at start-up and shared by every request.
///
///     let context = try APIContext.open(dataDirectory: "/var/lib/avesa")
///     var router = Router()
///     APIRoutes.register(on: &router, context: context)
///     let server = HTTPServer(configuration: …, router: router,
///                             middleware: [RequestIDMiddleware(), AuthenticationMiddleware(context: context)])
public struct APIContext: Sendable {
    /// The data folder layout; warehouses are opened from here, per request, read-only.
    public var layout: DataLayout
    /// Users to authenticate.
    public var users: any UserDirectory
    /// Refresh-token families.
    public var refreshTokens: any RefreshTokenStore
    /// Access-token signer/verifier.
    public var signer: AccessTokenSigner
    /// Password hashing (iterations configurable).
    public var passwordHasher: PasswordHasher
    /// Failed-login limiter.
    public var loginLimiter: LoginRateLimiter
    /// Password checks (PBKDF2, ~0.2 s of a core each) running at once: half the cores, so
    /// a flood of logins, which are answered before any account is known, cannot take the
    /// whole machine from the API and the pipeline.
    public var passwordChecks = AsyncLimiter(permits: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
    /// Logins waiting for a password check beyond which a login is answered 503 at once.
    public var maxWaitingPasswordChecks = 32
    /// Refreshes and logouts at once (each holds a thread on the shared control database):
    /// twice the cores, 64 more waiting, then 503, so a flood of them cannot take every
    /// thread from logins and reads.
    public var tokenRequests = AsyncLimiter(permits: 2 * max(1, ProcessInfo.processInfo.activeProcessorCount))
    /// Refreshes and logouts waiting beyond which one is answered 503 at once.
    public var maxWaitingTokenRequests = 64
    /// Reads of the control database's run history (pipeline runs and status, detailed
    /// health) at once: they share the one control thread with every run's checkpoints,
    /// so two at a time, 16 more waiting, then 503.
    public var controlReads = AsyncLimiter(permits: 2)
    /// Control reads waiting beyond which one is answered 503 at once.
    public var maxWaitingControlReads = 16
    /// Current time, microseconds since the epoch (injectable for tests).
    public var clock: @Sendable () -> Int64
    /// Read-only warehouse connections kept between requests.
    var warehouseReaders = WarehouseReaderPool()
    /// Expensive read results per warehouse snapshot.
    var warehouseResults = WarehouseResultCache()
    /// Warehouse reads of one tenant at once (shared by copies of the context).
    public var tenantReads = TenantReadGate()
    /// Seconds a request's warehouse queries may run before they are stopped (503
    /// `query_timeout`).
    public var warehouseReadSeconds = 10.0
    /// Whether tokens' users still exist, remembered for a few seconds.
    let liveUsers = LiveUserCheck()

    public init(layout: DataLayout, users: any UserDirectory, refreshTokens: any RefreshTokenStore,
                signer: AccessTokenSigner, passwordHasher: PasswordHasher = PasswordHasher(),
                loginLimiter: LoginRateLimiter = LoginRateLimiter(),
                clock: @escaping @Sendable () -> Int64 = APIContext.systemClock) {
        self.layout = layout
        self.users = users
        self.refreshTokens = refreshTokens
        self.signer = signer
        self.passwordHasher = passwordHasher
        self.loginLimiter = loginLimiter
        self.clock = clock
    }

    /// Wall-clock time in microseconds.
    public static let systemClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    /// Opens `<data>/control.sqlite` (creating `users` and `refresh_tokens` if missing), loads
    /// or creates the JWT secret (`JWTSecret`) and wires the SQLite stores.
    /// `AVESA_API_CACHE_MIB` sizes the per-snapshot result cache (default 64; 0 turns it off).
    public static func open(dataDirectory: String, passwordIterations: Int = PasswordHasher.defaultIterations,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> APIContext {
        let layout = DataLayout(root: dataDirectory)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let control = SerializedDatabase(try SQLiteDatabase(path: layout.controlDatabase))
        let users = SQLiteUserDirectory(control: control)
        try users.createSchemaIfNeeded()
        let tokens = SQLiteRefreshTokenStore(control: control)
        try tokens.createSchemaIfNeeded()
        let secret = try JWTSecret.load(dataDirectory: dataDirectory, environment: environment)
        var context = APIContext(layout: layout, users: users, refreshTokens: tokens, signer: AccessTokenSigner(secret: secret),
                                 passwordHasher: PasswordHasher(iterations: passwordIterations))
        if let text = environment["AVESA_API_CACHE_MIB"] {
            guard let mib = Int(text), (0...4096).contains(mib) else {
                throw InvalidSetting(description: "AVESA_API_CACHE_MIB must be a whole number of MiB from 0 to 4096, not '\(text)'")
            }
            context.warehouseResults = WarehouseResultCache(maxBytes: mib << 20)
        }
        return context
    }

    /// A server setting from the environment that cannot be used, named in `description`.
    public struct InvalidSetting: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Seconds since the epoch.
    var nowSeconds: Int64 { clock() / 1_000_000 }
}
