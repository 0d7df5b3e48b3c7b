/// The open elements of the tokenizer and of the camt parser: a stack of plain values in one
/// allocation of their own, pushed and popped on every element.
///
/// Why not an `Array`: its `append` and `removeLast` check uniqueness and capacity through the
/// runtime on every element, and an `ArraySlice` of it (a path) costs a retain and a release.
/// This stack is `~Copyable` (never shared, so no uniqueness check is needed) and lends its
/// elements as an `UnsafeBufferPointer` valid until the next push. Its capacity doubles when
/// full, which happens only for the first elements of a document: the readers' depth limit
/// bounds it.
struct XMLElementStack<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// The number of elements on the stack.
    private(set) var count = 0

    /// - Parameter capacity: Room to start with (grown on demand).
    init(capacity: Int = 32) {
        self.capacity = max(capacity, 1)
        self.base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// The innermost element, nil when the stack is empty.
    var last: Element? {
        @inline(__always) get { count > 0 ? base[count &- 1] : nil }
    }

    /// The element at `index` (0 is the outermost).
    subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "XMLElementStack index out of range")
            return base[index]
        }
    }

    @inline(__always)
    mutating func push(_ element: Element) {
        if count == capacity { grow() }
        base[count] = element
        count &+= 1
    }

    /// Removes the innermost element; the stack must not be empty.
    @inline(__always)
    mutating func removeLast() {
        precondition(count > 0, "XMLElementStack.removeLast on an empty stack")
        count &-= 1
    }

    /// The elements from `start` (0 is the outermost) to the innermost, in place: valid until the
    /// stack changes.
    @inline(__always)
    func elements(from start: Int) -> UnsafeBufferPointer<Element> {
        precondition(start >= 0 && start <= count, "XMLElementStack range out of bounds")
        return UnsafeBufferPointer(start: base + start, count: count &- start)
    }

    /// All the elements, outermost first, as an array (for error messages).
    var array: [Element] { Array(elements(from: 0)) }

    private mutating func grow() {
        let larger = capacity * 2
        let moved = UnsafeMutablePointer<Element>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
