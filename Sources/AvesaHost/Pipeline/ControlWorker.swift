/// The control store on its own thread: `ControlStore` is not thread-safe and its SQLite
/// calls block, so every access runs on this worker.
///
/// `@unchecked Sendable`: `store` is confined to `worker`.
public final class ControlWorker: @unchecked Sendable {
    private let store: ControlStore
    private let worker = BlockingWorker(name: "avesa-control")

    /// Takes ownership of `store`; use it only through `run` from now on.
    public init(store: ControlStore) {
        self.store = store
    }

    /// Runs `body` with the store on the control thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable (ControlStore) throws -> T) async throws -> T {
        try await worker.run { [self] in try body(self.store) }
    }

    /// Stops the worker thread after pending work.
    public func stop() {
        worker.stop()
    }
}
