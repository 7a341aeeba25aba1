import Foundation
import Testing
@testable import KamaeHTML

/// Strings an attacker would store in an evidence note, an institution name or a search box.
let hostileStrings = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "`onfocus=alert(1) autofocus `",
    "</textarea><svg onload=alert(1)>",
    "&lt;already-escaped&gt;",
    "データ<b>太字</b>\"引用\"",
]

@Suite struct EscapingTests {
    @Test(arguments: hostileStrings)
    func textNeverBecomesMarkup(_ hostile: String) {
        let html = p { HTML.text(hostile) }.render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<svg"))
        #expect(!html.dropFirst(3).dropLast(4).contains("<"), "only the p tags may open markup: \(html)")
    }

    @Test(arguments: hostileStrings)
    func attributeValuesCannotBreakOut(_ hostile: String) {
        let html = div(.class(hostile), .title(hostile), .data("x", hostile)).render()
        // The only quotes left are the ones delimiting the three attribute values.
        #expect(html.filter { $0 == "\"" }.count == 6, "\(html)")
        #expect(!html.contains("'"))
        #expect(!html.contains("`"))
        #expect(html.filter { $0 == "<" }.count == 2)
        #expect(html.filter { $0 == ">" }.count == 2)
    }

    @Test func escapedTextRoundTripsToTheOriginal() {
        let original = "A&B <c> \"d\" 'e' 日本語"
        let rendered = span(.title(original)) { HTML.text(original) }.render()
        #expect(rendered == "<span title=\"A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39; 日本語\">A&amp;B &lt;c&gt; \"d\" 'e' 日本語</span>")
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "\u{0001}javascript:alert(1)",
    ])
    func scriptURLsAreNeutralised(_ url: String) {
        #expect(a(.href(url)) { "x" }.render() == "<a href=\"#\">x</a>")
        #expect(form(.action(url)).render() == "<form action=\"#\"></form>")
    }

    @Test(arguments: ["/catalog?q=a:b", "https://www.fsa.go.jp/", "mailto:ciso@example.jp", "?page=2", "#top", "items/2.2.1-B1"])
    func ordinaryURLsAreKept(_ url: String) {
        let expected = url.replacingOccurrences(of: "&", with: "&amp;")
        #expect(a(.href(url)) { "x" }.render() == "<a href=\"\(expected)\">x</a>")
    }

    @Test func builderHandlesConditionsAndLoops() {
        let names = ["a", "b"]
        let showFooter = false
        let html = ul {
            for name in names { li { name } }
            if showFooter { li { "footer" } }
        }.render()
        #expect(html == "<ul><li>a</li><li>b</li></ul>")
    }

    @Test func documentHasDoctypeAndLanguage() {
        let html = HTML.document(lang: "ja", head: { HTML.element("title") { "構え" } }, body: { p { "本文" } }).render()
        #expect(html == "<!DOCTYPE html><html lang=\"ja\"><head><title>構え</title></head><body><p>本文</p></body></html>")
    }

    @Test func booleanAttributesRenderWithoutValue() {
        #expect(input(.type("checkbox"), .flag("checked")).render() == "<input type=\"checkbox\" checked>")
    }
}

@Suite struct ControlCharacterTests {
    /// A name pasted from elsewhere may carry control characters; an exported SVG (XML) must still be well formed.
    @Test func controlCharactersAreLeftOutButLineBreaksStay() {
        let html = p(.title("a\u{1}b")) { HTML.text("勘定\u{0}系\u{8}\tシステム\n\u{7F}") }.render()
        #expect(html == "<p title=\"ab\">勘定系\tシステム\n</p>")
    }
}
