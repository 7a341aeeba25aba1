import Foundation
import KamaeCore
import PropertyBased
@testable import KamaeSupervision
import Testing

@Suite struct StatusStringTests {
    /// Stored as one character per item and loaded back as codes, a sector gives exactly the statistics it gave
    /// from the answers themselves.
    @Test func storedStatusesGiveTheSameSector() async {
        await propertyCheck(count: 10, input: Gen.uint64()) { seed in
            let sector = TestSectors.small(seed: seed)
            let itemIDs = TestSectors.catalog.items.map(\.id)
            let stored = sector.submissions.map { submission in
                SectorSubmission(
                    institutionID: submission.institutionID, fiscalYear: submission.fiscalYear,
                    codes: StatusString.codes(StatusString.encode(submission.statuses, itemIDs: itemIDs), itemCount: itemIDs.count)!
                )
            }
            let original = try SectorDataset(catalog: TestSectors.catalog, institutions: sector.institutions, submissions: sector.submissions)
            let loaded = try SectorDataset(catalog: TestSectors.catalog, institutions: sector.institutions, submissions: stored)
            #expect(loaded.statusCodes == original.statusCodes)
            #expect(loaded.sectionRates.elementsEqual(original.sectionRates) { $0 == $1 || ($0.isNaN && $1.isNaN) })
            #expect(loaded.basicCoverage.elementsEqual(original.basicCoverage) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }

    @Test func textOfAnotherEditionIsRefused() {
        #expect(StatusString.codes("0123", itemCount: 5) == nil)
        #expect(StatusString.codes("01235", itemCount: 5) == nil)
        #expect(StatusString.codes("01234", itemCount: 5) == [0, 1, 2, 3, 4])
    }
}
