import Events
import Foundation
import NotificationTemplates

/// `notification render --template ID --channel CHANNEL --language LANG [--data FILE.json]
/// [--templates DIR] [--json]`: prints a rendered message (headers and parts) without a broker
/// or store, so a person can check a template. `--data` is a `notification.requested` command
/// as JSON (e.g. an example of docs/events); without it, the shipped sample.
public enum RenderCommand {
    public static let usage = """
        usage: notification render --template ID --channel email|sms|letter|registeredLetter --language LANG
                                   [--data FILE.json] [--templates DIR] [--json]

        """

    /// A rendered message as JSON shows it.
    public struct View: Codable, Sendable {
        public var templateId: String
        public var channel: String
        public var language: String
        public var subject: String?
        public var text: String?
        public var html: String?
        public var encoding: String?
        public var segments: Int?
    }

    public static func view(of rendered: RenderedNotification) -> View {
        var view = View(templateId: rendered.templateId.rawValue, channel: rendered.channel.rawValue, language: rendered.language)
        switch rendered.content {
        case .email(let email):
            view.subject = email.subject
            view.text = email.text
            view.html = email.html
        case .sms(let sms):
            view.text = sms.text
            view.encoding = "\(sms.encoding)"
            view.segments = sms.segments
        case .letter(let letter):
            view.html = letter.html
        }
        return view
    }

    /// Runs the command line (a leading `render` is skipped).
    /// - Returns: 0 with the message; 64 for a usage error; 65 when the data or a template is wrong.
    public static func run(arguments: [String]) -> (exitCode: Int32, standardOutput: String, standardError: String) {
        var remaining = arguments[...]
        if remaining.first == "render" { remaining = remaining.dropFirst() }
        var options: [String: String] = [:]
        var json = false
        while let argument = remaining.popFirst() {
            switch argument {
            case "--json": json = true
            case "--template", "--channel", "--language", "--data", "--templates":
                guard let value = remaining.popFirst() else { return (64, "", "notification render: \(argument) needs a value\n" + usage) }
                options[argument] = value
            default:
                return (64, "", "notification render: unknown argument '\(argument)'\n" + usage)
            }
        }
        guard let template = options["--template"], let channel = options["--channel"], let language = options["--language"] else {
            return (64, "", "notification render: --template, --channel and --language are required\n" + usage)
        }
        var command = NotificationRequested.templateSample
        if let path = options["--data"] {
            do {
                command = try EventJSON.decoder.decode(NotificationRequested.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                return (65, "", "notification render: --data \(path) is not a notification.requested command: \(error)\n")
            }
        }
        command.templateId = NotificationTemplateId(rawValue: template)
        command.channel = NotificationChannel(rawValue: channel)
        command.language = language
        do {
            let library = try TemplateLibrary(configuration: .init(folder: options["--templates"].map { URL(fileURLWithPath: $0, isDirectory: true) }))
            let rendered = try library.render(command, date: command.payBy.adding(days: -8))
            let view = view(of: rendered)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                return (0, String(decoding: try encoder.encode(view), as: UTF8.self) + "\n", "")
            }
            var out = "Template: \(view.templateId)\nChannel: \(view.channel)\nLanguage: \(view.language)\n"
            if let subject = view.subject { out += "Subject: \(subject)\n" }
            if let encoding = view.encoding, let segments = view.segments { out += "Encoding: \(encoding), \(segments) segment(s)\n" }
            if let text = view.text { out += "\n--- text ---\n\(text)\n" }
            if let html = view.html { out += "\n--- html ---\n\(html)\n" }
            return (0, out, "")
        } catch {
            return (65, "", "notification render: \(error)\n")
        }
    }
}
