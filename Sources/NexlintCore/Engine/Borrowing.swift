extension Array where Element: AnyObject {
    /// Each element, lent to `body` without a retain and a release. Those are atomic
    /// operations, each costing more than most reads of an element, and far more on a cache
    /// line another core holds: the reporting thread reads the findings a worker made, and
    /// each rule walks the channels of every unit. The array holds each element while `body`
    /// runs.
    @inlinable @inline(__always)
    public func forEachBorrowed(_ body: (Element) -> Void) {
        withUnsafeBufferPointer { elements in
            for index in elements.indices {
                Unmanaged.passUnretained(elements[index])._withUnsafeGuaranteedRef(body)
            }
        }
    }
}
