/// `GET /health`: liveness for load balancers and scripts, no authentication.
public enum HealthRoutes {
    /// Adds the health routes to `router`.
    public static func register(on router: inout Router) {
        router.get("/health") { _ in
            .json(JSONValue.object(["status": "ok", "version": .string(AvesaVersion.current), "service": "avesa-host"]))
        }
    }
}
