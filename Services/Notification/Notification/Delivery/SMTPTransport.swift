import Events
import Foundation
import NotificationTemplates
import SMTP

/// E-mail over SMTP. The Message-ID is derived from the notification id and recipient
/// (`<id.n@domain of email.from>`), so a server or mailbox that deduplicates by Message-ID
/// also drops a resend. Several connections (`smtp.connections`): each client keeps one
/// connection and sends one message at a time; a message goes to the client its id hashes to.
public struct SMTPTransport: NotificationTransport {
    let clients: [SMTPClient]
    let from: String

    public init(clients: [SMTPClient], from: String) {
        precondition(!clients.isEmpty, "at least one SMTP client")
        self.clients = clients
        self.from = from
    }

    public func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        let email = try Self.emailMessage(message, from: from)
        let client = clients[Int(message.idempotencyKey.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 } % UInt32(clients.count))]
        do {
            let result = try await client.send(email)
            guard !result.accepted.isEmpty else {
                throw DeliveryError(.permanent(.invalidAddress), "no recipient accepted")
            }
            return result.messageID
        } catch let error as DeliveryError {
            throw error
        } catch let error as SMTPError {
            if error.isTransient { throw DeliveryError(.transient, "\(error.reason) (\(error.advice))") }
            let reason: NotificationFailureReason = switch error.code {
            case .recipientsRejected, .invalidAddress: .invalidAddress
            case .messageRejected, .senderRejected: .rejected
            default: .other
            }
            throw DeliveryError(.permanent(reason), "\(error.reason) (\(error.advice))")
        } catch {
            throw DeliveryError(.transient, "\(error)")
        }
    }

    /// The e-mail of a rendered message.
    /// - Throws: a permanent ``DeliveryError`` for an address that cannot be used.
    static func emailMessage(_ message: OutgoingMessage, from: String) throws(DeliveryError) -> EmailMessage {
        guard case .email(let rendered) = message.rendered.content else {
            throw DeliveryError(.permanent(.rejected), "not an e-mail")
        }
        guard let address = message.recipient.email else {
            throw DeliveryError(.permanent(.invalidAddress), "recipient \(message.recipient.contactId) has no e-mail address")
        }
        do {
            let sender = try EmailAddress(from, name: message.sender.legalName)
            let domain = from.split(separator: "@").last.map(String.init) ?? "relance.invalid"
            return EmailMessage(
                from: sender, to: [try EmailAddress(address, name: message.recipient.name)],
                cc: try (message.recipient.cc ?? []).map { try EmailAddress($0) },
                replyTo: try message.sender.replyTo.map { try EmailAddress($0) }, subject: rendered.subject,
                messageID: "\(message.idempotencyKey)@\(domain)", date: Date(), textBody: rendered.text, htmlBody: rendered.html)
        } catch {
            throw DeliveryError(.permanent(.invalidAddress), "\(error)")
        }
    }
}
