package sampleset

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// fixedRows is a rowReader over fixed records.
type fixedRows [][]string

func (r *fixedRows) read(dst []string) ([]string, int, error) {
	if len(*r) == 0 {
		return nil, 0, io.EOF
	}
	rec := (*r)[0]
	*r = (*r)[1:]
	return rec, 0, nil
}

func TestTableReader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		rows   [][]string
		ragged bool
		want   [][]string
	}{
		{"named", []string{"email", "phone"},
			[][]string{{"a@example.com", "+380501234567"}, {"b@example.com", "+380501234568"}}, false,
			[][]string{{"a@example.com", "+380501234567"}, {"b@example.com", "+380501234568"}}},
		{"header row, ragged", nil,
			[][]string{{"email", "phone"}, {"a@example.com"}, {"b@example.com", "+380501234568", "", ""}}, true,
			[][]string{{"a@example.com", ""}, {"b@example.com", "+380501234568"}}},
	} {
		rows := fixedRows(tc.rows)
		r := newTableReader("t!"+tc.name, &table{format: "sql", encoding: "utf-8", header: tc.header, rows: &rows, ragged: tc.ragged})
		cols, err := r.Columns()
		require.NoError(t, err, tc.name)
		require.Len(t, cols, 2, tc.name)
		assert.Equal(t, canon.Email, cols[0].Kind, tc.name)
		var got [][]string
		for rec, err := range r.All(t.Context()) {
			require.NoError(t, err, tc.name)
			got = append(got, rec)
		}
		assert.Equal(t, tc.want, got, tc.name)
		assert.True(t, r.Info().HasHeader, tc.name)
		assert.Equal(t, Format("sql"), r.Info().Format, tc.name)
	}
}

func TestTableReaderHeaderOnly(t *testing.T) {
	rows := fixedRows(nil)
	r := newTableReader("t", &table{format: "sql", header: []string{"email", "phone"}, rows: &rows})
	cols, err := r.Columns()
	require.NoError(t, err)
	assert.Len(t, cols, 2, "a table with no rows still has its named columns")
	_, err = r.Read()
	assert.Equal(t, io.EOF, err)
}
