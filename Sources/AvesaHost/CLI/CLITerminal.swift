import Foundation
import Glibc

/// The interactive side of the CLI: whether a person is at a terminal, and how to ask
/// them a question. Commands only prompt when `isInteractive`; tests pass a scripted
/// terminal, `main` the real one (`standardInput()`), and `none` never prompts.
public struct CLITerminal: Sendable {
    /// Whether standard input and standard error are terminals.
    public var isInteractive: Bool
    /// Shows `prompt` and reads one line (without its newline); `secret` turns echo off.
    /// Returns `nil` at end of input.
    public var readLine: @Sendable (_ prompt: String, _ secret: Bool) -> String?

    /// Creates a terminal from its parts.
    public init(isInteractive: Bool, readLine: @escaping @Sendable (_ prompt: String, _ secret: Bool) -> String?) {
        self.isInteractive = isInteractive
        self.readLine = readLine
    }

    /// No terminal: nothing is ever asked.
    public static let none = CLITerminal(isInteractive: false, readLine: { _, _ in nil })

    /// The process's terminal: prompts on standard error, reads standard input, and turns
    /// echo off with termios while a secret is typed.
    public static func standardInput() -> CLITerminal {
        CLITerminal(isInteractive: isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1) { prompt, secret in
            FileHandle.standardError.write(Data(prompt.utf8))
            guard secret else { return Swift.readLine(strippingNewline: true) }
            var saved = termios()
            guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return Swift.readLine(strippingNewline: true) }
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            // Ctrl-C while the secret is typed must not leave the terminal without echo.
            echoRestoredOnInterrupt = saved
            let previous = signal(SIGINT, restoreEchoAndInterrupt)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                signal(SIGINT, previous)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            return Swift.readLine(strippingNewline: true)
        }
    }
}

/// The terminal settings to put back if SIGINT arrives while a secret is typed (written
/// before the handler is installed; read only by it).
nonisolated(unsafe) private var echoRestoredOnInterrupt = termios()

/// SIGINT during a secret prompt: restores echo (`tcsetattr` is async-signal-safe), then
/// lets the signal end the process as it would have.
private func restoreEchoAndInterrupt(_ signalNumber: Int32) {
    tcsetattr(STDIN_FILENO, TCSANOW, &echoRestoredOnInterrupt)
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}
