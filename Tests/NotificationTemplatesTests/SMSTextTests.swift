import NotificationTemplates
import Testing

@Suite("SMS length accounting: GSM-7 and UCS-2")
struct SMSTextTests {
    @Test("160 GSM characters fit one segment, 161 take two of 153")
    func gsmSingleAndConcatenated() {
        let one = SMSText(String(repeating: "a", count: 160))
        #expect(one.encoding == .gsm7 && one.units == 160 && one.segments == 1)
        let two = SMSText(String(repeating: "a", count: 161))
        #expect(two.encoding == .gsm7 && two.segments == 2)
        #expect(SMSText(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSText(String(repeating: "a", count: 307)).segments == 3)
    }

    @Test("an extension-table character counts two septets")
    func extensionCharacters() {
        let euro = SMSText("€")
        #expect(euro.encoding == .gsm7 && euro.units == 2 && euro.segments == 1)
        #expect(SMSText(String(repeating: "€", count: 80)).segments == 1)
        #expect(SMSText(String(repeating: "€", count: 81)).segments == 2)
        let brackets = SMSText("[]{}\\~^|")
        #expect(brackets.encoding == .gsm7 && brackets.units == 16)
        #expect(SMSText(String(repeating: "a", count: 159) + "€").segments == 2)
    }

    @Test("an escape and its character never straddle two segments")
    func escapeNotSplit() {
        // 152 + 2 + 152 = 306 septets: two segments of 153 if split, three when not.
        let text = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)
        let sms = SMSText(text)
        #expect(sms.units == 306)
        #expect(sms.segments == 3)
    }

    @Test("é, è, à, É and Ç are in the GSM alphabet; ê, ç, â and û force UCS-2")
    func gsmTableAccents() {
        for text in ["é", "è", "à", "ù", "ì", "ò", "É", "Ç", "ß", "Ñ", "ü", "£", "¥", "¤", "§", "¿", "¡", "Δ", "Ω", "@", "\n"] {
            #expect(SMSText("Total " + text).encoding == .gsm7, "\(text) is in GSM 03.38")
        }
        for text in ["ê", "ç", "â", "û", "ô", "î", "ë", "ï", "`", "’", "«", "\u{00A0}"] {
            #expect(SMSText("Total " + text).encoding == .ucs2, "\(text) is not in GSM 03.38")
        }
    }

    @Test("UCS-2 holds 70 units, then 67 a segment; an emoji takes two units")
    func ucs2() {
        let one = SMSText(String(repeating: "ê", count: 70))
        #expect(one.encoding == .ucs2 && one.units == 70 && one.segments == 1)
        #expect(SMSText(String(repeating: "ê", count: 71)).segments == 2)
        #expect(SMSText(String(repeating: "ê", count: 134)).segments == 2)
        #expect(SMSText(String(repeating: "ê", count: 135)).segments == 3)
        let emoji = SMSText("😀")
        #expect(emoji.encoding == .ucs2 && emoji.units == 2)
        // 66 + 2 + 66: the surrogate pair does not fit in the first segment's last unit.
        #expect(SMSText(String(repeating: "ê", count: 66) + "😀" + String(repeating: "ê", count: 66)).segments == 3)
    }

    @Test("a decomposed é is normalised to the GSM é")
    func normalisation() {
        let sms = SMSText("re\u{0301}glement")
        #expect(sms.encoding == .gsm7)
        #expect(sms.units == 9)
        #expect(sms.text == "réglement")
    }
}
