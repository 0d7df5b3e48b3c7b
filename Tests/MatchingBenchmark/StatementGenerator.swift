import Events
import Foundation
import Money
import PaymentMatching

/// What makes a payment hard to match; each generated payment has one main kind.
enum NoiseKind: String, CaseIterable, Sendable {
    /// RF reference or invoice number in the structured field, exact amount, payer's own account.
    case structured = "structured reference"
    /// The invoice number somewhere in the free text, written the payer's way (lower case,
    /// spaces, no separators, leading zeros dropped, digits only, SEPA `SVWZ+` prefixes).
    case textReference = "reference in free text"
    /// The number in the text with one slip: a digit changed, two swapped, one dropped or
    /// doubled, O for 0, l for 1.
    case typo = "typo in the reference"
    /// No reference at all: the payer's known account (or, one time in three, only its name
    /// as the bank prints it) and the amount of one invoice.
    case missingReference = "missing reference"
    /// 2-4 invoices of one customer in one transfer; numbers listed in 60 %, none in 40 %.
    case combined = "combined payment"
    /// 20-80 % of one invoice; for 30 % of them the rest follows later in the same statement.
    case partial = "partial payment"
    /// Short by 0.10-10.00 (the bench's tolerance is 10.00): fees deducted by a bank.
    case bankFees = "bank fees (short)"
    /// Paid from an account the service has never seen, under a name it does not know (the
    /// manager, initials, a trading name); number in the text 60 %, structured 15 %, none 25 %.
    case payerName = "payer name differs"
    /// A third party or a payer abroad (factor, parent company, foreign bank), English text,
    /// unknown account; number in the text 85 %; 30 % lose 5-25 in SHA charges.
    case foreignPayer = "foreign / third-party payer"
    /// Credits that pay no invoice: interest, tax refunds, card settlements, insurance, own
    /// transfers, supplier refunds (15 % of them from a customer's known account).
    case unrelated = "unrelated credit"

    /// The default mix, in percent of payments.
    var defaultWeight: Int {
        switch self {
        case .structured: 25
        case .textReference: 20
        case .typo: 6
        case .missingReference: 12
        case .combined: 8
        case .partial: 5
        case .bankFees: 5
        case .payerName: 6
        case .foreignPayer: 5
        case .unrelated: 8
        }
    }
}

/// A payment with the truth: which invoices it pays and how much cash goes to each (empty for
/// an unrelated credit).
struct LabelledPayment: Sendable {
    var payment: Payment
    let kind: NoiseKind
    let truth: [String: Int64]
}

/// Generates the credits of a bank statement from a ``SyntheticLedger``, each labelled with
/// what it really pays. Deterministic for a seed. Every invoice is paid at most once (twice for
/// a partial payment followed by its rest).
struct StatementGenerator {
    let ledger: SyntheticLedger
    var random: BenchRandom
    var used: [Bool]
    /// Customers with at least two invoices, for combined payments.
    let multiInvoiceCustomers: [Int]

    init(ledger: SyntheticLedger, seed: UInt64) {
        self.ledger = ledger
        self.random = BenchRandom(seed: seed)
        self.used = [Bool](repeating: false, count: ledger.invoices.count)
        self.multiInvoiceCustomers = ledger.invoicesOfCustomer.indices.filter { ledger.invoicesOfCustomer[$0].count >= 2 }
    }

    mutating func generate(count: Int, mix: [NoiseKind: Int]) -> [LabelledPayment] {
        let kinds = NoiseKind.allCases.filter { (mix[$0] ?? 0) > 0 }
        let total = kinds.reduce(0) { $0 + (mix[$1] ?? 0) }
        var payments: [LabelledPayment] = []
        payments.reserveCapacity(count + count / 50)
        var followUps: [(after: Int, payment: LabelledPayment)] = []
        while payments.count < count {
            var draw = Int.random(in: 0..<max(1, total), using: &random)
            var kind = kinds.first ?? .structured
            for candidate in kinds {
                draw -= mix[candidate] ?? 0
                if draw < 0 { kind = candidate; break }
            }
            let id = "P\(payments.count)"
            guard let (payment, rest) = make(kind, id: id) else { continue }
            payments.append(payment)
            if let rest { followUps.append((payments.count - 1, rest)) }
        }
        // The statement's order is not the order of the ledger: shuffle, then put each
        // remainder of a partial payment somewhere after its first part.
        var order = Array(payments.indices)
        order.shuffle(using: &random)
        var shuffled = order.map { payments[$0] }
        var positionOf = [Int](repeating: 0, count: payments.count)
        for (position, original) in order.enumerated() { positionOf[original] = position }
        for (after, rest) in followUps {
            let earliest = positionOf[after] + 1
            let at = Int.random(in: earliest...shuffled.count, using: &random)
            shuffled.insert(rest, at: at)
            for index in positionOf.indices where positionOf[index] >= at { positionOf[index] += 1 }
        }
        return shuffled
    }

    // MARK: Kinds

    mutating func make(_ kind: NoiseKind, id: String) -> (LabelledPayment, LabelledPayment?)? {
        switch kind {
        case .unrelated: return (unrelated(id: id), nil)
        case .combined: return combined(id: id).map { ($0, nil) }
        default: break
        }
        guard let position = freshInvoice() else { return nil }
        let invoice = ledger.invoices[position]
        let customer = customerOf(invoice)
        let open = invoice.openAmount.minorUnits
        switch kind {
        case .structured:
            let reference = invoice.paymentReference.flatMap { _ in random.chance(0.6) ? invoice.paymentReference : nil } ?? invoice.number
            return (labelled(id, kind, open, invoice, structured: [reference], text: random.chance(0.3) ? "SEPA CT" : nil,
                             name: customer.bankName, iban: customer.profile.ibans.first ?? customer.unknownIBAN, truth: [invoice.id: open]), nil)
        case .textReference:
            return (labelled(id, kind, open, invoice, text: freeText(written(invoice.number), customer: customer),
                             name: customer.bankName, iban: knownOrUnknownIBAN(customer, known: 0.8), truth: [invoice.id: open]), nil)
        case .typo:
            return (labelled(id, kind, open, invoice, text: freeText(typo(written(invoice.number)), customer: customer),
                             name: customer.bankName, iban: knownOrUnknownIBAN(customer, known: 0.8), truth: [invoice.id: open]), nil)
        case .missingReference:
            let byAccount = random.chance(0.67) && !customer.profile.ibans.isEmpty
            return (labelled(id, kind, open, invoice, text: random.pick(["", "Paiement", "Zahlung", "VIR SEPA", "Payment", "Reglement", "Überweisung Mai"]),
                             name: byAccount && random.chance(0.3) ? nil : customer.bankName,
                             iban: byAccount ? customer.profile.ibans.first : customer.unknownIBAN, truth: [invoice.id: open]), nil)
        case .partial:
            let share = Int64.random(in: 20...80, using: &random)
            let paid = max(1, random.chance(0.5) ? open * share / 100 : (open * share / 100) / 100 * 100)
            let (structured, text) = referenceSomewhere(invoice, customer: customer)
            let first = labelled(id, kind, paid, invoice, structured: structured, text: text, name: customer.bankName,
                                 iban: knownOrUnknownIBAN(customer, known: 0.8), truth: [invoice.id: paid])
            var rest: LabelledPayment?
            if random.chance(0.3) && open - paid > 0 {
                let (structured, text) = referenceSomewhere(invoice, customer: customer)
                rest = labelled(id + "-rest", kind, open - paid, invoice, structured: structured, text: text, name: customer.bankName,
                                iban: knownOrUnknownIBAN(customer, known: 0.8), truth: [invoice.id: open - paid])
            }
            return (first, rest)
        case .bankFees:
            let fee = Int64.random(in: 10...1_000, using: &random)
            guard open > fee * 2 else { return nil }
            if random.chance(0.7) {
                let (structured, text) = referenceSomewhere(invoice, customer: customer)
                return (labelled(id, kind, open - fee, invoice, structured: structured, text: text, name: customer.bankName,
                                 iban: knownOrUnknownIBAN(customer, known: 0.8), truth: [invoice.id: open - fee]), nil)
            }
            return (labelled(id, kind, open - fee, invoice, text: "Paiement", name: customer.bankName,
                             iban: customer.profile.ibans.first ?? customer.unknownIBAN, truth: [invoice.id: open - fee]), nil)
        case .payerName:
            let draw = Double.random(in: 0..<1, using: &random)
            let structured = draw >= 0.6 && draw < 0.75 ? [invoice.paymentReference ?? invoice.number] : []
            let text = draw < 0.6 ? freeText(written(invoice.number), customer: customer) : random.pick(["", "VIR", "Facture"])
            return (labelled(id, kind, open, invoice, structured: structured, text: text, name: customer.unknownName,
                             iban: customer.unknownIBAN, truth: [invoice.id: open]), nil)
        case .foreignPayer:
            let charges = random.chance(0.3) ? Int64.random(in: 5_00...25_00, using: &random) : 0
            guard open > charges * 2 else { return nil }
            let text = random.chance(0.85)
                ? random.pick(["Payment of invoice \(written(invoice.number)) on behalf of \(customer.profile.legalName)",
                               "INV \(written(invoice.number)) /BENEFRES/", "Your invoice \(written(invoice.number)) - thank you",
                               "/RFB/\(written(invoice.number))", "Settlement \(written(invoice.number)) less charges"])
                : random.pick(["Payment", "TRANSFER", "Remittance advice to follow"])
            let payer = random.pick(["EUROFACTOR SA", "BIBBY FACTORING", "\(customer.profile.legalName.split(separator: " ").first ?? "") HOLDING INC",
                                     "\(random.pick(SyntheticLedger.firstNames)) \(random.pick(SyntheticLedger.lastNames))", "GLOBAL TRADE SERVICES LTD"])
            return (labelled(id, kind, open - charges, invoice, text: text, name: payer,
                             iban: SyntheticLedger.iban(&random, country: random.pick(["GB", "CH", "US", "SG", "AE"])), truth: [invoice.id: open - charges]), nil)
        case .unrelated, .combined:
            return nil
        }
    }

    mutating func combined(id: String) -> LabelledPayment? {
        guard !multiInvoiceCustomers.isEmpty else { return nil }
        let customerIndex = random.pick(multiInvoiceCustomers)
        let fresh = ledger.invoicesOfCustomer[customerIndex].filter { !used[$0] }
        guard fresh.count >= 2 else { return nil }
        let count = min(fresh.count, Int.random(in: 2...4, using: &random))
        var chosen = Array(fresh.shuffled(using: &random).prefix(count))
        chosen.sort()
        for position in chosen { used[position] = true }
        let invoices = chosen.map { ledger.invoices[$0] }
        let customer = ledger.customers[customerIndex]
        let total = invoices.reduce(Int64(0)) { $0 + $1.openAmount.minorUnits }
        var text = random.pick(["Paiement", "Zahlung", "Payment"])
        if random.chance(0.6) {
            let numbers = invoices.map { written($0.number) }
            text = random.pick(["Factures ", "Rechnungen ", "Invoices ", "RE "]) + numbers.joined(separator: random.pick([", ", " ", " / ", "+"]))
        }
        return LabelledPayment(payment: Payment(id: id, amount: Money(minorUnits: total, currency: customer.currency), valueDate: SyntheticLedger.valueDate,
                                                remittance: Remittance(unstructured: text),
                                                counterparty: Counterparty(name: customer.bankName, iban: customer.profile.ibans.first ?? customer.unknownIBAN)),
                               kind: .combined, truth: Dictionary(uniqueKeysWithValues: invoices.map { ($0.id, $0.openAmount.minorUnits) }))
    }

    mutating func unrelated(id: String) -> LabelledPayment {
        let amount = Int64((5.5 + 1.4 * SyntheticLedger.gaussian(&random)).clampedExp(1, 80_000) * 100)
        let month = Int.random(in: 1...5, using: &random)
        let texts = [
            ("INTERETS CREDITEURS T\(Int.random(in: 1...2, using: &random)) 2025", "BANQUE POPULAIRE"),
            ("REMBOURSEMENT CREDIT TVA 2025-0\(month) REF \(Int.random(in: 100_000...999_999, using: &random))", "DGFIP"),
            ("REMISE CB \(String(format: "%02d", Int.random(in: 1...28, using: &random)))0\(month) \(Int.random(in: 1_000_000...9_999_999, using: &random)) TPE 3", "CARTES BANCAIRES"),
            ("SINISTRE 2025/\(Int.random(in: 10_000...99_999, using: &random)) INDEMNISATION", "AXA FRANCE IARD"),
            ("VIREMENT INTERNE EPARGNE", "RELANCE DEMO SAS"),
            ("Avoir AV-2025-\(String(format: "%04d", Int.random(in: 1...9_999, using: &random))) retour marchandise", random.pick(["OFFICE DEPOT", "MANUTAN", "RAJA"])),
            ("Payout \(Int.random(in: 10_000_000...99_999_999, using: &random)) Stripe", "STRIPE PAYMENTS EUROPE"),
            ("Erstattung Kaution Mietvertrag \(Int.random(in: 100...999, using: &random))", "HAUSVERWALTUNG KELLER"),
        ]
        let (text, name) = random.pick(texts)
        var counterparty = Counterparty(name: name, iban: SyntheticLedger.iban(&random, country: "FR"))
        if random.chance(0.15), let customer = ledger.customers.indices.randomElement(using: &random).map({ ledger.customers[$0] }) {
            counterparty = Counterparty(name: customer.bankName, iban: customer.profile.ibans.first ?? customer.unknownIBAN)
        }
        return LabelledPayment(payment: Payment(id: id, amount: Money(minorUnits: max(1, amount), currency: .eur), valueDate: SyntheticLedger.valueDate,
                                                remittance: Remittance(unstructured: text), counterparty: counterparty),
                               kind: .unrelated, truth: [:])
    }

    // MARK: Pieces

    mutating func freshInvoice() -> Int? {
        for _ in 0..<50 {
            let position = Int.random(in: 0..<ledger.invoices.count, using: &random)
            if !used[position] {
                used[position] = true
                return position
            }
        }
        return nil
    }

    func customerOf(_ invoice: OpenInvoice) -> SyntheticCustomer {
        // Customer ids are "C<position>".
        ledger.customers[Int(invoice.customerId.dropFirst()) ?? 0]
    }

    mutating func knownOrUnknownIBAN(_ customer: SyntheticCustomer, known: Double) -> String {
        random.chance(known) ? customer.profile.ibans.first ?? customer.unknownIBAN : customer.unknownIBAN
    }

    mutating func labelled(_ id: String, _ kind: NoiseKind, _ amount: Int64, _ invoice: OpenInvoice, structured: [String] = [], text: String?,
                           name: String?, iban: String?, truth: [String: Int64]) -> LabelledPayment {
        LabelledPayment(payment: Payment(id: id, amount: Money(minorUnits: amount, currency: invoice.currency), valueDate: SyntheticLedger.valueDate,
                                         remittance: Remittance(structured: structured, unstructured: text?.isEmpty == true ? nil : text),
                                         counterparty: Counterparty(name: name, iban: iban)),
                        kind: kind, truth: truth)
    }

    /// The reference in the structured field (40 %) or the text (60 %).
    mutating func referenceSomewhere(_ invoice: OpenInvoice, customer: SyntheticCustomer) -> ([String], String?) {
        if random.chance(0.4) { return ([invoice.paymentReference ?? invoice.number], nil) }
        return ([], freeText(written(invoice.number), customer: customer))
    }

    /// An invoice number the way payers write it.
    mutating func written(_ number: String) -> String {
        let parts = number.split(separator: "-").map(String.init) // FA, 2025, 000123
        guard parts.count == 3 else { return number }
        let trimmed = String(parts[2].drop { $0 == "0" })
        switch Int.random(in: 0..<20, using: &random) {
        case 0...7: return number
        case 8, 9: return number.lowercased()
        case 10, 11: return parts.joined()
        case 12: return parts.joined(separator: " ")
        case 13, 14: return "\(parts[0])-\(parts[1])-\(trimmed)"
        case 15: return "\(parts[0])\(parts[1])/\(parts[2])"
        case 16, 17: return parts[1] + parts[2]
        default: return "\(parts[0]) \(parts[1])\(parts[2])"
        }
    }

    /// `written` with one slip of the pen or of the OCR.
    mutating func typo(_ written: String) -> String {
        var characters = Array(written)
        let digitPositions = characters.indices.filter { characters[$0].isNumber }
        guard digitPositions.count >= 2 else { return written }
        // Slips happen in the part people copy by hand: the running number.
        let tail = Array(digitPositions.suffix(6))
        let position = random.pick(tail)
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            let current = characters[position]
            var replacement = current
            while replacement == current { replacement = Character(String(Int.random(in: 0...9, using: &random))) }
            characters[position] = replacement
        case 1:
            let next = tail.first { $0 == position + 1 } ?? tail[0]
            if next != position { characters.swapAt(position, next) } else { characters.remove(at: position) }
        case 2: characters.remove(at: position)
        case 3: characters.insert(characters[position], at: position)
        case 4:
            if let zero = tail.first(where: { characters[$0] == "0" }) { characters[zero] = "O" } else { characters.remove(at: position) }
        default:
            if let one = tail.first(where: { characters[$0] == "1" }) { characters[one] = "l" } else { characters.remove(at: position) }
        }
        return String(characters)
    }

    /// The number inside a remittance text of the kinds banks carry.
    mutating func freeText(_ number: String, customer: SyntheticCustomer) -> String {
        let customerNumber = customer.profile.customerNumber ?? ""
        return random.pick([
            "Facture \(number)", "Fact. \(number) du 12/03/2025", "Rechnung \(number)", "RE \(number) Kd-Nr \(customerNumber)",
            "Invoice no. \(number) thank you", number, "Reglement facture \(number) client \(customerNumber)",
            "EREF+\(Int.random(in: 100_000...999_999, using: &random)) SVWZ+\(number)", "/INV/\(number)/ROC/NOTPROVIDED",
            "Zahlung \(number) abzgl. 0 Skonto", "VIR \(customer.bankName.prefix(20)) \(number)",
        ])
    }
}
