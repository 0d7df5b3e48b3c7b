import Foundation

/// Checks a template's tags against the shape of the render model, before it is ever used.
///
/// swift-mustache has no strict mode (an unknown name renders as nothing) and keeps its parsed
/// tokens internal, so the tags are read here with the same syntax: `{{name}}`, `{{{name}}}`,
/// `{{&name}}`, `{{#name}}`, `{{^name}}`, `{{/name}}`, `{{! comment }}`, names with dots and
/// transforms (`{{uppercased(customer.name)}}`). Names resolve like swift-mustache resolves
/// them: the first key in the innermost section whose object has it, then down the dots.
///
/// Refused, so that a template stays checkable and values stay data: partials (`{{>x}}`),
/// inheritance (`{{<x}}`, `{{$x}}`), delimiter changes (`{{=<% %>=}}`), pragmas (`{{%...}}`),
/// and unescaped values (`{{{x}}}`, `{{&x}}`) in HTML parts.
struct TemplateChecker {
    /// A variable used outside any section on itself or on an object holding it: its value
    /// must be present when rendering.
    struct Use: Hashable, Sendable {
        /// Keys from the root, `[]` for "each element of the list".
        let path: [String]
        /// As written in the template.
        let name: String
        let line: Int
    }

    let shape: RenderShape

    /// Every value use outside a guard, or the first problem found.
    /// - Throws: `NotificationTemplateError` `.syntax`, `.unsupportedTag` or `.unknownVariable`
    ///   naming `file`, the line and the variable.
    func check(_ text: String, file: String, isHTML: Bool) throws(NotificationTemplateError) -> [Use] {
        struct Scope {
            let shape: RenderShape
            let path: [String]
            /// The section's name as written; nil for the root.
            let name: String?
            let inverted: Bool
            let line: Int
            /// A section on a value guards what is inside it.
            let guardPath: [String]?
        }
        var scopes = [Scope(shape: shape, path: [], name: nil, inverted: false, line: 1, guardPath: nil)]
        var uses: [Use] = []
        var index = text.startIndex
        var line = 1

        func fail(_ code: NotificationTemplateError.Code, _ what: String, variable: String? = nil) -> NotificationTemplateError {
            NotificationTemplateError(code, "\(file), line \(line): \(what)", file: file, variable: variable)
        }

        /// The path and shape a name resolves to, as swift-mustache looks it up.
        func resolve(_ written: String) throws(NotificationTemplateError) -> (path: [String], shape: RenderShape)? {
            let name = Self.stripTransforms(written)
            guard let innermost = scopes.last else { return nil }
            if name == "." { return (innermost.path, innermost.shape) }
            if name.isEmpty { return nil } // a transform on the sequence context: `{{#first()}}`
            let relative = name.hasPrefix(".")
            let keys = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst(relative ? 1 : 0).map(String.init)
            guard let first = keys.first, !keys.contains(where: \.isEmpty) else {
                throw fail(.unknownVariable, "'\(written)' is not a variable name", variable: written)
            }
            let candidates = relative ? [innermost] : scopes.reversed()
            for scope in candidates {
                guard case .object(let fields) = scope.shape, let firstShape = fields[first] else { continue }
                var path = scope.path + [first]
                var current = firstShape
                for key in keys.dropFirst() {
                    guard case .object(let fields) = current, let next = fields[key] else {
                        throw fail(
                            .unknownVariable,
                            "'\(written)': '\(path.joined(separator: "."))' has no '\(key)'; see the render model's names in templates/README.md",
                            variable: written)
                    }
                    path.append(key)
                    current = next
                }
                return (path, current)
            }
            throw fail(
                .unknownVariable, "the render model has no variable '\(written)'; see its names in templates/README.md", variable: written)
        }

        func isGuarded(_ path: [String]) -> Bool {
            scopes.contains { scope in
                guard let guardPath = scope.guardPath, guardPath.count <= path.count else { return false }
                return Array(path.prefix(guardPath.count)) == guardPath
            }
        }

        while let open = text[index...].range(of: "{{") {
            line += text[index..<open.lowerBound].filter(\.isNewline).count
            let triple = text[open.upperBound...].hasPrefix("{")
            let contentStart = triple ? text.index(after: open.upperBound) : open.upperBound
            let closing = triple ? "}}}" : "}}"
            guard let close = text[contentStart...].range(of: closing) else {
                throw fail(.syntax, "a tag opened with '\(triple ? "{{{" : "{{")}' is never closed")
            }
            let content = text[contentStart..<close.lowerBound]
            let tagLines = content.filter(\.isNewline).count
            index = close.upperBound
            defer { line += tagLines }
            let sigil = triple ? "{" : content.first.map(String.init) ?? ""
            let body = String(["#", "^", "/", "!", "&", ">", "<", "$", "=", "%"].contains(sigil) ? content.dropFirst() : content)
            let name = body.trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!":
                continue
            case ">", "<", "$":
                throw fail(.unsupportedTag, "partials and template inheritance ('{{\(sigil)\(name)}}') are not supported: write the part whole")
            case "=":
                throw fail(.unsupportedTag, "delimiter changes ('{{=\(body)}}') are not supported")
            case "%":
                throw fail(.unsupportedTag, "pragmas ('{{%\(body)}}') are not supported: the part's name decides text or HTML")
            case "#", "^":
                guard !name.isEmpty else { throw fail(.syntax, "a section without a name") }
                let resolved = try resolve(name)
                let parentPath = scopes.last?.path ?? []
                var inner: RenderShape = scopes.last?.shape ?? shape
                var innerPath = parentPath
                if sigil == "#", let resolved {
                    switch resolved.shape {
                    case .list(let element): inner = element; innerPath = resolved.path + ["[]"]
                    case .object: inner = resolved.shape; innerPath = resolved.path
                    case .text, .flag: inner = .text; innerPath = resolved.path
                    }
                }
                let guardPath = sigil == "#" ? resolved?.path : nil
                scopes.append(Scope(shape: inner, path: innerPath, name: name, inverted: sigil == "^", line: line, guardPath: guardPath))
            case "/":
                guard scopes.count > 1, let open = scopes.last, open.name == name else {
                    let expected = scopes.last?.name.map { "'{{/\($0)}}'" } ?? "no section to close"
                    throw fail(.syntax, "'{{/\(name)}}' closes no open section (expected \(expected))")
                }
                scopes.removeLast()
            default:
                let unescaped = sigil == "{" || sigil == "&"
                if unescaped && isHTML {
                    throw fail(
                        .unsupportedTag,
                        "'\(name)' is written unescaped ('{{{…}}}' or '{{&…}}') in an HTML part: values are data, write '{{\(name)}}'",
                        variable: name)
                }
                guard !name.isEmpty else { throw fail(.syntax, "an empty tag '{{}}'") }
                guard let resolved = try resolve(name) else { continue }
                if case .list = resolved.shape {
                    throw fail(.unknownVariable, "'\(name)' is a list: use it as a section, '{{#\(name)}}…{{/\(name)}}'", variable: name)
                }
                if !isGuarded(resolved.path) {
                    uses.append(Use(path: resolved.path, name: name, line: line))
                }
            }
        }
        if let unclosed = scopes.last, let name = unclosed.name {
            throw NotificationTemplateError(
                .syntax, "\(file), line \(unclosed.line): section '\(name)' is never closed ('{{/\(name)}}')", file: file, variable: name)
        }
        return uses
    }

    /// The variable inside transforms: `uppercased(customer.name)` is `customer.name`.
    static func stripTransforms(_ name: String) -> String {
        guard let open = name.lastIndex(of: "(") else { return name }
        let inner = name[name.index(after: open)...]
        return String(inner.prefix { $0 != ")" })
    }
}
