import Events
import Foundation
import Money
import NotificationTemplates
import Testing

/// The contract's examples of `notification.requested` and helpers to vary them.
enum Fixtures {
    /// The repository root: the first folder above this file holding `docs/events/schemas`.
    static let repositoryRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("docs/events/schemas").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    /// The shipped templates, loaded once for the suites that only render.
    static let shippedLibrary = Result { () throws(NotificationTemplateError) in try TemplateLibrary() }

    /// The examples of `docs/events/schemas/relance.notification.requested.v1.json`, decoded
    /// with the Events module's JSON conventions.
    static func examples() throws -> [NotificationRequested] {
        let file = repositoryRoot.appendingPathComponent("docs/events/schemas/relance.notification.requested.v1.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let examples = try #require(schema["examples"] as? [Any])
        return try examples.map { example in
            try EventJSON.decode(NotificationRequested.self, from: JSONSerialization.data(withJSONObject: example))
        }
    }

    /// Example 1: reminder-1, fr, e-mail, two EUR invoices with charges, recipient with address.
    static func reminder() throws -> NotificationRequested { try examples()[0] }
    /// Example 2: formal notice, fr, registered letter, one invoice, 12.15 %.
    static func formalNotice() throws -> NotificationRequested { try examples()[1] }
    /// Example 3: courtesy reminder, en-GB, SMS, one GBP invoice, no postal address.
    static func courtesy() throws -> NotificationRequested { try examples()[2] }

    static func date(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relance-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `files` (relative path → content) under a new temporary folder.
    static func templateFolder(_ files: [String: String]) throws -> URL {
        let folder = try temporaryFolder()
        for (path, content) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }
}

extension NotificationRequested {
    /// The same request for another template, language or channel.
    func with(
        templateId: NotificationTemplateId? = nil, language: String? = nil, channel: NotificationChannel? = nil
    ) -> NotificationRequested {
        var copy = self
        if let templateId { copy.templateId = templateId }
        if let language { copy.language = language }
        if let channel { copy.channel = channel }
        return copy
    }
}

/// The French separators, spelled out so that a test shows which space it expects.
let nnbsp = "\u{202F}"
let nbsp = "\u{00A0}"
