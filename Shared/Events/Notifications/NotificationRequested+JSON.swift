import Money

// Hand-written JSON of the command the scheduler writes most, byte for byte its `Codable`
// form through `EventJSON.encode` (keys in UTF-8 byte order, absent optionals left out).

extension NotificationRequested: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("channel"); writer.string(channel.rawValue)
        writer.key("customer"); writer.value(customer)
        writer.key("customerId"); writer.string(customerId)
        if let fallbackChannel { writer.key("fallbackChannel"); writer.string(fallbackChannel.rawValue) }
        if let formalNotice { writer.key("formalNotice"); writer.value(formalNotice) }
        writer.key("invoices"); writer.array(invoices)
        writer.key("language"); writer.string(language)
        writer.key("notificationId"); writer.string(notificationId)
        writer.key("payBy"); writer.date(payBy)
        writer.key("recipients"); writer.array(recipients)
        writer.key("scenario"); writer.value(scenario)
        writer.key("sender"); writer.value(sender)
        writer.key("templateId"); writer.string(templateId.rawValue)
        writer.key("totals"); writer.value(totals)
        writer.endObject()
    }
}

extension NotificationRequested.Customer: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("customerNumber"); writer.string(customerNumber)
        writer.key("legalName"); writer.string(legalName)
        writer.endObject()
    }
}

extension NotificationRequested.FormalNotice: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("annualInterestRateBasisPoints"); writer.integer(annualInterestRateBasisPoints)
        writer.key("responseDeadline"); writer.date(responseDeadline)
        writer.endObject()
    }
}

extension NotificationRecipient: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        if let cc { writer.key("cc"); writer.strings(cc) }
        writer.key("contactId"); writer.string(contactId)
        if let email { writer.key("email"); writer.string(email) }
        writer.key("name"); writer.string(name)
        if let phone { writer.key("phone"); writer.string(phone) }
        if let postalAddress { writer.key("postalAddress"); writer.value(postalAddress) }
        writer.key("role"); writer.string(role)
        writer.endObject()
    }
}

extension PostalAddressSnapshot: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("city"); writer.string(city)
        writer.key("country"); writer.string(country)
        writer.key("lines"); writer.strings(lines)
        writer.key("postalCode"); writer.string(postalCode)
        writer.endObject()
    }
}

extension CreditorSnapshot: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        if let bic { writer.key("bic"); writer.string(bic) }
        writer.key("iban"); writer.string(iban)
        writer.key("legalName"); writer.string(legalName)
        if let postalAddress { writer.key("postalAddress"); writer.value(postalAddress) }
        if let replyTo { writer.key("replyTo"); writer.string(replyTo) }
        writer.endObject()
    }
}

extension ClaimedInvoice: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("balance"); writer.money(balance)
        writer.key("daysOverdue"); writer.integer(daysOverdue)
        writer.key("dueDate"); writer.date(dueDate)
        writer.key("invoiceId"); writer.string(invoiceId)
        writer.key("invoiceNumber"); writer.string(invoiceNumber)
        writer.key("issueDate"); writer.date(issueDate)
        writer.key("lateInterest"); writer.money(lateInterest)
        if let paymentReference { writer.key("paymentReference"); writer.string(paymentReference) }
        writer.key("recoveryIndemnity"); writer.money(recoveryIndemnity)
        writer.key("total"); writer.money(total)
        writer.endObject()
    }
}

extension ClaimTotals: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("balance"); writer.money(balance)
        writer.key("lateInterest"); writer.money(lateInterest)
        writer.key("recoveryIndemnity"); writer.money(recoveryIndemnity)
        writer.key("totalClaimed"); writer.money(totalClaimed)
        writer.endObject()
    }
}

extension DunningStepReference: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        writer.key("name"); writer.string(name)
        writer.key("stepId"); writer.string(stepId)
        writer.key("version"); writer.integer(version)
        writer.endObject()
    }
}
