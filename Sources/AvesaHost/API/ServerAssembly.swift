import Foundation

/// Everything a serving process runs with — the API context, the control store's
/// worker, the pipeline service and the router with every route — built in one place
/// for `serve` and `demo`.
public struct ServerAssembly: Sendable {
    public let api: APIContext
    public let control: ControlWorker
    public let pipeline: PipelineService
    public let router: Router
    public let middleware: [any Middleware]
    public let engine: CurlEngine

    /// Where things come from.
    public struct Sources: Sendable {
        public var dataDirectory: String
        public var pluginsDirectory: String
        public var mappingsDirectory: String
        /// The dashboard's folder (served at `/`), if present.
        public var dashboardDirectory: String?
        public var environment: [String: String]
        /// PBKDF2 iterations for new passwords.
        public var passwordIterations = PasswordHasher.defaultIterations
        /// Origins allowed by CORS (none by default).
        public var corsOrigins: Set<String> = []
        /// Options of the runs the API starts (the configuration file's throttles and sizes).
        public var pipelineOptions = PipelineOptions()

        public init(dataDirectory: String, pluginsDirectory: String, mappingsDirectory: String, dashboardDirectory: String?,
                    environment: [String: String]) {
            self.dataDirectory = dataDirectory
            self.pluginsDirectory = pluginsDirectory
            self.mappingsDirectory = mappingsDirectory
            self.dashboardDirectory = dashboardDirectory
            self.environment = environment
        }
    }

    /// Opens the stores (migrating the control database), loads plugins and validated
    /// mappings, and registers every route.
    public static func build(_ sources: Sources, log: @escaping @Sendable (LogEvent) -> Void) throws -> ServerAssembly {
        let store = try ControlStore(dataDirectory: sources.dataDirectory)
        let control = ControlWorker(store: store)
        let api = try APIContext.open(dataDirectory: sources.dataDirectory, passwordIterations: sources.passwordIterations,
                                      environment: sources.environment)
        let plugins = try PluginCatalog.scan(directory: sources.pluginsDirectory)
        let endpoints = Dictionary(uniqueKeysWithValues: plugins.plugins.map { ($0.manifest.service, Set($0.manifest.endpoints.map(\.name))) })
        let mappings = try MappingCatalog.load(directory: sources.mappingsDirectory, endpoints: endpoints)
        let vault = try CredentialVault(environment: sources.environment, dataDirectory: sources.dataDirectory)
        let engine = CurlEngine()
        let pipeline = PipelineService(plugins: plugins, mappings: mappings, dataDirectory: sources.dataDirectory,
                                       control: control, vault: vault, engine: engine, defaultOptions: sources.pipelineOptions, log: log)
        var router = Router()
        HealthRoutes.register(on: &router)
        APIRoutes.register(on: &router, context: api)
        PipelineRoutes.register(on: &router, context: api, control: control, pipeline: pipeline)
        OperationsRoutes.register(on: &router, context: api, control: control, pluginCount: plugins.plugins.count)
        if let dashboard = sources.dashboardDirectory { try registerDashboard(dashboard, on: &router) }
        var middleware: [any Middleware] = [RequestIDMiddleware(), AuthenticationMiddleware(context: api)]
        if !sources.corsOrigins.isEmpty { middleware.insert(CORSMiddleware(allowedOrigins: sources.corsOrigins), at: 1) }
        return ServerAssembly(api: api, control: control, pipeline: pipeline, router: router, middleware: middleware, engine: engine)
    }

    /// Serves the dashboard: `/` is its index.html; each top-level file and folder of it
    /// gets its own route, so API paths keep their JSON 404s and 405s.
    static func registerDashboard(_ directory: String, on router: inout Router) throws {
        let files = try StaticFiles(root: directory)
        let serve = files.handler(parameter: "path")
        // The dashboard shows customers' data: only its own scripts and styles may run,
        // and no other site may frame it.
        let handler: HTTPHandler = { request in
            var response = try await serve(request)
            response.headers.set(name: "Content-Security-Policy",
                                 value: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
            response.headers.set(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.set(name: "Referrer-Policy", value: "no-referrer")
            return response
        }
        router.get("/", handler: { request in
            var index = request
            index.pathParameters["path"] = "index.html"
            return try await handler(index)
        })
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where !name.hasPrefix(".") && name != "dev" {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                router.get("/" + name + "/*rest", handler: { request in
                    var file = request
                    file.pathParameters["path"] = name + "/" + (request.pathParameters["rest"] ?? "")
                    return try await handler(file)
                })
            } else {
                router.get("/" + name, handler: { request in
                    var file = request
                    file.pathParameters["path"] = name
                    return try await handler(file)
                })
            }
        }
    }
}
