// Hand-written JSON of the event the scheduler writes with every step, byte for byte its
// `Codable` form through `EventJSON.encode` (keys in UTF-8 byte order, absent optionals left out).

extension DunningStepExecuted: EventJSONWritable {
    public func writeJSON(to writer: inout EventJSONWriter) {
        writer.beginObject()
        if let caseId { writer.key("caseId"); writer.string(caseId) }
        writer.key("channel"); writer.string(channel.rawValue)
        writer.key("customerId"); writer.string(customerId)
        writer.key("executedAt"); writer.instant(executedAt)
        writer.key("invoiceIds"); writer.strings(invoiceIds)
        if let notificationId { writer.key("notificationId"); writer.string(notificationId) }
        writer.key("step"); writer.value(step)
        if let taskId { writer.key("taskId"); writer.string(taskId) }
        writer.endObject()
    }
}
