import Foundation

/// Checks a JSON value against the subset of JSON Schema that Kamae's OpenAPI document uses
/// ($ref, type, required, properties, items, enum, minimum, maximum). Properties the schema does not
/// list are reported too: the document must describe everything the API sends.
struct SchemaValidator {
    let document: [String: Any]

    func validate(_ value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return validate(value, against: resolved, at: path)
        }
        var problems: [String] = []
        if let types = allowedTypes(schema), !types.contains(where: { matches(value, type: $0) }) {
            return ["\(path): expected \(types.joined(separator: "|")), got \(describe(value))"]
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let number = value as? NSNumber, !(value is Bool) {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { problems.append("\(path): below minimum \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { problems.append("\(path): above maximum \(maximum)") }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): missing required \(name)")
            }
            for (name, child) in object {
                guard let childSchema = properties[name] as? [String: Any] else {
                    if !properties.isEmpty { problems.append("\(path).\(name): not in the document") }
                    continue
                }
                problems += validate(child, against: childSchema, at: "\(path).\(name)")
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                problems += validate(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    private func allowedTypes(_ schema: [String: Any]) -> [String]? {
        if let single = schema["type"] as? String { return [single] }
        return schema["type"] as? [String]
    }

    private func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "boolean": return value is Bool && (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? true
        case "integer":
            guard let number = value as? NSNumber, !matches(value, type: "boolean") else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        case "number": return value is NSNumber && !matches(value, type: "boolean")
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    private func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is String: "string"
        case is [Any]: "array"
        case is [String: Any]: "object"
        default: "\(value)"
        }
    }
}
