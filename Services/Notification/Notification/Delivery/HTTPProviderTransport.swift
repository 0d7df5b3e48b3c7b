import AsyncHTTPClient
import Events
import NIOHTTP1
import Foundation
import NIOCore
import NIOFoundationCompat
import NotificationTemplates

/// SMS and letters through an HTTP provider: `POST url` with a JSON body, the bearer token,
/// and an `Idempotency-Key` header derived from the notification id and recipient (providers
/// that honour it drop a resend). 2xx: sent, the provider's id from the body's `id` (or
/// `messageId`); 4xx: permanent (rejected); 5xx, timeouts: transient.
///
/// Body for SMS: `{"notificationId", "to", "text", "encoding", "segments"}`; for letters:
/// `{"notificationId", "registered", "recipient": {name, postalAddress}, "html"}`.
public struct HTTPProviderTransport: NotificationTransport {
    public let url: String
    public let token: String?
    let client: HTTPClient

    public init(url: String, token: String?, client: HTTPClient = .shared) {
        self.url = url
        self.token = token
        self.client = client
    }

    public func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        var body: [String: Any] = ["notificationId": message.notificationId]
        switch message.rendered.content {
        case .sms(let sms):
            guard let phone = message.recipient.phone else {
                throw DeliveryError(.permanent(.invalidAddress), "recipient \(message.recipient.contactId) has no phone number")
            }
            body["to"] = phone
            body["text"] = sms.text
            body["encoding"] = "\(sms.encoding)"
            body["segments"] = sms.segments
        case .letter(let letter):
            guard let address = message.recipient.postalAddress else {
                throw DeliveryError(.permanent(.invalidAddress), "recipient \(message.recipient.contactId) has no postal address")
            }
            body["registered"] = letter.registered
            body["recipient"] = ["name": message.recipient.name, "postalAddress": [
                "lines": address.lines, "postalCode": address.postalCode, "city": address.city, "country": address.country,
            ]] as [String: Any]
            body["html"] = letter.html
        case .email:
            throw DeliveryError(.permanent(.rejected), "e-mails go through SMTP, not an HTTP provider")
        }
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Idempotency-Key", value: message.idempotencyKey)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                let text = String(buffer: bytes).prefix(300)
                if status >= 500 || status == 429 || status == 408 { throw DeliveryError(.transient, "provider answered \(status): \(text)") }
                throw DeliveryError(.permanent(.rejected), "provider answered \(status): \(text)")
            }
            let answer = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any]
            return (answer?["id"] as? String) ?? (answer?["messageId"] as? String) ?? message.idempotencyKey
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw DeliveryError(.transient, "provider unreachable: \(error)")
        }
    }
}
