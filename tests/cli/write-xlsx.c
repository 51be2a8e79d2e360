/* Writes the workbook the CLI tests read, with libxlsxwriter, the way a
 * spreadsheet program saves one: a title row above the header, Chinese
 * headers with units, numbers stored as numbers (1158.1), dates as serial
 * numbers with a date format, 是/否, a formula, an empty cell, a totals row
 * and a second sheet.
 *
 * Usage: write-xlsx OUT.xlsx */
#include <xlsxwriter.h>

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: write-xlsx OUT.xlsx\n", stderr);
		return 2;
	}
	lxw_workbook *wb = workbook_new(argv[1]);
	if (!wb)
		return 1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "企业");
	lxw_worksheet *other = workbook_add_worksheet(wb, "说明");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *iso = workbook_add_format(wb);
	format_set_num_format_index(iso, 14); /* the built-in m/d/yyyy */

	worksheet_merge_range(ws, 0, 0, 0, 7, "临安区企业亩均效益数据（2023年）", NULL);
	static const char *const header[] = {"统一社会信用代码", "企业名称", "实缴税收（万元）",
					     "用地面积（亩）", "从业人员（人）", "行业",
					     "是否重点项目", "整改期限"};
	for (lxw_col_t c = 0; c < 8; c++)
		worksheet_write_string(ws, 1, c, header[c], NULL);
	/* 1158.1 / 31.3 = 37 exactly: passes. 800 / 30 fails. */
	worksheet_write_string(ws, 2, 0, "91330185MA2AAAAA1X", NULL);
	worksheet_write_string(ws, 2, 1, "甲公司", NULL);
	worksheet_write_number(ws, 2, 2, 1158.1, NULL);
	worksheet_write_number(ws, 2, 3, 31.3, NULL);
	worksheet_write_number(ws, 2, 4, 12, NULL);
	worksheet_write_string(ws, 2, 5, "纺织", NULL);
	worksheet_write_string(ws, 2, 6, "否", NULL);
	lxw_datetime d1 = {2023, 7, 1, 0, 0, 0};
	worksheet_write_datetime(ws, 2, 7, &d1, date);

	worksheet_write_string(ws, 3, 0, "91330185MA2BBBBB2Y", NULL);
	worksheet_write_string(ws, 3, 1, "乙公司", NULL);
	worksheet_write_formula_num(ws, 3, 2, "=400*2", NULL, 800);
	worksheet_write_number(ws, 3, 3, 30, NULL);
	/* employees left empty: missing */
	worksheet_write_string(ws, 3, 5, "装备制造", NULL);
	worksheet_write_boolean(ws, 3, 6, 0, NULL);
	lxw_datetime d2 = {2023, 6, 1, 0, 0, 0};
	worksheet_write_datetime(ws, 3, 7, &d2, iso);

	worksheet_write_string(ws, 4, 0, "91330185MA2CCCCC3Z", NULL);
	worksheet_write_string(ws, 4, 1, "丙公司", NULL);
	worksheet_write_number(ws, 4, 2, 100, NULL);
	worksheet_write_number(ws, 4, 3, 30, NULL);
	worksheet_write_number(ws, 4, 4, 3, NULL);
	worksheet_write_string(ws, 4, 5, "化工", NULL);
	worksheet_write_string(ws, 4, 6, "是", NULL);
	/* a date typed as a plain number in a date column: serial 45108 */
	worksheet_write_number(ws, 4, 7, 45108, NULL);

	worksheet_write_string(ws, 5, 0, "91330185MA2DDDDD4W", NULL);
	worksheet_write_string(ws, 5, 1, "丁公司", NULL);
	worksheet_write_string(ws, 5, 2, "abc", NULL);
	worksheet_write_number(ws, 5, 3, 30, NULL);

	worksheet_write_string(ws, 6, 0, "合计", NULL);
	worksheet_write_formula_num(ws, 6, 2, "=SUM(C3:C5)", NULL, 2058.1);

	worksheet_write_string(other, 0, 0, "_id", NULL);
	worksheet_write_string(other, 0, 1, "tax", NULL);
	worksheet_write_string(other, 1, 0, "S1", NULL);
	worksheet_write_number(other, 1, 1, 0.1, NULL);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
