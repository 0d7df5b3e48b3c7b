import Events
import Foundation
import Mustache

/// The notification templates, loaded and checked once, rendered many times.
///
/// Templates are Mustache files laid out as `<language>/<templateId>.<channel>.<part>.mustache`,
/// for example `fr/reminder-1.email.subject.mustache` (parts: ``TemplatePart``). The shipped
/// ones (French and English for every `NotificationTemplateId.known`) are resources of this
/// module; a folder given at run time adds languages and templates or replaces shipped files,
/// file by file, without rebuilding. `templates/README.md` (shipped with them) describes the
/// layout and the render model's names.
///
/// Loading fails, naming the file, the line and the variable, when a template has a syntax
/// error, names a variable the render model does not have, uses a tag that could turn values
/// into code, or when a language has only some parts of a channel.
///
/// A request in `en-GB` is rendered with `en-GB` templates if that language has every part of
/// the channel, else `en`, else the configured default language.
public struct TemplateLibrary: Sendable {
    /// Where templates come from, and the last language to fall back to.
    public struct Configuration: Sendable, Hashable {
        /// A folder of templates that add to or replace the shipped ones. Default: none.
        public var folder: URL?
        /// The language used when neither the requested language nor its primary language has
        /// the template. Default: `fr`.
        public var defaultLanguage: String

        public init(folder: URL? = nil, defaultLanguage: String = "fr") {
            self.folder = folder
            self.defaultLanguage = defaultLanguage
        }
    }

    /// One loaded template file.
    public struct Entry: Sendable, Hashable {
        /// Lower case BCP 47 tag: `fr`, `en-gb`.
        public let language: String
        public let templateId: NotificationTemplateId
        public let part: TemplatePart
        /// Where it was read: `shipped:fr/reminder-1.email.html.mustache`, or the path relative
        /// to the configured folder.
        public let source: String
    }

    struct Key: Hashable, Sendable {
        let language: String
        let templateId: String
        let part: TemplatePart
    }

    struct Compiled: Sendable {
        let template: MustacheTemplate
        let uses: [TemplateChecker.Use]
        let source: String
    }

    public let configuration: Configuration
    private let templates: [Key: Compiled]

    /// Loads and checks the shipped templates and those of `configuration.folder`.
    /// - Throws: `NotificationTemplateError`, naming the file (and variable) at fault.
    public init(configuration: Configuration = Configuration()) throws(NotificationTemplateError) {
        guard let shipped = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw NotificationTemplateError(.unreadableFolder, "the shipped templates are missing from the module's resources; rebuild the package")
        }
        try self.init(shippedFolder: shipped, configuration: configuration)
    }

    /// Loads from an explicit shipped folder (tests).
    init(shippedFolder: URL, configuration: Configuration) throws(NotificationTemplateError) {
        self.configuration = configuration
        var sources = try Self.read(folder: shippedFolder, label: "shipped:")
        if let folder = configuration.folder {
            for (key, file) in try Self.read(folder: folder, label: "") {
                sources[key] = file
            }
        }
        let checker = TemplateChecker(shape: RenderShape(sample: try RenderModel.sample.root))
        var templates: [Key: Compiled] = [:]
        // HTML parts name the content type in a pragma, resolved when they are parsed.
        _ = HTMLEscaping.registered
        for (key, file) in sources {
            let uses = try checker.check(file.text, file: file.source, isHTML: key.part.isHTML)
            do {
                _ = try MustacheTemplate(string: file.text)
                let text = (key.part.isHTML ? "{{% CONTENT_TYPE: \(HTMLEscaping.pragmaName)}}\n" : "{{% CONTENT_TYPE: TEXT}}\n") + file.text
                templates[key] = Compiled(template: try MustacheTemplate(string: text), uses: uses, source: file.source)
            } catch let error as MustacheTemplate.ParserError {
                throw NotificationTemplateError(
                    .syntax, "\(file.source), line \(error.context.lineNumber): \(error.error) in '\(error.context.line)'", file: file.source)
            } catch {
                throw NotificationTemplateError(.syntax, "\(file.source): \(error)", file: file.source)
            }
        }
        try Self.checkComplete(templates)
        self.templates = templates
    }

    /// Every template loaded, sorted by language, template and part.
    public var entries: [Entry] {
        templates.map { key, compiled in
            Entry(language: key.language, templateId: NotificationTemplateId(rawValue: key.templateId), part: key.part, source: compiled.source)
        }.sorted { ($0.language, $0.templateId.rawValue, $0.part.rawValue) < ($1.language, $1.templateId.rawValue, $1.part.rawValue) }
    }

    /// The language whose templates render this template and channel for a requested
    /// language: the language itself, its primary language, then the default; nil when none has
    /// every part of the channel.
    public func language(for templateId: NotificationTemplateId, channel: NotificationChannel, requested: String) -> String? {
        guard let parts = TemplatePart.parts(for: channel) else { return nil }
        for language in Self.fallbacks(requested, defaultLanguage: configuration.defaultLanguage) {
            let complete = parts.allSatisfy { templates[Key(language: language, templateId: templateId.rawValue, part: $0)] != nil }
            if complete { return language }
        }
        return nil
    }

    /// Renders a request for one of its recipients in its channel.
    /// - Parameters:
    ///   - request: The command.
    ///   - recipient: Who this copy goes to; nil: the request's first recipient.
    ///   - date: The date the message bears (a letter's date).
    /// - Returns: The e-mail, text message or letter.
    /// - Throws: `NotificationTemplateError` `.unsupportedChannel`, `.unknownTemplate`,
    ///   `.invalidRequest`, or `.missingValue` when a template uses a value the request lacks.
    public func render(_ request: NotificationRequested, for recipient: NotificationRecipient? = nil, date: CalendarDate)
        throws(NotificationTemplateError) -> RenderedNotification
    {
        guard let parts = TemplatePart.parts(for: request.channel) else {
            throw NotificationTemplateError(
                .unsupportedChannel, "channel '\(request.channel)' has no templates; use email, sms, letter or registeredLetter")
        }
        guard let language = language(for: request.templateId, channel: request.channel, requested: request.language) else {
            let tried = Self.fallbacks(request.language, defaultLanguage: configuration.defaultLanguage).joined(separator: ", ")
            throw NotificationTemplateError(
                .unknownTemplate,
                "no template '\(request.templateId)' for \(request.channel) in \(tried); add \(parts.map { "<language>/\(request.templateId).\($0).mustache" }.joined(separator: ", ")) to the templates folder")
        }
        let model = try RenderModel(request: request, recipient: recipient, date: date, language: language)
        let value = model.root.mustacheValue
        var rendered: [TemplatePart: String] = [:]
        for part in parts {
            guard let compiled = templates[Key(language: language, templateId: request.templateId.rawValue, part: part)] else { continue }
            for use in compiled.uses where !model.root.isPresent(at: use.path[...]) {
                throw NotificationTemplateError(
                    .missingValue,
                    "\(compiled.source), line \(use.line) uses '\(use.name)' but notification \(request.notificationId) has no value for it; the scheduler must send it, or the template must guard it with a section on it",
                    file: compiled.source, variable: use.name)
            }
            rendered[part] = compiled.template.render(value)
        }
        let content: RenderedNotification.Content
        switch request.channel {
        case .email:
            content = .email(.init(
                subject: RenderModel.oneLine(rendered[.emailSubject] ?? ""), text: rendered[.emailText] ?? "", html: rendered[.emailHTML] ?? ""))
        case .sms:
            // No-break spaces from the formatted amounts are not in the GSM alphabet: a plain
            // space keeps the message in GSM-7 (a line cannot break inside an SMS anyway).
            let text = (rendered[.smsText] ?? "")
                .replacingOccurrences(of: ValueFormatter.noBreakSpace, with: " ")
                .replacingOccurrences(of: ValueFormatter.narrowNoBreakSpace, with: " ")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            content = .sms(SMSText(text))
        default:
            content = .letter(.init(html: rendered[.letterHTML] ?? "", registered: request.channel == .registeredLetter))
        }
        return RenderedNotification(templateId: request.templateId, channel: request.channel, language: language, content: content)
    }

    // MARK: - Loading

    struct SourceFile {
        let text: String
        let source: String
    }

    /// The languages to try, in order, without repeats.
    static func fallbacks(_ requested: String, defaultLanguage: String) -> [String] {
        let normalised = normalise(requested)
        var chain = [normalised]
        if let primary = normalised.split(separator: "-").first { chain.append(String(primary)) }
        chain.append(normalise(defaultLanguage))
        var seen: Set<String> = []
        return chain.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    static func normalise(_ language: String) -> String {
        language.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The `.mustache` files of a template folder, keyed; other files are ignored.
    static func read(folder: URL, label: String) throws(NotificationTemplateError) -> [Key: SourceFile] {
        let manager = FileManager.default
        let languages: [URL]
        do {
            languages = try manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
        } catch {
            throw NotificationTemplateError(.unreadableFolder, "cannot read the templates folder \(folder.path): \(error.localizedDescription)")
        }
        var files: [Key: SourceFile] = [:]
        for entry in languages.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            let name = entry.lastPathComponent
            let isDirectory = (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            guard isDirectory else {
                if name.hasSuffix(".mustache") {
                    throw NotificationTemplateError(
                        .badFileName, "\(label)\(name): a template goes in a language folder, e.g. fr/\(name)", file: label + name)
                }
                continue
            }
            guard isLanguageTag(name) else {
                throw NotificationTemplateError(
                    .badFileName, "\(label)\(name)/: folder names are languages (BCP 47: fr, en, en-GB)", file: label + name)
            }
            let contents: [URL]
            do {
                contents = try manager.contentsOfDirectory(at: entry, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            } catch {
                throw NotificationTemplateError(.unreadableFolder, "cannot read \(entry.path): \(error.localizedDescription)")
            }
            for file in contents where file.lastPathComponent.hasSuffix(".mustache") {
                let source = "\(label)\(name)/\(file.lastPathComponent)"
                let key = try key(fileName: file.lastPathComponent, language: normalise(name), source: source)
                let text: String
                do {
                    text = try String(contentsOf: file, encoding: .utf8)
                } catch {
                    throw NotificationTemplateError(.unreadableFolder, "\(source) cannot be read as UTF-8: \(error.localizedDescription)", file: source)
                }
                files[key] = SourceFile(text: text, source: source)
            }
        }
        return files
    }

    static func key(fileName: String, language: String, source: String) throws(NotificationTemplateError) -> Key {
        let base = String(fileName.dropLast(".mustache".count))
        let valid = TemplatePart.allCases.map(\.rawValue).joined(separator: ", ")
        guard let part = TemplatePart.allCases.first(where: { base.hasSuffix("." + $0.rawValue) }) else {
            throw NotificationTemplateError(
                .badFileName, "\(source): name it <templateId>.<part>.mustache with a part among \(valid)", file: source)
        }
        let templateId = String(base.dropLast(part.rawValue.count + 1))
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard !templateId.isEmpty, templateId.allSatisfy(allowed.contains) else {
            throw NotificationTemplateError(
                .badFileName, "\(source): '\(templateId)' is not a template id (letters, digits, '-' and '_')", file: source)
        }
        return Key(language: language, templateId: templateId, part: part)
    }

    static func isLanguageTag(_ name: String) -> Bool {
        let subtags = name.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = subtags.first, (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return subtags.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    /// Each language has, for each channel of each template, all its parts or none.
    static func checkComplete(_ templates: [Key: Compiled]) throws(NotificationTemplateError) {
        let groups = Set(templates.keys.map { "\($0.language)/\($0.templateId)" })
        for group in groups.sorted() {
            let pieces = group.split(separator: "/", maxSplits: 1).map(String.init)
            for channel in [NotificationChannel.email, .sms, .letter] {
                guard let parts = TemplatePart.parts(for: channel) else { continue }
                let present = parts.filter { templates[Key(language: pieces[0], templateId: pieces[1], part: $0)] != nil }
                guard !present.isEmpty, present.count < parts.count else { continue }
                let missing = parts.filter { !present.contains($0) }.map { "\(group).\($0).mustache" }
                throw NotificationTemplateError(
                    .incompleteChannel,
                    "\(group) has \(present.map(\.rawValue).joined(separator: ", ")) but not \(missing.joined(separator: ", ")): a channel's parts come from one language, add the missing files",
                    file: "\(group).\(present[0]).mustache")
            }
        }
    }
}
