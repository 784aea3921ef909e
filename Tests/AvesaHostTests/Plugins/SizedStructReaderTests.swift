@testable import AvesaHost
import PluginABI
import XCTest

/// Size-prefixed ABI structs: the frozen ABI 1.0 sizes stay the floor a plugin may declare,
/// whatever the host's own header grows to.
final class SizedStructReaderTests: XCTestCase {
    func testTheFrozenABI10SizesMatchTheHeaderUntilAStructGrows() {
        func size<T>(_ type: T.Type) -> (ObjectIdentifier, Int) { (ObjectIdentifier(type), MemoryLayout<T>.size) }
        let current = [size(avesa_plugin.self), size(avesa_credential_field.self), size(avesa_name_value.self), size(avesa_auth.self),
                       size(avesa_rate_limit.self), size(avesa_pagination.self), size(avesa_endpoint.self), size(avesa_http_request.self),
                       size(avesa_http_response.self), size(avesa_page.self), size(avesa_chunk_plan.self), size(avesa_hooks.self)]
        XCTAssertEqual(SizedStructReader.abi10Sizes.count, current.count)
        for (type, size) in current {
            let frozen = SizedStructReader.abi10Sizes[type]
            // A later 1.x header may only grow a struct; up to 1.1 (which took reserved
            // slots) the sizes are the header's.
            XCTAssertLessThanOrEqual(frozen ?? .max, size)
            if AVESA_ABI_VERSION_MINOR <= 1 { XCTAssertEqual(frozen, size) }
        }
    }

    func testAStructSmallerThanItsABI10LayoutIsRefusedNamingIt() {
        var plan = avesa_chunk_plan()
        plan.struct_size = 8
        XCTAssertThrowsError(try withUnsafeBytes(of: &plan) { try SizedStructReader.read($0.baseAddress, as: avesa_chunk_plan.self, field: "plan") }) {
            XCTAssertTrue("\($0)".contains("smaller than the ABI 1.0 layout (16)"), "\($0)")
        }
        plan.struct_size = 16
        XCTAssertNoThrow(try withUnsafeBytes(of: &plan) { try SizedStructReader.read($0.baseAddress, as: avesa_chunk_plan.self, field: "plan") })
    }
}
