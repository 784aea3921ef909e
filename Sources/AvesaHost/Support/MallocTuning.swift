import CAvesaHTTP

/// glibc malloc settings for a process that receives many large HTTP bodies.
///
/// Connector pages are typically 0.1–10 MB and each response gets a fresh body buffer.
/// With glibc's defaults such a buffer is either mmap'ed (above the 128 KiB threshold,
/// until the dynamic threshold catches up) or carved from a thread arena whose top is
/// trimmed back to the kernel (`madvise(MADV_DONTNEED)`) as soon as more than about two
/// buffers' worth is free. Either way the next buffer faults its pages in again and the
/// kernel zeroes them: in bench/http-engine (371 KB pages, 32 in flight) that was
/// 90k–300k page faults per 10,000 pages and ~20–35% of the client's CPU time. Fixing
/// both thresholds keeps freed bodies in the arenas for reuse (≈ 6.5k faults).
///
/// The price is memory kept after a burst: up to `trimThreshold` of free space at the top
/// of an arena is not returned to the kernel; bodies above `mmapThreshold` still use mmap.
/// So the number of arenas is capped (`maxArenas`; glibc's default is 8 per core), which
/// bounds that retained memory and the fragmentation of many per-thread arenas. At
/// bench/pipeline scale 500 (full / incremental peak RSS, four runs each): glibc's defaults
/// 226 / 261–267 MiB every time; these settings 184–244 / 194–226 MiB, for 0–8% more
/// wall time (arena lock contention).
public enum MallocTuning {
    /// Allocations at or above this size use mmap (glibc's maximum on 64-bit, 32 MiB).
    public static let mmapThreshold: Int32 = 32 << 20
    /// Free space at an arena's top kept before it is returned to the kernel.
    public static let trimThreshold: Int32 = 64 << 20
    /// Malloc arenas for the whole process.
    public static let maxArenas: Int32 = 2

    /// Applies the thresholds to the whole process. Call once at the start of `main`,
    /// before any thread starts; returns false when glibc refused a value.
    @discardableResult
    public static func applyForLargeBodies() -> Bool {
        // Setting either value turns off glibc's dynamic mmap threshold, so set both.
        let mmap = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
        let trim = mallopt(M_TRIM_THRESHOLD, trimThreshold)
        let arenas = mallopt(M_ARENA_MAX, maxArenas)
        return mmap == 1 && trim == 1 && arenas == 1
    }

    /// Returns free memory of every arena to the kernel (`malloc_trim(0)`), which the
    /// thresholds above would otherwise keep. Call after a burst of allocation is over:
    /// the end of a pipeline run, so a `run --every` process does not carry one run's
    /// peak into the idle time before the next.
    public static func releaseFreeMemory() {
        _ = malloc_trim(0)
    }
}
