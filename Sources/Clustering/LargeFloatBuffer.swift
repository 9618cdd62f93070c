import Foundation

/// A large zero-filled Float buffer, aligned to 2 MB and, on Linux, backed by
/// transparent huge pages where the kernel allows them (`MADV_HUGEPAGE`).
///
/// Agglomerative clustering walks columns of an n × n matrix (one element per
/// row): with 4 KB pages nearly every step of such a walk misses the TLB;
/// with 2 MB pages few do.
///
/// Sendable unchecked because it owns raw memory, not a value behind a lock:
/// threads share it to write disjoint ranges (each caller's contract), and a
/// `Mutex` around every element would cost more than the work it guards.
final class LargeFloatBuffer: @unchecked Sendable {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    /// - Parameter count: elements, ≥ 1.
    init(count: Int) {
        self.count = count
        let alignment = 2 << 20
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        var raw: UnsafeMutableRawPointer?
        if posix_memalign(&raw, alignment, bytes) != 0 { raw = malloc(bytes) }
        guard let raw else { fatalError("out of memory for \(bytes) bytes") }
        #if os(Linux)
        _ = madvise(raw, bytes, Int32(MADV_HUGEPAGE))
        #endif
        memset(raw, 0, bytes)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit { free(pointer) }
}
