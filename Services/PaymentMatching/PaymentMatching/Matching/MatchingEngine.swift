import Money

/// Decides what a payment pays: pure and deterministic (no I/O, no clock; the payment's value
/// date is the only day it knows), so the same payment against the same open items always
/// gives the same decision, with the evidence a person needs to check it.
///
/// ## Rules and scores (0...100)
/// Each rule makes candidates: allocations, credit, write-off, a score and sentences of evidence.
///
/// 1. References, from the structured field:
///    - an ISO 11649 RF reference with valid check digits that is an open invoice's reference: **100**
///      (wrong check digits: not evidence, a note says so);
///    - the invoice number itself (ignoring case, separators and leading zeros): **98**.
/// 2. References found in the free text (and in structured fields that are neither): words
///    are joined in runs of up to 7, compared as ``InvoiceNumberKey`` forms:
///    - a valid RF reference: **97**;
///    - the number, ignoring spacing, separators, case and leading zeros: **95**;
///    - with O/0, I/1, L/1 confused: **92**;
///    - the digits of a number that has a prefix, quoted without it (6+ digits): **88**;
///    - one edit away (substitution, insertion, deletion or swap of neighbours), only for
///      numbers of at least ``MatchingPolicy/minimumTypoNumberLength`` (8) characters: **80**.
///    - a number of fewer than 6 characters, digits only, in the text: **-10** (dates, postal
///      codes and quantities meet such numbers).
///    Runs overlapping in the text: the strongest kind wins, then the longest run.
///    All invoices found together (each run naming exactly one open invoice of the payment's
///    currency) make one candidate, money applied in due-date order, never more than open;
///    its score is that of the weakest evidence; when some of them score below the threshold
///    and others not, and the amount is not what all of them have open, the strong ones alone
///    make a second candidate (a stray number in the text must not split the money). A run naming several invoices makes one candidate per
///    invoice, **-10** each.
///    A number naming one invoice also makes a candidate of each open invoice one typo away
///    from it (**80**, **70** when there are several): numbers are dense, and a slip of the
///    payer's turns one invoice's number into another's.
///    Then: amount equal to what is open on them (or short within tolerance) **+5**; payer
///    identified (below) as the customer of every invoice **+5**; the payer identified by IBAN,
///    customer number or exact name as another customer only **-10**. Capped at 100.
/// 3. Payer and amount. Payer identified by: IBAN known **92**; customer number (4+
///    characters) in the remittance **92**; name equal once normalised (``PayerName``) to the
///    legal name or a known variant **90**; name similarity at least
///    ``MatchingPolicy/nameSimilarityThreshold`` (0.92, Jaro-Winkler) **80** at the threshold,
///    rising linearly to **84** just below equal names (closer names rank first), looked for
///    only when the name is no known payer's exactly; two kinds
///    agreeing **+3** (at most 95). Then, among that payer's open invoices of the payment's
///    currency issued on or before the value date:
///    - one whose open amount equals the payment: the payer's score;
///      short by at most the tolerance: **-6**, so never automatic: with no reference, an
///      unrelated credit from a known payer falls within a tolerance window of one of its
///      invoices too often (a tenth of the time with 10.00 and a few dozen invoices);
///    - either one **-10** when the remittance names (rule 2, however weakly) another invoice
///      of that payer and none of these: of several invoices of the amount, the one named is
///      meant;
///    - a combination of 2...``MatchingPolicy/maxInvoicesPerCombination`` (4) of its
///      ``MatchingPolicy/maxCombinationCandidates`` (25) oldest invoices adding up to the
///      payment to the cent: **-2** (so automatic for a payer known by IBAN or customer number
///      when it is the only combination and no single invoice fits: two combinations, or a
///      combination and an invoice, are a tie); short within tolerance **-8**, and any
///      combination when the search ran out of steps **-8**: never automatic (bounded search,
///      see ``CombinationSearch``).
/// 4. Amount fit: a payment below what the referenced invoices have open pays them in
///    due-date order and the rest stays open (partial); above it, the rest becomes credit of
///    the payer (overpayment); short by at most the tolerance settles them and the difference
///    is written off on the last one (bank fees).
/// 5. Only invoices of the payment's currency are ever allocated; a reference to an invoice in
///    another currency only adds a note.
/// 6. Invoices paid in full since the ``OpenItemIndex`` was built (an earlier payment of the
///    same import, recorded with ``OpenItemIndex/apply(_:)``) are absent: no candidate, no
///    combination; a partly paid one offers what is left. A reference naming only such an
///    invoice is a note (it is not allocated again, and is not read as a one-typo neighbour of
///    another number), and amount-only candidates get **-10** (the payer said what the money
///    was for, and it is paid): a payment sent twice goes to a person, who refunds it or keeps
///    it as credit, rather than being guessed onto another invoice of the same amount.
///
/// The same outcome reached by several rules is one candidate: the highest score, all the
/// evidence. Candidates are ranked by score, then rule (table order), then their invoices'
/// stable order (due date, number, id).
///
/// ## Decision
/// Allocated when the best candidate scores at least ``MatchingPolicy/autoAllocationThreshold``
/// (90) and at least ``MatchingPolicy/clearMargin`` (5) more than the runner-up. So an exact RF
/// or an invoice number in the text with the right amount is allocated; an amount alone is
/// allocated only for a payer identified by IBAN or customer number (92) or exact name (90),
/// when nothing else fits as well, and a combination only for a payer identified by IBAN or
/// customer number; a short amount without a reference never is. Otherwise unmatched with the ranked suggestions.
/// Two open invoices of one payer with the amount paid and no reference are a tie: unmatched,
/// both suggested, the oldest first. Allocating the oldest would be a guess, and a wrong guess
/// means dunning a paid invoice, the one thing matching is there to prevent.
public struct MatchingEngine: Sendable {
    public let policy: MatchingPolicy

    public init(policy: MatchingPolicy = MatchingPolicy()) {
        self.policy = policy
    }

    /// Decides what `payment` pays among the items of `index`.
    public func match(_ payment: Payment, in index: OpenItemIndex) -> MatchDecision {
        var run = MatchingRun(payment: payment, index: index, policy: policy)
        return run.decide()
    }

    /// Decides what `payment` pays, filing `openInvoices` and `payers` first (for one-off use;
    /// build an ``OpenItemIndex`` once for many payments).
    public func match(_ payment: Payment, openInvoices: [OpenInvoice], payers: [PayerProfile]) -> MatchDecision {
        match(payment, in: OpenItemIndex(invoices: openInvoices, payers: payers, policy: policy))
    }
}
