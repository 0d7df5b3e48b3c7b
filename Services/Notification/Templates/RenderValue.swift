import Foundation
import Mustache

/// A value of the render model: text already formatted for the language, a flag for
/// sections, a list, an object, or an optional value that is absent.
///
/// Values are data: a `.text` is always rendered as the literal string it holds (HTML-escaped
/// in HTML parts), never parsed as a template.
public indirect enum RenderValue: Sendable, Hashable {
    case text(String)
    case flag(Bool)
    case list([RenderValue])
    case object([String: RenderValue])
    /// An optional value the request does not have (a BIC, a payment reference, the formal
    /// notice data). Renders as nothing; a template must guard its use with a section on it.
    case missing

    /// The value at a dotted path of object keys (`totals.totalClaimed`); nil when the path
    /// does not exist. Lists are not entered.
    public subscript(path: String) -> RenderValue? {
        var value = self
        for key in path.split(separator: ".") {
            guard case .object(let fields) = value, let next = fields[String(key)] else { return nil }
            value = next
        }
        return value
    }

    /// The text of a `.text` value.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// What swift-mustache walks: strings, booleans, arrays, objects answering by key, and
    /// `NSNull` for an absent value, so that the lookup stops at the object that declares the
    /// key instead of climbing to an outer object that happens to have a key of that name.
    var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let items): items.map(\.mustacheValue)
        case .object(let fields): MustacheObject(fields: fields)
        case .missing: NSNull()
        }
    }

    /// Whether every value at `path` (a list component stands for all its elements) is present.
    func isPresent(at path: ArraySlice<String>) -> Bool {
        guard let key = path.first else {
            if case .missing = self { return false }
            return true
        }
        switch self {
        case .missing:
            return false
        case .list(let items) where key == "[]":
            return items.allSatisfy { $0.isPresent(at: path.dropFirst()) }
        case .object(let fields):
            guard let child = fields[key] else { return false }
            return child.isPresent(at: path.dropFirst())
        default:
            return false
        }
    }
}

/// The shape of a render model: which keys exist and what they hold, whatever their values.
/// Templates are checked against it at load time.
indirect enum RenderShape: Sendable, Hashable {
    case text
    case flag
    case list(RenderShape)
    case object([String: RenderShape])

    /// The shape of a sample value. The sample must have every optional value present and
    /// every list non-empty, so that nothing of the shape is unknown.
    init(sample: RenderValue) {
        switch sample {
        case .text, .missing: self = .text
        case .flag: self = .flag
        case .list(let items): self = .list(items.first.map(RenderShape.init(sample:)) ?? .text)
        case .object(let fields): self = .object(fields.mapValues(RenderShape.init(sample:)))
        }
    }
}

/// An object of the model as swift-mustache sees it: children converted when first looked
/// up, then kept (a message's three parts look the same names up again and again: converting
/// each time allocated the invoices' list and objects anew at every lookup).
/// A final class rather than a `[String: Any]`: swift-mustache casts every value it meets to
/// its protocols, and a class's conformance is found faster than a generic type's conditional
/// one; nothing is converted that the template does not use.
///
/// Not `Sendable`: one is made per render and used by that render only.
final class MustacheObject: MustacheParent {
    let fields: [String: RenderValue]
    private var converted: [String: Any] = [:]

    init(fields: [String: RenderValue]) {
        self.fields = fields
    }

    func child(named name: String) -> Any? {
        if let known = converted[name] { return known }
        guard let value = fields[name]?.mustacheValue else { return nil }
        converted[name] = value
        return value
    }
}
