import KamaeCore

/// What is wrong with a policy or request a person entered, naming the field, in both languages.
public struct PolicyProblem: Sendable, Hashable, Error, CustomStringConvertible {
    /// The field as the form and the JSON name it, e.g. `critical.high`, `kev_maximum_days`, `expiry`.
    public var field: String
    public var message: LocalizedText

    public init(field: String, message: LocalizedText) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message.en)" }
}
