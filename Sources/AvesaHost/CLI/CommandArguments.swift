/// A command's arguments split into positional words, `--name VALUE` options and
/// `--flag` switches, checked against what the command accepts (unknown options and
/// missing values are usage errors). `--name=VALUE` is accepted too.
struct CommandArguments {
    /// Words that are not options, in order.
    private(set) var positional: [String] = []
    /// Option values by name (without dashes); a repeated option keeps the last value.
    private(set) var values: [String: String] = [:]
    /// Switches given (without dashes).
    private(set) var flags: Set<String> = []

    /// Parses `arguments`; `command` prefixes error messages (e.g. "service add").
    init(_ arguments: [String], command: String, valueOptions: Set<String>, flagOptions: Set<String>) throws(CLIError) {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("-"), word != "-" else {
                positional.append(word)
                continue
            }
            var name = String(word.drop(while: { $0 == "-" }))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valueOptions.contains(name) {
                if let inline {
                    values[name] = inline
                } else {
                    guard index < arguments.count else { throw .usage("\(command): --\(name) needs a value") }
                    values[name] = arguments[index]
                    index += 1
                }
            } else if flagOptions.contains(name), inline == nil {
                flags.insert(name)
            } else {
                throw .usage("\(command): unknown option \(word)")
            }
        }
    }

    /// The value of `--name`, or a usage error naming it.
    func required(_ name: String, command: String) throws(CLIError) -> String {
        guard let value = values[name], !value.isEmpty else { throw .usage("\(command): --\(name) is required") }
        return value
    }

    /// Whether `--help` or `-h` appears anywhere in `arguments`.
    static func wantsHelp(_ arguments: [String]) -> Bool {
        arguments.contains("--help") || arguments.contains("-h")
    }
}
