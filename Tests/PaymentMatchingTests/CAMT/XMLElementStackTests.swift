@testable import PaymentMatching
import Testing

/// The byte helpers added for the camt reader's speed: the open-element stack, the word-at-a-time
/// text scan and the one-step attribute value. Each must give what the plain path gives.
@Suite struct XMLElementStackTests {
    private static let limits = XMLPullTokenizer.Limits(maxDepth: 64, maxTextBytes: 100_000, maxAttributes: 64, maxNameBytes: 1_000)

    @Test func theStackKeepsItsElementsInOrderAcrossGrowth() {
        var stack = XMLElementStack<Int32>(capacity: 2)
        var model: [Int32] = []
        #expect(stack.isEmpty && stack.last == nil)
        for value in Int32(0)..<100 {
            stack.push(value)
            model.append(value)
            if value % 3 == 2 {
                stack.removeLast()
                model.removeLast()
            }
            #expect(stack.count == model.count && stack.last == model.last)
        }
        #expect(stack.array == model)
        #expect(Array(stack.elements(from: 10)) == Array(model[10...]))
        #expect(stack.elements(from: stack.count).isEmpty)
        #expect(stack[5] == model[5])
    }

    @Test func theWordScanFindsEveryTextEndByteAtEveryPosition() {
        let ends: [UInt8] = [UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "\n")]
        // Neighbours of the three bytes, and bytes whose arithmetic could borrow across lanes.
        let others: [UInt8] = [0x00, 0x01, 0x0B, 0x25, 0x27, 0x3B, 0x3D, 0x7F, 0x80, 0xBC, 0xFF, UInt8(ascii: "a")]
        for filler in others {
            let plain = [UInt8](repeating: filler, count: 8)
            #expect(!XMLPullTokenizer.mayEndText(Self.word(plain)), "\(filler)")
            for end in ends {
                for position in 0..<8 {
                    var bytes = plain
                    bytes[position] = end
                    #expect(XMLPullTokenizer.mayEndText(Self.word(bytes)), "\(filler) \(end) at \(position)")
                }
            }
        }
    }

    private static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    @Test func longTextsWithLineBreaksAndReferencesReadAsBefore() throws {
        // Runs longer than a word, line breaks and references at every offset within a word.
        for offset in 0..<9 {
            let padding = String(repeating: "x", count: offset)
            let text = "\(padding)abcdefghijklmnop\nqrstuvwxyz &amp; 0123456789abcdef&#233;\(padding)"
            let expected = "\(padding)abcdefghijklmnop\nqrstuvwxyz & 0123456789abcdef\u{E9}\(padding)"
            var tokenizer = XMLPullTokenizer(bytes: Array("<Document><A>\(text)</A>\n<B/></Document>".utf8), limits: Self.limits, coalescesText: true)
            #expect(try tokenizer.next() == .start)
            #expect(try tokenizer.next() == .start)
            tokenizer.discardText()
            #expect(try tokenizer.next() == .end)
            #expect(String(decoding: tokenizer.text, as: UTF8.self) == expected)
            #expect(tokenizer.line == 2)
            tokenizer.discardText()
            #expect(try tokenizer.next() == .start)
            #expect(tokenizer.line == 3)
        }
    }

    @Test func attributeValuesReadInOneStepMatchTheByteLoop() throws {
        let cases: [(String, String)] = [
            ("Ccy=\"EUR\"", "EUR"), ("Ccy='EUR'", "EUR"), ("Ccy=\"\"", ""), ("Ccy=\"a&amp;b\"", "a&b"),
            ("Ccy=\"Caf\u{E9}\"", "Caf\u{E9}"), ("Ccy=\"two\nlines\"", "two\nlines"), ("Ccy=\"it's\"", "it's"),
        ]
        for (attribute, expected) in cases {
            var tokenizer = XMLPullTokenizer(bytes: Array("<Document><Amt \(attribute)>1</Amt></Document>".utf8), limits: Self.limits,
                                             knownNames: CAMTName.spellings, coalescesText: true)
            #expect(try tokenizer.next() == .start)
            #expect(try tokenizer.next() == .start)
            #expect(tokenizer.attributes.first?.value == expected, "\(attribute)")
            #expect(tokenizer.attributes.first?.name == CAMTName.Ccy.rawValue)
        }
        var broken = XMLPullTokenizer(bytes: Array("<Document><Amt Ccy=\"E\u{FF}\">1</Amt></Document>".utf8).map { $0 == 0xC3 ? 0xFF : $0 },
                                      limits: Self.limits, coalescesText: true)
        #expect(try broken.next() == .start)
        #expect(throws: StatementError.self) { try broken.next() }
    }
}
