package sampleset

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// formatRecords is the first 300 records of testdata/leak.csv and its
// header: Cyrillic names, phones in several spellings, ISO birth dates,
// e-mails (some empty) and driver licences.
func formatRecords(t *testing.T) ([]string, [][]string, []canon.Kind) {
	t.Helper()
	cols, recs := leakRecords(t)
	header := make([]string, len(cols))
	kinds := make([]canon.Kind, len(cols))
	for i, c := range cols {
		header[i], kinds[i] = c.Name, c.Kind
	}
	return header, recs[:300], kinds
}

// formatFiles writes the records in every table format leaks come in. It
// returns the records of the one format that holds others, dates.xlsx.
func formatFiles(t *testing.T, header []string, recs [][]string) (map[string][]byte, [][]string) {
	t.Helper()
	out := map[string][]byte{}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	require.NoError(t, cw.Write(header))
	require.NoError(t, cw.WriteAll(recs))
	out["users.csv"] = bytes.Clone(b.Bytes())

	b.Reset()
	require.NoError(t, synth.WriteMySQLDump(&b, "users", header, recs, 100))
	out["mysql.sql"] = bytes.Clone(b.Bytes())
	b.Reset()
	require.NoError(t, synth.WritePgDump(&b, "users", header, recs, false))
	out["pg-copy.sql"] = bytes.Clone(b.Bytes())
	b.Reset()
	require.NoError(t, synth.WritePgDump(&b, "users", header, recs, true))
	out["pg-inserts.sql"] = bytes.Clone(b.Bytes())

	b.Reset()
	require.NoError(t, synth.WriteXLSX(&b, []synth.Sheet{{Name: "users", Header: header, Rows: recs}}))
	out["book.xlsx"] = bytes.Clone(b.Bytes())
	// Birth dates as Excel stores dates, serial numbers, where they are
	// dates (the rest left empty).
	dated := make([][]string, len(recs))
	for i, r := range recs {
		dated[i] = slices.Clone(r)
		f, st := canon.Append(nil, canon.BirthDate, r[2], canon.Options{DateOrder: canon.DayFirst})
		dated[i][2] = ""
		if st == canon.Valid {
			dated[i][2] = string(f)
		}
	}
	b.Reset()
	require.NoError(t, synth.WriteXLSX(&b, []synth.Sheet{{Name: "users", Header: header, Rows: dated, Dates: map[int]bool{2: true}}}))
	out["dates.xlsx"] = bytes.Clone(b.Bytes())

	objs := make([]map[string]any, len(recs))
	for i, r := range recs {
		objs[i] = map[string]any{}
		for k, v := range r {
			objs[i][header[k]] = v
		}
	}
	js, err := json.MarshalIndent(objs, "", "  ")
	require.NoError(t, err)
	out["users.json"] = js

	// mongoexport's JSON lines: an ObjectId, and the birth date as a date.
	b.Reset()
	for i, o := range objs {
		m := map[string]any{"_id": map[string]string{"$oid": fmt.Sprintf("65f1c0ffee%014x", i)}}
		for k, v := range o {
			m[k] = v
		}
		m[header[2]] = map[string]string{"$date": recs[i][2] + "T00:00:00Z"}
		line, err := json.Marshal(m)
		require.NoError(t, err)
		b.Write(append(line, '\n'))
	}
	out["mongo.json"] = bytes.Clone(b.Bytes())
	return out, dated
}

// canonical returns each record's canonical values of the kinds, so that
// spellings a format changes (a mongoexport date's time of day) compare
// equal when they mean the same.
func canonical(t *testing.T, kinds []canon.Kind, names []string, cols []canon.Column, recs [][]string) [][]string {
	t.Helper()
	idx := make([]int, len(kinds))
	for i := range kinds {
		idx[i] = -1
		for k, c := range cols {
			if c.Name == names[i] {
				idx[i] = k
			}
		}
		require.GreaterOrEqual(t, idx[i], 0, "column %s read back", names[i])
		assert.Equal(t, kinds[i], cols[idx[i]].Kind, "the kind of column %s", names[i])
	}
	out := make([][]string, len(recs))
	for r, rec := range recs {
		for i, k := range kinds {
			f, st := canon.Append(nil, k, rec[idx[i]], canon.Options{Region: canon.Region("UA"), DateOrder: cols[idx[i]].DateOrder})
			out[r] = append(out[r], fmt.Sprintf("%s/%s", st, f))
		}
	}
	return out
}

// containers packs a file the ways archives hold them.
func containers(t *testing.T, name string, b []byte) map[string][]byte {
	t.Helper()
	zipOf := func(name string, b []byte, method uint16) []byte {
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		return zb.Bytes()
	}
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "dump/" + name, Mode: 0o600, Size: int64(len(b)), Typeflag: tar.TypeReg}))
	_, err := tw.Write(b)
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	var tgz bytes.Buffer
	gw := gzip.NewWriter(&tgz)
	_, err = gw.Write(tb.Bytes())
	require.NoError(t, err)
	require.NoError(t, gw.Close())
	enc, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	out := map[string][]byte{
		"plain":      b,
		"zip":        zipOf(name, b, zip.Deflate),
		"tar.gz":     tgz.Bytes(),
		"tar.zst":    enc.EncodeAll(tb.Bytes(), nil),
		"nested zip": zipOf("inner.zip", zipOf(name, b, zip.Deflate), zip.Deflate),
	}
	// 7z has no writer in Go: Debian's 7zip package makes one where it is
	// installed (.ci/run installs it).
	if sz, err := exec.LookPath("7zz"); err == nil {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
		cmd := exec.Command(sz, "a", "-bd", "-bso0", "a.7z", name)
		cmd.Dir = dir
		out7, err := cmd.CombinedOutput()
		require.NoError(t, err, "7zz: %s", out7)
		out["7z"], err = os.ReadFile(filepath.Join(dir, "a.7z"))
		require.NoError(t, err)
	} else {
		t.Logf("7zz not found (Debian package 7zip): not testing formats inside 7z")
	}
	return out
}

// The same records written in every format, inside every container, read
// back the same, with the same column kinds.
func TestFormatsRoundTrip(t *testing.T) {
	header, recs, kinds := formatRecords(t)
	files, dated := formatFiles(t, header, recs)
	want := canonical(t, kinds, header, leakColumns(t), recs)
	wantDated := canonical(t, kinds, header, leakColumns(t), dated)
	for name, file := range files {
		for box, b := range containers(t, name, file) {
			what := name + " in " + box
			ms, err := tryMembers(&Opener{Stdin: bytes.NewReader(b)}, "-")
			require.NoError(t, err, what)
			require.Len(t, ms, 1, what)
			got := canonical(t, kinds, header, ms[0].cols, ms[0].recs)
			if name == "dates.xlsx" {
				assert.Equal(t, wantDated, got, what)
				continue
			}
			assert.Equal(t, want, got, what)
			if name != "mongo.json" {
				assert.Equal(t, recs, inOrder(t, header, ms[0].cols, ms[0].recs), "%s: the very values", what)
			}
		}
	}
}

// inOrder lays records out on the columns named header.
func inOrder(t *testing.T, header []string, cols []canon.Column, recs [][]string) [][]string {
	t.Helper()
	idx := make([]int, len(header))
	for i, h := range header {
		idx[i] = slices.IndexFunc(cols, func(c canon.Column) bool { return c.Name == h })
		require.GreaterOrEqual(t, idx[i], 0, "column %s read back", h)
	}
	out := make([][]string, len(recs))
	for r, rec := range recs {
		for _, k := range idx {
			out[r] = append(out[r], rec[k])
		}
	}
	return out
}

// leakColumns returns testdata/leak.csv's columns.
func leakColumns(t *testing.T) []canon.Column {
	cols, _ := leakRecords(t)
	return cols
}
