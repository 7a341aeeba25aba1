import Testing
@testable import KamaeXLSX

@Test func moduleLinks() { _ = XLSX.self }
