/// A mutable pointer handed to worker threads that write disjoint parts of it.
///
/// `@unchecked Sendable`: the caller guarantees that the threads' ranges do
/// not overlap and that the memory outlives them.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A read-only pointer handed to worker threads.
///
/// `@unchecked Sendable`: the caller guarantees that nobody writes the memory
/// while the threads read it, and that it outlives them.
struct SendableConstPointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
}
