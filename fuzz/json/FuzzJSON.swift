// libFuzzer entry point for the JSON reader and writer. Built by run.sh together with
// Sources/AvesaHost/JSON/*.swift as one module (no SwiftPM), with ASan.
//
// Properties checked on every input:
// - parse, validate, pointer reads and the record scanner agree on accept/reject;
// - anything accepted writes back to JSON that parses to an equal value, and writing is a fixpoint;
// - on-demand extraction returns exactly what the DOM gives for the same paths.

let fuzzOptions = JSONParserOptions(maxDepth: 48)
let fuzzPaths = ["a", "a.b", "id", "status.name", "0"]
let fuzzPlan = try! JSONFieldPlan(dotted: fuzzPaths)
let fuzzPointers = ["", "/a", "/0", "/a/b", "/records", "/~1"].map { try! JSONPointer($0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let dom = try? JSONParser.parse(bytes, options: fuzzOptions)
    let valid = (try? JSONParser.validate(bytes, options: fuzzOptions)) != nil
    precondition((dom != nil) == valid, "parse and validate disagree")

    let pageValues = try? JSONParser.values(at: fuzzPointers, in: bytes, options: fuzzOptions)
    precondition((pageValues != nil) == valid, "pointer read and validate disagree")

    var scanner = JSONRecordScanner(bytes: bytes, fields: fuzzPlan, options: fuzzOptions)
    let records = try? scanner.allRecords()

    guard let dom else {
        precondition(records == nil, "record scanner accepted an invalid document")
        return 0
    }
    for (i, pointer) in fuzzPointers.enumerated() {
        precondition(pageValues![i] == dom.value(at: pointer), "pointer read differs from DOM")
    }
    if case .array(let elements) = dom {
        guard let records else { preconditionFailure("record scanner rejected a valid root array") }
        precondition(records.count == elements.count)
        for (record, element) in zip(records, elements) {
            precondition((try? JSONParser.parse(Array(bytes[record.byteRange]), options: fuzzOptions)) == element, "byte range")
            for (slot, path) in fuzzPlan.paths.enumerated() {
                precondition(record.values[slot] == element.value(atPath: path), "extraction differs from DOM")
            }
        }
    } else {
        precondition(records == nil, "record scanner accepted a non-array root")
    }

    // Records under /records with page fields captured in the same pass.
    if case .object(let root) = dom, root.members.filter({ $0.key == "records" }).count == 1, case .array(let elements)? = root["records"] {
        var paged = JSONRecordScanner(bytes: bytes, recordsAt: try! JSONPointer("/records"), fields: fuzzPlan,
                                      pageFields: fuzzPointers, options: fuzzOptions)
        guard let pagedRecords = try? paged.allRecords() else { preconditionFailure("scanner rejected a valid page") }
        precondition(pagedRecords.count == elements.count)
        for (i, pointer) in fuzzPointers.enumerated() {
            let outside = !pointer.tokens.starts(with: ["records"]) && !["records"].starts(with: pointer.tokens)
            precondition(paged.pageValues[i] == (outside ? dom.value(at: pointer) : nil), "page value differs from DOM")
        }
    }

    for options in [JSONWriterOptions(), JSONWriterOptions(sortedKeys: true, escapeForwardSlash: true)] {
        let written = dom.jsonBytes(options: options)
        guard let reparsed = try? JSONParser.parse(written, options: fuzzOptions) else {
            preconditionFailure("writer produced invalid JSON")
        }
        if !options.sortedKeys { precondition(reparsed == dom, "round trip changed the value") }
        precondition(reparsed.jsonBytes(options: options) == written, "writing is not a fixpoint")
    }
    return 0
}
