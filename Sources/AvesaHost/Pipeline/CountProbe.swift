/// Asks a service how many records a range holds (ConnectWise `…/count`, ServiceNow's
/// Aggregate API, Salesforce `COUNT()`), for chunk planning and for announcing a large
/// incremental rewrite (`TenantWarehouse.expectWrites`). A failed or unreadable count is
/// not an error: the range stays one chunk, nothing is announced.
enum CountProbe {
    /// The record count of `query`'s range on `endpoint`, or nil when unknown. `attempts`
    /// caps the tries after errors (`ServiceClient.send`).
    static func count(client: ServiceClient, endpoint: EndpointSpec, query: EndpointQuery, attempts: Int? = nil) async -> Int? {
        guard let url = try? query.countURL(for: endpoint), let pointerText = endpoint.countPointer,
              let pointer = try? JSONPointer(pointerText),
              let response = try? await client.send(HTTPClientRequest(url: url, headers: query.headers), attempts: attempts),
              let value = try? JSONParser.value(at: pointer, in: response.body) else { return nil }
        if let number = value.int64 { return Int(number) }
        return value.string.flatMap { Int($0) }
    }
}
