@testable import AvesaHost
import PluginABI
import XCTest

/// Size-prefixed ABI structs: the frozen ABI 1.0 sizes stay the floor a plugin may declare,
/// whatever the host's own header grows to.
final class SizedStructReaderTests: XCTestCase {
    func testTheFrozenABI10SizesMatchTheHeaderWhileItIs10() {
        let current: [(ObjectIdentifier, Int)] = [
            (ObjectIdentifier(avesa_plugin.self), MemoryLayout<avesa_plugin>.size),
            (ObjectIdentifier(avesa_credential_field.self), MemoryLayout<avesa_credential_field>.size),
            (ObjectIdentifier(avesa_name_value.self), MemoryLayout<avesa_name_value>.size),
            (ObjectIdentifier(avesa_auth.self), MemoryLayout<avesa_auth>.size),
            (ObjectIdentifier(avesa_rate_limit.self), MemoryLayout<avesa_rate_limit>.size),
            (ObjectIdentifier(avesa_pagination.self), MemoryLayout<avesa_pagination>.size),
            (ObjectIdentifier(avesa_endpoint.self), MemoryLayout<avesa_endpoint>.size),
            (ObjectIdentifier(avesa_http_request.self), MemoryLayout<avesa_http_request>.size),
            (ObjectIdentifier(avesa_http_response.self), MemoryLayout<avesa_http_response>.size),
            (ObjectIdentifier(avesa_page.self), MemoryLayout<avesa_page>.size),
            (ObjectIdentifier(avesa_chunk_plan.self), MemoryLayout<avesa_chunk_plan>.size),
            (ObjectIdentifier(avesa_hooks.self), MemoryLayout<avesa_hooks>.size),
        ]
        XCTAssertEqual(SizedStructReader.abi10Sizes.count, current.count)
        for (type, size) in current {
            let frozen = SizedStructReader.abi10Sizes[type]
            // A later 1.x header may only grow a struct; at 1.0 the sizes are the header's.
            if AVESA_ABI_VERSION_MINOR == 0 { XCTAssertEqual(frozen, size) } else { XCTAssertLessThanOrEqual(frozen ?? .max, size) }
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
