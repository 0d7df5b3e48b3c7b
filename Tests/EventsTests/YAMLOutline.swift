import Foundation

/// The scalar entries of a block-style YAML document, by path of keys: just enough to check
/// `docs/events/asyncapi.yaml` against the code without a YAML library.
///
/// Understands block mappings, block sequences (`- ` items get their index as a key, "0",
/// "1"...), plain and quoted scalars, comments on their own line, and block scalars (`|`, `>-`),
/// whose text is skipped. Flow collections (`{}`, `[]`) are kept as their raw text. Anchors,
/// aliases, multi-line flow values and keys containing ": " are not supported.
struct YAMLOutline {
    /// Every scalar value by its path of keys, e.g. `["channels", "invoices", "address"]`.
    private(set) var values: [[String]: String] = [:]
    /// The keys of every mapping, in document order, by the mapping's path.
    private(set) var keys: [[String]: [String]] = [:]

    init(_ text: String) {
        var stack: [(indent: Int, key: String)] = []
        var itemCounts: [[String]: Int] = [:]
        var blockScalarIndent: Int?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let content = line.drop { $0 == " " }
            let indent = line.count - content.count
            if let block = blockScalarIndent {
                if content.isEmpty || indent > block { continue }
                blockScalarIndent = nil
            }
            if content.isEmpty || content.hasPrefix("#") { continue }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }

            var rest = String(content)
            var restIndent = indent
            while rest.hasPrefix("- ") || rest == "-" {
                let parent = stack.map(\.key)
                let index = itemCounts[parent, default: 0]
                itemCounts[parent] = index + 1
                stack.append((restIndent, String(index)))
                rest = String(rest.dropFirst(2))
                restIndent += 2
            }
            let parent = stack.map(\.key)
            guard let separator = YAMLOutline.keySeparator(in: rest) else {
                values[parent] = YAMLOutline.unquoted(rest) // a scalar sequence item
                continue
            }
            let key = YAMLOutline.unquoted(String(rest[..<separator]))
            let value = rest[rest.index(after: separator)...].trimmingSpaces
            keys[parent, default: []].append(key)
            if value.isEmpty {
                stack.append((restIndent, key))
            } else if ["|", "|-", "|+", ">", ">-", ">+"].contains(value) {
                values[parent + [key]] = ""
                blockScalarIndent = restIndent
            } else {
                values[parent + [key]] = YAMLOutline.unquoted(value)
            }
        }
    }

    /// The scalar at a path, or nil.
    subscript(path: String...) -> String? { values[path] }

    /// The keys of the mapping at a path (empty when there is none).
    func keys(at path: String...) -> [String] { keys[path] ?? [] }

    /// The position of the colon ending a mapping key: the first ":" followed by a space or the
    /// end of the line, outside quotes.
    private static func keySeparator(in text: String) -> String.Index? {
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                if index == text.startIndex { quote = character } else { return nil }
            } else if character == ":" && (next == text.endIndex || text[next] == " ") {
                return index
            }
            index = next
        }
        return nil
    }

    private static func unquoted(_ text: String) -> String {
        let trimmed = text.trimmingSpaces
        guard trimmed.count >= 2, let first = trimmed.first, first == trimmed.last, first == "'" || first == "\"" else {
            return trimmed
        }
        let inner = String(trimmed.dropFirst().dropLast())
        return first == "'" ? inner.replacingOccurrences(of: "''", with: "'") : inner
    }
}

private extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
