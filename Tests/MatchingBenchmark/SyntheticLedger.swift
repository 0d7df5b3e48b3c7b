import Events
import Foundation
import Money
import PaymentMatching

/// A customer of the synthetic ledger: what the service knows of it (``profile``) and how
/// banks and third parties name it when they pay, which the service may not know.
struct SyntheticCustomer: Sendable {
    let profile: PayerProfile
    let currency: Currency
    /// The name as the payer's bank prints it: upper case, legal form dotted or dropped,
    /// truncated to 27 characters, as on real statements.
    let bankName: String
    /// A name the service does not know: the manager's own name, a trading name, initials.
    let unknownName: String
    /// An account the service has never seen (a new bank, the manager's private account).
    let unknownIBAN: String
}

/// A seeded, deterministic ledger of customers and their open invoices, with the skew of a
/// real one: a few customers have many invoices, most have a handful; some bill the same
/// subscription amount every month (so an amount alone names several invoices); a few bill in
/// USD, GBP or CHF; about half of the invoices carry an ISO 11649 RF reference.
struct SyntheticLedger: Sendable {
    var customers: [SyntheticCustomer]
    var invoices: [OpenInvoice]
    /// Positions in ``invoices`` per customer position.
    var invoicesOfCustomer: [[Int]]
    /// The day the statement's payments arrive.
    static let valueDate = day(2025, 6, 10)

    init(customers customerCount: Int, invoices invoiceCount: Int, seed: UInt64) {
        var random = BenchRandom(seed: seed)
        var names = Set<String>()
        var customers: [SyntheticCustomer] = []
        customers.reserveCapacity(customerCount)
        var subscription: [Int64?] = []
        subscription.reserveCapacity(customerCount)
        for index in 0..<customerCount {
            let (legal, core) = SyntheticLedger.uniqueName(&random, taken: &names)
            let currency: Currency = random.chance(0.92) ? .eur : random.pick([.usd, .usd, .gbp, .chf])
            var ibans: [String] = []
            if random.chance(0.85) { ibans.append(SyntheticLedger.iban(&random, country: currency == .eur ? random.pick(["FR", "DE", "BE", "NL"]) : random.pick(["GB", "CH", "US"]))) }
            if random.chance(0.15) { ibans.append(SyntheticLedger.iban(&random, country: "FR")) }
            let variants = random.chance(0.25) ? ["\(core) Groupe"] : []
            let number = "K-\(10_000 + index)"
            let profile = PayerProfile(customerId: "C\(index)", customerNumber: number, legalName: legal, nameVariants: variants, ibans: ibans)
            let unknown: String
            switch Int.random(in: 0..<3, using: &random) {
            case 0: unknown = "\(random.pick(SyntheticLedger.firstNames)) \(random.pick(SyntheticLedger.lastNames))".uppercased()
            case 1: unknown = String(legal.split(separator: " ").compactMap(\.first)).uppercased()
            default: unknown = "\(random.pick(SyntheticLedger.tradingWords)) \(core)"
            }
            customers.append(SyntheticCustomer(profile: profile, currency: currency, bankName: SyntheticLedger.bankForm(legal, &random),
                                               unknownName: unknown, unknownIBAN: SyntheticLedger.iban(&random, country: random.pick(["FR", "DE", "ES", "IT"]))))
            subscription.append(random.chance(0.15) ? random.pick([29_00, 49_00, 99_00, 120_00, 250_00, 480_00, 1_200_00]) : nil)
        }
        var invoices: [OpenInvoice] = []
        invoices.reserveCapacity(invoiceCount)
        var ofCustomer = [[Int]](repeating: [], count: customerCount)
        let width = max(6, String(invoiceCount).count)
        for index in 0..<invoiceCount {
            // Skewed: low customer positions get more invoices (a few big accounts).
            let customer = min(customerCount - 1, Int(Double(customerCount) * Double.random(in: 0..<1, using: &random).squareRoot().squareRoot() * Double.random(in: 0..<1, using: &random)))
            let amount: Int64
            if let fixed = subscription[customer] {
                amount = fixed
            } else {
                let raw = (6.3 + 1.1 * SyntheticLedger.gaussian(&random)).clampedExp(15, 50_000)
                amount = random.chance(0.2) ? max(10_00, Int64(raw / 10) * 10_00) : Int64(raw * 100)
            }
            let digits = String(index + 1)
            let number = "FA-2025-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
            let issued = SyntheticLedger.day(2025, 1, 2).adding(days: Int.random(in: 0...150, using: &random))
            invoices.append(OpenInvoice(
                id: "I\(index)", number: number,
                paymentReference: random.chance(0.5) ? SyntheticLedger.rf(number) : nil,
                customerId: customers[customer].profile.customerId,
                openAmount: Money(minorUnits: amount, currency: customers[customer].currency),
                issueDate: issued, dueDate: issued.adding(days: 30)))
            ofCustomer[customer].append(index)
        }
        self.customers = customers
        self.invoices = invoices
        self.invoicesOfCustomer = ofCustomer
    }

    var payers: [PayerProfile] { customers.map(\.profile) }

    // MARK: Pieces

    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
        // The literals above are valid dates; a failure here is a bug of this file.
        (try? CalendarDate(year: year, month: month, day: day)) ?? CalendarDate(daysSinceEpoch: 0)
    }

    /// Box-Muller standard normal.
    static func gaussian(_ random: inout BenchRandom) -> Double {
        let u = max(Double.random(in: 0..<1, using: &random), 1e-12)
        let v = Double.random(in: 0..<1, using: &random)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// An RF reference (ISO 11649) on the invoice number's letters and digits.
    static func rf(_ number: String) -> String {
        let body = String(number.filter { $0.isLetter || $0.isNumber }).uppercased()
        var remainder = 0
        for scalar in (body + "RF00").unicodeScalars {
            if scalar.properties.numericType != nil {
                remainder = (remainder * 10 + Int(scalar.value - 48)) % 97
            } else {
                remainder = (remainder * 100 + Int(scalar.value - 55)) % 97
            }
        }
        let check = 98 - remainder
        return "RF" + (check < 10 ? "0" : "") + String(check) + body
    }

    static func iban(_ random: inout BenchRandom, country: String) -> String {
        var digits = ""
        for _ in 0..<20 { digits.append(Character(String(Int.random(in: 0...9, using: &random)))) }
        return country + String(Int.random(in: 10...99, using: &random)) + digits
    }

    static func uniqueName(_ random: inout BenchRandom, taken: inout Set<String>) -> (legal: String, core: String) {
        var attempt = 0
        while true {
            attempt += 1
            let core = random.pick(coreWords)
            let trade = random.pick(industryWords)
            var base = random.chance(0.5) ? "\(core) \(trade)" : "\(trade) \(core)"
            if attempt > 3 || random.chance(0.3) { base += " " + random.pick(cities) }
            if attempt > 12 { base += " " + random.pick(cities) }
            let legal = base + " " + random.pick(legalForms)
            if taken.insert(base).inserted { return (legal, core) }
        }
    }

    /// How a bank prints a payer's name.
    static func bankForm(_ legal: String, _ random: inout BenchRandom) -> String {
        var words = legal.split(separator: " ").map(String.init)
        switch Int.random(in: 0..<10, using: &random) {
        case 0...4: return legal.uppercased()
        case 5, 6: return legal
        case 7:
            if let form = words.last, form.count <= 4, form.allSatisfy(\.isLetter) {
                words[words.count - 1] = form.uppercased().map { "\($0)." }.joined()
            }
            return words.joined(separator: " ").uppercased()
        case 8: return words.dropLast().joined(separator: " ").uppercased()
        default: return String(legal.uppercased().prefix(27))
        }
    }

    static let coreWords = ["Atlas", "Boreal", "Cobalt", "Delta", "Everest", "Falcon", "Granit", "Horizon", "Iris", "Jade", "Kestrel",
                            "Lumen", "Meridian", "Nova", "Orion", "Pionnier", "Quartz", "Rivage", "Sierra", "Tundra", "Ulysse", "Vega",
                            "Willow", "Yukon", "Zephyr", "Martin", "Bernard", "Dubois", "Lefebvre", "Moreau", "Laurent", "Müller",
                            "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Rossi", "Bianchi", "Jansen", "Peeters", "García",
                            "López", "Fournier", "Girard", "Bonnet", "Hoffmann", "Wagner", "Becker", "Colombo"]
    static let industryWords = ["Logistique", "Bâtiment", "Conseil", "Informatique", "Transports", "Boulangerie", "Menuiserie",
                                "Pharma", "Distribution", "Immobilier", "Consulting", "Logistik", "Bau", "Elektro", "Systems",
                                "Trading", "Foods", "Medical", "Automotive", "Énergie", "Textile", "Imprimerie", "Design",
                                "Solutions", "Services", "Technik", "Handel", "Agri", "Optique", "Garage"]
    static let cities = ["Lyon", "Lille", "Nantes", "Bordeaux", "Toulouse", "Rennes", "Grenoble", "Dijon", "Reims", "Metz", "Nancy",
                         "Brest", "Caen", "Rouen", "Tours", "Angers", "Nîmes", "Nice", "Pau", "Annecy", "Köln", "Bremen", "Mainz",
                         "Essen", "Bonn", "Gent", "Namur", "Liège", "Utrecht", "Breda", "Genève", "Basel", "Torino", "Verona"]
    static let legalForms = ["SARL", "SAS", "SA", "GmbH", "AG", "KG", "Ltd", "BV", "SRL", "EURL", "GmbH & Co. KG"]
    static let firstNames = ["Jean", "Marie", "Pierre", "Sophie", "Luc", "Anne", "Thomas", "Julia", "Stefan", "Katrin", "Marco", "Elena"]
    static let lastNames = ["Dupont", "Durand", "Petit", "Roux", "Vincent", "Keller", "Braun", "Koch", "Ricci", "Marino", "de Jong", "Bakker"]
    static let tradingWords = ["Ets", "Groupe", "Atelier", "Maison", "Studio", "Cabinet"]
}

extension Double {
    /// `exp(self)` kept within `low...high`.
    func clampedExp(_ low: Double, _ high: Double) -> Double { Swift.min(high, Swift.max(low, exp(self))) }
}
