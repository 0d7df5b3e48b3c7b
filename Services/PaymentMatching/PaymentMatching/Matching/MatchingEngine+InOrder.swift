import Foundation
import Money

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
    /// Payments are taken `batchSize` at a time. The payments of a batch are decided in
    /// parallel (deciding is pure and reads the index only) against a snapshot of the index:
    /// the index as it stood when the previous batch's in-order pass began, so that deciding
    /// one batch overlaps with the in-order pass of the one before and no core waits for the
    /// other. Then the decisions are taken in statement order: one that read an invoice
    /// changed since its snapshot (by the previous batch's allocations or an earlier one of its
    /// own batch: an invoice it looked at, or any invoice of a customer whose invoices it
    /// searched) is made again against the index as it stands then; each allocation is
    /// recorded before the next decision is taken. So two payments of one invoice in one
    /// statement still see what the first left open.
    ///
    /// - Parameters:
    ///   - parallelism: tasks deciding at once; 1 decides one payment after the other.
    ///   - batchSize: payments decided against one snapshot of the index. Larger batches wait
    ///     less for the slowest task; each allocation of a batch can send payments of it and of
    ///     the next batch to be decided again.
    /// - Returns: the decisions, in the order of `payments`.
    public func matchInOrder(_ payments: [Payment], in index: inout OpenItemIndex,
                             parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                             batchSize: Int = MatchingEngine.defaultBatchSize) async -> [MatchDecision] {
        var decisions: [MatchDecision] = []
        decisions.reserveCapacity(payments.count)
        await matchInOrder(payments, in: &index, parallelism: parallelism, batchSize: batchSize) { _, decision in
            decisions.append(decision)
        }
        return decisions
    }

    /// Payments decided against one snapshot of the index by
    /// ``matchInOrder(_:in:parallelism:batchSize:)`` unless told otherwise.
    public static let defaultBatchSize = 512

    /// ``matchInOrder(_:in:parallelism:batchSize:)`` handing each decision to `body` (with the
    /// payment's position in `payments`) in order, once its allocation is recorded in `index`,
    /// rather than keeping them all: the explanations of a large statement's decisions take
    /// more memory than the index.
    /// - Returns: how many payments were decided again, one after the other, because an
    ///   earlier payment changed what they had read.
    @discardableResult
    public func matchInOrder(_ payments: [Payment], in index: inout OpenItemIndex,
                             parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                             batchSize: Int = MatchingEngine.defaultBatchSize, _ body: (Int, MatchDecision) -> Void) async -> Int {
        guard parallelism > 1 else {
            for (position, payment) in payments.enumerated() {
                let decision = match(payment, in: index)
                if let candidate = decision.allocated { index.apply(candidate) }
                body(position, decision)
            }
            return 0
        }
        let size = max(1, batchSize)
        let batches = stride(from: payments.startIndex, to: payments.endIndex, by: size).map {
            $0..<min(payments.endIndex, $0 + size)
        }
        guard let first = batches.first else { return 0 }
        var decidedAgain = 0
        // Why the decisions are the sequential ones: a tentative decision of batch k was made
        // against the snapshot S taken when batch k-1's in-order pass began (the first batch:
        // against the index as given). Between S and the moment a payment of batch k is taken
        // in order, the index changed only by the allocations of batch k-1 and of the payments
        // of batch k before it, each recorded in `sinceSnapshot`. The engine is deterministic
        // and reads nothing else that changes, so when none of those touched what the decision
        // consulted (``ConsultedItems/isAffected(by:)``), deciding against the current index
        // gives the same decision; otherwise it is decided again against the current index,
        // which is exactly what the sequential loop does.
        // The deciders read `shadow` while the in-order pass changes `index`. Both share the
        // invoices and the tables; only the open amounts (8 bytes an invoice) are held twice,
        // copied once (at the first allocation) and then kept equal by replaying each batch's
        // changed positions, rather than copied again every batch.
        var shadow = index
        var tentative = await decideConcurrently(payments[first], against: index, parallelism: parallelism)
        // Allocations of the previous batch's in-order pass: made after the current batch's snapshot.
        var previousBatchChanges = ConsultedItems.Changes()
        for (number, batch) in batches.enumerated() {
            // The previous batch's deciders are done with it: changed in place, it becomes the
            // index as it stands now.
            shadow.copyOpenAmounts(at: previousBatchChanges.invoices, from: index)
            let snapshot = shadow
            let nextBatch = number + 1 < batches.count ? batches[number + 1] : payments.endIndex..<payments.endIndex
            async let next = decideConcurrently(payments[nextBatch], against: snapshot, parallelism: parallelism)
            var sinceSnapshot = previousBatchChanges
            var batchChanges = ConsultedItems.Changes()
            for (position, (firstDecision, consulted)) in zip(batch, tentative) {
                var decision = firstDecision
                if consulted.isAffected(by: sinceSnapshot) {
                    decision = match(payments[position], in: index)
                    decidedAgain += 1
                }
                if let candidate = decision.allocated {
                    index.apply(candidate)
                    for allocation in candidate.allocations {
                        guard let changed = index.position(ofInvoice: allocation.invoiceId) else { continue }
                        let customer = index.invoices[changed].customerId
                        let open = Money(minorUnits: index.openUnits[changed], currency: index.invoices[changed].currency)
                        sinceSnapshot.record(position: changed, customer: customer, open: open)
                        batchChanges.record(position: changed, customer: customer, open: open)
                    }
                }
                body(position - payments.startIndex, decision)
            }
            previousBatchChanges = batchChanges
            tentative = await next
        }
        return decidedAgain
    }

    /// Each payment decided against `index` as it is, with what the decision consulted; in the
    /// order of `payments`.
    private func decideConcurrently(_ payments: ArraySlice<Payment>, against index: OpenItemIndex,
                                    parallelism: Int) async -> [(MatchDecision, ConsultedItems)] {
        // A few chunks a task: payments differ in cost (a long text, a payer with many invoices),
        // and a task that finishes early takes the next chunk.
        let chunkCount = min(payments.count, parallelism * MatchingEngine.chunksPerTask)
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

    /// Chunks of a batch for each deciding task. Many small chunks: the in-order pass takes
    /// the next batch's decisions only once all of them are made, and the last chunks running
    /// alone leave the other cores idle.
    static let chunksPerTask = 16

    /// ``match(_:in:)`` with what the decision read of the open amounts.
    func decideConsulting(_ payment: Payment, in index: OpenItemIndex) -> (MatchDecision, ConsultedItems) {
        var run = MatchingRun(payment: payment, index: index, policy: policy)
        let decision = run.decide()
        return (decision, run.consulted)
    }
}
