/// A command's failure, mapped to the exit status the CLI promises: 1 for a failure,
/// 2 for a usage error.
public enum CLIError: Error, Equatable, CustomStringConvertible {
    /// The command line was wrong; the message says how, and the usage is shown.
    case usage(String)
    /// The command ran and failed; the message says why.
    case failure(String)

    /// The process exit status for this error.
    public var exitStatus: Int32 {
        switch self {
        case .usage: 2
        case .failure: 1
        }
    }

    /// The message printed on standard error.
    public var description: String {
        switch self {
        case .usage(let message), .failure(let message): message
        }
    }
}
