"""Opens an assessment workbook exported by Kamae with openpyxl (an independent reader), reports what it sees as
JSON, and saves a copy with one answer changed the way a person would in Excel."""
import json
import sys

import openpyxl

source, target, item_id, new_status = sys.argv[1:5]
workbook = openpyxl.load_workbook(source)
sheet = workbook["回答"]
report = {
    "sheets": workbook.sheetnames,
    "hidden": [name for name in workbook.sheetnames if workbook[name].sheet_state != "visible"],
    "header_ja": [cell.value for cell in sheet[1]],
    "header_en": [cell.value for cell in sheet[2]],
    "header_bold": all(cell.font.b for cell in sheet[1] if cell.value),
    "freeze_panes": sheet.freeze_panes,
    "validations": [[dv.formula1, str(dv.sqref)] for dv in sheet.data_validations.dataValidation],
    "rows": sheet.max_row - 2,
    "summary": [[cell.value for cell in row] for row in workbook["集計"].iter_rows()],
}
for row in sheet.iter_rows(min_row=3):
    if row[0].value == item_id:
        row[6].value = new_status
        row[9].value = "openpyxl で編集"
workbook.save(target)
print(json.dumps(report, ensure_ascii=False))
