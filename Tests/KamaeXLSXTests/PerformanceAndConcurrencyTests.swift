import Foundation
import Testing
@testable import KamaeXLSX

@Suite("Speed and concurrent use")
struct PerformanceAndConcurrencyTests {
    /// 200 answer rows × 12 columns, the size of a full assessment. Release builds take about 4 ms to write and
    /// 5 ms to read (CPU time on a 2-core machine); this test runs in debug builds on shared CI machines,
    /// so its bound only catches gross regressions.
    @Test("export and import of 200 rows × 12 columns stay well below the 100 ms goal")
    func speed() throws {
        let workbook = Support.assessmentWorkbook(rows: 200)
        let clock = ContinuousClock()
        var data = Data()
        var writes: [Duration] = [], reads: [Duration] = []
        var read = XLSXWorkbook()
        for _ in 0..<5 {
            var start = clock.now
            data = try XLSXWriter().write(workbook)
            writes.append(clock.now - start)
            start = clock.now
            read = try XLSXReader().read(data)
            reads.append(clock.now - start)
        }
        #expect(read == workbook)
        let fastestWrite = writes.min()!, fastestRead = reads.min()!
        print("KamaeXLSX 200×12: \(data.count) bytes, write \(fastestWrite), read \(fastestRead) (fastest of 5, this build)")
        #expect(fastestWrite < .milliseconds(250))
        #expect(fastestRead < .milliseconds(250))
    }

    @Test("readers and writers run concurrently from many tasks")
    func concurrent() async throws {
        let workbook = Support.assessmentWorkbook(rows: 30)
        let data = try XLSXWriter().write(workbook)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        return try XLSXReader().read(data) == workbook
                    }
                    return try XLSXWriter().write(workbook) == data
                }
            }
            for try await same in group { #expect(same) }
        }
    }

    @Test("data that is a slice of a larger buffer reads the same")
    func slices() throws {
        let data = try XLSXWriter().write(Support.assessmentWorkbook(rows: 3))
        let padded = Data([1, 2, 3]) + data + Data([4])
        let slice = padded[3..<(padded.count - 1)]
        #expect(slice.startIndex == 3)
        #expect(try XLSXReader().read(slice) == XLSXReader().read(data))
    }
}
