import Foundation
import Testing
@testable import KamaeXLSX

/// Packages written the way other producers write them (Excel, LibreOffice, openpyxl, streaming writers).
@Suite("Reader: what other producers write")
struct ReaderCompatibilityTests {
    @Test("shared strings with rich-text runs and furigana (rPh) runs; Excel's _xHHHH_ escapes")
    func sharedStrings() throws {
        let strings = """
        <si><t>plain</t></si>\
        <si><r><rPr><b/></rPr><t>太字</t></r><r><t xml:space="preserve"> と普通</t></r></si>\
        <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>\
        <si><t>a_x000D_b_x0009_c_x005F_x0041_</t></si>\
        <si><t/></si>
        """
        let data = try Support.package(sheets: [("S", """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
            <c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>
            """)], sharedStrings: strings)
        let sheet = try Support.firstSheet(data)
        #expect(sheet.rows[0] == ["plain", "太字 と普通", "東京", "a\rb\tc_x0041_", ""])
    }

    @Test("inline strings, formula strings and cached formula values; formulas without a value are empty")
    func inlineAndFormulas() throws {
        let data = try Support.package(sheets: [("S", """
            <row r="1"><c r="A1" t="inlineStr"><is><t>inline &amp; 日本語</t></is></c>\
            <c r="B1" t="inlineStr"><is><r><t>rich </t></r><r><rPr><i/></rPr><t>inline</t></r><rPh><t>ヨミ</t></rPh></is></c>\
            <c r="C1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>\
            <c r="D1"><f>1+1</f><v>2</v></c>\
            <c r="E1" t="b"><f>TRUE()</f><v>1</v></c>\
            <c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c>\
            <c r="G1"><f>NOW()</f></c>\
            <c r="H1"><f>A1</f><v></v></c>\
            <c r="I1" t="str"><f>""</f><v></v></c></row>
            """)])
        let sheet = try Support.firstSheet(data)
        #expect(sheet.rows[0] == ["inline & 日本語", "rich inline", "ab", 2, true, .error("#DIV/0!"), .empty, .empty, ""])
    }

    @Test("sparse rows and cells with r references, out of order rows, and cells without r")
    func sparseAndMissingReferences() throws {
        let data = try Support.package(sheets: [("S", """
            <row r="3"><c r="C3"><v>33</v></c><c><v>34</v></c><c r="F3"><v>36</v></c><c><v>37</v></c></row>\
            <row><c><v>41</v></c><c/><c><v>43</v></c></row>\
            <row r="1"><c r="B1"><v>12</v></c></row>\
            <row r="10" spans="1:3" ht="20" customHeight="1"/>
            """)])
        let sheet = try Support.firstSheet(data)
        #expect(sheet.rows == [[.empty, 12], [], [.empty, .empty, 33, 34, .empty, 36, 37], [41, .empty, 43]])
    }

    @Test("numbers as Excel writes them: integers, decimals, exponents, negative zero, white space")
    func numbers() throws {
        let data = try Support.package(sheets: [("S", """
            <row r="1"><c r="A1"><v>3</v></c><c r="B1" t="n"><v>0.1</v></c><c r="C1"><v>1.5E-3</v></c>\
            <c r="D1"><v>-4</v></c><c r="E1"><v> 7 </v></c><c r="F1"><v>12345678901234567890</v></c>\
            <c r="G1"><v>1E+20</v></c><c r="H1"><v>+5</v></c></row>
            """)])
        let sheet = try Support.firstSheet(data)
        #expect(sheet.rows[0] == [3, 0.1, 0.0015, -4, 7, .number(Double("12345678901234567890")!), .number(1e20), 5])
    }

    @Test("dates: built-in and custom date formats, Japanese-era formats, times stay numbers, 1904 system, t=\"d\"")
    func dates() throws {
        let styles = """
        <numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy/m/d;@"/><numFmt numFmtId="165" formatCode="[$-411]ggge&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>\
        <numFmt numFmtId="166" formatCode="[h]:mm:ss"/><numFmt numFmtId="167" formatCode="0.00E+00"/></numFmts>\
        <fonts count="1"><font><sz val="11"/></font></fonts>\
        <cellXfs count="8"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0"/><xf numFmtId="165" fontId="0"/><xf numFmtId="166" fontId="0"/>\
        <xf numFmtId="20" fontId="0"/><xf numFmtId="167" fontId="0"/><xf numFmtId="57" fontId="0"/></cellXfs>
        """
        let sheetXML = """
            <row r="1"><c r="A1" s="1"><v>46112</v></c><c r="B1" s="2"><v>46112.75</v></c><c r="C1" s="3"><v>46112</v></c>\
            <c r="D1" s="4"><v>1.5</v></c><c r="E1" s="5"><v>0.5</v></c><c r="F1" s="6"><v>46112</v></c>\
            <c r="G1" s="7"><v>46112</v></c><c r="H1" t="d"><v>2026-03-31T00:00:00</v></c><c r="I1" t="d"><v>2026-04-01</v></c>\
            <c r="J1" s="1"><v>60</v></c><c r="K1" s="1"><v>0</v></c></row>
            """
        let sheet = try Support.firstSheet(Support.package(sheets: [("S", sheetXML)], styles: styles))
        let day = XLSXCell.date(XLSXDate(year: 2026, month: 3, day: 31)!)
        #expect(sheet.rows[0] == [day, day, day, 1.5, 0.5, 46112, day, day, .date(XLSXDate(year: 2026, month: 4, day: 1)!), 60, 0])
        let old = try Support.firstSheet(Support.package(sheets: [("S", #"<row r="1"><c r="A1" s="1"><v>44650</v></c></row>"#)],
                                                         styles: styles, workbookPr: #"<workbookPr date1904="1"/>"#))
        #expect(old.rows[0] == [day])
    }

    @Test("prefixed element names (x:worksheet) and strict OOXML namespaces")
    func prefixesAndStrict() throws {
        let prefixed = """
        <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>\
        <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>
        """
        #expect(try Support.firstSheet(Support.package(sheets: [("S", prefixed)])).rows == [["prefixed"]])

        let strictRel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
        let strictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main"
        let data = try Support.zip([
            ("_rels/.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="\#(strictRel)/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<workbook xmlns="\#(strictMain)" xmlns:r="\#(strictRel)"><sheets><sheet name="Strict" sheetId="1" r:id="r1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="\#(strictRel)/worksheet" Target="../xl/./worksheets/s.xml"/></Relationships>"#),
            ("xl/worksheets/s.xml", #"<worksheet xmlns="\#(strictMain)"><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>"#),
        ])
        let workbook = try XLSXReader().read(data)
        #expect(workbook.sheets.map(\.name) == ["Strict"])
        #expect(workbook.sheets[0].rows == [[1]])
    }

    @Test("part names differing in case, a BOM, UTF-16, CDATA and comments")
    func oddButValid() throws {
        let bom = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- c --><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t><![CDATA[<cdata> & ]]>text</t></is></c></row></sheetData></worksheet>"
        #expect(try Support.firstSheet(Support.package(sheets: [("S", bom)])).rows == [["<cdata> & text"]])

        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let utf16 = #"<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="\#(main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ユニコード</t></is></c></row></sheetData></worksheet>"#
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in utf16.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let data = try XLSXWriter.zip([
            ("_rels/.rels", Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="\#(rel)/officeDocument" Target="XL/Workbook.xml"/></Relationships>"#.utf8)),
            ("xl/workbook.xml", Array(#"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><sheets><sheet name="U" sheetId="1" r:id="a"/></sheets></workbook>"#.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="\#(rel)/worksheet" Target="worksheets/Sheet1.XML"/></Relationships>"#.utf8)),
            ("xl/worksheets/sheet1.xml", bytes),
        ])
        #expect(try Support.firstSheet(data).rows == [["ユニコード"]])
    }

    @Test("presentation: panes, columns spanning to XFD, bold via <b val=\"1\"/>, chart sheets skipped")
    func presentation() throws {
        let styles = """
        <fonts count="2"><font><sz val="11"/></font><font><b val="1"/><sz val="11"/></font></fonts>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="1"/></cellStyleXfs>\
        <cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/>\
        <xf numFmtId="0" fontId="0" applyAlignment="1"><alignment wrapText="true"/></xf></cellXfs>\
        <dxfs count="1"><dxf><font><b/></font></dxf></dxfs>
        """
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let sheetXML = """
        <worksheet xmlns="\(main)"><sheetViews><sheetView workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" state="frozen"/></sheetView></sheetViews>\
        <cols><col min="1" max="1" width="20.5" customWidth="1"/><col min="2" max="16384" width="9" style="2"/></cols>\
        <sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>H1</t></is></c><c r="B1" s="1" t="inlineStr"><is><t>H2</t></is></c></row>\
        <row r="2"><c r="A2" s="0"><v>1</v></c><c r="C2" s="2"><v>2</v></c></row></sheetData>\
        <autoFilter ref="A1:C2"/><mergeCells count="1"><mergeCell ref="A3:B3"/></mergeCells></worksheet>
        """
        let sheet = try Support.firstSheet(Support.package(sheets: [("S", sheetXML)], styles: styles))
        #expect(sheet.headerRowCount == 1)
        #expect(sheet.frozenRows == 1 && sheet.frozenColumns == 1)
        #expect(sheet.columns == [XLSXColumn(width: 20.5), XLSXColumn(wrapsText: true), XLSXColumn(wrapsText: true)])
        #expect(sheet.autoFilter == XLSXRange("A1:C2"))

        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let withChart = try Support.zip([
            ("_rels/.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><sheets><sheet name="Chart" sheetId="1" r:id="c"/><sheet name="Data" sheetId="2" r:id="d"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="c" Type="\#(rel)/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="d" Type="\#(rel)/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", #"<worksheet xmlns="\#(main)"><sheetData/></worksheet>"#),
        ])
        #expect(try XLSXReader().read(withChart).sheetNames == ["Data"])
    }

    @Test("a workbook without _rels/.rels, styles or shared strings still reads")
    func minimal() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let data = try Support.zip([
            ("xl/workbook.xml", #"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><sheets><sheet name="M" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", #"<worksheet xmlns="\#(main)"><sheetData><row r="1"><c r="A1" s="5"><v>1</v></c></row></sheetData></worksheet>"#),
        ])
        #expect(try Support.firstSheet(data).rows == [[1]])
    }
    @Test("a sheet as Excel 365 writes it: markup-compatibility attributes, shared formulas, x14 validations, extLst")
    func excelStyle() throws {
        let strings = """
        <si><t>ID</t><phoneticPr fontId="1"/></si><si><t>状況</t><rPh sb="0" eb="2"><t>ジョウキョウ</t></rPh><phoneticPr fontId="1"/></si>\
        <si><t>2.2.1.2-B1</t><phoneticPr fontId="1"/></si><si><t>実施済</t><rPh sb="0" eb="1"><t>ジッシ</t></rPh><rPh sb="2" eb="3"><t>ズ</t></rPh><phoneticPr fontId="1"/></si>
        """
        let styles = """
        <fonts count="2" x14ac:knownFonts="1" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><font><sz val="11"/><color theme="1"/><name val="游ゴシック"/><family val="2"/><charset val="128"/><scheme val="minor"/></font>\
        <font><b/><sz val="11"/><color theme="1"/><name val="游ゴシック"/><family val="3"/><charset val="128"/><scheme val="minor"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"><alignment vertical="center"/></xf></cellStyleXfs>\
        <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><alignment vertical="center"/></xf>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"><alignment vertical="center"/></xf>\
        <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment vertical="center"/></xf></cellXfs>\
        <cellStyles count="1"><cellStyle name="標準" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>\
        <extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst>
        """
        let sheet = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
        xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" \
        xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" \
        xr:uid="{00000000-0001-0000-0000-000000000000}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:H3"/>\
        <sheetViews><sheetView tabSelected="1" zoomScale="85" zoomScaleNormal="85" workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>\
        <selection pane="topRight" activeCell="B1" sqref="B1"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/><selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>\
        <sheetFormatPr defaultRowHeight="18.75" x14ac:dyDescent="0.4"/><cols><col min="1" max="1" width="14.625" customWidth="1"/><col min="2" max="2" width="9" style="0"/></cols>\
        <sheetData><row r="1" spans="1:8" x14ac:dyDescent="0.4"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c></row>\
        <row r="2" spans="1:8" ht="37.5" customHeight="1" x14ac:dyDescent="0.4"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" s="2"><v>46112</v></c>\
        <c r="D2"><v>3</v></c><c r="E2"><f t="shared" ref="E2:E3" si="0">D2*2</f><v>6</v></c><c r="F2" t="str"><f>IF(B2="実施済","OK","")</f><v>OK</v></c>\
        <c r="G2" t="e"><f>VLOOKUP(A2,リスト!A:B,2,FALSE)</f><v>#N/A</v></c><c r="H2" s="2"/></row>\
        <row r="3" spans="1:8" x14ac:dyDescent="0.4"><c r="D3"><v>4</v></c><c r="E3"><f t="shared" si="0"/><v>8</v></c></row></sheetData>\
        <autoFilter ref="A1:H3" xr:uid="{11111111-2222-3333-4444-555555555555}"/><phoneticPr fontId="1"/>\
        <dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorTitle="入力エラー" error="一覧から選択" sqref="B2:B3" xr:uid="{A}">\
        <formula1>"実施済,一部実施,未実施,対象外"</formula1></dataValidation></dataValidations>\
        <pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" scale="61" orientation="landscape" r:id="rId1"/>\
        <extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">\
        <x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">\
        <x14:formula1><xm:f>リスト!$A$1:$A$4</xm:f></x14:formula1><xm:sqref>D2:D3 F2</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>
        """
        let data = try Support.package(sheets: [("回答", sheet)], sharedStrings: strings, styles: styles)
        let read = try Support.firstSheet(data)
        let day = XLSXCell.date(XLSXDate(year: 2026, month: 3, day: 31)!)
        #expect(read.rows == [["ID", "状況"], ["2.2.1.2-B1", "実施済", day, 3, 6, "OK", .error("#N/A")], [.empty, .empty, .empty, 4, 8]])
        #expect(read.headerRowCount == 1)
        #expect(read.frozenRows == 1 && read.frozenColumns == 1)
        #expect(read.columns == [XLSXColumn(width: 14.625)])
        #expect(read.autoFilter == XLSXRange("A1:H3"))
        #expect(read.dataValidations == [
            XLSXDataValidation(ranges: [XLSXRange("B2:B3")!], rule: .list(Support.statuses),
                               errorAlert: .init(title: "入力エラー", message: "一覧から選択"), inputPrompt: .init()),
            XLSXDataValidation(ranges: [XLSXRange("D2:D3")!, XLSXRange("F2")!], rule: .listFormula("リスト!$A$1:$A$4"),
                               errorAlert: .init(), inputPrompt: .init()),
        ])
    }
}
