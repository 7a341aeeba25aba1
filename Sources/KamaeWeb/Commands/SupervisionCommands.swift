import ArgumentParser
import Fluent
import Foundation
import KamaeCore
import KamaeSupervision
import KamaeTrust
import Vapor

/// `kamae keys show|rotate`: the institution's submission signing key. Scripts call these; keep them stable.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The institution's Ed25519 key that signs its submissions to the supervisor.",
        subcommands: [Show.self, Rotate.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the institution's public key (PEM) and key id, creating the key on first use.",
            discussion: "Send the output to the supervisor, who registers it (`kamae supervision register`). OpenSSL reads the PEM as it is."
        )

        @ArgumentParser.Option(help: "Institution id or exact name.")
        var institution: String

        func run() async throws {
            try await KeysCommand.printKey(of: institution) { id, app in
                try await InstitutionSigningKeys.current(institutionID: id, by: .cli(institutionID: id), secrets: app.sealedSecrets, on: app.db)
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire the current key and create a new one (recorded in the audit trail); prints the new public key.",
            discussion: "The supervisor must register the new public key before the next submission."
        )

        @ArgumentParser.Option(help: "Institution id or exact name.")
        var institution: String

        func run() async throws {
            try await KeysCommand.printKey(of: institution) { id, app in
                try await InstitutionSigningKeys.rotate(institutionID: id, by: .cli(institutionID: id), secrets: app.sealedSecrets, on: app.db)
            }
        }
    }

    /// Finds the institution, gets its key from `key` (which may create or rotate it, audited) and prints it.
    static func printKey(of reference: String, _ key: @escaping (UUID, Application) async throws -> InstitutionSigningKeys.Key) async throws {
        let output = try await CommandSupport.withApplication { app, _ in
            try await migrate(app)
            let institution = try await InstitutionLookup.require(reference, kind: .institution, on: app.db)
            let found = try await key(try institution.requireID(), app)
            try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            return describe(found, institution: institution)
        }
        CommandSupport.say(output)
    }

    static func describe(_ key: InstitutionSigningKeys.Key, institution: InstitutionRecord) -> String {
        """
        Institution: \(institution.name) (\(institution.id?.uuidString ?? ""))
        Key ID: \(key.keyID)
        Created: \(SubmissionTimestamp.string(from: key.createdAt))
        \(key.publicKeyPEM.trimmingCharacters(in: .newlines))
        """
    }
}

/// `kamae submission export`: the signed package of an approved assessment.
struct SubmissionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submission",
        abstract: "Signed submissions to the supervisor.",
        subcommands: [Export.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the signed submission package (kamae-submission/1) of an approved assessment, or of an approved questionnaire response.",
            discussion: "The assessment of that fiscal year (or, with --questionnaire, the response) must be approved. The package is signed with the institution's key (see `kamae keys show`)."
        )

        @ArgumentParser.Option(help: "Institution id or exact name.")
        var institution: String

        @ArgumentParser.Option(help: "Fiscal year (年度), e.g. 2026.")
        var year: Int

        @ArgumentParser.Option(name: .shortAndLong, help: "Output file.")
        var output: String

        @ArgumentParser.Option(help: "A received questionnaire's code, e.g. ransomware-survey (its newest version of that fiscal year): export its approved response instead.")
        var questionnaire: String?

        func run() async throws {
            let (data, digest) = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let institution = try await InstitutionLookup.require(institution, kind: .institution, on: app.db)
                let id = try institution.requireID()
                let package: SubmissionPackage
                if let questionnaire {
                    guard let received = try await ReceivedQuestionnaires.list(institutionID: id, on: app.db)
                        .filter({ $0.questionnaire.id == questionnaire && $0.fiscalYear == year }).max(by: { $0.questionnaire.version < $1.questionnaire.version })
                    else { throw CommandFailure("\(institution.name) has no questionnaire \(questionnaire) for fiscal year \(year)") }
                    package = try await ReceivedQuestionnaires.package(
                        id: received.id, institutionID: id, by: .cli(institutionID: id), secrets: app.sealedSecrets, on: app.db, catalog: .bundled
                    )
                } else {
                    package = try await SubmissionExport.package(
                        institutionID: id, year: year, by: .cli(institutionID: id), secrets: app.sealedSecrets, catalog: .bundled, on: app.db
                    )
                }
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                return (try package.canonicalData(), try package.contentDigest().hex)
            }
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CommandFailure("cannot write \(output): \(error.localizedDescription)")
            }
            CommandSupport.say("Wrote \(output) (\(data.count) bytes, content SHA-256 \(digest)).")
        }
    }
}

/// `kamae supervision …`: the supervisor's side. Scripts call verify, import and feedback; keep them stable.
struct SupervisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervision",
        abstract: "Receive institutions' signed submissions, analyse the sector and write feedback reports.",
        subcommands: [Verify.self, Import.self, Feedback.self, Register.self, RetireKey.self, Round.self, Generate.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a submission's structure and signature; exit 1 with the reason when it fails.",
            discussion: "The signature is checked against the public keys registered in this installation, or against --public-key. Nothing is stored."
        )

        @ArgumentParser.Argument(help: "A kamae-submission/1 file.")
        var file: String

        @ArgumentParser.Option(help: "Verify against this PEM public key (of the institution the package names) instead of the registered keys.")
        var publicKey: String?

        func run() async throws {
            let data = try CommandSupport.read(file)
            let verdict = try await CommandSupport.withApplication { app, _ -> Result<VerifiedSubmission, SubmissionRejection> in
                try await migrate(app)
                var keys: [RegisteredSigningKey] = []
                if let publicKey {
                    let pem = try String(decoding: CommandSupport.read(publicKey), as: UTF8.self)
                    let key: Curve25519.Signing.PublicKey
                    do { key = try SigningKeys.publicKey(pem: pem) } catch { throw CommandFailure("\(publicKey): \(error)") }
                    let claimed = (try? JSONDecoder().decode(SubmissionPackage.self, from: data))?.institution.id ?? UUID()
                    keys = [RegisteredSigningKey(institutionID: claimed, publicKey: key)]
                } else {
                    keys = try await SupervisionKeyRecord.query(on: app.db).filter(\.$retiredAt == nil).all().compactMap { record in
                        (try? SigningKeys.publicKey(base64: record.publicKey)).map { RegisteredSigningKey(institutionID: record.institutionID, publicKey: $0) }
                    }
                }
                return SubmissionVerifier.verify(
                    data: data, registeredKeys: keys, expectedCatalogVersion: Catalog.bundled.version.id, deadline: .distantFuture, alreadyReceived: []
                )
            }
            switch verdict {
            case let .success(verified):
                let package = verified.package
                CommandSupport.say("OK: \(package.institution.name) (\(package.institution.id.uuidString)), fiscal year \(package.fiscalYear), \(package.kind.subject), signed by key \(verified.keyID), content SHA-256 \(verified.contentDigest.hex)")
            case let .failure(rejection):
                throw CommandFailure("\(file): refused (\(rejection.code)): \(rejection.english) / \(rejection.japanese)")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receive every *.json submission in a directory (each verified and stored on its own).",
            discussion: "Prints one line per file. A file already received is reported and skipped. Exit 1 when any other file was refused."
        )

        @ArgumentParser.Argument(help: "A directory of kamae-submission/1 files.")
        var directory: String

        @ArgumentParser.Option(help: "Supervisor organisation (id or exact name); needed only when the installation has several.")
        var supervisor: String?

        func run() async throws {
            let files = try CommandSupport.jsonFiles(in: directory)
            let refused = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let supervisorID = try await InstitutionLookup.supervisor(supervisor, on: app.db)
                var refused = 0
                var accepted = 0
                for file in files {
                    let data = try CommandSupport.read(file.path)
                    switch try await SupervisionStore.receive(data, supervisorID: supervisorID, catalog: .bundled, arrival: .upload, by: .cli(institutionID: supervisorID), on: app.db) {
                    case let .success(receipt):
                        accepted += 1
                        CommandSupport.say("\(file.lastPathComponent): accepted — \(receipt.institutionName), fiscal year \(receipt.fiscalYear)\(receipt.supersedes ? " (replaces the earlier submission)" : "")")
                    case let .failure(.duplicate(digest)):
                        CommandSupport.say("\(file.lastPathComponent): already received (content SHA-256 \(digest.hex))")
                    case let .failure(rejection):
                        refused += 1
                        CommandSupport.say("\(file.lastPathComponent): refused (\(rejection.code)) — \(rejection.english)")
                    }
                }
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                CommandSupport.say("\(files.count) file(s): \(accepted) accepted, \(refused) refused, \(files.count - accepted - refused) already received.")
                return refused
            }
            if refused > 0 { throw ExitCode(1) }
        }
    }

    struct Feedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every institution's feedback report for a fiscal year: <institution id>.json (to import into its Kamae) and .html (printable).",
            discussion: "Peer statistics come from groups of at least 5 institutions; smaller groups are shown as suppressed."
        )

        @ArgumentParser.Option(help: "Fiscal year (年度).")
        var year: Int

        @ArgumentParser.Option(name: .shortAndLong, help: "Output directory (created if needed).")
        var output: String

        @ArgumentParser.Option(help: "Peer grouping: all, institution_type, size_band or region.")
        var grouping: PeerGrouping = .institutionType

        @ArgumentParser.Option(help: "Supervisor organisation (id or exact name); needed only when the installation has several.")
        var supervisor: String?

        func run() async throws {
            let started = Date()
            let written = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let supervisorID = try await InstitutionLookup.supervisor(supervisor, on: app.db)
                let directory = URL(fileURLWithPath: output, isDirectory: true)
                do {
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                } catch {
                    throw CommandFailure("cannot create \(output): \(error.localizedDescription)")
                }
                let reports = try await FeedbackReports.generate(supervisorID: supervisorID, year: year, grouping: grouping, catalog: .bundled, on: app.db)
                guard !reports.isEmpty else { throw CommandFailure("no submissions for fiscal year \(year)") }
                try FeedbackReports.write(reports, to: directory, catalog: .bundled)
                try await AuditTrail.event(
                    "supervision.feedback_generated", by: .cli(institutionID: supervisorID),
                    details: ["fiscal_year": String(year), "reports": String(reports.count), "grouping": grouping.rawValue], institutionID: supervisorID, on: app.db
                )
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                return reports.count
            }
            CommandSupport.say("Wrote \(written) feedback report(s) for fiscal year \(year) to \(output) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an institution this supervisor receives submissions from, with its public key (audited).",
            discussion: "Give the output of the institution's `kamae keys show` as --public-key. Registering again updates the profile and adds a rotated key."
        )

        @ArgumentParser.Option(help: "The institution's id (as its `kamae keys show` prints it).")
        var institutionID: String

        @ArgumentParser.Option(help: "The institution's name.")
        var name: String

        @ArgumentParser.Option(help: "Institution type id, e.g. regional-banks.")
        var type: String

        @ArgumentParser.Option(help: "large, medium or small.")
        var size: SizeBand

        @ArgumentParser.Option(help: "Region: \(Region.allCases.map(\.rawValue).joined(separator: ", ")).")
        var region: Region

        @ArgumentParser.Option(help: "PEM file with the institution's public key.")
        var publicKey: String?

        @ArgumentParser.Flag(help: "Retire the institution's other keys (a rotation: only the new key verifies from now on).")
        var retireOthers = false

        @ArgumentParser.Option(help: "Supervisor organisation (id or exact name); needed only when the installation has several.")
        var supervisor: String?

        func validate() throws {
            guard UUID(uuidString: institutionID) != nil else { throw ValidationError("--institution-id must be a UUID") }
            guard Catalog.bundled.institutionType(type) != nil else { throw ValidationError("--type \(type) is not one of the guideline's institution types") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else { throw ValidationError("--name must be 1–200 characters") }
        }

        func run() async throws {
            var key: Curve25519.Signing.PublicKey?
            if let publicKey {
                do { key = try SigningKeys.publicKey(pem: String(decoding: try CommandSupport.read(publicKey), as: UTF8.self)) } catch let error as CommandFailure {
                    throw error
                } catch { throw CommandFailure("\(publicKey): \(error)") }
            }
            let profile = InstitutionProfile(id: UUID(uuidString: institutionID)!, name: name, typeID: type, sizeBand: size, region: region)
            try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let supervisorID = try await InstitutionLookup.supervisor(supervisor, on: app.db)
                try await SupervisionStore.register(profile, publicKey: key, retiringOtherKeys: retireOthers, supervisorID: supervisorID, by: .cli(institutionID: supervisorID), on: app.db)
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            }
            CommandSupport.say("Registered \(name) (\(institutionID))\(key.map { " with key \(SigningKeys.fingerprint($0))" } ?? "").")
        }
    }

    struct RetireKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire-key",
            abstract: "Retire a registered public key (rotated or compromised): it verifies no new submission (audited)."
        )

        @ArgumentParser.Option(help: "The key id (64 hex digits, as `kamae keys show` prints it).")
        var keyID: String

        @ArgumentParser.Option(help: "Supervisor organisation (id or exact name); needed only when the installation has several.")
        var supervisor: String?

        func run() async throws {
            try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let supervisorID = try await InstitutionLookup.supervisor(supervisor, on: app.db)
                do {
                    try await SupervisionStore.retireKey(keyID: keyID.lowercased(), supervisorID: supervisorID, by: .cli(institutionID: supervisorID), on: app.db)
                } catch let error as WebError where error.status == .notFound {
                    throw CommandFailure("no active key \(keyID) is registered")
                }
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            }
            CommandSupport.say("Retired key \(keyID.lowercased()).")
        }
    }

    struct Round: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a fiscal year's collection of self-assessments with its deadline (audited).")

        @ArgumentParser.Option(help: "Fiscal year (年度).")
        var year: Int

        @ArgumentParser.Option(help: "Deadline, YYYY-MM-DD (end of that day, Japan time).")
        var deadline: String

        @ArgumentParser.Option(help: "Supervisor organisation (id or exact name); needed only when the installation has several.")
        var supervisor: String?

        func run() async throws {
            guard (2000...2100).contains(year) else { throw CommandFailure("--year: a fiscal year from 2000 to 2100") }
            guard let date = SupervisionDeadline.endOfDay(deadline) else { throw CommandFailure("--deadline \(deadline): expected YYYY-MM-DD") }
            try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let supervisorID = try await InstitutionLookup.supervisor(supervisor, on: app.db)
                try await SupervisionStore.setRound(
                    .init(fiscalYear: year, catalogVersion: Catalog.bundled.version.id, deadline: date), supervisorID: supervisorID,
                    by: .cli(institutionID: supervisorID), on: app.db
                )
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
            }
            CommandSupport.say("Fiscal year \(year): submissions accepted until \(SubmissionTimestamp.string(from: date)).")
        }
    }
}

extension SupervisionCommand {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a synthetic sector to the supervisor's workspace (for trials and benchmarks): institutions with their own keys, each year a signed submission.",
            discussion: "Names are サンプル金融機関NNNN; the same seed gives the same sector. Every package passes the same verification as a real one."
        )

        @ArgumentParser.Option(help: "Number of institutions.")
        var institutions: Int

        @ArgumentParser.Option(help: "Fiscal years, comma-separated, e.g. 2023,2024,2025.")
        var years: String

        @ArgumentParser.Option(help: "Seed of the generator.")
        var seed: UInt64 = 1

        @ArgumentParser.Option(help: "Supervisor organisation (id or exact name); needed only when the installation has several.")
        var supervisor: String?

        func run() async throws {
            let fiscalYears = years.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !fiscalYears.isEmpty, fiscalYears.allSatisfy({ (2000...2100).contains($0) }) else { throw CommandFailure("--years: give fiscal years such as 2023,2024,2025") }
            guard (1...100_000).contains(institutions) else { throw CommandFailure("--institutions: 1 to 100000") }
            let started = Date()
            let accepted = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let supervisorID = try await InstitutionLookup.supervisor(supervisor, on: app.db)
                let actor = AuditActor.cli(institutionID: supervisorID)
                try await DemoSupervisor.openRounds(fiscalYears, supervisorID: supervisorID, catalog: .bundled, by: actor, on: app.db)
                let sector = SyntheticSector.generate(
                    catalog: .bundled, institutionCount: institutions, years: fiscalYears, typeIDs: DemoSupervisor.typeIDs(.bundled), seed: seed
                )
                let accepted = try await DemoSupervisor.submit(sector, supervisorID: supervisorID, catalog: .bundled, by: actor, on: app.db)
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                return accepted
            }
            CommandSupport.say("Registered \(institutions) institutions and received \(accepted) signed submissions in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        }
    }
}

extension PeerGrouping: ExpressibleByArgument {}
extension Region: ExpressibleByArgument {}

/// Deadlines are days; a day ends at midnight Japan time (UTC+9), the supervisor's working day.
enum SupervisionDeadline {
    static func endOfDay(_ text: String) -> Date? {
        guard let day = ISODate(text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3600)!
        guard let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) else { return nil }
        return start.addingTimeInterval(86400 - 1)
    }
}

extension CommandSupport {
    static func read(_ path: String) throws -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CommandFailure("cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func jsonFiles(in directory: String) throws -> [URL] {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw CommandFailure("cannot read directory \(directory): \(error.localizedDescription)")
        }
        return names.filter { $0.lowercased().hasSuffix(".json") }.sorted().map { url.appendingPathComponent($0) }
    }
}

extension InstitutionLookup {
    /// An organisation of the given kind, or a failure naming what was found instead.
    static func require(_ reference: String, kind: OrganisationKind, on database: any Database) async throws -> InstitutionRecord {
        guard let record = try await find(reference, on: database) else { throw CommandFailure("no institution \(reference); see `kamae institution list`") }
        guard record.organisationKind == kind else { throw CommandFailure("\(record.name) is a \(record.organisationKind.rawValue), not a \(kind.rawValue)") }
        return record
    }

    /// The supervisor organisation named, or the only one in the installation.
    static func supervisor(_ reference: String?, on database: any Database) async throws -> UUID {
        if let reference { return try await require(reference, kind: .supervisor, on: database).requireID() }
        let all = try await InstitutionRecord.query(on: database).filter(\.$kind == OrganisationKind.supervisor.rawValue).all()
        guard all.count == 1, let only = all.first else {
            throw CommandFailure(all.isEmpty
                ? "this installation has no supervisor organisation; create one with `kamae user create --kind supervisor --institution NAME --role supervisor …`"
                : "this installation has \(all.count) supervisor organisations; name one with --supervisor")
        }
        return try only.requireID()
    }
}
