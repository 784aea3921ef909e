@testable import AvesaHost
import Foundation
import XCTest

/// Free memory that glibc keeps inside an arena goes back to the kernel when asked.
final class MallocTuningTests: XCTestCase {
    private func residentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    func testReleasingFreeMemoryReturnsFreedBlocksBelowTheTopOfTheHeap() {
        // 96 MiB in 1 KiB blocks (never mmap'ed); the last one, highest in the heap, stays,
        // so freeing the rest leaves a hole that the ordinary top-of-heap trim cannot return.
        let count = 96 * 1024
        var blocks: [UnsafeMutableRawPointer] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            let block = malloc(1024)!
            memset(block, 1, 1024)
            blocks.append(block)
        }
        let pin = blocks.removeLast()
        for block in blocks { free(block) }
        let before = residentKiB()
        MallocTuning.releaseFreeMemory()
        let after = residentKiB()
        free(pin)
        XCTAssertGreaterThan(before - after, 48 * 1024, "resident \(before) KiB before, \(after) KiB after")
    }
}
