/// The REST API of issue 9: authentication, analytics, entities, user management and the
/// OpenAPI document. The lead registers it next to the health routes:
///
///     let context = try APIContext.open(dataDirectory: dataDirectory)
///     var router = Router()
///     HealthRoutes.register(on: &router)
///     APIRoutes.register(on: &router, context: context)
///     HTTPServer(…, router: router, middleware: [RequestIDMiddleware(), AuthenticationMiddleware(context: context)])
///
/// Every route except `/auth/login`, `/auth/refresh`, `/auth/logout` and `/openapi.json`
/// requires a bearer access token (checked by the route itself; the middleware adds the
/// same check for other `/api/` routes). Data routes read only the token's tenant
/// warehouse.
public enum APIRoutes {
    /// Adds every API route to `router`.
    public static func register(on router: inout Router, context: APIContext) {
        AuthRoutes.register(on: &router, context: context)
        UserRoutes.register(on: &router, context: context)
        AnalyticsRoutes.register(on: &router, context: context)
        EntityRoutes.register(on: &router, context: context)
        let document = OpenAPIDocument.build().jsonBytes()
        router.get("/openapi.json") { _ in .json(document) }
    }
}
