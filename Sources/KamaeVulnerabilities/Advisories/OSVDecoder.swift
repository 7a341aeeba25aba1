import Foundation

/// Decodes OSV 1.6 JSON records with `JSONScanner`, reading only the fields matching needs; this is the hot path
/// when a whole database (hundreds of thousands of records) is read.
enum OSVDecoder {
    /// One document: a single record, an array of records, or an osv.dev API answer `{"vulns": [...]}`.
    static func decode(_ bytes: some ContiguousBytes, file: String) throws(IngestError) -> [Advisory] {
        do {
            return try JSONScanner.scan(bytes) { scanner in
                var advisories: [Advisory] = []
                switch try scanner.peekKind() {
                case .array:
                    try scanner.beginArray()
                    while try scanner.nextElement() {
                        advisories.append(try record(&scanner))
                    }
                case .object:
                    try record(&scanner, into: &advisories)
                default:
                    throw scanner.failure("expected an OSV record (an object) or an array of records")
                }
                try scanner.expectEnd()
                return advisories
            }
        } catch let failure as JSONScanner.Failure {
            throw .malformed(file: file, location: failure.path, reason: failure.reason)
        } catch {
            throw .malformed(file: file, location: "$", reason: String(describing: error))
        }
    }

    /// A top-level object is either a record or `{"vulns": [...]}`; the key decides.
    private static func record(_ scanner: inout JSONScanner, into advisories: inout [Advisory]) throws {
        var fields = RecordFields()
        var isAPIAnswer = false
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            if key == "vulns" {
                isAPIAnswer = true
                try scanner.beginArray()
                while try scanner.nextElement() {
                    advisories.append(try record(&scanner))
                }
            } else {
                try fields.read(key, from: &scanner)
            }
        }
        if !isAPIAnswer {
            advisories.append(try fields.advisory(scanner))
        }
    }

    private static func record(_ scanner: inout JSONScanner) throws -> Advisory {
        var fields = RecordFields()
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            try fields.read(key, from: &scanner)
        }
        return try fields.advisory(scanner)
    }

    private struct RecordFields {
        var id: String?
        var aliases: [String] = []
        var summary: String?
        var withdrawn = false
        var severity: [SeverityScore] = []
        var databaseSeverity: String?
        var affected: [AffectedPackage] = []

        mutating func read(_ key: JSONScanner.Key, from scanner: inout JSONScanner) throws {
            if key == "id" {
                id = try scanner.readString()
            } else if key == "aliases" {
                aliases = try scanner.readStringArray()
            } else if key == "summary" {
                summary = try scanner.readOptionalString()
            } else if key == "withdrawn" {
                withdrawn = try scanner.readOptionalString() != nil
            } else if key == "severity" {
                severity = try OSVDecoder.severities(&scanner)
            } else if key == "database_specific" {
                databaseSeverity = try OSVDecoder.databaseSeverity(&scanner)
            } else if key == "affected" {
                if try scanner.peekKind() == .null {
                    try scanner.skipValue()
                    return
                }
                try scanner.beginArray()
                while try scanner.nextElement() {
                    affected.append(try OSVDecoder.affected(&scanner))
                }
            } else {
                try scanner.skipValue()
            }
        }

        func advisory(_ scanner: JSONScanner) throws -> Advisory {
            guard let id, !id.isEmpty else { throw scanner.failure("the record has no \"id\"") }
            return Advisory(id: id, aliases: aliases.filter { $0 != id }, source: .osv, summary: summary,
                            severity: severity, databaseSeverity: databaseSeverity, isWithdrawn: withdrawn,
                            packages: affected)
        }
    }

    private static func severities(_ scanner: inout JSONScanner) throws -> [SeverityScore] {
        if try scanner.peekKind() == .null {
            try scanner.skipValue()
            return []
        }
        var scores: [SeverityScore] = []
        try scanner.beginArray()
        while try scanner.nextElement() {
            var type: String?
            var score: String?
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                if key == "type" {
                    type = try scanner.readString()
                } else if key == "score" {
                    score = try scanner.readString()
                } else {
                    try scanner.skipValue()
                }
            }
            if let type, let score { scores.append(SeverityScore(type: type, score: score)) }
        }
        return scores
    }

    /// GHSA and others put a qualitative rating in `database_specific.severity`; other keys are skipped.
    private static func databaseSeverity(_ scanner: inout JSONScanner) throws -> String? {
        guard try scanner.peekKind() == .object else {
            try scanner.skipValue()
            return nil
        }
        var severity: String?
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            if key == "severity", try scanner.peekKind() == .string {
                severity = try scanner.readString()
            } else {
                try scanner.skipValue()
            }
        }
        return severity
    }

    private static func affected(_ scanner: inout JSONScanner) throws -> AffectedPackage {
        var package = AffectedPackage(ecosystem: "", name: "")
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            if key == "package" {
                // Optional in OSV when only GIT ranges are given; such entries cannot match a package.
                if try scanner.peekKind() == .null {
                    try scanner.skipValue()
                    continue
                }
                try scanner.beginObject()
                while let field = try scanner.nextKey() {
                    if field == "ecosystem" {
                        package.ecosystem = try scanner.readString()
                    } else if field == "name" {
                        package.name = try scanner.readString()
                    } else if field == "purl" {
                        package.purl = try scanner.readOptionalString()
                    } else {
                        try scanner.skipValue()
                    }
                }
            } else if key == "ranges" {
                if try scanner.peekKind() == .null {
                    try scanner.skipValue()
                    continue
                }
                try scanner.beginArray()
                while try scanner.nextElement() {
                    package.ranges.append(try range(&scanner))
                }
            } else if key == "versions" {
                package.versions = try scanner.readStringArray()
            } else if key == "severity" {
                package.severity = try severities(&scanner)
            } else {
                try scanner.skipValue()
            }
        }
        return package
    }

    private static func range(_ scanner: inout JSONScanner) throws -> AffectedRange {
        var kind = AffectedRange.Kind.other("")
        var events: [RangeEvent] = []
        try scanner.beginObject()
        while let key = try scanner.nextKey() {
            if key == "type" {
                kind = AffectedRange.Kind(try scanner.readString())
            } else if key == "events" {
                try scanner.beginArray()
                while try scanner.nextElement() {
                    try scanner.beginObject()
                    while let event = try scanner.nextKey() {
                        if event == "introduced" {
                            events.append(.introduced(try scanner.readString()))
                        } else if event == "fixed" {
                            events.append(.fixed(try scanner.readString()))
                        } else if event == "last_affected" {
                            events.append(.lastAffected(try scanner.readString()))
                        } else if event == "limit" {
                            events.append(.limit(try scanner.readString()))
                        } else {
                            try scanner.skipValue()
                        }
                    }
                }
            } else {
                try scanner.skipValue()
            }
        }
        return AffectedRange(kind: kind, events: events)
    }
}
