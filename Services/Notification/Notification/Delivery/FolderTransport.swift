import Events
import Foundation
import NotificationTemplates
import SMTP

/// The development transport: each message is a file a person can open (`.eml` for e-mails,
/// `.txt` for SMS, `.html` for letters), named by the notification id and recipient, so a
/// repeated delivery rewrites the same file instead of adding one.
public struct FolderTransport: NotificationTransport {
    public let directory: URL
    /// The From of e-mails.
    public let from: String

    public init(directory: URL, from: String) {
        self.directory = directory
        self.from = from
    }

    public func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        let bytes: [UInt8]
        let suffix: String
        switch message.rendered.content {
        case .email:
            bytes = try SMTPTransport.emailMessage(message, from: from).rendered(throwingAs: DeliveryError.self)
            suffix = "eml"
        case .sms(let sms):
            bytes = Array("To: \(message.recipient.phone ?? "")\nEncoding: \(sms.encoding) Segments: \(sms.segments)\n\n\(sms.text)\n".utf8)
            suffix = "txt"
        case .letter(let letter):
            bytes = Array(letter.html.utf8)
            suffix = "html"
        }
        let name = "\(message.idempotencyKey).\(suffix)"
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: directory.appendingPathComponent(name), options: .atomic)
        } catch {
            throw DeliveryError(.transient, "cannot write \(name) in \(directory.path): \(error)")
        }
        return "file:\(name)"
    }
}

extension EmailMessage {
    /// Renders, turning an SMTP rendering error into a permanent delivery failure.
    func rendered(throwingAs _: DeliveryError.Type) throws(DeliveryError) -> [UInt8] {
        do {
            return try rendered()
        } catch {
            throw DeliveryError(.permanent(.rejected), "the message cannot be written: \(error.reason)")
        }
    }
}
