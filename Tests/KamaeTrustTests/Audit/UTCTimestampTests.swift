import Foundation
import PropertyBased
import Testing

@testable import KamaeTrust

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_743_499_800_123, "2025-04-01T09:30:00.123Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsAndParsesKnownMilliseconds(ticks: Int64, text: String) {
        #expect(UTCTimestamp.format(ticks: ticks, fractionDigits: 3) == text)
        #expect(UTCTimestamp.parseTicks(text, fractionDigits: 3) == ticks)
    }

    @Test func yearsOutsideFourDigitsCannotBeFormatted() {
        #expect(UTCTimestamp.format(ticks: -62_135_596_800_001, fractionDigits: 3) == nil)
        #expect(UTCTimestamp.format(ticks: 253_402_300_800_000, fractionDigits: 3) == nil)
        #expect(UTCTimestamp.format(ticks: .max, fractionDigits: 6) == nil)
    }

    @Test(arguments: [
        "2025-02-29T00:00:00.000Z", "2025-04-31T00:00:00.000Z", "2025-01-01T24:00:00.000Z",
        "2025-01-01T00:60:00.000Z", "2016-12-31T23:59:60.000Z", "2025-01-01T00:00:00.00Z", "2025-01-01 00:00:00.000Z",
        "2025-01-01T00:00:00.000+09:00", "0000-01-01T00:00:00.000Z", "２０２５-01-01T00:00:00.000Z", "2025-1-01T00:00:00.000Z",
    ])
    func refusesAnythingButTheExactForm(_ text: String) {
        #expect(UTCTimestamp.parseTicks(text, fractionDigits: 3) == nil)
    }

    @Test func extremeDatesDoNotTrap() {
        #expect(UTCTimestamp.ticks(of: Date(timeIntervalSince1970: .infinity), fractionDigits: 6) == .max)
        #expect(UTCTimestamp.ticks(of: Date(timeIntervalSince1970: -.infinity), fractionDigits: 6) == .min)
        #expect(UTCTimestamp.ticks(of: Date(timeIntervalSince1970: .nan), fractionDigits: 6) == 0)
    }

    /// Round-trips any microsecond in years 0001...9999, and agrees with Foundation's ISO 8601 formatter from 1583
    /// on (before that Foundation switches to the Julian calendar; the format is proleptic Gregorian throughout).
    @Test func agreesWithFoundationAcrossTheRange() async {
        let formatter = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        await propertyCheck(count: 2000, input: Gen.int64(in: -62_135_596_800_000_000...253_402_300_799_999_999)) { ticks in
            let text = UTCTimestamp.format(ticks: ticks, fractionDigits: 6)!
            #expect(UTCTimestamp.parseTicks(text, fractionDigits: 6) == ticks)
            guard text >= "1583" else { return }
            let wholeSecond = Date(timeIntervalSince1970: Double(ticks >= 0 ? ticks / 1_000_000 : (ticks - 999_999) / 1_000_000))
            #expect(text.prefix(19) + "Z" == formatter.format(wholeSecond), "\(ticks)")
        }
    }
}
