package provenance

import (
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The CSV report is the per-source table: the documented header, one row
// per source in the report's order, every interval bound and per-kind
// containment as the JSON report has them, and the report's own figures
// on every row.
func TestCSVReport(t *testing.T) {
	rep := bundledReport(t, "diia-driver-licence")
	rows, err := csv.NewReader(strings.NewReader(string(renderOut(t, rep, "csv")))).ReadAll()
	require.NoError(t, err, "the CSV report parses (every row as wide as the header)")
	require.Len(t, rows, 1+len(rep.Sources), "a header and one row per source")
	header := rows[0]
	assert.Equal(t, csvColumns(), header, "the documented header")
	names := slices.Clone(header)
	slices.Sort(names)
	assert.Len(t, slices.Compact(names), len(header), "column names are unique")
	for _, c := range header {
		assert.Regexp(t, `^[a-z][a-z0-9_]*$`, c, "column %q is an identifier (df.%s)", c, c)
	}
	col := map[string]int{}
	for i, c := range header {
		col[c] = i
	}
	num := func(row []string, c string) float64 {
		t.Helper()
		x, err := strconv.ParseFloat(row[col[c]], 64)
		require.NoError(t, err, "column %s: %q is a number", c, row[col[c]])
		return x
	}
	for i, s := range rep.Sources {
		row := rows[1+i]
		assert.Equal(t, s.Name, row[col["source"]], "row %d is source %s, in the report's order", i+1, s.Name)
		for p, iv := range map[string]Interval{"records": s.Records, "joint": s.Joint, "exclusive": s.Exclusive,
			"explained": rep.Explained, "residual": rep.Residual} {
			assert.Equal(t, iv.Estimate, num(row, p+"_estimate"), "%s: %s_estimate", s.Name, p)
			assert.Equal(t, iv.Low, num(row, p+"_low"), "%s: %s_low", s.Name, p)
			assert.Equal(t, iv.High, num(row, p+"_high"), "%s: %s_high", s.Name, p)
		}
		for _, k := range canon.StrongKinds {
			n := csvKindName(k)
			f, ok := s.Fields[k]
			if !ok {
				for _, suffix := range []string{"_held", "_estimate", "_low", "_high", "_chance"} {
					assert.Empty(t, row[col[n+suffix]], "%s: %s%s is empty: the sample has no %s", s.Name, n, suffix, k)
				}
				continue
			}
			assert.Equal(t, strconv.FormatBool(f.Held), row[col[n+"_held"]], "%s: %s_held", s.Name, n)
			assert.Equal(t, f.Estimate, num(row, n+"_estimate"), "%s: %s_estimate", s.Name, n)
			assert.Equal(t, f.Low, num(row, n+"_low"), "%s: %s_low", s.Name, n)
			assert.Equal(t, f.High, num(row, n+"_high"), "%s: %s_high", s.Name, n)
			assert.Equal(t, f.Chance, num(row, n+"_chance"), "%s: %s_chance", s.Name, n)
		}
		assert.Equal(t, strconv.FormatBool(s.Significant), row[col["significant"]], "%s: significant", s.Name)
		assert.Equal(t, kindJoin(s.DataClasses), row[col["data_classes"]], "%s: data classes", s.Name)
		assert.Equal(t, s.SignatureSHA256, row[col["signature_sha256"]], "%s: signature SHA-256", s.Name)
		assert.Equal(t, string(rep.Verdict), row[col["verdict"]], "%s: the verdict on every row", s.Name)
		assert.Equal(t, rep.Sample.Files[0].SHA256, row[col["sample_sha256"]], "%s: the sample's SHA-256", s.Name)
		assert.Equal(t, "2025-03-01T12:30:00Z", row[col["created"]], "%s: when the report was made", s.Name)
		assert.Equal(t, rep.Tool, row[col["tool"]], "%s: the tool", s.Name)
		assert.Equal(t, strconv.FormatBool(rep.Fabrication.Suspected), row[col["fabrication_suspected"]], "%s: fabrication", s.Name)
		assert.Len(t, strings.Split(row[col["fabrication"]], ";"), len(rep.Fabrication.Checks), "%s: every fabrication check", s.Name)
	}
	// The driver_licence column is there although no source holds it: the
	// header does not depend on the report.
	assert.Contains(t, header, "driver_licence_estimate", "a column per strong kind")
	assert.Contains(t, header, "name_birth_date_estimate", "name+birth_date as an identifier")
}
