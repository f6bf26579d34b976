package synth

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestWriteXLSX(t *testing.T) {
	sheets := []Sheet{
		{
			Name:    "Клієнти",
			Header:  []string{"name", "phone", "born", "note"},
			Rows:    [][]string{{"Іван Франко", "380501234567", "1990-05-17", ""}, {}, {"", "4111111111111111", "2001-01-01 10:30:00", " x "}},
			Numbers: map[int]bool{1: true},
			Dates:   map[int]bool{2: true},
		},
		{Name: "Second", Rows: [][]string{{"a", "b"}}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteXLSX(&buf, sheets))
	var again bytes.Buffer
	require.NoError(t, WriteXLSX(&again, sheets))
	assert.Equal(t, buf.Bytes(), again.Bytes(), "the same sheets give the same bytes")

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"Клієнти", "Second"}, f.GetSheetList())
	rows, err := f.GetRows("Клієнти", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"name", "phone", "born", "note"},
		{"Іван Франко", "380501234567", "33010"},
		nil,
		{"", "4111111111111111", "36892.4375", " x "},
	}, rows, "raw values as excelize reads them")
	// Numbers have no type attribute, which excelize reports as unset.
	for cell, want := range map[string]excelize.CellType{"B2": excelize.CellTypeUnset, "C2": excelize.CellTypeUnset, "A2": excelize.CellTypeInlineString} {
		typ, err := f.GetCellType("Клієнти", cell)
		require.NoError(t, err, cell)
		assert.Equal(t, want, typ, cell)
	}
	for cell, want := range map[string]string{"C2": "05-17-90", "C4": "2001-01-01 10:30:00"} {
		v, err := f.GetCellValue("Клієнти", cell)
		require.NoError(t, err, cell)
		assert.Equal(t, want, v, "%s is shown as a date", cell)
	}
}

func TestWriteXLSXErrors(t *testing.T) {
	for name, sheets := range map[string][]Sheet{
		"no sheets":   nil,
		"same name":   {{Name: "A"}, {Name: "a"}},
		"bad name":    {{Name: "a/b"}},
		"long name":   {{Name: "0123456789012345678901234567890123"}},
		"bad date":    {{Name: "S", Rows: [][]string{{"17.05.1990"}}, Dates: map[int]bool{0: true}}},
		"bad number":  {{Name: "S", Rows: [][]string{{"+38 050"}}, Numbers: map[int]bool{0: true}}},
		"bad number2": {{Name: "S", Rows: [][]string{{"1", "x"}}, Numbers: map[int]bool{1: true}}},
	} {
		var buf bytes.Buffer
		assert.Error(t, WriteXLSX(&buf, sheets), name)
	}
}
