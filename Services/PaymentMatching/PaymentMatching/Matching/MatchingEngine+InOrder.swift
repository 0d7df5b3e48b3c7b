import Foundation

extension MatchingEngine {
    /// Decides what each of `payments` pays, in order, recording each allocation in `index`
    /// before the next payment is decided: the same decisions, and the same `index` afterwards,
    /// as
    /// ```swift
    /// for payment in payments {
    ///     let decision = engine.match(payment, in: index)
    ///     if let candidate = decision.allocated { index.apply(candidate) }
    /// }
    /// ```
    /// with the work spread over `parallelism` tasks.
    ///
    /// Payments are taken `batchSize` at a time. Each payment of a batch is decided against the
    /// index as it stands at the start of the batch, in parallel (deciding is pure and reads the
    /// index only). Then the decisions are taken in statement order: one that read an invoice
    /// changed by an earlier allocation of the batch (an invoice it looked at, or any invoice of
    /// a customer whose invoices it searched) is made again against the index as it stands
    /// then; each allocation is recorded before the next decision is taken. So two payments of
    /// one invoice in one statement still see what the first left open.
    ///
    /// - Parameters:
    ///   - parallelism: tasks deciding at once; 1 decides one payment after the other.
    ///   - batchSize: payments decided against one state of the index. Larger batches wait
    ///     less for the slowest task; each allocation of a batch can send later payments of it
    ///     to be decided again.
    /// - Returns: the decisions, in the order of `payments`.
    public func matchInOrder(_ payments: [Payment], in index: inout OpenItemIndex,
                             parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                             batchSize: Int = 4_096) async -> [MatchDecision] {
        var decisions: [MatchDecision] = []
        decisions.reserveCapacity(payments.count)
        await matchInOrder(payments, in: &index, parallelism: parallelism, batchSize: batchSize) { _, decision in
            decisions.append(decision)
        }
        return decisions
    }

    /// ``matchInOrder(_:in:parallelism:batchSize:)`` handing each decision to `body` (with the
    /// payment's position in `payments`) in order, once its allocation is recorded in `index`,
    /// rather than keeping them all: the explanations of a large statement's decisions take
    /// more memory than the index.
    /// - Returns: how many payments were decided again, one after the other, because an
    ///   earlier payment of their batch changed what they had read.
    @discardableResult
    public func matchInOrder(_ payments: [Payment], in index: inout OpenItemIndex,
                             parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                             batchSize: Int = 4_096, _ body: (Int, MatchDecision) -> Void) async -> Int {
        guard parallelism > 1 else {
            for (position, payment) in payments.enumerated() {
                let decision = match(payment, in: index)
                if let candidate = decision.allocated { index.apply(candidate) }
                body(position, decision)
            }
            return 0
        }
        var decidedAgain = 0
        var start = payments.startIndex
        while start < payments.endIndex {
            let end = min(payments.endIndex, start + max(1, batchSize))
            let batch = payments[start..<end]
            // The tasks hold the index only until this returns, so the allocations below
            // change it in place rather than copying a million invoices.
            let tentative = await decideConcurrently(batch, against: index, parallelism: parallelism)
            var changes = ConsultedItems.Changes()
            for (position, (firstDecision, consulted)) in zip(batch.indices, tentative) {
                let payment = payments[position]
                var decision = firstDecision
                if consulted.isAffected(by: changes) {
                    decision = match(payment, in: index)
                    decidedAgain += 1
                }
                if let candidate = decision.allocated {
                    index.apply(candidate)
                    for allocation in candidate.allocations {
                        guard let position = index.position(ofInvoice: allocation.invoiceId) else { continue }
                        changes.record(position: position, customer: index.invoices[position].customerId, open: index.invoices[position].openAmount)
                    }
                }
                body(position - payments.startIndex, decision)
            }
            start = end
        }
        return decidedAgain
    }

    /// Each payment decided against `index` as it is, with what the decision consulted; in the
    /// order of `payments`.
    private func decideConcurrently(_ payments: ArraySlice<Payment>, against index: OpenItemIndex,
                                    parallelism: Int) async -> [(MatchDecision, ConsultedItems)] {
        // A few chunks a task: payments differ in cost (a long text, a payer with many invoices),
        // and a task that finishes early takes the next chunk.
        let chunkCount = min(payments.count, parallelism * 4)
        guard chunkCount > 1 else { return payments.map { decideConsulting($0, in: index) } }
        let chunkSize = (payments.count + chunkCount - 1) / chunkCount
        return await withTaskGroup(of: (Int, [(MatchDecision, ConsultedItems)]).self) { group in
            var chunkStart = payments.startIndex
            var chunk = 0
            while chunkStart < payments.endIndex {
                let chunkEnd = min(payments.endIndex, chunkStart + chunkSize)
                let slice = payments[chunkStart..<chunkEnd]
                let number = chunk
                group.addTask { (number, slice.map { self.decideConsulting($0, in: index) }) }
                chunkStart = chunkEnd
                chunk += 1
            }
            var chunks = [[(MatchDecision, ConsultedItems)]](repeating: [], count: chunk)
            for await (number, decided) in group { chunks[number] = decided }
            return chunks.flatMap { $0 }
        }
    }

    /// ``match(_:in:)`` with what the decision read of the open amounts.
    func decideConsulting(_ payment: Payment, in index: OpenItemIndex) -> (MatchDecision, ConsultedItems) {
        var run = MatchingRun(payment: payment, index: index, policy: policy)
        let decision = run.decide()
        return (decision, run.consulted)
    }
}
