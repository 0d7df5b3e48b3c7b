// Hand-written JSON of the task the scheduler's catch-up creates for each phone-call step,
// byte for byte its `Codable` form through `EventJSON.encode`.

extension DunningTaskCreated: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        if let contactId { writer.key("contactId"); writer.string(contactId) }
        writer.key("customerId"); writer.string(customerId)
        writer.key("dueOn"); writer.date(dueOn)
        writer.key("invoiceIds"); writer.strings(invoiceIds)
        writer.key("kind"); writer.string(kind.rawValue)
        if let step { writer.key("step"); writer.value(step) }
        writer.key("taskId"); writer.string(taskId)
        writer.endObject()
    }
}
