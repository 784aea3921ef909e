import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Installs SIGTERM/SIGINT handlers that shut a server down gracefully. Keep the returned
/// value alive as long as the handlers should stay installed.
public final class ShutdownSignals: @unchecked Sendable {
    // Invariant: `sources` are set once in init and only cancelled in deinit.
    private let sources: [DispatchSourceSignal]

    /// Ignores SIGTERM/SIGINT's default action and, on either, calls
    /// `server.shutdown(timeout:)` then `onStopped`.
    public init(server: HTTPServer, timeout: Duration = .seconds(10), signals: [Int32] = [SIGTERM, SIGINT],
                onStopped: @escaping @Sendable () -> Void = {}) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task {
                    await server.shutdown(timeout: timeout)
                    onStopped()
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
