import ArgumentParser
import Foundation
import KamaeCore

extension RegisterID: ExpressibleByArgument {}

/// `kamae register export|import`: a register as CSV or XLSX, both ways. Scripts call these; keep them stable.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Export or import a register (systems, components, data, zones, connections, flows) as CSV or XLSX.",
        subcommands: [Export.self, Import.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a register to a file (.csv or .xlsx by the file's extension).")

        @ArgumentParser.Option(help: "The institution's id or name.")
        var institution: String

        @ArgumentParser.Argument(help: "systems, components, data, zones, connections or flows.")
        var register: RegisterID

        @ArgumentParser.Option(name: .shortAndLong, help: "Output file (.csv or .xlsx).")
        var output: String

        func run() async throws {
            let schema = RegisterSchema.schema(register)
            let data = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let institutionID = try await InstitutionLookup.institutionID(institution, on: app.db)
                let records = try await RegisterStore.all(schema, institutionID: institutionID, on: app.db)
                try await AuditTrail.event("register.exported", by: .cli(institutionID: institutionID), target: (RegisterTables.table(schema.id), institutionID.uuidString),
                                           details: ["register": schema.id.rawValue, "rows": String(records.count)], on: app.db)
                return output.lowercased().hasSuffix(".xlsx") ? try RegisterExchange.workbook(schema, records: records) : RegisterExchange.csv(schema, records: records)
            }
            do { try data.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw CommandFailure("cannot write \(output): \(error.localizedDescription)")
            }
            CommandSupport.say("Wrote \(output) (\(data.count) bytes).")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a CSV or XLSX file into a register: rows with a known code update, others are added; one error and nothing changes.",
            discussion: "Every problem is printed as `FILE line N FIELD: message` on stderr; the exit status is 1 when anything was refused."
        )

        @ArgumentParser.Option(help: "The institution's id or name.")
        var institution: String

        @ArgumentParser.Argument(help: "systems, components, data, zones, connections or flows.")
        var register: RegisterID

        @ArgumentParser.Argument(help: "The CSV or XLSX file.")
        var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let schema = RegisterSchema.schema(register)
            let result = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let institutionID = try await InstitutionLookup.institutionID(institution, on: app.db)
                do {
                    let rows = try RegisterExchange.rows(data, file: name, schema: schema)
                    let result = try await RegisterStore.importRows(schema, rows: rows, institutionID: institutionID, actor: .cli(institutionID: institutionID), file: name, on: app.db)
                    try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                    return result
                } catch let refusal as RegisterRefusal {
                    throw CommandFailure.refused(refusal, file: name)
                }
            }
            CommandSupport.say("Imported \(name): \(result.created) added, \(result.updated) updated.")
        }
    }
}

extension VulnCommand {
    /// `kamae vuln import --institution ID PATH…`: advisory feeds dropped in by an administrator (a file or a folder
    /// of them; OSV, CSAF, NVD, JVN, CISA KEV, EPSS), each matched against the whole inventory in one transaction.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import advisory, KEV and EPSS files (or every file in a folder) and create findings with deadlines.",
            discussion: "Prints one line per file: FILE KIND ENTRIES FINDINGS_CREATED DEADLINES_CHANGED SECONDS. A file that cannot be read is named with the reason and changes nothing; the others are still imported; the exit status is then 1."
        )

        @ArgumentParser.Option(help: "The institution's id or name.")
        var institution: String

        @ArgumentParser.Argument(help: "Feed files or folders of them.")
        var paths: [String]

        func run() async throws {
            var files: [URL] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CommandFailure("\(path): no such file or folder") }
                if isDirectory.boolValue {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                    files += names.filter { !$0.hasPrefix(".") }.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
                } else {
                    files.append(URL(fileURLWithPath: path))
                }
            }
            let failures = try await CommandSupport.withApplication { app, _ in
                try await migrate(app)
                let institutionID = try await InstitutionLookup.institutionID(institution, on: app.db)
                var failures = 0
                for url in files {
                    guard let data = FileManager.default.contents(atPath: url.path) else {
                        FileHandle.standardError.write(Data("\(url.lastPathComponent): cannot read\n".utf8))
                        failures += 1
                        continue
                    }
                    let start = Date()
                    do {
                        let result = try await VulnerabilityStore.importFeed(data, file: url.lastPathComponent, institutionID: institutionID, actor: .cli(institutionID: institutionID), on: app.db)
                        print("\(url.lastPathComponent)\t\(result.kind)\t\(result.entries)\t\(result.findingsCreated)\t\(result.deadlinesChanged)\t\(String(format: "%.2f", Date().timeIntervalSince(start)))")
                    } catch let refusal as RegisterRefusal {
                        for problem in refusal.problems { FileHandle.standardError.write(Data("\(problem.field): \(problem.message.en)\n".utf8)) }
                        failures += 1
                    }
                }
                try await AuditCheckpoints.make(with: app.auditSigningKey, on: app.db)
                return failures
            }
            if failures > 0 { throw CommandFailure("\(failures) of \(files.count) files refused; the others were imported") }
        }
    }
}

extension CommandFailure {
    static func refused(_ refusal: RegisterRefusal, file: String) -> CommandFailure {
        for problem in refusal.problems.dropLast() { FileHandle.standardError.write(Data("\(file) \(problem.field): \(problem.message.en)\n".utf8)) }
        let last = refusal.problems.last.map { "\(file) \($0.field): \($0.message.en)" } ?? file
        return CommandFailure("\(last) (\(refusal.problems.count) problems; nothing was imported)")
    }
}
