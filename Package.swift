// swift-tools-version:6.1
import PackageDescription

/// Every target is built in Swift 6 language mode with the same strictness.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Kamae",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kamae", targets: ["kamae"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.110.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // The pure domain: the guideline catalog, scoring and later version ranges, CVSS and deadlines.
        // Foundation only; no web, database or networking imports.
        .target(
            name: "KamaeCore",
            resources: [.copy("Catalog/Data")],
            swiftSettings: strictSettings
        ),
        // The vulnerability engine: SBOM and advisory ingest, ecosystem version order, matching, VEX, CVSS, and the
        // management rules (severity, deadline policy, KEV/EPSS, finding states, metrics).
        // Pure like KamaeCore; ZIPFoundation only to inflate advisory archives.
        .target(
            name: "KamaeVulnerabilities",
            dependencies: ["KamaeCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        // Writes and reads .xlsx workbooks (Office Open XML) for the Excel round trip; ZIPFoundation + Foundation XML only.
        .target(
            name: "KamaeXLSX",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        // Trust building blocks, pure apart from Crypto: the hash-chained audit trail and its signed checkpoints,
        // the backup container, TOTP and passwords.
        .target(
            name: "KamaeTrust",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Authentication/Data/README.md"],
            resources: [
                .copy("Authentication/Data/common-passwords.txt"),
                // MIT asks for the notice to travel with copies of the list.
                .copy("Authentication/Data/common-passwords.LICENSE"),
            ],
            swiftSettings: strictSettings
        ),
        // The supervisor's pure domain: peer statistics with k-anonymity, questionnaires, feedback, synthetic sectors.
        .target(name: "KamaeSupervision", dependencies: ["KamaeCore"], swiftSettings: strictSettings),
        // A small typed HTML module that escapes every text and attribute value.
        .target(name: "KamaeHTML", swiftSettings: strictSettings),
        // Web pages, the JSON API, storage and the CLI commands (Vapor + Fluent).
        .target(
            name: "KamaeWeb",
            dependencies: [
                "KamaeCore",
                "KamaeHTML",
                "KamaeVulnerabilities",
                "KamaeXLSX",
                "KamaeTrust",
                "KamaeSupervision",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        // `swift run -c release kamae-bench-vuln`: the vulnerability engine's benchmark (see Benchmarks/).
        .executableTarget(
            name: "kamae-bench-vuln",
            dependencies: ["KamaeVulnerabilities"],
            path: "Benchmarks/VulnBench",
            swiftSettings: strictSettings
        ),
        // `swift run -c release kamae-bench-supervision`: sector statistics on 2,000 institutions × 176 items × 3 years.
        .executableTarget(
            name: "kamae-bench-supervision",
            dependencies: ["KamaeSupervision", "KamaeCore"],
            path: "Benchmarks/SupervisionBench",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "kamae",
            dependencies: ["KamaeWeb", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KamaeCoreTests",
            dependencies: ["KamaeCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KamaeVulnerabilitiesTests",
            dependencies: ["KamaeVulnerabilities", "KamaeCore", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KamaeXLSXTests",
            dependencies: ["KamaeXLSX"],
            exclude: ["Scripts"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KamaeTrustTests",
            dependencies: ["KamaeTrust", .product(name: "Crypto", package: "swift-crypto"), .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Scripts", "Fixtures/README.md"],
            resources: [.copy("Fixtures/qr-reference.json")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KamaeSupervisionTests",
            dependencies: ["KamaeSupervision", "KamaeCore", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Scripts"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "KamaeHTMLTests", dependencies: ["KamaeHTML"], swiftSettings: strictSettings),
        .testTarget(
            name: "KamaeWebTests",
            dependencies: [
                "KamaeWeb",
                "KamaeXLSX",
                "KamaeVulnerabilities",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            exclude: ["Scripts"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
