/// The simulators by plugin service name.
public enum SimulatedServices {
    /// Service names with a simulator, as the plugins name them.
    public static let names = ["connectwise", "servicenow", "salesforce", "m365"]

    /// The simulator of `name` (`graph` is accepted for `m365`), or nil.
    public static func service(named name: String) -> (any SimulatedService)? {
        switch name.lowercased() {
        case "connectwise": ConnectWiseSimulator()
        case "servicenow": ServiceNowSimulator()
        case "salesforce": SalesforceSimulator()
        case "m365", "graph": GraphSimulator()
        default: nil
        }
    }
}
