package synth

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet is one worksheet of a workbook written by [WriteXLSX]: a header
// (the first row; none if nil) and rows of cells, like a [Table]. An empty
// cell is left out of the sheet, so a row ends at its last non-empty cell
// and a row of empty cells is an empty row.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]string
	// Dates are the columns (0-based) whose cells, "YYYY-MM-DD" or
	// "YYYY-MM-DD HH:MM:SS", are written as Excel serial dates: with the
	// built-in date format 14 when the time is midnight, else with the
	// custom format "yyyy-mm-dd hh:mm:ss".
	Dates map[int]bool
	// Numbers are the columns whose cells are written as numbers, as a
	// spreadsheet stores them: an integer's leading zeros and sign '+'
	// are lost, and a number past int64 keeps a float64's precision.
	Numbers map[int]bool
}

// xlsxDateTimeFormat is the number format of date cells with a time.
const xlsxDateTimeFormat = "yyyy-mm-dd hh:mm:ss"

// WriteXLSX writes sheets to w as an XLSX workbook, with excelize's
// streaming writer: strings as inline strings, dates and numbers as
// [Sheet] says. The same sheets give the same bytes: the parts are zipped
// in name order.
func WriteXLSX(w io.Writer, sheets []Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("synth: a workbook needs a sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w, parts: map[string]*bytes.Buffer{}} })
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return fmt.Errorf("synth: xlsx: %w", err)
	}
	format := xlsxDateTimeFormat
	dateTimeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return fmt.Errorf("synth: xlsx: %w", err)
	}
	seen := make(map[string]bool)
	for i, s := range sheets {
		key := strings.ToLower(s.Name)
		if seen[key] {
			return fmt.Errorf("synth: xlsx: two sheets named %q", s.Name)
		}
		seen[key] = true
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), s.Name)
		} else {
			_, err = f.NewSheet(s.Name)
		}
		if err != nil {
			return fmt.Errorf("synth: xlsx: sheet %q: %w", s.Name, err)
		}
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return fmt.Errorf("synth: xlsx: sheet %q: %w", s.Name, err)
		}
		row := 1
		if s.Header != nil {
			cells := make([]any, len(s.Header))
			for j, h := range s.Header {
				if h != "" {
					cells[j] = h
				}
			}
			if err := sw.SetRow("A1", cells); err != nil {
				return fmt.Errorf("synth: xlsx: sheet %q: header: %w", s.Name, err)
			}
			row++
		}
		for k, rec := range s.Rows {
			cells := make([]any, len(rec))
			for j, v := range rec {
				if cells[j], err = xlsxCell(v, s.Dates[j], s.Numbers[j], dateStyle, dateTimeStyle); err != nil {
					return fmt.Errorf("synth: xlsx: sheet %q, row %d, column %d: %w", s.Name, k+1, j+1, err)
				}
			}
			cell, err := excelize.CoordinatesToCellName(1, row)
			if err == nil {
				err = sw.SetRow(cell, cells)
			}
			if err != nil {
				return fmt.Errorf("synth: xlsx: sheet %q, row %d: %w", s.Name, k+1, err)
			}
			row++
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("synth: xlsx: sheet %q: %w", s.Name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("synth: xlsx: %w", err)
	}
	return nil
}

// xlsxCell returns what excelize's stream writer takes for one cell.
func xlsxCell(v string, date, number bool, dateStyle, dateTimeStyle int) (any, error) {
	switch {
	case v == "":
		return nil, nil
	case date:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return excelize.Cell{StyleID: dateStyle, Value: t}, nil
		}
		t, err := time.Parse(time.DateTime, v)
		if err != nil {
			return nil, fmt.Errorf("%q is no YYYY-MM-DD date or YYYY-MM-DD HH:MM:SS time", v)
		}
		return excelize.Cell{StyleID: dateTimeStyle, Value: t}, nil
	case number:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n, nil
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is no number", v)
		}
		return n, nil
	}
	return v, nil
}

// sortedZip is an excelize.ZipWriter writing the parts in name order
// (excelize creates the parts of streamed sheets in map order).
type sortedZip struct {
	w     io.Writer
	parts map[string]*bytes.Buffer
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if z.parts[name] != nil {
		return nil, fmt.Errorf("synth: xlsx: part %s written twice", name)
	}
	z.parts[name] = new(bytes.Buffer)
	return z.parts[name], nil
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("synth: xlsx: AddFS is not supported") }

func (z *sortedZip) Close() error {
	names := make([]string, 0, len(z.parts))
	for n := range z.parts {
		names = append(names, n)
	}
	sort.Strings(names)
	zw := zip.NewWriter(z.w)
	for _, n := range names {
		pw, err := zw.Create(n)
		if err != nil {
			return err
		}
		if _, err := pw.Write(z.parts[n].Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}
