import Foundation

/// What a command may touch of the outside world: its output streams, the environment
/// and where the executable lives. Tests pass a recording context; `main` the real one.
public struct CLIContext: Sendable {
    /// Writes to standard output (text is written as given; add your own newline).
    public var writeOut: @Sendable (String) -> Void
    /// Writes to standard error.
    public var writeError: @Sendable (String) -> Void
    /// The process environment.
    public var environment: [String: String]
    /// The folder holding the running executable (the default plugins folder).
    public var executableDirectory: String
    /// Where questions go (credential prompts, confirmations); `.none` never asks.
    public var terminal: CLITerminal

    /// Creates a context from its parts.
    public init(writeOut: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
                environment: [String: String], executableDirectory: String, terminal: CLITerminal = .none) {
        self.writeOut = writeOut
        self.writeError = writeError
        self.environment = environment
        self.executableDirectory = executableDirectory
        self.terminal = terminal
    }

    /// The real process: stdout, stderr, the environment, `/proc/self/exe`'s folder and the terminal.
    public static func process() -> CLIContext {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return CLIContext(
            writeOut: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            environment: ProcessInfo.processInfo.environment,
            executableDirectory: (executable as NSString).deletingLastPathComponent,
            terminal: .standardInput())
    }
}
