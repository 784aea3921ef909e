extension APIContext {
    /// Runs `body` on the control database's worker under `controlReads`: the run history
    /// the pipeline and health endpoints read shares that one thread with every run's page
    /// checkpoints, so however many admins ask at once, at most two reads hold it.
    /// - Throws: 503 `server_busy` when `maxWaitingControlReads` reads wait already.
    func readControl<T: Sendable>(_ control: ControlWorker, _ body: @escaping @Sendable (ControlStore) throws -> T) async throws -> T {
        guard let result = try await controlReads.withPermit(unlessWaiting: maxWaitingControlReads, { try await control.run(body) }) else {
            throw HTTPError(.serviceUnavailable, code: "server_busy", message: "Too many pipeline status requests at once; retry shortly.",
                            headers: ["Retry-After": "1"])
        }
        return result
    }
}
