import CSV
import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Storage

extension InvoicingDatabase {
    /// Takes an order directly and publishes `order.created`, after a credit check
    /// (``CreditPolicy``: under `block` nothing is created and the error says why; under
    /// `warn` the order carries ``Order/creditWarning``).
    /// - Throws: `InvoicingError` `.notFound` (`customerNumber`), `.invalidState` for a
    ///   prospect, `.creditLimitExceeded`, `.duplicateNumber`, or a validation code.
    public func createOrder(_ draft: OrderDraft, settings: ExposureSettings = .init()) async throws -> Order {
        let (checked, totals) = try draft.validated()
        let id = TimeOrderedID.make()
        let outcome: QuoteOutcome = try await write { db in
            guard let customer = try Self.issuingCustomer(number: checked.customerNumber, db) else {
                throw InvoicingError(.notFound, "no customer with number '\(checked.customerNumber)'", field: "customerNumber")
            }
            try Self.requireSigned(customerId: customer.id, number: checked.customerNumber, db)
            if try Self.isOrderNumberUsed(checked.number, db) {
                throw InvoicingError(.duplicateNumber, "order number '\(checked.number)' already exists; numbers are unique", field: "number")
            }
            let today = try Self.day(of: self.now(), forCustomer: customer.id, db)
            let decision = try self.creditCheck(customerId: customer.id, amount: totals.gross, documentType: "order", documentNumber: checked.number,
                                                documentId: id, settings: settings, today: today, db)
            let warning: ExposureCheck?
            switch decision {
            case .blocked(let check): return .blocked(check)
            case .warned(let check): warning = check
            case .proceed: warning = nil
            }
            return .order(try self.insertOrder(
                id: id, number: checked.number, customerId: customer.id, customerNumber: customer.snapshot.customerNumber, origin: .direct,
                quoteId: nil, orderDate: checked.orderDate, lines: checked.lines, currency: checked.currency,
                customerReference: checked.customerReference, creditWarning: warning, db))
        }
        switch outcome {
        case .order(let order):
            return order
        case .blocked(let check):
            throw InvoicingError(.creditLimitExceeded, "order \(checked.number) was refused: \(check.summary); raise the limit, take a payment, or change the customer's creditPolicy")
        }
    }

    /// Cancels an order nothing was invoiced of and publishes `order.cancelled`.
    /// - Throws: `InvoicingError` `.notFound`; `.invalidState` when something was invoiced of
    ///   it (credit the invoices instead) or it is cancelled already.
    public func cancelOrder(id: String, reason: String?) async throws -> Order {
        let now = self.now()
        return try await write { db in
            guard var order = try Self.fetchOrder(id: id, db) else {
                throw InvoicingError(.notFound, "no order with id \(id)")
            }
            guard order.status == .open else {
                throw InvoicingError(.invalidState, "order \(order.number) is \(order.status.rawValue); only an open order (nothing invoiced) can be cancelled")
            }
            order.status = .cancelled
            order.uninvoicedAmount = .zero(order.currency)
            order.updatedAt = now
            try Self.saveOrder(order, db)
            try self.enqueue(OrderCancelled(customerId: order.customerId, orderId: id, number: order.number, reason: reason), db)
            return order
        }
    }

    /// The order with that id, or `nil`.
    public func order(id: String) async throws -> Order? {
        try await writer.read { db in try Self.fetchOrder(id: id, db) }
    }

    /// Filters for listing orders; combined with AND.
    public struct OrderQuery: Sendable, Hashable {
        public var customerId: String?
        public var status: OrderStatus?

        public init(customerId: String? = nil, status: OrderStatus? = nil) {
            self.customerId = customerId
            self.status = status
        }
    }

    /// Orders matching the query, by number, one page at a time.
    /// - Throws: `PageRequest.InvalidCursor` for a cursor this API did not return.
    public func orders(matching query: OrderQuery, page: PageRequest) async throws -> Page<Order> {
        try await documents(in: .salesOrder, customerId: query.customerId, status: query.status?.rawValue, page: page, number: { $0.number })
    }

    // MARK: Invoicing an order

    /// Counts an invoice being issued against its order (same transaction as the invoice) and
    /// publishes `order.invoiced` with the order's new status.
    ///
    /// The rule: same customer, same currency, the order open or partly invoiced, and the
    /// order's invoiced net amount (the invoices' net, VAT excluded, so VAT rounding never
    /// blocks) at most its net amount.
    /// - Throws: `InvoicingError` `.notFound` (`orderId`), `.invalidField` (`orderId`: another
    ///   customer's), `.currencyMismatch`, `.invalidState` (cancelled or fully invoiced order,
    ///   or the invoice would over-invoice it, with the figures).
    func invoiceOrder(orderId: String, invoiceId: String, customerId: String, _ invoice: ValidatedInvoice, _ db: Database) throws {
        guard var order = try Self.fetchOrder(id: orderId, db) else {
            throw InvoicingError(.notFound, "no order with id \(orderId)", field: "orderId")
        }
        guard order.customerId == customerId else {
            throw InvoicingError(.invalidField, "order \(order.number) is customer \(order.customerNumber)'s, not \(invoice.customerNumber)'s", field: "orderId")
        }
        guard order.currency == invoice.currency else {
            throw InvoicingError(.currencyMismatch, "order \(order.number) is in \(order.currency.code); invoice it in that currency", field: "currency")
        }
        guard order.status == .open || order.status == .partlyInvoiced else {
            throw InvoicingError(.invalidState, "order \(order.number) is \(order.status.rawValue) and cannot be invoiced", field: "orderId")
        }
        guard let net = invoice.totals?.net else {
            throw InvoicingError(.missingField, "an invoice of an order needs its lines", field: "lines")
        }
        let invoicedNet = order.invoicedNetAmount.minorUnits + net.minorUnits
        guard invoicedNet <= order.netAmount.minorUnits else {
            throw InvoicingError(.invalidState, "invoice \(invoice.number) (net \(net)) would over-invoice order \(order.number): net \(order.netAmount), already invoiced \(order.invoicedNetAmount); invoice at most \(Money(minorUnits: order.netAmount.minorUnits - order.invoicedNetAmount.minorUnits, currency: order.currency)) net",
                                 field: "orderId")
        }
        try move(&order, invoicedNet: invoicedNet, invoiced: order.invoicedAmount.minorUnits + invoice.total.minorUnits, db)
        try enqueue(OrderInvoiced(
            customerId: customerId, orderId: orderId, number: order.number, status: order.status.rawValue, invoiceId: invoiceId,
            invoiceNumber: invoice.number, change: "issued", invoicedNetAmount: order.invoicedNetAmount, invoicedAmount: order.invoicedAmount,
            uninvoicedAmount: order.uninvoicedAmount), db)
    }

    /// Gives back to its order what a cancelled invoice invoiced, and publishes `order.invoiced`
    /// (change `cancelled`). Nothing for an invoice without an order.
    func releaseOrderInvoicing(of invoice: Invoice, _ db: Database) throws {
        guard let orderId = invoice.orderId, var order = try Self.fetchOrder(id: orderId, db) else { return }
        let net = invoice.netAmount?.minorUnits ?? 0
        try move(&order, invoicedNet: max(order.invoicedNetAmount.minorUnits - net, 0),
                 invoiced: max(order.invoicedAmount.minorUnits - invoice.totalAmount.minorUnits, 0), db)
        try enqueue(OrderInvoiced(
            customerId: order.customerId, orderId: orderId, number: order.number, status: order.status.rawValue, invoiceId: invoice.id,
            invoiceNumber: invoice.number, change: "cancelled", invoicedNetAmount: order.invoicedNetAmount, invoicedAmount: order.invoicedAmount,
            uninvoicedAmount: order.uninvoicedAmount), db)
    }

    /// Sets what was invoiced of an order; the status follows.
    private func move(_ order: inout Order, invoicedNet: Int64, invoiced: Int64, _ db: Database) throws {
        order.invoicedNetAmount = Money(minorUnits: invoicedNet, currency: order.currency)
        order.invoicedAmount = Money(minorUnits: invoiced, currency: order.currency)
        order.status = invoicedNet == 0 ? .open : invoicedNet >= order.netAmount.minorUnits ? .invoiced : .partlyInvoiced
        order.uninvoicedAmount = order.status == .invoiced ? .zero(order.currency)
            : Money(minorUnits: max(order.totalAmount.minorUnits - invoiced, 0), currency: order.currency)
        order.updatedAt = now()
        try Self.saveOrder(order, db)
    }

    // MARK: Rows

    /// Inserts a new order and publishes `order.created`.
    func insertOrder(id: String, number: String, customerId: String, customerNumber: String, origin: Order.Origin, quoteId: String?,
                     orderDate: CalendarDate, lines: [InvoiceLine], currency: Currency, customerReference: String?,
                     creditWarning: ExposureCheck?, _ db: Database) throws -> Order {
        let totals = try QuoteDraft.totals(of: lines, currency: currency)
        let now = self.now()
        let order = Order(
            id: id, number: number, customerId: customerId, customerNumber: customerNumber, status: .open, origin: origin, quoteId: quoteId,
            orderDate: orderDate, currency: currency, lines: lines, netAmount: totals.net, vatAmount: totals.vat, totalAmount: totals.gross,
            invoicedNetAmount: .zero(currency), invoicedAmount: .zero(currency), uninvoicedAmount: totals.gross,
            customerReference: customerReference, creditWarning: creditWarning, createdAt: now, updatedAt: now)
        try Self.translateUniqueViolation("order", number: number, field: quoteId == nil ? "number" : "orderNumber") {
            try db.execute(sql: """
                INSERT INTO sales_order (id, number, customer_id, quote_id, status, currency, net_minor, total_minor, document, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, number, customerId, quoteId, order.status.rawValue, currency.code, totals.net.minorUnits,
                                 totals.gross.minorUnits, try EventJSON.encode(order), Self.timestamp(now)])
        }
        try enqueue(OrderCreated(
            customerId: customerId, customerNumber: customerNumber, orderId: id, number: number, origin: origin.rawValue, quoteId: quoteId,
            orderDate: orderDate, netAmount: totals.net, totalAmount: totals.gross, customerReference: customerReference), db)
        return order
    }

    static func isOrderNumberUsed(_ number: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sales_order WHERE number = ?)", arguments: [number]) ?? false
    }

    static func fetchOrder(id: String, _ db: Database) throws -> Order? {
        try Data.fetchOne(db, sql: "SELECT document FROM sales_order WHERE id = ?", arguments: [id]).map { try EventJSON.decode(Order.self, from: $0) }
    }

    static func saveOrder(_ order: Order, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE sales_order SET status = ?, invoiced_net_minor = ?, invoiced_minor = ?, document = ? WHERE id = ?
            """, arguments: [order.status.rawValue, order.invoicedNetAmount.minorUnits, order.invoicedAmount.minorUnits,
                             try EventJSON.encode(order), order.id])
    }
}

extension InvoicingDatabase {
    /// Imports open orders from an ERP's CSV (columns in ``OrderCSVRow``) as a sync by number,
    /// in transactions of ``importBatchSize`` rows:
    /// - a new number is created like through the API (origin `imported`, `order.created`),
    ///   after the same credit check: under the `block` policy an order over the limit is
    ///   rejected (`creditLimitExceeded`, `customer.exposure-exceeded` published);
    /// - a number here with the same customer, currency, date and amounts is `unchanged`;
    ///   with `status` `cancelled`, an open order is cancelled (`updated`, `order.cancelled`);
    /// - a number here that says something else is rejected: a sync never rewrites an order
    ///   (cancel it in the ERP and export a new one).
    /// - Parameter settings: How sent quotes count in exposure.
    /// - Throws: `InvoicingError` `.missingColumn`/`.malformedCSV` for an unusable file.
    public func importOrders(from reader: CSVReader, settings: ExposureSettings = .init(),
                             progress: @Sendable (ImportReport) -> Void = { _ in }) async throws -> ImportReport {
        guard let header = try reader.nextImportRecord() else { return ImportReport() }
        let mapper = try OrderCSVRow(header: header)
        return try await importBatches(reader, progress: progress, map: { record, cache in mapper.map(record, currencyCache: &cache) },
                                       commit: { lines, db in try self.commitOrders(lines, settings: settings, db) })
    }

    private func commitOrders(_ lines: [OrderCSVRow.Line], settings: ExposureSettings, _ db: Database) throws -> BatchOutcome {
        var outcome = BatchOutcome()
        for line in lines {
            func reject(_ error: InvoicingError) { outcome.rejections.append(CSVRejection(line: line.line, error: error)) }
            let draft = line.draft
            if let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM sales_order WHERE number = ?"), arguments: [draft.number]),
               var order = try Self.fetchOrder(id: id, db) {
                let totals = try QuoteDraft.totals(of: draft.lines, currency: draft.currency)
                var differences: [String] = []
                if order.customerNumber != draft.customerNumber { differences.append("customer \(order.customerNumber)") }
                if order.currency != draft.currency || order.netAmount != totals.net || order.totalAmount != totals.gross {
                    differences.append("net \(order.netAmount), total \(order.totalAmount)")
                }
                if order.orderDate != draft.orderDate { differences.append("date \(order.orderDate)") }
                guard differences.isEmpty else {
                    reject(InvoicingError(.duplicateNumber, "order \(draft.number) exists here with \(differences.joined(separator: ", ")); a sync does not change orders: cancel it and export a new one",
                                          field: "number"))
                    continue
                }
                if line.cancelled && order.status != .cancelled {
                    guard order.status == .open else {
                        reject(InvoicingError(.invalidState, "order \(draft.number) is \(order.status.rawValue) here and cannot be cancelled; credit its invoices", field: "status"))
                        continue
                    }
                    order.status = .cancelled
                    order.uninvoicedAmount = .zero(order.currency)
                    order.updatedAt = now()
                    try Self.saveOrder(order, db)
                    try enqueue(OrderCancelled(customerId: order.customerId, orderId: order.id, number: order.number, reason: "cancelled in the ERP"), db)
                    outcome.updated += 1
                } else {
                    outcome.unchanged += 1
                }
                continue
            }
            if line.cancelled {
                outcome.unchanged += 1 // Cancelled before it reached us: nothing to hold.
                continue
            }
            guard let customer = try Self.issuingCustomer(number: draft.customerNumber, db) else {
                reject(InvoicingError(.notFound, "no customer with number '\(draft.customerNumber)'", field: "customerNumber"))
                continue
            }
            guard !customer.isProspect else {
                reject(InvoicingError(.invalidState, "'\(draft.customerNumber)' is a prospect: sign it before taking orders", field: "customerNumber"))
                continue
            }
            let totals = try QuoteDraft.totals(of: draft.lines, currency: draft.currency)
            let today = try Self.day(of: now(), forCustomer: customer.id, db)
            let id = TimeOrderedID.make()
            var warning: ExposureCheck?
            switch try creditCheck(customerId: customer.id, amount: totals.gross, documentType: "order", documentNumber: draft.number,
                                   documentId: id, settings: settings, today: today, db) {
            case .blocked(let check):
                reject(InvoicingError(.creditLimitExceeded, "order \(draft.number) was refused: \(check.summary)", field: "netAmount"))
                continue
            case .warned(let check):
                warning = check
            case .proceed:
                break
            }
            _ = try insertOrder(id: id, number: draft.number, customerId: customer.id, customerNumber: customer.snapshot.customerNumber,
                                origin: .imported, quoteId: nil, orderDate: draft.orderDate, lines: draft.lines, currency: draft.currency,
                                customerReference: draft.customerReference, creditWarning: warning, db)
            outcome.inserted += 1
        }
        return outcome
    }
}
