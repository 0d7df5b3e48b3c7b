/// Why a template could not be loaded or a notification could not be rendered: a code to
/// branch on, a sentence for people, and where it happened (a template file, a variable).
public struct NotificationTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a code.
    public enum Code: String, Sendable, Hashable {
        /// A template folder (shipped or given) cannot be read.
        case unreadableFolder
        /// A file in a template folder is not named `<language>/<templateId>.<channel>.<part>.mustache`.
        case badFileName
        /// Mustache syntax error (unclosed section, bad tag).
        case syntax
        /// A tag the templates may not use (partials, delimiter changes, pragmas, inheritance,
        /// unescaped values in HTML).
        case unsupportedTag
        /// A template names a variable the render model does not have.
        case unknownVariable
        /// A language has some but not all the parts of a channel (an e-mail subject without its body).
        case incompleteChannel
        /// No template for this id and channel in the requested language, its fallbacks or the default.
        case unknownTemplate
        /// The channel has no templates (not e-mail, SMS, letter or registered letter).
        case unsupportedChannel
        /// The request lacks a value a template uses outside a section guarding it
        /// (a formal notice without `formalNotice`, a letter to a recipient without postal address).
        case missingValue
        /// The request cannot be rendered at all (no recipient, amounts in several currencies).
        case invalidRequest
    }

    /// What went wrong.
    public let code: Code
    /// A sentence for people: what, where, and what to do.
    public let reason: String
    /// The template file concerned (relative to its folder, or `shipped:<path>`), when one is.
    public let file: String?
    /// The variable concerned, when one is.
    public let variable: String?

    /// Creates the error.
    public init(_ code: Code, _ reason: String, file: String? = nil, variable: String? = nil) {
        self.code = code
        self.reason = reason
        self.file = file
        self.variable = variable
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
