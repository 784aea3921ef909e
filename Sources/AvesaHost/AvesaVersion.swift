/// The version of Avesa.
public enum AvesaVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
