package sampleset

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

func TestSerialDate(t *testing.T) {
	for _, tc := range []struct {
		serial   float64
		date1904 bool
		want     string
		ok       bool
	}{
		{1, false, "1900-01-01", true},
		{59, false, "1900-02-28", true},
		{60, false, "1900-02-29", true}, // the day Excel counts and no calendar has
		{61, false, "1900-03-01", true},
		{43831, false, "2020-01-01", true},
		{33010, false, "1990-05-17", true},
		{2958465, false, "9999-12-31", true},
		{43831.5, false, "2020-01-01 12:00:00", true},
		{43831.75, false, "2020-01-01 18:00:00", true},
		{36892.4375, false, "2001-01-01 10:30:00", true},
		{44196.999999999, false, "2021-01-01", true}, // rounds to the next midnight
		{0.25, false, "06:00:00", true},              // a time of day, no date
		{0, false, "00:00:00", true},
		{0, true, "1904-01-01", true},
		{42369, true, "2020-01-01", true}, // 1462 days apart
		{0.5, true, "1904-01-01 12:00:00", true},
		{-1, false, "", false},
		{2958466, false, "", false},
		{2958465, true, "", false}, // past 9999 in the 1904 system
	} {
		got, ok := serialDate(tc.serial, tc.date1904)
		assert.Equal(t, tc.ok, ok, "serial %v (1904: %v)", tc.serial, tc.date1904)
		assert.Equal(t, tc.want, got, "serial %v (1904: %v)", tc.serial, tc.date1904)
	}
}

func TestIsDateFormat(t *testing.T) {
	custom := map[int]string{
		14:  "0.00", // a built-in id redefined: the code decides
		164: "dd.mm.yyyy",
		165: "0.00",
		166: "[Red]0",
		167: "yyyy-mm-dd hh:mm:ss",
		168: "[h]:mm:ss",
		169: `0 "days"`,
		170: `#,##0\ "руб."`,
		171: "[$-409]mmmm d, yyyy",
		172: "General",
		173: "@",
		174: "0.00E+00",
		175: `_-* #,##0.00 _₴_-;\-* #,##0.00 _₴_-;_-* "-"?? _₴_-;_-@_-`,
		176: "[$€-2] #,##0.00",
		177: "mmm-yy",
		178: `\d0`,
		179: "[mm]:ss",
		180: `"Date: "0`,
	}
	for id, want := range map[int]bool{
		0: false, 1: false, 2: false, 9: false, 10: false, 11: false, 13: false,
		14: false, 15: true, 16: true, 17: true, 18: true, 19: true, 20: true, 21: true, 22: true,
		23: false, 26: false, 27: true, 36: true, 37: false, 44: false, 45: true, 46: true, 47: true,
		48: false, 49: false, 50: true, 58: true, 59: false,
		163: false, 164: true, 165: false, 166: false, 167: true, 168: true, 169: false, 170: false,
		171: true, 172: false, 173: false, 174: false, 175: false, 176: false, 177: true, 178: false,
		179: true, 180: false,
	} {
		assert.Equal(t, want, isDateFormat(id, custom), "number format %d %q", id, custom[id])
	}
	assert.True(t, isDateFormat(14, nil), "built-in 14 without custom codes")
}

func TestPlainNumber(t *testing.T) {
	for in, want := range map[string]string{
		"380501234567":         "380501234567",
		"3.80501234567E+11":    "380501234567",
		"3.80501234567e11":     "380501234567",
		"4111111111111111":     "4111111111111111",
		"4.11111111111111E+15": "4111111111111110", // Excel's 15 significant digits
		"12345678901234567890": "12345678901234567890",
		"1.5":                  "1.5",
		"0.30000000000000004":  "0.30000000000000004",
		"1.1000000000000001":   "1.1",
		"1E-3":                 "0.001",
		"-2.5E+2":              "-250",
		"1500":                 "1500",
		"1.0":                  "1",
		"007":                  "7",
		"0":                    "0",
		"-0":                   "0",
		"-0.0E+5":              "0",
		"+42":                  "42",
		".5":                   "0.5",
		"1e400":                "1e400",
		"abc":                  "abc",
		"1.2.3":                "1.2.3",
		"1e":                   "1e",
		"NaN":                  "NaN",
		"":                     "",
		"-":                    "-",
		"0x1p3":                "0x1p3",
	} {
		assert.Equal(t, want, plainNumber(in), "number %q", in)
	}
}

func TestDecodeXEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"a_x000D_b":        "a\rb",
		"_x005F_x0041_":    "_x0041_",
		"_x0041__x0042_":   "AB",
		"_xD83D__xDE00_":   "😀",
		"_xD83D_x":         "\uFFFDx",
		"_xDE00_":          "\uFFFD",
		"_x00":             "_x00",
		"_x00G1_":          "_x00G1_",
		"Шевченко_x0009_1": "Шевченко\t1",
	} {
		assert.Equal(t, want, decodeXEscapes(in), "text %q", in)
	}
}

func TestRefColumn(t *testing.T) {
	for ref, want := range map[string]int{"A1": 1, "Z9": 26, "AA1": 27, "az3": 52, "XFD1048576": 16384} {
		got, ok := refColumn(ref)
		assert.True(t, ok, "reference %q", ref)
		assert.Equal(t, want, got, "reference %q", ref)
	}
	for _, ref := range []string{"", "A", "1", "1A", "A1B", "XFE1", "AAAAAAAAAAAAAAAAA1", "A-1", "Ж1"} {
		_, ok := refColumn(ref)
		assert.False(t, ok, "reference %q", ref)
	}
}

func TestIsXLSX(t *testing.T) {
	assert.True(t, isXLSX([]string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"}))
	assert.True(t, isXLSX([]string{`xl\Workbook.xml`, "[content_types].xml"}), "backslashes and case")
	assert.False(t, isXLSX([]string{"[Content_Types].xml", "word/document.xml"}), "a Word document")
	assert.False(t, isXLSX([]string{"xl/workbook.xml"}), "no content types")
	assert.False(t, isXLSX([]string{"[Content_Types].xml", "xl/workbook.bin"}), "an XLSB workbook")
	assert.False(t, isXLSX(nil))
}

// testBook is a workbook made by hand, part by part.
type testBook struct {
	sheets   []testSheet
	numFmts  string   // <numFmt> elements
	xfs      []int    // the cellXfs' number formats; nil: no styles part
	sst      []string // <si> contents
	date1904 bool
	// edit changes the parts before they are zipped.
	edit func(parts map[string][]byte)
}

type testSheet struct {
	name string
	data string // what <sheetData> holds
}

const nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

func (b testBook) parts() map[string][]byte {
	p := map[string][]byte{
		"[Content_Types].xml": []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`),
		"_rels/.rels":         []byte(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
	}
	var book, rels strings.Builder
	book.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + nsMain + `>`)
	if b.date1904 {
		book.WriteString(`<workbookPr date1904="1"/>`)
	}
	book.WriteString(`<sheets>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range b.sheets {
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		p[fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)] = []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet ` + nsMain +
			`><dimension ref="A1"/><sheetData>` + s.data + `</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`)
	}
	book.WriteString(`</sheets></workbook>`)
	if b.xfs != nil {
		var st strings.Builder
		st.WriteString(`<styleSheet ` + nsMain + `><numFmts>` + b.numFmts + `</numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs>`)
		for _, id := range b.xfs {
			fmt.Fprintf(&st, `<xf numFmtId="%d" fontId="0" applyNumberFormat="1"><alignment horizontal="left"/></xf>`, id)
		}
		st.WriteString(`</cellXfs></styleSheet>`)
		p["xl/styles.xml"] = []byte(st.String())
		rels.WriteString(`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>`)
	}
	if b.sst != nil {
		var s strings.Builder
		fmt.Fprintf(&s, `<sst %s count="%d" uniqueCount="%d">`, nsMain, len(b.sst), len(b.sst))
		for _, si := range b.sst {
			s.WriteString("<si>" + si + "</si>")
		}
		s.WriteString(`</sst>`)
		p["xl/sharedStrings.xml"] = []byte(s.String())
		rels.WriteString(`<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
	}
	rels.WriteString(`</Relationships>`)
	p["xl/workbook.xml"] = []byte(book.String())
	p["xl/_rels/workbook.xml.rels"] = []byte(rels.String())
	if b.edit != nil {
		b.edit(p)
	}
	return p
}

// zipParts zips parts in name order, deflated at best compression, or
// stored when store.
func zipParts(t testing.TB, parts map[string][]byte, store bool) []byte {
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate}
		if store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		require.NoError(t, err, n)
		_, err = w.Write(parts[n])
		require.NoError(t, err, n)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func (b testBook) zip(t testing.TB) []byte { return zipParts(t, b.parts(), false) }

func openTestBook(t testing.TB, data []byte, lim xlsxLimits) (*workbook, error) {
	return openWorkbook("book.xlsx", bytes.NewReader(data), int64(len(data)), lim)
}

// sheetRecords reads sheet i of a workbook row by row (no Reader): the
// records as the sheet stores them (ragged) and their row numbers.
func sheetRecords(t testing.TB, w *workbook, i int) ([][]string, []int) {
	tb, err := w.sheet(i)
	require.NoError(t, err, "sheet %d", i)
	var recs [][]string
	var lines []int
	for n := 0; ; n++ {
		require.Less(t, n, 1_000_000, "sheet %d does not end", i)
		rec, line, err := tb.rows.read(nil)
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "sheet %d, after row %v", i, lines)
		recs = append(recs, rec)
		lines = append(lines, line)
	}
	return recs, lines
}

func TestXLSXCells(t *testing.T) {
	b := testBook{
		sheets: []testSheet{{name: "Люди", data: `` +
			`<row r="1" spans="1:8"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="s"><v>1</v></c>` +
			`<c r="C1" t="inlineStr"><is><r><rPr><b/></rPr><t>bo</t></r><r><t xml:space="preserve">rn </t></r></is></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>3.80501234567E+11</v></c><c r="C2" s="1"><v>43831</v></c>` +
			`<c r="D2" t="b"><v>1</v></c><c r="E2"><f>1+1</f><v>2</v></c><c r="F2" t="e"><v>#N/A</v></c>` +
			`<c r="G2" t="d"><v>2020-01-01T10:30:00</v></c><c r="H2" s="3"><v>1234.5</v></c><c r="I2" s="0"><v>43831</v></c></row>` +
			`<row r="5"><c r="C5" s="2"><v>43831.75</v></c><c r="D5" t="b"><v>0</v></c>` +
			`<c r="E5" t="str"><f>A2&amp;"x"</f><v>текст_x000D_ &lt;ok&gt;</v></c></row>` +
			`<row r="6"><c r="A6" s="1"/><c r="B6" s="2"></c><c r="C6" t="s"></c><c r="D6"><f>NA()</f></c></row>` +
			`<row><c t="inlineStr"><is><t>a</t></is></c><c/><c><v>7</v></c></row>` +
			`<row r="9" customHeight="1"><c r="B9" t="d"><v>2019-03-01</v></c><c r="C9" s="99"><v>5</v></c><c r="D9" s="x"><v>6</v></c></row>` +
			`<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="10"><x:c r="A10"><x:v>10</x:v></x:c></x:row>` +
			`<!-- a comment <row r="99"><c><v>1</v></c></row> --><?pi <x>?>` +
			`<row r="11"><c r="A11" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c><c r="B11" attr='a>b'><v>1</v></c></row>`,
		}},
		numFmts: `<numFmt numFmtId="164" formatCode="dd.mm.yyyy"/><numFmt numFmtId="165" formatCode="0.00"/>`,
		xfs:     []int{0, 14, 164, 165},
		sst:     []string{`<r><t>Шевченко </t></r><r><rPr><i/></rPr><t>Тарас</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh>`, `<t>phone</t>`},
	}
	w, err := openTestBook(t, b.zip(t), xlsxLimits{})
	require.NoError(t, err)
	defer w.Close()
	assert.Equal(t, []string{"Люди"}, w.sheets())
	recs, lines := sheetRecords(t, w, 0)
	assert.Equal(t, [][]string{
		{"name", "phone", "born "},
		{"Шевченко Тарас", "380501234567", "2020-01-01", "TRUE", "2", "#N/A", "2020-01-01 10:30:00", "1234.5", "43831"},
		{"", "", "2020-01-01 18:00:00", "FALSE", "текст\r <ok>"},
		{"a", "", "7"},
		{"", "2019-03-01", "5", "6"},
		{"10"},
		{"<b>&amp;</b>", "1"},
	}, recs)
	assert.Equal(t, []int{1, 2, 5, 7, 9, 10, 11}, lines, "row numbers; row 6 holds no value")
}

func TestXLSX1904(t *testing.T) {
	b := testBook{
		date1904: true,
		xfs:      []int{0, 14, 22},
		sheets: []testSheet{{name: "S", data: `<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>42369</v></c>` +
			`<c r="C1" s="2"><v>42369.25</v></c><c r="D1"><v>42369</v></c></row>`}},
	}
	w, err := openTestBook(t, b.zip(t), xlsxLimits{})
	require.NoError(t, err)
	defer w.Close()
	recs, _ := sheetRecords(t, w, 0)
	assert.Equal(t, [][]string{{"1904-01-01", "2020-01-01", "2020-01-01 06:00:00", "42369"}}, recs)
}

func TestXLSXSheets(t *testing.T) {
	b := testBook{sheets: []testSheet{
		{name: "Second", data: `<row r="1"><c r="A1"><v>2</v></c></row>`},
		{name: "First", data: `<row r="1"><c r="A1"><v>1</v></c></row>`},
		{name: "Chart", data: ``},
		{name: "Hidden", data: `<row r="3"><c r="A3"><v>3</v></c></row>`},
		{name: "Empty", data: ``},
	}}
	b.edit = func(p map[string][]byte) {
		// Workbook order, not part order; a chart sheet has no cells; a
		// hidden sheet is read; a sheet's part may be anywhere.
		p["xl/workbook.xml"] = bytes.Replace(p["xl/workbook.xml"], []byte(`name="Hidden"`), []byte(`name="Hidden" state="hidden"`), 1)
		p["xl/_rels/workbook.xml.rels"] = bytes.Replace(p["xl/_rels/workbook.xml.rels"],
			[]byte(`relationships/worksheet" Target="worksheets/sheet3.xml"`), []byte(`relationships/chartsheet" Target="chartsheets/sheet1.xml"`), 1)
		p["xl/_rels/workbook.xml.rels"] = bytes.Replace(p["xl/_rels/workbook.xml.rels"],
			[]byte(`Target="worksheets/sheet4.xml"`), []byte(`Target="../xl/other/./Hidden.XML"`), 1)
		p["xl/other/Hidden.xml"] = p["xl/worksheets/sheet4.xml"]
		delete(p, "xl/worksheets/sheet4.xml")
		p["xl/worksheets/sheet5.xml"] = []byte(`<worksheet ` + nsMain + `/>`)
	}
	w, err := openTestBook(t, b.zip(t), xlsxLimits{})
	require.NoError(t, err)
	defer w.Close()
	require.Equal(t, []string{"Second", "First", "Hidden", "Empty"}, w.sheets())
	for i, want := range [][][]string{{{"2"}}, {{"1"}}, {{"3"}}, nil} {
		recs, _ := sheetRecords(t, w, i)
		assert.Equal(t, want, recs, "sheet %d", i)
	}
	_, err = w.sheet(4)
	assert.Error(t, err, "no fifth sheet")
}

func TestXLSXEncodings(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-16"?><worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Київ</t></is></c></row></sheetData></worksheet>`
	utf16le := []byte{0xff, 0xfe}
	for _, r := range sheet {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	for name, part := range map[string][]byte{
		"utf-8 BOM": append([]byte{0xef, 0xbb, 0xbf}, strings.Replace(sheet, "UTF-16", "UTF-8", 1)...),
		"utf-16le":  utf16le,
	} {
		b := testBook{sheets: []testSheet{{name: "S"}}, edit: func(p map[string][]byte) { p["xl/worksheets/sheet1.xml"] = part }}
		w, err := openTestBook(t, b.zip(t), xlsxLimits{})
		require.NoError(t, err, name)
		recs, _ := sheetRecords(t, w, 0)
		assert.Equal(t, [][]string{{"Київ"}}, recs, name)
		w.Close()
	}
}

// TestXLSXExcelizeSharedStrings reads a workbook written with excelize's
// cell API, which stores strings in the shared string table, and checks
// it against excelize's own reading of the raw values.
func TestXLSXExcelizeSharedStrings(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"ПІБ", "Телефон", "Email", "Сума", "Так"},
		{"Шевченко Тарас Григорович", int64(380501234567), "taras@example.com", 12.75, true},
		{"Коваленко Олена", int64(380671112233), "olena@example.org", -3, false},
		{"Бойко Іван", nil, "ivan@example.net", 1e-7, nil},
		{"Шевченко Тарас Григорович", int64(4111111111111111), "", nil, nil},
	}
	for i, row := range rows {
		for j, v := range row {
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			require.NoError(t, err)
			require.NoError(t, f.SetCellValue("Sheet1", cell, v), cell)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	data := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
	}
	require.Contains(t, names, "xl/sharedStrings.xml", "excelize's cell API writes shared strings")

	w, err := openTestBook(t, data, xlsxLimits{})
	require.NoError(t, err)
	defer w.Close()
	got, _ := sheetRecords(t, w, 0)
	assert.Equal(t, [][]string{
		{"ПІБ", "Телефон", "Email", "Сума", "Так"},
		{"Шевченко Тарас Григорович", "380501234567", "taras@example.com", "12.75", "TRUE"},
		{"Коваленко Олена", "380671112233", "olena@example.org", "-3", "FALSE"},
		{"Бойко Іван", "", "ivan@example.net", "0.0000001"},
		{"Шевченко Тарас Григорович", "4111111111111111"},
	}, got)

	oracle, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	require.Len(t, oracle, len(got))
	for i := range got {
		for j := range got[i] {
			want := oracle[i][j]
			switch want {
			case "1":
				want = "TRUE" // excelize's raw booleans
			case "0":
				want = "FALSE"
			case "1E-07", "1e-07":
				want = "0.0000001"
			}
			assert.Equal(t, want, got[i][j], "row %d column %d against excelize", i+1, j+1)
		}
	}
}

// fixtureSheets are sheets for synth.WriteXLSX: people with phones and
// card numbers stored as numbers, birth dates as serial dates, Cyrillic
// names, ragged and empty rows.
func fixtureSheets() []synth.Sheet {
	people := synth.People(canon.UA, 7, 40)
	var rows [][]string
	for i, p := range people {
		rows = append(rows, []string{
			p.Family + " " + p.Given + " " + p.Patronymic,
			strings.TrimPrefix(p.Phone, "+"),
			p.Email,
			p.BirthDate.Format("2006-01-02"),
			p.Card,
		})
		switch i {
		case 5:
			rows = append(rows, []string{}, []string{"", "", "", "", ""}) // empty rows
		case 9:
			rows = append(rows, []string{"Лише ім'я"}) // a ragged row
		case 13:
			rows = append(rows, []string{"", "", "no.phone@example.com", "2000-02-29 13:45:10"})
		}
	}
	return []synth.Sheet{
		{
			Name:    "Клієнти",
			Header:  []string{"ПІБ", "phone", "email", "birth_date", "card"},
			Rows:    rows,
			Dates:   map[int]bool{3: true},
			Numbers: map[int]bool{1: true, 4: true},
		},
		{Name: "Notes", Rows: [][]string{{"_x0041_ is not A", " spaced ", "=1+1", "line\nbreak"}, {"", "leading", "empty"}}},
		{Name: "Numbers", Header: []string{"n"}, Rows: [][]string{{"0.1"}, {"-42"}, {"12345678901234"}, {"1.5e-5"}}, Numbers: map[int]bool{0: true}},
	}
}

func writeFixture(t testing.TB, sheets []synth.Sheet) []byte {
	var buf bytes.Buffer
	require.NoError(t, synth.WriteXLSX(&buf, sheets))
	return buf.Bytes()
}

// expected is what reading a synth sheet gives back: its header and
// rows, without the empty rows, each ending at its last value; numbers
// in their plain form.
func expected(s synth.Sheet) [][]string {
	var out [][]string
	if s.Header != nil {
		out = append(out, s.Header)
	}
	for _, r := range s.Rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		if n == 0 {
			continue
		}
		rec := append([]string(nil), r[:n]...)
		for j, v := range rec {
			if s.Numbers[j] && v != "" {
				f, _ := strconv.ParseFloat(v, 64)
				if _, err := strconv.ParseInt(v, 10, 64); err != nil {
					rec[j] = strconv.FormatFloat(f, 'f', -1, 64)
				}
			}
		}
		out = append(out, rec)
	}
	return out
}

func TestXLSXRoundTrip(t *testing.T) {
	sheets := fixtureSheets()
	data := writeFixture(t, sheets)
	assert.Equal(t, data, writeFixture(t, sheets), "WriteXLSX is deterministic")
	w, err := openTestBook(t, data, xlsxLimits{})
	require.NoError(t, err)
	defer w.Close()
	require.Equal(t, []string{"Клієнти", "Notes", "Numbers"}, w.sheets())
	for i, s := range sheets {
		got, _ := sheetRecords(t, w, i)
		assert.Equal(t, expected(s), got, "sheet %q", s.Name)
	}
}

func TestXLSXTableReader(t *testing.T) {
	sheets := fixtureSheets()
	w, err := openTestBook(t, writeFixture(t, sheets), xlsxLimits{})
	require.NoError(t, err)
	defer w.Close()

	tb, err := w.sheet(0)
	require.NoError(t, err)
	r := newTableReader("book.xlsx!Клієнти", tb)
	r.Region = canon.UA
	cols, err := r.Columns()
	require.NoError(t, err)
	var names []string
	kinds := make(map[string]canon.Kind)
	for _, c := range cols {
		names = append(names, c.Name)
		kinds[c.Name] = c.Kind
	}
	assert.Equal(t, sheets[0].Header, names, "the header row names the columns")
	assert.Equal(t, canon.Name, kinds["ПІБ"], "names")
	assert.Equal(t, canon.Phone, kinds["phone"], "phones stored as numbers")
	assert.Equal(t, canon.Email, kinds["email"], "emails")
	assert.Equal(t, canon.BirthDate, kinds["birth_date"], "birth dates stored as serial dates")
	assert.Equal(t, canon.CardNumber, kinds["card"], "card numbers stored as numbers")
	info := r.Info()
	assert.True(t, info.HasHeader)
	assert.Equal(t, XLSX, info.Format)
	assert.Equal(t, "utf-8", info.Encoding)

	want := expected(sheets[0])[1:]
	var got [][]string
	for rec, err := range r.All(t.Context()) {
		require.NoError(t, err)
		got = append(got, rec)
	}
	require.Len(t, got, len(want))
	for i := range want {
		padded := append(append([]string(nil), want[i]...), make([]string, 5-len(want[i]))...)
		assert.Equal(t, padded, got[i], "record %d, padded to the columns", i+1)
	}

	// A sheet with no header row: every row is data.
	tb, err = w.sheet(2)
	require.NoError(t, err)
	r = newTableReader("book.xlsx!Numbers", tb)
	r.Header = HeaderAbsent
	cols, err = r.Columns()
	require.NoError(t, err)
	require.Len(t, cols, 1)
	assert.False(t, r.Info().HasHeader)
	n := 0
	for _, err := range r.All(t.Context()) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "the header cell and four numbers")
}

func TestXLSXBadRows(t *testing.T) {
	b := testBook{
		sst: []string{`<t>email</t>`, `<t>a@example.com</t>`},
		sheets: []testSheet{{name: "S", data: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>n</t></is></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>1</v></c></row>` +
			`<row r="3"><c r="A3" t="s"><v>7</v></c><c r="B3"><v>1</v></c></row>` + // no shared string 7
			`<row r="4"><c r="B4"><v>1</v></c><c r="A4"><v>2</v></c></row>` + // out of order
			`<row r="5"><c r="A5" t="s"><v>1</v></c><c r="J5"><v>1</v></c></row>` + // past maxFields
			`<row r="6"><c r="A6" t="inlineStr"><is><t>` + strings.Repeat("x", 300) + `</t></is></c></row>` + // too large
			`<row r="7"><c r="A7" t="s"><v>x</v></c></row>` + // not an index
			`<row r="8"><c r="1A"><v>1</v></c></row>` + // a bad reference
			`<row r="zz"><c><v>1</v></c></row>` + // a bad row number
			`<row r="10"><c r="A10" t="s"><v>1</v></c><c r="B10"><v>10</v></c></row>`}},
	}
	lim := xlsxLimits{maxFields: 8, maxRecordBytes: 256}
	w, err := openTestBook(t, b.zip(t), lim)
	require.NoError(t, err)
	defer w.Close()
	tb, err := w.sheet(0)
	require.NoError(t, err)
	type bad struct {
		line, col int
		err       error
	}
	var goodLines []int
	var bads []bad
	for n := 0; n < 100; n++ {
		rec, line, err := tb.rows.read(nil)
		if err == io.EOF {
			break
		}
		var pe *ParseError
		if err != nil {
			require.ErrorAs(t, err, &pe, "row %d: a bad row is a *ParseError", line)
			assert.Equal(t, line, pe.Line, "the error's line is the row")
			bads = append(bads, bad{pe.Line, pe.Column, pe.Err})
			continue
		}
		assert.NotEmpty(t, rec)
		goodLines = append(goodLines, line)
	}
	assert.Equal(t, []int{1, 2, 10}, goodLines, "reading goes on after each bad row")
	require.Len(t, bads, 7)
	for i, want := range []bad{
		{3, 1, ErrXLSX}, {4, 1, ErrXLSX}, {5, 10, ErrTooManyFields}, {6, 1, ErrRecordTooLarge},
		{7, 1, ErrXLSX}, {8, 1, ErrXLSX}, {9, 0, ErrXLSX},
	} {
		assert.Equal(t, want.line, bads[i].line, "bad row %d", i)
		assert.Equal(t, want.col, bads[i].col, "bad row %d (line %d): column", i, want.line)
		assert.ErrorIs(t, bads[i].err, want.err, "bad row %d (line %d)", i, want.line)
	}
	assert.Contains(t, bads[0].err.Error(), "shared string \"7\", but the workbook has 2")

	// Through a Reader with SkipBad, the bad rows are counted.
	w2, err := openTestBook(t, b.zip(t), lim)
	require.NoError(t, err)
	defer w2.Close()
	tb, err = w2.sheet(0)
	require.NoError(t, err)
	r := newTableReader("book.xlsx!S", tb)
	r.SkipBad = true
	var recs [][]string
	for rec, err := range r.All(t.Context()) {
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	assert.Equal(t, [][]string{{"a@example.com", "1"}, {"a@example.com", "10"}}, recs)
	assert.Equal(t, int64(7), r.Info().Skipped)
}

// assertMemberError checks that err is a *MemberError naming path and
// wrapping sentinel.
func assertMemberError(t *testing.T, err error, path string, sentinel error, what string) {
	t.Helper()
	require.Error(t, err, what)
	assert.ErrorIs(t, err, sentinel, what)
	var me *MemberError
	if assert.ErrorAs(t, err, &me, what) {
		assert.Equal(t, path, me.Path, what)
	}
}

func TestXLSXMalformed(t *testing.T) {
	good := testBook{sheets: []testSheet{{name: "S", data: `<row r="1"><c r="A1"><v>1</v></c></row>`}}}
	without := func(part string) []byte {
		p := good.parts()
		delete(p, part)
		return zipParts(t, p, false)
	}
	with := func(part, content string) []byte {
		p := good.parts()
		p[part] = []byte(content)
		return zipParts(t, p, false)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("name,phone\n"), "not a zip archive"},
		{"empty", nil, "not a zip archive"},
		{"OLE", append(append([]byte{}, oleMagic...), make([]byte, 512)...), "OLE compound file"},
		{"no content types", without("[Content_Types].xml"), "[Content_Types].xml is missing"},
		{"no workbook", without("xl/workbook.xml"), "xl/workbook.xml is missing"},
		{"no relationships", without("xl/_rels/workbook.xml.rels"), "workbook.xml.rels is missing"},
		{"bad workbook XML", with("xl/workbook.xml", `<workbook><sheets><sheet name="S"></sheets></workbook>`), "xl/workbook.xml"},
		{"truncated workbook", with("xl/workbook.xml", `<workbook><sheets>`), "unexpected EOF"},
		{"DTD", with("xl/workbook.xml", `<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY a "aaaa">]><workbook/>`), "document type declaration"},
		{"deep", with("xl/styles.xml", strings.Repeat("<a>", 100)+strings.Repeat("</a>", 100)), "nested over 64 deep"},
		{"bad styles", with("xl/styles.xml", `<styleSheet><cellXfs><xf numFmtId="14"></cellXfs>`), "xl/styles.xml"},
		{"bad shared strings", with("xl/sharedStrings.xml", `<sst><si><t>a</si></sst>`), "xl/sharedStrings.xml"},
		{"encoding", with("xl/workbook.xml", `<?xml version="1.0" encoding="no-such"?><workbook/>`), "no-such"},
	} {
		_, err := openTestBook(t, tc.data, xlsxLimits{})
		assertMemberError(t, err, "book.xlsx", ErrXLSX, tc.name)
		if err != nil {
			assert.Contains(t, err.Error(), tc.want, tc.name)
		}
	}

	// A sheet whose part is missing or broken fails alone, naming it.
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"missing part", without("xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml is missing"},
		{"not XML", with("xl/worksheets/sheet1.xml", "\x00\x01binary"), "xl/worksheets/sheet1.xml"},
	} {
		w, err := openTestBook(t, tc.data, xlsxLimits{})
		require.NoError(t, err, tc.name)
		_, err = w.sheet(0)
		assertMemberError(t, err, "book.xlsx!S", ErrXLSX, tc.name)
		if err != nil {
			assert.Contains(t, err.Error(), tc.want, tc.name)
		}
		w.Close()
	}

	// Bad XML after the first rows ends the sheet with an error that
	// sticks, naming the row it follows.
	for name, data := range map[string]string{
		"bad XML":   `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></row>`,
		"truncated": `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2`,
	} {
		sheet := `<worksheet ` + nsMain + `><sheetData>` + data
		w, err := openTestBook(t, with("xl/worksheets/sheet1.xml", sheet), xlsxLimits{})
		require.NoError(t, err, name)
		tb, err := w.sheet(0)
		require.NoError(t, err, name)
		rec, line, err := tb.rows.read(nil)
		require.NoError(t, err, name)
		assert.Equal(t, []string{"1"}, rec, name)
		assert.Equal(t, 1, line, name)
		_, _, err = tb.rows.read(nil)
		assertMemberError(t, err, "book.xlsx!S", ErrXLSX, name)
		var pe *ParseError
		assert.False(t, errors.As(err, &pe), "%s: not a bad record but the end of the sheet", name)
		assert.Contains(t, err.Error(), "row 2", name)
		_, _, err2 := tb.rows.read(nil)
		assert.Equal(t, err, err2, "%s: the error sticks", name)
		w.Close()
	}
}

func TestXMLGuard(t *testing.T) {
	long := strings.Repeat("y", 40)
	for _, tc := range []struct {
		in   string
		want error
	}{
		{`<a b="1">text</a><a>` + strings.Repeat("<b>short</b>", 20) + `</a>`, nil},
		{`<?a b?><!-- c --><![CDATA[x]]><a b='>'/>`, nil},
		{`<a>` + long + `</a>`, ErrLimit},
		{`<a b="` + long + `"/>`, ErrLimit},
		{`<a b="` + strings.Repeat(">", 40) + `"/>`, ErrLimit},
		{`<!--` + strings.Repeat("<a>", 20) + `-->`, ErrLimit},
		{`<!-->` + strings.Repeat("<a", 20), ErrLimit}, // still a comment
		{`<![CDATA[` + strings.Repeat("<a>", 20) + `]]>`, ErrLimit},
		{`<?pi ` + strings.Repeat("<a>", 20) + `?>`, ErrLimit},
		{`<?>` + strings.Repeat("<a>", 20), ErrLimit}, // "?>" needs its own '?'
		{`<!DOCTYPE a>`, ErrXLSX},
	} {
		g := &xmlGuard{r: strings.NewReader(tc.in), p: &xmlPart{member: "book.xlsx!S", name: "part.xml"}, limit: 16}
		_, err := io.ReadAll(g)
		if tc.want == nil {
			assert.NoError(t, err, "XML %q", tc.in)
			continue
		}
		assert.ErrorIs(t, err, tc.want, "XML %q", tc.in)
	}
}

// bombSheet is a worksheet of n rows of the same cells: it compresses
// more than a thousand times.
func bombSheet(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<worksheet ` + nsMain + `><sheetData>`)
	for i := 0; i < n; i++ {
		b.WriteString(`<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.Bytes()
}

func TestXLSXBomb(t *testing.T) {
	b := testBook{sheets: []testSheet{{name: "S1"}, {name: "S2"}}}

	// A sheet that inflates thousands of times its size is refused at
	// once, naming the sheet.
	b.edit = func(p map[string][]byte) { p["xl/worksheets/sheet2.xml"] = bombSheet(200_000) }
	data := b.zip(t)
	require.Less(t, len(data), 200<<10, "the bomb is small")
	w, err := openTestBook(t, data, xlsxLimits{})
	require.NoError(t, err)
	_, err = w.sheet(0)
	require.NoError(t, err, "the first sheet is fine")
	_, err = w.sheet(1)
	assertMemberError(t, err, "book.xlsx!S2", ErrLimit, "a compression bomb")
	if err != nil {
		assert.Contains(t, err.Error(), "compression bomb")
	}
	w.Close()

	// Past maxBytes, counting every part read: refused before reading
	// when declared so, and while reading otherwise.
	b.edit = func(p map[string][]byte) {
		p["xl/worksheets/sheet1.xml"] = bombSheet(3000)
		p["xl/worksheets/sheet2.xml"] = bombSheet(3000)
	}
	data = b.zip(t)
	lim := xlsxLimits{maxBytes: 400 << 10}
	w, err = openTestBook(t, data, lim)
	require.NoError(t, err)
	recs, _ := sheetRecords(t, w, 0)
	assert.Len(t, recs, 3000)
	_, err = w.sheet(1)
	assertMemberError(t, err, "book.xlsx!S2", ErrLimit, "declared past maxBytes")
	w.Close()

	w, err = openTestBook(t, data, lim)
	require.NoError(t, err)
	t1, err := w.sheet(0)
	require.NoError(t, err)
	t2, err := w.sheet(1)
	require.NoError(t, err, "nothing inflated yet")
	drain := func(tb *table) error {
		for {
			if _, _, err := tb.rows.read(nil); err != nil {
				return err
			}
		}
	}
	assert.Equal(t, io.EOF, drain(t1))
	err = drain(t2)
	assertMemberError(t, err, "book.xlsx!S2", ErrLimit, "inflated past maxBytes")
	w.Close()

	// A part read whole is bounded by maxPartBytes.
	b.edit = nil
	b.sst = []string{strings.Repeat("<t>x</t>", 20_000)}
	_, err = openTestBook(t, b.zip(t), xlsxLimits{maxPartBytes: 64 << 10})
	assertMemberError(t, err, "book.xlsx", ErrLimit, "shared strings past maxPartBytes")
	b.sst = nil

	// One text longer than twice maxRecordBytes is refused before the XML
	// decoder holds it.
	b.edit = func(p map[string][]byte) {
		p["xl/worksheets/sheet1.xml"] = []byte(`<worksheet ` + nsMain + `><sheetData><row><c t="inlineStr"><is><t>` +
			strings.Repeat("x", 1<<19) + `</t></is></c></row></sheetData></worksheet>`)
	}
	w, err = openTestBook(t, b.zip(t), xlsxLimits{maxRecordBytes: 4096})
	require.NoError(t, err)
	tb, err := w.sheet(0)
	require.NoError(t, err)
	_, _, err = tb.rows.read(nil)
	assertMemberError(t, err, "book.xlsx!S1", ErrLimit, "a huge text")
	w.Close()
}

// TestXLSXLyingSize stores a sheet whose zip entry declares fewer bytes
// than it inflates to: the excess is never read.
func TestXLSXLyingSize(t *testing.T) {
	b := testBook{sheets: []testSheet{{name: "S"}}}
	parts := b.parts()
	sheet := bombSheet(20_000)
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(sheet)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	delete(parts, "xl/worksheets/sheet1.xml")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range parts {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(content)
		require.NoError(t, err)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(sheet), CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1000})
	require.NoError(t, err)
	_, err = w.Write(comp.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	wb, err := openTestBook(t, buf.Bytes(), xlsxLimits{})
	require.NoError(t, err)
	defer wb.Close()
	n := 0
	tb, err := wb.sheet(0)
	if err == nil {
		for ; n < 100_000; n++ {
			if _, _, err = tb.rows.read(nil); err != nil {
				break
			}
		}
	}
	assertMemberError(t, err, "book.xlsx!S", ErrXLSX, "an entry longer than declared")
	assert.Less(t, n, 20, "rows read from the 1000 bytes declared")
	assert.LessOrEqual(t, wb.inflated.Load(), int64(20_000), "bytes inflated")
}

func TestXLSXClose(t *testing.T) {
	b := testBook{sheets: []testSheet{{name: "S", data: `<row><c><v>1</v></c></row><row><c><v>2</v></c></row>`}}}
	w, err := openTestBook(t, b.zip(t), xlsxLimits{})
	require.NoError(t, err)
	tb, err := w.sheet(0)
	require.NoError(t, err)
	rec, _, err := tb.rows.read(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"1"}, rec)
	require.NoError(t, w.Close())
	_, _, err = tb.rows.read(nil)
	assert.ErrorContains(t, err, "closed", "a sheet not read to the end fails once the workbook is closed")
	_, err = w.sheet(0)
	assert.ErrorContains(t, err, "closed")
}

// xlsxSeedUpdate rewrites the committed seed corpus of FuzzXLSX.
var xlsxSeedUpdate = flag.Bool("update-xlsx-seeds", false, "rewrite testdata/fuzz/FuzzXLSX from synth.WriteXLSX")

const xlsxSeedDir = "testdata/fuzz/FuzzXLSX"

// xlsxSeeds are the workbooks of the seed corpus: written by
// synth.WriteXLSX, deflated as written and stored again uncompressed (so
// that the fuzzer's changes reach the XML).
func xlsxSeeds(t testing.TB) map[string][]byte {
	small := []synth.Sheet{{
		Name: "Sheet1", Header: []string{"name", "phone", "born"},
		Rows:    [][]string{{"Іван Франко", "380501234567", "1990-05-17"}, {"", "4111111111111111", "2001-01-01 10:30:00"}, {}, {"x"}},
		Numbers: map[int]bool{1: true}, Dates: map[int]bool{2: true},
	}}
	people := fixtureSheets()
	people[0].Rows = people[0].Rows[:16]
	seeds := map[string][]byte{}
	for name, sheets := range map[string][]synth.Sheet{"people": people, "small": small} {
		data := writeFixture(t, sheets)
		seeds["synth-"+name+"-deflated"] = data
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		parts := map[string][]byte{}
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "theme1.xml") {
				continue // no cells, and most of the bytes
			}
			rc, err := f.Open()
			require.NoError(t, err)
			parts[f.Name], err = io.ReadAll(rc)
			require.NoError(t, err)
			rc.Close()
		}
		seeds["synth-"+name+"-stored"] = zipParts(t, parts, true)
	}
	return seeds
}

// TestXLSXFuzzSeeds checks that the committed seeds of FuzzXLSX are there
// and read as workbooks; -update-xlsx-seeds rewrites them.
func TestXLSXFuzzSeeds(t *testing.T) {
	seeds := xlsxSeeds(t)
	if *xlsxSeedUpdate {
		require.NoError(t, os.MkdirAll(xlsxSeedDir, 0o755))
		for name, data := range seeds {
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
			require.NoError(t, os.WriteFile(filepath.Join(xlsxSeedDir, name), []byte(content), 0o644))
		}
	}
	for name := range seeds {
		content, err := os.ReadFile(filepath.Join(xlsxSeedDir, name))
		require.NoError(t, err, "seed %s (regenerate with -update-xlsx-seeds)", name)
		body, ok := strings.CutPrefix(string(content), "go test fuzz v1\n[]byte(")
		require.True(t, ok, "seed %s", name)
		data, err := strconv.Unquote(strings.TrimSuffix(body, ")\n"))
		require.NoError(t, err, "seed %s", name)
		w, err := openTestBook(t, []byte(data), xlsxLimits{})
		require.NoError(t, err, "seed %s", name)
		for i := range w.sheets() {
			recs, _ := sheetRecords(t, w, i)
			assert.NotEmpty(t, recs, "seed %s, sheet %d", name, i)
		}
		w.Close()
	}
}

// FuzzXLSX opens arbitrary bytes as a workbook and reads every sheet: it
// must never panic or loop, every record must be within the limits, and
// every error must wrap ErrXLSX or ErrLimit (a bad row: a *ParseError).
func FuzzXLSX(f *testing.F) {
	for _, b := range []testBook{
		{sheets: []testSheet{{name: "S", data: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1"><v>43831.5</v></c><c r="D1" t="b"><v>1</v></c></row>` +
			`<row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c><c t="str"><f>x</f><v>_x0041_</v></c><c t="d"><v>2020-01-01</v></c></row>`}},
			xfs: []int{0, 164}, numFmts: `<numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>`, sst: []string{`<t>Шевченко</t>`}, date1904: true},
	} {
		f.Add(zipParts(f, b.parts(), true))
		f.Add(b.zip(f))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := xlsxLimits{maxBytes: 4 << 20, maxPartBytes: 1 << 20, maxRecordBytes: 4096, maxFields: 64}
		check := func(err error, what string) {
			if !errors.Is(err, ErrXLSX) && !errors.Is(err, ErrLimit) {
				t.Fatalf("%s: %v does not wrap ErrXLSX or ErrLimit", what, err)
			}
		}
		w, err := openTestBook(t, data, lim)
		if err != nil {
			check(err, "open")
			return
		}
		defer w.Close()
		for i := range w.sheets() {
			tb, err := w.sheet(i)
			if err != nil {
				check(err, "sheet")
				continue
			}
			for calls := 0; ; calls++ {
				if calls > int(lim.maxBytes)/4 {
					t.Fatalf("sheet %d does not end", i)
				}
				rec, _, err := tb.rows.read(nil)
				if err == io.EOF {
					break
				}
				var pe *ParseError
				if errors.As(err, &pe) {
					if !errors.Is(err, ErrXLSX) && !errors.Is(err, ErrRecordTooLarge) && !errors.Is(err, ErrTooManyFields) {
						t.Fatalf("bad row: %v", err)
					}
					continue
				}
				if err != nil {
					check(err, "read")
					break
				}
				if len(rec) == 0 || len(rec) > lim.maxFields {
					t.Fatalf("a record of %d fields", len(rec))
				}
				size := 0
				for _, v := range rec {
					size += len(v) + 1
				}
				if size > lim.maxRecordBytes+len(rec) {
					t.Fatalf("a record of %d bytes", size)
				}
			}
		}
	})
}

// BenchmarkXLSX reads a sheet of 20,000 people; the bytes counted are
// the sheet's XML.
func BenchmarkXLSX(b *testing.B) {
	var rows [][]string
	for _, p := range synth.People(canon.UA, 11, 20_000) {
		rows = append(rows, []string{p.Family + " " + p.Given, strings.TrimPrefix(p.Phone, "+"), p.Email, p.BirthDate.Format(time.DateOnly), p.NationalID})
	}
	data := writeFixture(b, []synth.Sheet{{Name: "People", Header: []string{"name", "phone", "email", "born", "id"}, Rows: rows,
		Numbers: map[int]bool{1: true}, Dates: map[int]bool{3: true}}})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(b, err)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			b.SetBytes(int64(f.UncompressedSize64))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		w, err := openTestBook(b, data, xlsxLimits{})
		require.NoError(b, err)
		tb, err := w.sheet(0)
		require.NoError(b, err)
		n := 0
		for {
			_, _, err := tb.rows.read(nil)
			if err == io.EOF {
				break
			}
			require.NoError(b, err)
			n++
		}
		require.Equal(b, 20_001, n)
		w.Close()
	}
}
