import Foundation

/// Reads a CycloneDX 1.4–1.6 JSON BOM with `JSONScanner`: portfolio SBOMs list a hundred thousand components and
/// `JSONDecoder` spent longer on them than matching does. Only the fields the engine uses are read.
enum CycloneDXJSONReader {
    /// The result, or nil when the document turns out to be SPDX (it has `spdxVersion`).
    static func read(_ data: Data, file: String) throws(IngestError) -> SBOM? {
        do {
            return try JSONScanner.scan(data) { scanner -> SBOM? in
                var state = State()
                var bomFormat: String?
                var specVersion: String?
                try scanner.beginObject()
                while let key = try scanner.nextKey() {
                    if key == "spdxVersion" {
                        return nil
                    } else if key == "bomFormat" {
                        bomFormat = try scanner.readString()
                    } else if key == "specVersion" {
                        specVersion = try scanner.readString()
                    } else if key == "metadata" {
                        try state.metadata(&scanner)
                    } else if key == "components" {
                        try state.components(&scanner, parent: nil, path: "$.components")
                    } else if key == "dependencies" {
                        try state.dependencies(&scanner)
                    } else {
                        try scanner.skipValue()
                    }
                }
                try scanner.expectEnd()
                guard bomFormat == "CycloneDX" else {
                    throw scanner.failure("neither a CycloneDX BOM (bomFormat \"CycloneDX\") nor an SPDX document (spdxVersion)")
                }
                // The described product comes first, as a reader of the SBOM would expect.
                let components = state.subject + state.components
                return SBOM(format: .cycloneDXJSON(specVersion: specVersion ?? "unknown"),
                            subject: state.subject.first?.reference, components: components, dependencies: state.graph)
            }
        } catch let failure as JSONScanner.Failure {
            throw .malformed(file: file, location: failure.path, reason: failure.reason)
        } catch {
            throw .malformed(file: file, location: "$", reason: String(describing: error))
        }
    }

    private struct State {
        var subject: [Component] = []
        var components: [Component] = []
        var graph: [String: [String]] = [:]

        mutating func metadata(_ scanner: inout JSONScanner) throws {
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                if key == "component" {
                    var nested: [Component] = []
                    try Self.component(&scanner, parent: nil, path: "$.metadata.component", into: &nested)
                    subject = nested
                } else {
                    try scanner.skipValue()
                }
            }
        }

        mutating func components(_ scanner: inout JSONScanner, parent: String?, path: String) throws {
            var index = 0
            try scanner.beginArray()
            while try scanner.nextElement() {
                try Self.component(&scanner, parent: parent, path: "\(path)[\(index)]", into: &components)
                index += 1
            }
        }

        /// Appends the component, then its nested components (flattened, each naming its parent).
        private static func component(_ scanner: inout JSONScanner, parent: String?, path: String,
                                      into list: inout [Component]) throws {
            var component = Component(reference: path, name: "", parent: parent)
            var hasName = false
            let position = list.count
            list.append(component)
            var nested: [Component] = []
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                if key == "name" {
                    component.name = try scanner.readString()
                    hasName = true
                } else if key == "version" {
                    component.version = try scanner.readOptionalString()
                } else if key == "purl" {
                    component.purl = try scanner.readOptionalString()
                } else if key == "cpe" {
                    component.cpes = try scanner.readOptionalString().map { [$0] } ?? []
                } else if key == "bom-ref" {
                    if let reference = try scanner.readOptionalString() { component.reference = reference }
                } else if key == "group" {
                    component.group = try scanner.readOptionalString()
                } else if key == "type" {
                    component.kind = try scanner.readOptionalString()?.lowercased()
                } else if key == "components" {
                    // Nested components may come before this component's bom-ref; their parent is fixed below.
                    var index = 0
                    try scanner.beginArray()
                    while try scanner.nextElement() {
                        try Self.component(&scanner, parent: path, path: "\(path).components[\(index)]", into: &nested)
                        index += 1
                    }
                } else {
                    try scanner.skipValue()
                }
            }
            guard hasName else { throw scanner.failure("the component at \(path) has no \"name\"") }
            for index in nested.indices where nested[index].parent == path {
                nested[index].parent = component.reference
            }
            list[position] = component
            list.append(contentsOf: nested)
        }

        mutating func dependencies(_ scanner: inout JSONScanner) throws {
            try scanner.beginArray()
            while try scanner.nextElement() {
                var reference: String?
                var dependsOn: [String] = []
                try scanner.beginObject()
                while let key = try scanner.nextKey() {
                    if key == "ref" {
                        reference = try scanner.readString()
                    } else if key == "dependsOn" {
                        dependsOn = try scanner.readStringArray()
                    } else {
                        try scanner.skipValue()
                    }
                }
                guard let reference else { throw scanner.failure("a dependency has no \"ref\"") }
                graph[reference, default: []].append(contentsOf: dependsOn)
            }
        }
    }
}
