/// How a run, run table or chunk ended (or that it has not).
public enum RunStatus: String, Sendable, CaseIterable {
    /// Not started yet (chunks only).
    case pending
    /// In progress.
    case running
    /// Finished successfully.
    case done
    /// Finished with an error.
    case failed
}
