import AvesaHost
import Foundation

/// Runs the CLI in-process and records what it wrote: the router-level way to test
/// commands without spawning the executable.
final class RecordingCLI: @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var error = ""
    /// The terminal commands see; `.none` (no prompts) unless a test scripts one.
    let terminal: CLITerminal

    /// A recorder whose commands see `terminal`.
    init(terminal: CLITerminal = .none) {
        self.terminal = terminal
    }

    /// Everything written to standard output.
    var standardOutput: String { lock.withLock { out } }
    /// Everything written to standard error.
    var standardError: String { lock.withLock { error } }

    /// Runs `arguments` with `environment` and returns the exit status.
    func run(_ arguments: [String], environment: [String: String] = [:]) -> Int32 {
        let context = CLIContext(
            writeOut: { text in self.lock.withLock { self.out += text } },
            writeError: { text in self.lock.withLock { self.error += text } },
            environment: environment, executableDirectory: TestPaths.builtPluginsDirectory, terminal: terminal)
        return AvesaCLI.run(arguments, context: context)
    }
}
