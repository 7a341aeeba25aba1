#!/usr/bin/env python3
"""An independent reader and writer for KamaeXLSX's tests, built on openpyxl.

    openpyxl_check.py dump FILE   print JSON describing FILE as openpyxl reads it
    openpyxl_check.py make FILE   write a workbook with openpyxl (read back by the Swift tests)
    openpyxl_check.py resave IN OUT   open IN with openpyxl and save it as OUT

The JSON of `dump` has one object per sheet: its name and state, every cell as [type, text]
(s = string, i = int, n = float, b = bool, d = date, t = date-time, e = error) or null, the frozen
pane, the data validations, which rows are bold, column widths, hidden and wrapping columns, the
autofilter, and the document title and creator.
"""
import datetime
import json
import sys

import openpyxl


def cell_json(cell):
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return ["b", "true" if value else "false"]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        return ["n", repr(value)]
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return ["d", value.date().isoformat()]
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if cell.data_type == "e":
        return ["e", str(value)]
    return ["s", str(value)]


def dump(path):
    workbook = openpyxl.load_workbook(path)
    sheets = []
    for sheet in workbook.worksheets:
        rows = []
        bold_rows = []
        wrap_columns = set()
        for row in sheet.iter_rows():
            rows.append([cell_json(cell) for cell in row])
            styled = [cell for cell in row if cell.value is not None]
            bold_rows.append(bool(styled) and all(bool(cell.font.b) for cell in styled))
            for cell in row:
                if cell.value is not None and cell.alignment.wrap_text:
                    wrap_columns.add(cell.column_letter)
        while rows and all(value is None for value in rows[-1]):
            rows.pop()
            bold_rows.pop()
        rows = [trim(row) for row in rows]
        validations = []
        for validation in sheet.data_validations.dataValidation:
            validations.append({
                "type": validation.type,
                "formula1": validation.formula1,
                "sqref": str(validation.sqref),
                "allow_blank": bool(validation.allow_blank),
                "show_dropdown": bool(validation.showDropDown),
                "show_error": bool(validation.showErrorMessage),
                "error_style": validation.errorStyle or "stop",
                "error_title": validation.errorTitle,
                "error": validation.error,
                "show_prompt": bool(validation.showInputMessage),
                "prompt_title": validation.promptTitle,
                "prompt": validation.prompt,
            })
        widths = {}
        hidden = []
        for letter, dimension in sheet.column_dimensions.items():
            if dimension.customWidth:
                widths[letter] = dimension.width
            if dimension.hidden:
                hidden.append(letter)
        sheets.append({
            "name": sheet.title,
            "state": sheet.sheet_state,
            "cells": rows,
            "freeze": sheet.freeze_panes,
            "validations": validations,
            "bold_rows": bold_rows,
            "widths": widths,
            "hidden_columns": sorted(hidden),
            "wrap_columns": sorted(wrap_columns),
            "auto_filter": sheet.auto_filter.ref,
        })
    print(json.dumps({
        "title": workbook.properties.title,
        "creator": workbook.properties.creator,
        "sheets": sheets,
    }, ensure_ascii=False))


def trim(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def make(path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "回答"
    sheet.append(["ID", "状況", "点数", "期限", "完了", "式"])
    sheet.append(["2.1.1-B1", "実施済", 3, datetime.date(2026, 3, 31), True, "=C2*2"])
    sheet.append(["2.1.1-B2", CellRichText([TextBlock(InlineFont(b=True), "太字"), "と普通"]), 2.5,
                  datetime.datetime(2026, 4, 1, 13, 30), False, None])
    sheet["E5"] = 1.5
    sheet["A6"] = "  前後に空白\n改行あり  "
    sheet["B6"] = 0.1
    sheet["C6"] = 1234567890123
    sheet["D6"] = -2.5
    sheet["F6"] = "<&>\"'"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 14
    sheet.auto_filter.ref = "A1:F6"
    validation = DataValidation(type="list", formula1='"実施済,一部実施,未実施,対象外"', allow_blank=True,
                                showErrorMessage=True, errorTitle="入力エラー", error="一覧から選んでください")
    validation.add("B2:B6")
    sheet.add_data_validation(validation)
    hidden = workbook.create_sheet("メタ")
    hidden.append(["institution", "demo-bank"])
    hidden.append(["year", 2026])
    hidden.sheet_state = "hidden"
    workbook.create_sheet("空")
    workbook.properties.title = "openpyxl fixture"
    workbook.save(path)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "resave":
        openpyxl.load_workbook(sys.argv[2]).save(sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(__doc__)
