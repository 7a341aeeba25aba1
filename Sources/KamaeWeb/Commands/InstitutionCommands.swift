import ArgumentParser
import Fluent
import Foundation
import KamaeCore
import KamaeSupervision
import Vapor

/// `kamae institution list`, `kamae user create`, `kamae assessment export|import`. Scripts call these; keep them stable.
struct InstitutionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "institution",
        abstract: "Institutions in this installation.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List institutions (id, name, type).")

        @ArgumentParser.Flag(help: "Print a JSON array.")
        var json = false

        struct Row: Codable {
            var id: String
            var name: String
            var type: String
            var typeName: String
            var sizeBand: String

            enum CodingKeys: String, CodingKey {
                case id, name, type
                case typeName = "type_name"
                case sizeBand = "size_band"
            }
        }

        func run() async throws {
            let rows = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                return try await InstitutionRecord.query(on: app.db).sort(\.$name).all().map { record in
                    Row(id: record.id?.uuidString ?? "", name: record.name, type: record.institutionType,
                        typeName: Catalog.bundled.institutionType(record.institutionType)?.ja ?? record.institutionType, sizeBand: record.sizeBand)
                }
            }
            if json {
                CommandSupport.say(try CLIOutput.json(rows))
            } else {
                CommandSupport.say(CLIOutput.table(header: ["ID", "NAME", "TYPE", "SIZE"], rows: rows.map { [$0.id, $0.name, $0.type, $0.sizeBand] }))
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "People who use Kamae.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user (the first administrator, typically).",
            discussion: "The password is read from standard input (one line), so that it never appears in the process list or shell history. An institution named with --institution is created when it does not exist yet; give --type and --size for it."
        )

        @ArgumentParser.Option(help: "Institution id or exact name.")
        var institution: String

        @ArgumentParser.Option(help: "admin, editor, approver, auditor or viewer; in a supervisor organisation admin, supervisor or auditor.")
        var role: Role

        @ArgumentParser.Option(help: "The login name.")
        var login: String

        @ArgumentParser.Option(help: "The name shown in pages and history (default: the login).")
        var name: String?

        @ArgumentParser.Option(help: "Institution type id for a new institution (see /api/v1/institution-types), e.g. regional-banks.")
        var type: String?

        @ArgumentParser.Option(help: "Size band for a new institution: large, medium or small.")
        var size: SizeBand?

        @ArgumentParser.Option(help: "Region of a new institution (sent with its submissions): \(Region.allCases.map(\.rawValue).joined(separator: ", ")).")
        var region: Region = .kanto

        @ArgumentParser.Option(help: "For a new organisation: institution (a financial institution) or supervisor (receives submissions).")
        var kind: OrganisationKind = .institution

        func validate() throws {
            guard !login.isEmpty, login.count <= 64, login.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
                throw ValidationError("--login must be 1–64 letters, digits or - _ . @")
            }
            if let type, Catalog.bundled.institutionType(type) == nil {
                throw ValidationError("--type \(type) is not one of the guideline's institution types")
            }
        }

        func run() async throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw CommandFailure("give the password on standard input, e.g. `echo 'long passphrase' | kamae user create …`")
            }
            if let problem = AccountController.passwordProblem(password, login: login, displayName: name) {
                throw CommandFailure("password: \(problem.en)")
            }
            let created = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                return try await app.db.transaction { database in
                    guard try await UserRecord.query(on: database).filter(\.$login == login).first() == nil else {
                        throw CommandFailure("a user with login \(login) already exists")
                    }
                    let institution: InstitutionRecord
                    if let existing = try await InstitutionLookup.find(self.institution, on: database) {
                        institution = existing
                    } else {
                        institution = try await InstitutionLookup.create(name: self.institution, type: type, size: size, kind: kind, region: region, on: database)
                    }
                    guard institution.organisationKind.roles.contains(role) else {
                        throw CommandFailure("\(institution.name) is a \(institution.organisationKind.rawValue); its people can be \(institution.organisationKind.roles.map(\.rawValue).joined(separator: ", "))")
                    }
                    let user = UserRecord(
                        institutionID: try institution.requireID(), login: login, displayName: name ?? login, role: role.rawValue,
                        passwordHash: try app.password.hash(password), createdAt: Date()
                    )
                    try await user.create(on: database)
                    try await AuditTrail.record(
                        "user.created", by: .cli(institutionID: institution.id), target: ("user", try user.requireID().uuidString),
                        details: ["login": login, "role": role.rawValue], institutionID: institution.id, on: database
                    )
                    return "\(login) (\(role.rawValue)) in \(institution.name) [\(institution.id?.uuidString ?? "")]"
                }
            }
            CommandSupport.say("Created \(created).")
        }
    }
}

extension Role: ExpressibleByArgument {}
extension SizeBand: ExpressibleByArgument {}
extension OrganisationKind: ExpressibleByArgument {}

enum InstitutionLookup {
    static func find(_ reference: String, on database: any Database) async throws -> InstitutionRecord? {
        if let id = UUID(uuidString: reference), let found = try await InstitutionRecord.find(id, on: database) { return found }
        return try await InstitutionRecord.query(on: database).filter(\.$name == reference).first()
    }

    /// A financial institution's id by id or name, or the failure every command prints.
    static func institutionID(_ reference: String, on database: any Database) async throws -> UUID {
        guard let found = try await find(reference, on: database), found.organisationKind == .institution else {
            throw CommandFailure("no institution \(reference); see `kamae institution list`")
        }
        return try found.requireID()
    }

    static func create(
        name: String, type: String?, size: SizeBand?, kind: OrganisationKind, region: Region, on database: any Database
    ) async throws -> InstitutionRecord {
        guard UUID(uuidString: name) == nil else { throw CommandFailure("no institution with id \(name)") }
        if kind == .supervisor {
            let record = InstitutionRecord(name: name, institutionType: "supervisor", sizeBand: SizeBand.large.rawValue, createdAt: Date(), kind: .supervisor, region: region.rawValue)
            try await record.create(on: database)
            return record
        }
        guard let type, let size else {
            throw CommandFailure("no institution named \(name); to create it give --type (e.g. regional-banks) and --size (large, medium or small)")
        }
        let record = InstitutionRecord(name: name, institutionType: type, sizeBand: size.rawValue, createdAt: Date(), region: region.rawValue)
        try await record.create(on: database)
        return record
    }
}

struct AssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment",
        abstract: "Export and import self-assessments.",
        subcommands: [Export.self, Import.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write an assessment to a file.")

        @ArgumentParser.Option(help: "Institution id or exact name.")
        var institution: String

        @ArgumentParser.Option(help: "Fiscal year (年度), e.g. 2026.")
        var year: Int

        @ArgumentParser.Option(help: "xlsx, csv or json.")
        var format: ExportFormat

        @ArgumentParser.Option(name: .shortAndLong, help: "Output file.")
        var output: String

        func run() async throws {
            let data = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                guard let institution = try await InstitutionLookup.find(institution, on: app.db) else {
                    throw CommandFailure("no institution \(institution); see `kamae institution list`")
                }
                guard let record = try await AssessmentStore.find(institutionID: try institution.requireID(), year: year, on: app.db) else {
                    throw CommandFailure("\(institution.name) has no assessment for fiscal year \(year)")
                }
                let assessment = try await AssessmentStore.load(record, on: app.db)
                return try AssessmentExchange.export(AssessmentDocument(assessment: assessment, institutionName: institution.name, catalog: .bundled), as: format)
            }
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CommandFailure("cannot write \(output): \(error.localizedDescription)")
            }
            CommandSupport.say("Wrote \(output) (\(data.count) bytes).")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read an exported file back into the assessment it names (all or nothing).",
            discussion: "The file names its institution, fiscal year and guideline edition; a file that does not match the installation is refused with every problem listed."
        )

        @ArgumentParser.Argument(help: "A file written by `kamae assessment export` or downloaded from the assessment page.")
        var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let changed = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                do {
                    let decoded = try AssessmentExchange.decodeWithLocations(data, file: name)
                    let document = decoded.document
                    guard let record = try await AssessmentStore.find(institutionID: document.institutionID, year: document.fiscalYear, on: app.db) else {
                        throw CommandFailure("\(name): no assessment for fiscal year \(document.fiscalYear) of institution \(document.institutionName) in this installation")
                    }
                    let assessment = try await AssessmentStore.load(record, on: app.db)
                    let answers = try AssessmentExchange.validate(document, file: name, into: assessment, catalog: .bundled, locate: decoded.locate)
                    let changed = try await AssessmentExchange.apply(answers, to: assessment, by: .cli(institutionID: assessment.institutionID), on: app.db)
                    try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                    return changed
                } catch let refused as AssessmentExchange.ImportRefused {
                    for problem in refused.problems.dropLast() { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
                    throw CommandFailure("\(refused.problems.last?.description ?? name) (\(refused.problems.count) problems; nothing was imported)")
                } catch let problem as AssessmentExchange.ImportError {
                    throw CommandFailure(problem.description)
                }
            }
            CommandSupport.say("Imported \(name): \(changed) items changed.")
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
