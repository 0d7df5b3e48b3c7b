import Money

/// A reference found: which invoices, how, and what was written.
struct ReferenceHit {
    let kind: ReferenceKind
    let invoices: [Int]
    let quoted: String
    let penalty: Int
    /// Invoices the reference names that were paid in full since the index was built (then
    /// ``invoices`` is empty: they are not offered again).
    var settled: [Int] = []
}

/// A payer identified, with how sure and why.
struct IdentifiedPayer {
    let payer: Int
    var strength: Int
    var evidence: [String]
    var byIBAN: Bool
}

/// Sentences of evidence, written only for the candidates a decision keeps: a payment makes
/// dozens of candidates (a number's one-typo neighbours, a payer's combinations), and writing
/// every one's sentences (amounts formatted, numbers read from scattered invoices) was a
/// fifth of the matching time. Reads the run it is given, captures only small values.
typealias Explanation = (MatchingRun) -> [String]

/// A candidate with its invoices' positions in the index, for ranking.
struct RankedCandidate {
    /// Its ``MatchCandidate/evidence`` is empty until ``MatchingRun/explained(_:)``.
    var candidate: MatchCandidate
    let positions: [Int]
    /// The evidence of each rule reaching this outcome, the winning rule's first (``MatchingRun/merge(_:)``).
    var explanations: [Explanation]
}

/// One payment being matched: the working state of ``MatchingEngine/match(_:in:)``.
struct MatchingRun {
    let payment: Payment
    let index: OpenItemIndex
    let policy: MatchingPolicy
    var notes: [String] = []
    /// Invoices the remittance names that were paid in full since the index was built.
    var settledReferences: [Int] = []
    /// Open invoices the remittance names (however weakly), for the payer-and-amount rule.
    var referencedInvoices: Set<Int> = []
    /// What the decision read of the index's changing part (open amounts), so that a decision
    /// made against an earlier state of the index can be shown still valid (see
    /// ``MatchingEngine/matchInOrder(_:in:parallelism:batchSize:)``).
    var consulted = ConsultedItems()
    /// The payment's currency in ``OpenItemIndex/currencyOrdinals``; nil when no invoice has it.
    let currencyOrdinal: UInt16?

    init(payment: Payment, index: OpenItemIndex, policy: MatchingPolicy) {
        self.payment = payment
        self.index = index
        self.policy = policy
        self.currencyOrdinal = index.currencyOrdinal(of: payment.amount.currency)
    }

    var currency: Currency { payment.amount.currency }
    var tolerance: Int64 { policy.tolerance(for: currency) }

    mutating func decide() -> MatchDecision {
        guard payment.amount.isPositive else {
            return .unmatched(suggestions: [], notes: ["the amount \(payment.amount) is not positive: only credits are matched"])
        }
        let payers = identifyPayers()
        var candidates = referenceCandidates(payers: payers)
        candidates += payerCandidates(payers: payers)
        let ranked = rank(merge(candidates))
        if let best = ranked.first, best.candidate.score >= policy.autoAllocationThreshold,
           ranked.count < 2 || best.candidate.score - ranked[1].candidate.score >= policy.clearMargin {
            return .allocate(explained(best))
        }
        if let best = ranked.first, best.candidate.score >= policy.autoAllocationThreshold, ranked.count >= 2 {
            note("\(ranked.count) candidates, the best (\(best.candidate.score)) is not \(policy.clearMargin) points ahead of the next (\(ranked[1].candidate.score))")
        }
        return .unmatched(suggestions: ranked.prefix(max(0, policy.maxSuggestions)).map(explained), notes: notes)
    }

    /// The candidate with its evidence: each explanation's sentences in order, a sentence
    /// already there not repeated (as merging them eagerly would have).
    func explained(_ ranked: RankedCandidate) -> MatchCandidate {
        var evidence: [String] = []
        for explanation in ranked.explanations {
            let sentences = explanation(self)
            evidence += evidence.isEmpty ? sentences : sentences.filter { !evidence.contains($0) }
        }
        var candidate = ranked.candidate
        candidate.evidence = evidence
        return candidate
    }

    private mutating func note(_ text: String) {
        if !notes.contains(text) { notes.append(text) }
    }

    // MARK: Payers

    func payerLabel(_ payer: Int) -> String {
        let profile = index.payers[payer]
        return "customer \(profile.customerNumber ?? profile.customerId) (\(profile.legalName))"
    }

    /// Payers named by the IBAN, a customer number in the remittance, or the name; strongest first.
    func identifyPayers() -> [IdentifiedPayer] {
        var found: [Int: IdentifiedPayer] = [:]
        var kinds: [Int: Set<Int>] = [:]
        func add(_ payer: Int, kind: Int, strength: Int, evidence: String, byIBAN: Bool = false) {
            var entry = found[payer] ?? IdentifiedPayer(payer: payer, strength: 0, evidence: [], byIBAN: false)
            entry.strength = max(entry.strength, strength)
            if !entry.evidence.contains(evidence) { entry.evidence.append(evidence) }
            entry.byIBAN = entry.byIBAN || byIBAN
            found[payer] = entry
            kinds[payer, default: []].insert(kind)
        }
        if let iban = payment.counterparty?.iban.map(OpenItemIndex.normalisedIBAN), !iban.isEmpty {
            for payer in index.payersByIBAN[iban] ?? [] {
                add(payer, kind: 0, strength: MatchingScores.payerByIBAN, evidence: "IBAN \(iban) is a known account of \(payerLabel(payer))", byIBAN: true)
            }
        }
        let texts = payment.remittance.structured + [payment.remittance.unstructured ?? ""]
        for text in texts {
            let parts = TextParts(text)
            for start in parts.parts.indices {
                for end in (start + 1)...min(start + 3, parts.parts.count) {
                    let compact = parts.parts[start..<end].joined()
                    // The parts are ASCII: bytes are characters.
                    guard compact.utf8.count >= OpenItemIndex.minimumCustomerNumberLength,
                          let payers = index.payersByCustomerNumber[compact] else { continue }
                    for payer in payers {
                        add(payer, kind: 1, strength: MatchingScores.payerByCustomerNumber,
                            evidence: "customer number '\(parts.quote(start..<end))' in the remittance is \(payerLabel(payer))'s")
                    }
                }
            }
        }
        if let rawName = payment.counterparty?.name {
            let name = PayerName(rawName)
            if !name.normalised.isEmpty {
                let exact = index.payersByExactName[name.normalised] ?? []
                for payer in exact {
                    add(payer, kind: 2, strength: MatchingScores.payerByExactName,
                        evidence: "payer name '\(rawName)' is the name of \(payerLabel(payer)) once case, accents and legal forms are set aside")
                }
                // A name that is a known payer's exactly is not also read as resembling others'.
                for (payer, similarity) in exact.isEmpty ? fuzzyNameMatches(name) : [] {
                    let rounded = (similarity * 100).rounded() / 100
                    // 80 at the threshold up to 84 just below equality: closer names rank first.
                    let closeness = (similarity - policy.nameSimilarityThreshold) / max(0.000_001, 1 - policy.nameSimilarityThreshold)
                    let strength = MatchingScores.payerByFuzzyName + min(MatchingScores.fuzzyNameSpread - 1, max(0, Int(closeness * Double(MatchingScores.fuzzyNameSpread))))
                    add(payer, kind: 2, strength: strength,
                        evidence: "payer name '\(rawName)' resembles the name of \(payerLabel(payer)) (similarity \(rounded), threshold \(policy.nameSimilarityThreshold))")
                }
            }
        }
        var result = Array(found.values)
        for position in result.indices where (kinds[result[position].payer]?.count ?? 0) >= 2 {
            result[position].strength = min(MatchingScores.payerMaximum, result[position].strength + MatchingScores.payerKindsAgree)
        }
        return result.sorted {
            $0.strength != $1.strength ? $0.strength > $1.strength : $0.payer < $1.payer
        }
    }

    /// Payers whose legal name or a variant is at least as similar as the threshold, found
    /// through the name's blocking keys (rarest first, at most 500 payers compared).
    func fuzzyNameMatches(_ name: PayerName) -> [(Int, Double)] {
        let lists = name.blockingKeys.compactMap { index.payersByNameKey[$0] }.sorted {
            $0.count != $1.count ? $0.count < $1.count : ($0.first ?? 0) < ($1.first ?? 0)
        }
        var considered = Set<Int>()
        var ordered: [Int] = []
        for list in lists {
            for payer in list where considered.insert(payer).inserted {
                ordered.append(payer)
                if ordered.count >= MatchingScores.maximumNameCandidates { break }
            }
            if ordered.count >= MatchingScores.maximumNameCandidates { break }
        }
        var result: [(Int, Double)] = []
        let threshold = policy.nameSimilarityThreshold
        let query = NameSketches.Query(name)
        for payer in ordered.sorted() {
            // Most names are far off: the packed sketches rule them out without reading them.
            var similarity = 0.0
            index.nameSketches.forEachName(of: payer, mayReaching: threshold, with: query) { position, checked in
                let candidate = index.payerNames[payer][position]
                guard checked || candidate.mayReach(threshold, with: name) else { return }
                similarity = max(similarity, candidate.similarity(to: name))
            }
            if similarity >= threshold { result.append((payer, similarity)) }
        }
        return result
    }

    // MARK: References

    /// References in the structured field and the text.
    mutating func findReferences() -> [ReferenceHit] {
        var hits: [ReferenceHit] = []
        var texts: [String] = []
        for raw in payment.remittance.structured {
            let text = MatchingRun.trimmed(raw)
            guard !text.isEmpty else { continue }
            if RFReference.looksLikeReference(text) {
                if let reference = RFReference.validated(text) {
                    if let invoices = index.invoices(withReference: reference) {
                        let (open, settled) = index.split(invoices)
                        consulted.invoices += open
                        hits.append(ReferenceHit(kind: .rfStructured, invoices: open, quoted: RFReference.printFormat(reference), penalty: 0, settled: settled))
                    } else {
                        note("\(RFReference.printFormat(reference)) is a valid RF reference but no open invoice has it")
                    }
                } else {
                    note("'\(text)' has the form of an RF reference but wrong check digits: not used as evidence")
                }
                continue
            }
            let key = InvoiceNumberKey(text)
            let invoices = union(index.invoices(withNumberKey: key.compact), index.invoices(withNumberKey: key.segmented))
            if !invoices.isEmpty && !key.compact.isEmpty {
                let (open, settled) = index.split(invoices)
                consulted.invoices += open
                hits.append(ReferenceHit(kind: .structuredNumber, invoices: open, quoted: text, penalty: 0, settled: settled))
            } else {
                texts.append(text)
            }
        }
        if let free = payment.remittance.unstructured { texts.append(free) }
        var seen: [Int] = []
        for text in texts { hits += textReferences(TextParts(text), consulted: &seen) }
        consulted.invoices += seen
        return hits
    }

    /// Runs of words of `text` that name open invoices, the strongest first where they overlap.
    /// Adds to `consulted` the open invoices of every run looked up, kept or not: whether a
    /// typo run is found at all depends on them being open, and a run found can hide another.
    func textReferences(_ text: TextParts, consulted: inout [Int]) -> [ReferenceHit] {
        struct Found { let start: Int, end: Int, kind: ReferenceKind, invoices: [Int], settled: [Int] }
        var found: [Found] = []
        let parts = text.parts
        let maximumLength = max(index.longestKey + 1, 25)
        func forEachRun(_ body: (Int, Int) -> Void) {
            for start in parts.indices {
                var length = 0
                var hasDigit = false
                for end in (start + 1)...min(start + MatchingScores.maximumTextRun, parts.count) {
                    let part = parts[end - 1]
                    length += part.utf8.count
                    if length > maximumLength { break }
                    hasDigit = hasDigit || part.utf8.contains { $0 >= 48 && $0 <= 57 }
                    guard hasDigit, length >= MatchingScores.minimumTextNumberLength else { continue }
                    body(start, end)
                }
            }
        }
        func resolve(_ found: [Found]) -> (accepted: [Found], taken: [Bool]) {
            let ordered = found.sorted {
                if $0.kind != $1.kind { return $0.kind < $1.kind }
                if $0.end - $0.start != $1.end - $1.start { return $0.end - $0.start > $1.end - $1.start }
                return $0.start < $1.start
            }
            var taken = [Bool](repeating: false, count: parts.count)
            var accepted: [Found] = []
            for hit in ordered where !taken[hit.start..<hit.end].contains(true) {
                for position in hit.start..<hit.end { taken[position] = true }
                accepted.append(hit)
            }
            return (accepted, taken)
        }
        // Typos are the weakest kind: a typo run overlapping a stronger hit that is kept never
        // counts, so the one-typo neighbourhoods (a dozen look-ups a run) are looked up only
        // for the runs clear of the stronger hits kept. Same result as looking up every run.
        // Each run's keys, in the order `forEachRun` visits the runs: the typo pass reads them
        // again rather than building them twice.
        var keys: [InvoiceNumberKey] = []
        forEachRun { start, end in
            let key = InvoiceNumberKey(parts: parts[start..<end])
            keys.append(key)
            if let hit = lookUp(key, typos: false) {
                found.append(Found(start: start, end: end, kind: hit.kind, invoices: hit.invoices, settled: hit.settled))
            }
        }
        let strong = resolve(found)
        let strongCount = found.count
        var run = 0
        forEachRun { start, end in
            defer { run += 1 }
            guard !strong.taken[start..<end].contains(true), let typos = typoLookUp(keys[run]) else { return }
            found.append(Found(start: start, end: end, kind: .numberTypo, invoices: typos, settled: []))
        }
        for hit in found { consulted += hit.invoices }
        let accepted = found.count == strongCount ? strong.accepted : resolve(found).accepted
        return accepted.sorted { $0.start < $1.start }.map { hit in
            let compact = parts[hit.start..<hit.end].joined()
            let shortDigits = compact.count < MatchingScores.shortNumberLength && compact.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            return ReferenceHit(kind: hit.kind, invoices: hit.invoices, quoted: text.quote(hit.start..<hit.end),
                                penalty: shortDigits && hit.kind != .rfText ? MatchingScores.shortDigitNumber : 0, settled: hit.settled)
        }
    }

    /// The strongest way the words of `key` name filed invoices, if any: those still open, and those paid
    /// in full since the index was built (a number naming only those is still a hit, so a
    /// one-typo neighbour of a paid invoice is not taken for it).
    func lookUp(_ key: InvoiceNumberKey, typos: Bool = true) -> (kind: ReferenceKind, invoices: [Int], settled: [Int])? {
        if key.compact.hasPrefix("RF"), RFReference.isValid(Array(key.compact.utf8)), let invoices = index.invoices(withReference: key.compact) {
            let (open, settled) = index.split(invoices)
            return (.rfText, open, settled)
        }
        let exact = union(index.invoices(withNumberKey: key.compact), index.invoices(withNumberKey: key.segmented))
        if !exact.isEmpty {
            let (open, settled) = index.split(exact)
            return (.numberExact, open, settled)
        }
        if let folded = index.invoices(withFoldedKey: key.folded) {
            let (open, settled) = index.split(folded)
            return (.numberFolded, open, settled)
        }
        if !key.hasLetters, key.digits.count >= 6, let invoices = index.invoices(withDigits: key.digits) {
            let (open, settled) = index.split(invoices)
            return (.numberDigits, open, settled)
        }
        guard typos, let found = typoLookUp(key) else { return nil }
        return (.numberTypo, found, [])
    }

    /// Open invoices one edit away from the number of `key` (see ``lookUp(_:typos:)``),
    /// ascending; nil when none.
    func typoLookUp(_ key: InvoiceNumberKey) -> [Int]? {
        let length = key.folded.utf8.count
        guard length >= index.minimumTypoNumberLength - 1, length <= index.longestKey + 1 else { return nil }
        var typos: [Int] = []
        for invoice in index.typoCandidates(key.folded) where index.isOpen(invoice) {
            if InvoiceNumberKey.isOneEditApart(key.folded, index.foldedKeys[invoice]) { typos.append(invoice) }
        }
        return typos.isEmpty ? nil : typos.sorted()
    }

    private func union(_ a: [Int]?, _ b: [Int]?) -> [Int] {
        guard let a else { return b ?? [] }
        guard let b else { return a }
        return Array(Set(a).union(b)).sorted()
    }

    func evidence(_ hit: ReferenceHit, invoice: Int) -> String {
        let number = index.invoices[invoice].number
        switch hit.kind {
        case .rfStructured: return "\(hit.quoted) (structured reference, check digits valid) is invoice \(number)'s reference"
        case .structuredNumber: return "structured reference '\(hit.quoted)' is invoice \(number)'s number"
        case .rfText: return "\(hit.quoted) in the text (check digits valid) is invoice \(number)'s reference"
        case .numberExact: return "'\(hit.quoted)' in the text is invoice \(number)'s number (spacing, separators, case and leading zeros aside)"
        case .numberFolded: return "'\(hit.quoted)' in the text reads as invoice \(number)'s number with O/0 or I/1 confused"
        case .numberDigits: return "'\(hit.quoted)' in the text is the digits of invoice \(number)'s number, without its prefix"
        case .numberTypo: return "'\(hit.quoted)' in the text is one character off invoice \(number)'s number"
        }
    }

    /// Candidates from the references: one for all invoices named unambiguously, one per
    /// invoice of an ambiguous reference.
    mutating func referenceCandidates(payers: [IdentifiedPayer]) -> [RankedCandidate] {
        let hits = findReferences()
        var unique: [Int: (kind: ReferenceKind, score: Int, evidence: String)] = [:]
        var candidates: [RankedCandidate] = []
        var ambiguous: [(hit: ReferenceHit, invoices: [Int])] = []
        var quotedNumbers: [(hit: ReferenceHit, invoice: Int)] = []
        for hit in hits {
            if hit.invoices.isEmpty {
                for invoice in hit.settled where !settledReferences.contains(invoice) {
                    settledReferences.append(invoice)
                    note("\(evidence(hit, invoice: invoice)), but it was paid in full by an earlier payment matched against these open items: not allocated again")
                }
                continue
            }
            var usable: [Int] = []
            for invoice in hit.invoices {
                let item = index.invoices[invoice]
                if item.currency == currency {
                    usable.append(invoice)
                } else {
                    note("\(evidence(hit, invoice: invoice)), but the invoice is in \(item.currency.code) and the payment in \(currency.code): never allocated across currencies")
                }
            }
            if usable.count == 1, let invoice = usable.first {
                if hit.kind == .numberExact || hit.kind == .numberFolded { quotedNumbers.append((hit, invoice)) }
                let score = hit.kind.score + hit.penalty
                if let known = unique[invoice], known.score >= score { continue }
                unique[invoice] = (hit.kind, score, evidence(hit, invoice: invoice))
            } else if usable.count > 1 {
                ambiguous.append((hit, usable))
            }
        }
        if !unique.isEmpty {
            let invoices = unique.keys.sorted()
            let weakest = invoices.min { (unique[$0]?.score ?? 0) < (unique[$1]?.score ?? 0) } ?? invoices[0]
            let kind = unique[weakest]?.kind ?? .numberTypo
            let score = unique[weakest]?.score ?? 0
            let sentences = invoices.compactMap { unique[$0]?.evidence }
            candidates.append(referenceCandidate(invoices, rule: kind.rule, base: score, evidence: { _ in sentences }, payers: payers))
            // A weak reference (a typo, digits without the prefix) beside strong ones may be a
            // stray number: the strong ones alone are a candidate too, unless the money is
            // exactly what all of them have open (then the weak one is no stray).
            let strong = invoices.filter { (unique[$0]?.score ?? 0) >= policy.autoAllocationThreshold }
            if !strong.isEmpty && strong.count < invoices.count && !allocate(invoices, rule: kind.rule, payers: payers).1 {
                let weakestStrong = strong.min { (unique[$0]?.score ?? 0) < (unique[$1]?.score ?? 0) } ?? strong[0]
                let sentences = strong.compactMap { unique[$0]?.evidence }
                candidates.append(referenceCandidate(strong, rule: unique[weakestStrong]?.kind.rule ?? kind.rule,
                                                     base: unique[weakestStrong]?.score ?? score,
                                                     evidence: { _ in sentences }, payers: payers))
            }
        }
        for (hit, invoices) in ambiguous {
            for invoice in invoices where unique[invoice] == nil {
                candidates.append(referenceCandidate(
                    [invoice], rule: hit.kind.rule, base: hit.kind.score + hit.penalty + MatchingScores.ambiguousReference,
                    evidence: { run in [run.evidence(hit, invoice: invoice) + ", as it is of \(invoices.count - 1) other open invoice(s)"] },
                    payers: payers))
            }
        }
        // Numbers are dense: one slip turns an invoice's number into another open invoice's.
        // The one-typo neighbours of a number found in the text are candidates too, so that when
        // the amount and the payer fit a neighbour and not the invoice named, the named one does
        // not win on the number alone.
        referencedInvoices.formUnion(unique.keys)
        for (_, invoices) in ambiguous { referencedInvoices.formUnion(invoices) }
        for (hit, named) in quotedNumbers {
            // Only when the amount does not fit the invoice named (nor its open amount less the
            // tolerance): then a neighbour may be what was meant.
            let open = index.openUnits[named]
            if open >= payment.amount.minorUnits && open - payment.amount.minorUnits <= tolerance { continue }
            let folded = InvoiceNumberKey(hit.quoted).folded
            guard folded.utf8.count >= policy.minimumTypoNumberLength else { continue }
            let neighbours = index.typoCandidates(folded).filter {
                $0 != named && index.isOpen($0) && index.currencyOrdinals[$0] == currencyOrdinal && unique[$0] == nil
                    && InvoiceNumberKey.isOneEditApart(folded, index.foldedKeys[$0])
            }
            consulted.invoices += neighbours
            for neighbour in neighbours {
                referencedInvoices.insert(neighbour)
                let base = ReferenceKind.numberTypo.score + (neighbours.count > 1 ? MatchingScores.ambiguousReference : 0)
                candidates.append(referenceCandidate(
                    [neighbour], rule: .invoiceNumberInText, base: base,
                    evidence: { run in
                        ["'\(hit.quoted)' in the text is one character off invoice \(run.index.invoices[neighbour].number)'s number "
                            + "(and is invoice \(run.index.invoices[named].number)'s)"]
                    }, payers: payers))
            }
        }
        return candidates
    }

    func referenceCandidate(_ invoices: [Int], rule: MatchRule, base: Int, evidence: @escaping Explanation,
                            payers: [IdentifiedPayer]) -> RankedCandidate {
        let customers = Set(invoices.map { index.invoices[$0].customerId })
        let identified = Set(payers.map { index.payers[$0.payer].customerId })
        var score = base
        let (candidate, agrees, amountFit) = allocate(invoices, rule: rule, payers: payers)
        var payerFit: Explanation?
        if agrees { score += MatchingScores.amountAgrees }
        if !customers.isEmpty && customers.isSubset(of: identified) {
            score += MatchingScores.payerCorroborates
            payerFit = { run in payers.filter { customers.contains(run.index.payers[$0.payer].customerId) }.flatMap(\.evidence) }
        } else {
            // Identified for sure (IBAN, customer number, exact name) as someone else only.
            let sure = payers.filter { $0.byIBAN || $0.strength >= MatchingScores.payerByExactName }
            if !sure.isEmpty && sure.allSatisfy({ !customers.contains(index.payers[$0.payer].customerId) }) {
                score += MatchingScores.payerContradicts
                let byIBAN = sure.filter(\.byIBAN)
                payerFit = { run in
                    if !byIBAN.isEmpty {
                        ["but the payer's IBAN is known as \(byIBAN.map { run.payerLabel($0.payer) }.joined(separator: ", "))'s"]
                    } else {
                        ["but the payer is \(sure.map { run.payerLabel($0.payer) }.joined(separator: ", ")), not the invoice's customer"]
                    }
                }
            }
        }
        var result = candidate
        result.score = min(100, max(0, score))
        return RankedCandidate(candidate: result, positions: invoices.sorted(), explanations: [{ run in
            evidence(run) + amountFit(run) + (payerFit?(run) ?? [])
        }])
    }

    // MARK: Amount

    /// Applies the payment to `invoices` in the stable order, never more than open: the
    /// candidate (score 0, evidence on the amount fit) and whether the amount agrees (exact, or
    /// short within the tolerance).
    func allocate(_ invoices: [Int], rule: MatchRule, payers: [IdentifiedPayer]) -> (MatchCandidate, Bool, Explanation) {
        let ordered = invoices.sorted()
        var remaining = payment.amount.minorUnits
        var allocations: [Allocation] = []
        var openSum: Int64 = 0
        for position in ordered {
            let open = index.openUnits[position]
            let (sum, overflow) = openSum.addingReportingOverflow(open)
            openSum = overflow ? Int64.max : sum
            let applied = min(remaining, open)
            guard applied > 0 else { continue }
            remaining -= applied
            let invoice = index.invoices[position]
            allocations.append(Allocation(invoiceId: invoice.id, invoiceNumber: invoice.number, customerId: invoice.customerId,
                                          amount: Money(minorUnits: applied, currency: currency)))
        }
        let count = ordered.count, totalOpen = openSum
        let amount = payment.amount
        let tolerance = tolerance
        let currency = currency
        func openText(_ money: (Int64) -> Money) -> String {
            count == 1 ? "the \(money(totalOpen)) open" : "the \(money(totalOpen)) open on the \(count) invoices together"
        }
        let money = { (units: Int64) in Money(minorUnits: units, currency: currency) }
        var credit: Int64 = 0
        var creditCustomer: String?
        let explanation: Explanation
        var agrees = false
        if remaining > 0 {
            credit = remaining
            let identified = Set(payers.map { index.payers[$0.payer].customerId })
            creditCustomer = allocations.first { identified.contains($0.customerId) }?.customerId ?? allocations.first?.customerId
            explanation = { [credit, creditCustomer] _ in
                ["overpayment: \(money(credit)) more than \(openText(money)) becomes credit of customer \(creditCustomer ?? "?")"]
            }
        } else if payment.amount.minorUnits == totalOpen {
            agrees = true
            explanation = { _ in ["the amount \(amount) equals \(openText(money))"] }
        } else if totalOpen - payment.amount.minorUnits <= tolerance && allocations.count == ordered.count, let last = allocations.indices.last {
            agrees = true
            let lastPosition = ordered[ordered.count - 1]
            let shortfall = index.openUnits[lastPosition] - allocations[last].amount.minorUnits
            allocations[last].writeOff = money(shortfall)
            explanation = { run in
                ["short by \(money(shortfall)) of \(openText(money)), within the tolerance of \(money(tolerance)): written off on \(run.index.invoices[lastPosition].number)"]
            }
        } else {
            explanation = { _ in ["partial payment: \(amount) of \(openText(money)); \(money(totalOpen - amount.minorUnits)) stays open"] }
        }
        let candidate = MatchCandidate(allocations: allocations, credit: money(credit), creditCustomerId: creditCustomer,
                                       rule: rule, score: 0, evidence: [])
        return (candidate, agrees, explanation)
    }

    // MARK: Payer and amount

    /// Candidates from identified payers: one open invoice of the amount, or a combination.
    mutating func payerCandidates(payers: [IdentifiedPayer]) -> [RankedCandidate] {
        var candidates: [RankedCandidate] = []
        let amount = payment.amount.minorUnits
        let (high, overflow) = amount.addingReportingOverflow(tolerance)
        guard !overflow else { return [] }
        for payer in payers.prefix(MatchingScores.maximumPayersTried) {
            let customer = index.payers[payer.payer].customerId
            // Of the payer's other open invoices, only one whose open amount falls to `high` or
            // below can change what this rule finds (amounts only fall).
            consulted.customers.append(ConsultedItems.Customer(id: customer, currency: currency, amountLimit: high))
            let open = (index.invoicesByCustomer[customer] ?? []).filter {
                index.openUnits[$0] > 0 && index.currencyOrdinals[$0] == currencyOrdinal && index.invoices[$0].issueDate <= payment.valueDate
            }
            for position in open {
                let due = index.openUnits[position]
                guard due >= amount && due <= high else { continue }
                consulted.invoices.append(position)
                let adjustment = due == amount ? 0 : MatchingScores.singleShort
                candidates.append(payerCandidate([position], payer: payer, rule: .payerAndAmount, score: payer.strength + adjustment))
            }
            let pool = Array(open.filter { index.openUnits[$0] <= high }.prefix(max(0, policy.maxCombinationCandidates)))
            consulted.invoices += pool
            let search = CombinationSearch(amounts: pool.map { index.openUnits[$0] }, low: amount, high: high,
                                           maxSize: policy.maxInvoicesPerCombination, maxResults: max(2, policy.maxSuggestions),
                                           maxSteps: policy.maxCombinationSearchSteps)
            let (combinations, exhausted) = search.run()
            if exhausted {
                note("the search for combinations of \(payerLabel(payer.payer))'s invoices stopped after \(policy.maxCombinationSearchSteps) steps")
            }
            for combination in combinations {
                let invoices = combination.map { pool[$0] }
                let total = invoices.reduce(Int64(0)) { $0 + index.openUnits[$1] }
                // A search stopped by its budget may have missed another combination: never automatic.
                let adjustment = exhausted ? MatchingScores.combinationSearchIncomplete
                    : total == amount ? MatchingScores.combination : MatchingScores.combinationShort
                candidates.append(payerCandidate(invoices, payer: payer, rule: .payerAndCombination, score: payer.strength + adjustment))
            }
        }
        return candidates
    }

    func payerCandidate(_ invoices: [Int], payer: IdentifiedPayer, rule: MatchRule, score: Int) -> RankedCandidate {
        var (candidate, _, amountFit) = allocate(invoices, rule: rule, payers: [payer])
        var score = score
        // The payer named one of its invoices, not this one: of several invoices of the
        // amount, the one named is meant (a subscription bills the same amount every month).
        let customer = index.payers[payer.payer].customerId
        let named = referencedInvoices.filter { index.invoices[$0].customerId == customer && !invoices.contains($0) }
        let namesOther = !named.isEmpty && !invoices.contains(where: referencedInvoices.contains)
        if namesOther { score += MatchingScores.otherInvoiceNamed }
        // The payer said what the money is for, and that is paid already (a payment sent
        // twice): another invoice of the same amount would be a guess.
        let settled = settledReferences
        if !settled.isEmpty { score += MatchingScores.settledReferenceContradicts }
        candidate.score = min(100, max(0, score))
        let positions = invoices.sorted()
        return RankedCandidate(candidate: candidate, positions: positions, explanations: [{ run in
            let numbers = positions.map { run.index.invoices[$0].number }.joined(separator: ", ")
            let what = positions.count == 1 ? "open invoice \(numbers)" : "the combination of open invoices \(numbers)"
            var evidence = payer.evidence + amountFit(run).map { "\(what) of that customer: \($0)" }
            if namesOther {
                let numbers = named.sorted().map { run.index.invoices[$0].number }.joined(separator: ", ")
                evidence.append("but the remittance names \(numbers), another invoice of that customer")
            }
            if !settled.isEmpty {
                let paid = settled.map { run.index.invoices[$0].number }.joined(separator: ", ")
                evidence.append("but the remittance names \(paid), already paid in full")
            }
            return evidence
        }])
    }

    // MARK: Ranking

    /// One candidate per outcome: the highest score, with the evidence of all rules reaching it.
    func merge(_ candidates: [RankedCandidate]) -> [RankedCandidate] {
        var byOutcome: [MatchCandidate.Outcome: Int] = [:]
        var merged: [RankedCandidate] = []
        for candidate in candidates {
            let key = candidate.candidate.outcome
            guard let existing = byOutcome[key] else {
                byOutcome[key] = merged.count
                merged.append(candidate)
                continue
            }
            var winner = merged[existing]
            let loser = candidate
            if candidate.candidate.score > winner.candidate.score || (candidate.candidate.score == winner.candidate.score && candidate.candidate.rule < winner.candidate.rule) {
                let previous = winner
                winner = candidate
                winner.explanations += previous.explanations
            } else {
                winner.explanations += loser.explanations
            }
            merged[existing] = winner
        }
        return merged
    }

    /// Score (high first), rule (table order), invoices' stable order (oldest first).
    func rank(_ candidates: [RankedCandidate]) -> [RankedCandidate] {
        candidates.sorted { lhs, rhs in
            if lhs.candidate.score != rhs.candidate.score { return lhs.candidate.score > rhs.candidate.score }
            if lhs.candidate.rule != rhs.candidate.rule { return lhs.candidate.rule < rhs.candidate.rule }
            if lhs.positions != rhs.positions { return lhs.positions.lexicographicallyPrecedes(rhs.positions) }
            return lhs.candidate.outcomeKey.lexicographicallyPrecedes(rhs.candidate.outcomeKey)
        }
    }

    /// `text` without leading and trailing white space.
    static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
