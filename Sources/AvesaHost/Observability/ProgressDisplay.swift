import Foundation

/// Shows a run's progress: on a terminal, one status line redrawn twice a second; in
/// logs (not a terminal), a plain progress line every 10 seconds.
public final class ProgressDisplay: @unchecked Sendable {
    private let counter: ProgressCounter
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?  // under lock

    /// A display of `counter` written through `write` (standard error).
    public init(counter: ProgressCounter, interactive: Bool, write: @escaping @Sendable (String) -> Void) {
        self.counter = counter
        self.interactive = interactive
        self.write = write
    }

    /// Starts redrawing.
    public func start() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        let interval: DispatchTimeInterval = interactive ? .milliseconds(500) : .seconds(10)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [counter, interactive, write] in
            write(interactive ? "\r\u{1B}[2K" + counter.line : "progress: " + counter.line + "\n")
        }
        lock.withLock { self.timer = timer }
        timer.resume()
    }

    /// Stops and, on a terminal, leaves the final line in place.
    public func stop() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
        if interactive { write("\r\u{1B}[2K" + counter.line + "\n") }
    }
}
