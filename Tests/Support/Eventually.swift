import Foundation

/// Polls a condition until it holds or the timeout passes.
/// - Returns: whether the condition held in time.
@discardableResult
public func eventually(
    timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// A thread-safe list tests append to from handlers.
public actor Collected<Element: Sendable> {
    public private(set) var items: [Element] = []
    public init() {}
    public func append(_ item: Element) { items.append(item) }
    public var count: Int { items.count }
}
