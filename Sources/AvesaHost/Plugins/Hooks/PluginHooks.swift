import Foundation
import PluginABI

/// The bridge to one plugin's `avesa_hooks`: the C function pointers copied once with
/// `SizedStructReader`, `init` called once lazily with the host-services table, and each
/// hook exposed as a Swift async method (`PluginHooks+Calls.swift`).
///
/// Threads: every hook runs on this bridge's `HookExecutor` (plain threads, never a
/// Swift-concurrency thread), so hooks may block. With AVESA_PLUGIN_SERIALIZE_HOOKS the
/// executor has one thread and hooks run one at a time.
///
/// Ownership:
/// - the hooks table and every function in it are static plugin memory (never freed);
/// - the host-services table is immortal (`HostServices`);
/// - everything passed to a hook is host memory valid only during the call;
/// - everything a hook returns (results and `*out_error` strings) is copied into Swift
///   values, then released exactly once with the plugin's `free` — the host frees only
///   the top-level pointer a hook returned, so the plugin's `free` must release whatever
///   hangs off it (one allocation per result is the simplest way);
/// - the plugin state from `init` is never released (the ABI has no shutdown hook).
///
/// One bridge per loaded plugin, shared by all tenants; the (tenant, service) of a call is
/// its `HookClientContext`.
public final class PluginHooks: @unchecked Sendable {
    /// The plugin's service name.
    public let service: String
    /// Which hooks the plugin provides.
    public let available: HookSet
    /// Whether the plugin asked for AVESA_PLUGIN_SERIALIZE_HOOKS.
    public let serialized: Bool
    /// The copied C table (function pointers into the plugin image, valid forever).
    let table: avesa_hooks
    let services: HostServices
    private let executor: HookExecutor
    /// Recursive: `init` may call the host's `http`, whose custom authentication calls back
    /// into the plugin on the same thread, which must get an error, not wait for itself.
    private let initLock = NSRecursiveLock()
    private var initState: InitState = .pending  // under initLock

    private enum InitState {
        case pending
        /// `init` is running (on the thread holding `initLock`).
        case running
        case ready(UnsafeMutableRawPointer?)
        case failed(PluginHookError)
    }

    /// The bridge for `plugin`, or nil when it declares no hooks.
    ///
    /// - Parameters:
    ///   - logSink: where the plugin's `log` lines go.
    ///   - clock: `now_unix_ms` (a test clock in tests); nil for the system clock.
    ///   - threads: hook threads for a plugin without AVESA_PLUGIN_SERIALIZE_HOOKS.
    public convenience init?(plugin: LoadedPlugin, logSink: any PluginLogSink = StandardErrorLogSink(),
                             clock: (@Sendable () -> Int64)? = nil,
                             threads: Int = 2) throws {
        let table: avesa_hooks
        do {
            // Validated by the loader; re-read (size-checked) only to reach the hooks table.
            let raw = try SizedStructReader.read(UnsafeRawPointer(plugin.rawManifest), as: avesa_plugin.self, field: "plugin")
            guard raw.hooks != nil else { return nil }
            table = try SizedStructReader.read(UnsafeRawPointer(raw.hooks), as: avesa_hooks.self, field: "hooks")
        } catch let violation as ManifestViolation {
            throw PluginLoadError(.invalidManifest, path: plugin.path, reason: violation.message)
        } catch {
            throw PluginLoadError(.invalidManifest, path: plugin.path, reason: "invalid hooks: \(error)")
        }
        self.init(service: plugin.manifest.service, table: table, available: plugin.manifest.hooks,
                  serialized: plugin.manifest.serializeHooks, logSink: logSink, clock: clock ?? HostServices.systemClock,
                  threads: threads)
    }

    private init(service: String, table: avesa_hooks, available: HookSet, serialized: Bool,
                 logSink: any PluginLogSink, clock: @escaping @Sendable () -> Int64, threads: Int) {
        self.service = service
        self.table = table
        self.available = available
        self.serialized = serialized
        services = HostServices.make(service: service, logSink: logSink, clock: clock)
        executor = HookExecutor(threads: serialized ? 1 : max(1, threads), name: service)
    }

    deinit {
        executor.shutdown()
    }

    /// Number of hook threads (1 when serialized).
    public var threadCount: Int { executor.threadCount }

    /// Runs `body` on a hook thread with `call` as the thread's current (tenant, service),
    /// after `init` has succeeded.
    func perform<T: Sendable>(_ hook: String, for call: HookClientContext,
                              _ body: @escaping @Sendable (UnsafeMutableRawPointer?) throws -> T) async throws -> T {
        let result: Result<T, any Error> = await executor.run { [self] in
            let worker = HookWorker.current
            let saved = worker?.currentCall
            worker?.currentCall = call
            defer { worker?.currentCall = saved }
            return Result { try body(try initializedState()) }
        }
        return try result.get()
    }

    /// The plugin state, calling `init` first if it has not run. Called on hook threads
    /// only; concurrent first calls wait for the one running `init` (they are hook
    /// threads, so blocking is allowed). A failed `init` fails every later call the same way.
    private func initializedState() throws -> UnsafeMutableRawPointer? {
        initLock.lock()
        defer { initLock.unlock() }
        switch initState {
        case .ready(let state): return state
        case .failed(let error): throw error
        case .running:
            // Only the thread running `init` gets here (others wait on the lock): `init`
            // called back into the plugin, e.g. `http` with custom authentication.
            throw PluginHookError(plugin: service, hook: "init", status: AVESA_ERR_INVALID_ARGUMENT,
                                  message: "init called back into the plugin before it returned (its state does not exist yet); "
                                      + "call http from later hooks, not from init")
        case .pending: break
        }
        guard let initialize = table.`init` else {
            initState = .ready(nil)
            return nil
        }
        var state: UnsafeMutableRawPointer?
        var message: UnsafeMutablePointer<CChar>?
        initState = .running
        let status = initialize(services.table, &state, &message)
        let text = takeMessage(message, state: state)
        guard status == AVESA_OK else {
            let error = PluginHookError(plugin: service, hook: "init", status: status, message: text ?? "no message")
            initState = .failed(error)
            throw error
        }
        initState = .ready(state)
        return state
    }

    /// Copies an error string a hook set, then releases it with the plugin's `free`.
    func takeMessage(_ message: UnsafeMutablePointer<CChar>?, state: UnsafeMutableRawPointer?) -> String? {
        guard let message else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(start: message, count: strlen(message)), as: UTF8.self)
        release(message, state: state)
        return text
    }

    /// Releases memory a hook returned, with the plugin's `free` (NULL is ignored).
    func release(_ pointer: UnsafeMutableRawPointer?, state: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        table.free?(state, pointer)
    }

    /// Throws the hook's failure: its status and copied message.
    func check(_ status: avesa_status, hook: String, message: String?) throws {
        guard status == AVESA_OK else {
            throw PluginHookError(plugin: service, hook: hook, status: status, message: message ?? "no message")
        }
    }

    /// A successful hook whose result the host cannot use.
    func unusable(_ hook: String, _ problem: String) -> PluginHookError {
        PluginHookError(plugin: service, hook: hook, status: AVESA_OK, message: problem)
    }

    /// A hook the plugin does not provide.
    func missing(_ hook: String) -> PluginHookError {
        PluginHookError(plugin: service, hook: hook, status: AVESA_ERR_UNSUPPORTED, message: "the plugin does not provide this hook")
    }
}
