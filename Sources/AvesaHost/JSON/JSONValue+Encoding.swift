extension JSONValue {
    /// The compact JSON encoding of this value as UTF-8 bytes.
    public func jsonBytes(options: JSONWriterOptions = .init()) -> [UInt8] {
        var writer = JSONWriter(options: options)
        writer.value(self)
        return writer.takeBytes()
    }

    /// The compact JSON encoding of this value as a `String`.
    public func jsonString(options: JSONWriterOptions = .init()) -> String {
        String(decoding: jsonBytes(options: options), as: UTF8.self)
    }
}
