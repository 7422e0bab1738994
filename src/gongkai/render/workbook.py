"""Authoring: a fill-in workbook laid out as the 2021 form, and the matching JSON skeleton.

The clerk types into the shaded cells (the six section texts and every value of tables 二–四) and
saves; `gongkai render` reads the workbook back like any report, and `gongkai check` checks it.
An unfilled value stays blank, never 0: a blank cell is "not reported", which the rule engine
flags, while a 0 is a statement.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.model.keys import SECTION_HEADINGS, T2_LAYOUT, T3_ROWS, T4_GROUPS, TEMPLATE_2021
from gongkai.model.report import Meta, Report, Section, Templates
from gongkai.render.xlsx import FONT, GUIDE_SHEET, Positions, form_sheets, save

GUIDE = (
    "填写说明",
    "1. 只在浅黄色单元格内填写；表格的标签、合并单元格和工作表顺序请勿改动。",
    "2. 各部分文字写在该部分标题下方的浅黄色单元格内，分段请按 Alt+Enter（WPS、LibreOffice 同）。",
    "3. 表中数值只填数字，没有发生的填 0；空白表示未填报，审查时会被指出。",
    "4. 表二“本年收费金额”的单位为万元，可填小数；其余栏目填整数。",
    "5. 表三每一列应满足：第一项加第二项之和，等于第三项（七）总计加第四项之和；“总计”列等于前六列之和。",
    "6. 表四各组“总计”等于结果维持、结果纠正、其他结果、尚未审结四项之和。",
    "7. 填好后保存，运行 gongkai render 本文件 --to docx（或 pdf、html）生成报告，gongkai check 本文件 检查数据。",
)


def skeleton(agency: str, year: int) -> Report:
    """An empty report in the 2021 form: every heading, every cell present and blank."""
    return Report(
        meta=Meta(
            title=f"{agency}{year}年政府信息公开工作年度报告",
            agency=agency,
            year=year,
            templates=Templates(table2=TEMPLATE_2021, table3=TEMPLATE_2021),
        ),
        sections=[Section(no=no, heading=h, text="") for no, h in enumerate(SECTION_HEADINGS, 1)],
        table2={
            item: dict.fromkeys(fields)
            for _caption, items, fields in T2_LAYOUT[TEMPLATE_2021]
            for item in items
        },
        table3={key: [None] * 7 for key, _label in T3_ROWS[TEMPLATE_2021]},
        table4={key: [None] * 5 for key, _label in T4_GROUPS},
    )


def _guide(wb: Workbook) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = 110
    for row, text in enumerate(GUIDE, 1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=FONT, size=11, bold=row == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def fill_in_workbook(agency: str, year: int) -> tuple[Workbook, Positions]:
    """The fill-in workbook and where each cell to fill is ("table3.received.0", "section.1")."""
    wb = Workbook()
    positions = form_sheets(wb, skeleton(agency, year), fill_in=True)
    _guide(wb)
    return wb, positions


def new_workbook(agency: str, year: int) -> bytes:
    """The fill-in workbook (XLSX bytes) for `agency`'s report on `year`."""
    return save(fill_in_workbook(agency, year)[0])
