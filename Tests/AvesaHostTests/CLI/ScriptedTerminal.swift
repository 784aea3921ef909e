@testable import AvesaHost
import Foundation

/// A terminal that answers prompts from a script and records what was asked.
final class ScriptedTerminal: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String]
    private var asked: [(prompt: String, secret: Bool)] = []

    /// A terminal answering with `answers` in order (then end of input).
    init(answers: [String]) {
        self.answers = answers
    }

    /// The prompts shown so far, with whether echo was off.
    var prompts: [(prompt: String, secret: Bool)] { lock.withLock { asked } }

    /// The interactive `CLITerminal` view.
    var terminal: CLITerminal {
        CLITerminal(isInteractive: true) { prompt, secret in
            self.lock.withLock {
                self.asked.append((prompt, secret))
                return self.answers.isEmpty ? nil : self.answers.removeFirst()
            }
        }
    }
}
