package sampleset

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// wholeAndRanges reads the file at path whole, and again as the ranges of
// about size bytes Ranges cuts it into, and returns both records (each
// prefixed by the line it starts on) and skip counts.
func wholeAndRanges(t *testing.T, path string, size int64, skipBad bool) (whole, parts []string, skipped, partSkipped int64, ranges []Range) {
	t.Helper()
	ctx := context.Background()
	configure := func(r *Reader) { r.SkipBad = skipBad }
	op := Opener{Configure: configure}
	for m, err := range op.Members(ctx, path) {
		require.NoError(t, err, path)
		for rec, err := range m.Reader.All(ctx) {
			require.NoError(t, err, path)
			whole = append(whole, fmt.Sprintf("%d:%q", m.Reader.line, rec))
		}
		skipped = m.Reader.Info().Skipped
	}
	op = Opener{Configure: configure}
	for m, err := range op.Members(ctx, path) {
		require.NoError(t, err, path)
		ranges, err = m.Ranges(ctx, size)
		require.NoError(t, err, path)
		assert.Equal(t, skipped, m.Reader.Info().Skipped, "%s: skipped while cutting", path)
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	for i, rg := range ranges {
		// Each range travels as its encoding, as it would to a worker.
		b, err := rg.MarshalBinary()
		require.NoError(t, err)
		var got Range
		require.NoError(t, got.UnmarshalBinary(b), "range %d", i)
		r := got.NewReader(f)
		r.ReuseRecord = i%2 == 0
		for rec, err := range r.All(ctx) {
			require.NoError(t, err, "%s", got)
			parts = append(parts, fmt.Sprintf("%d:%q", r.line, rec))
		}
		partSkipped += r.Info().Skipped
		if i > 0 {
			assert.Equal(t, ranges[i-1].End(), rg.Offset(), "range %d starts where %d ends", i, i-1)
		}
	}
	return whole, parts, skipped, partSkipped, ranges
}

func TestRangesReadAsTheWholeFile(t *testing.T) {
	var rows strings.Builder
	rows.WriteString("\ufeffname,phone,note\r\n")
	for i := range 400 {
		switch i % 7 {
		case 0:
			fmt.Fprintf(&rows, "\"Ivan %d\",+38050%07d,\"two\r\nlines, and \"\"quotes\"\"\"\r\n", i, i)
		case 1:
			fmt.Fprintf(&rows, "ООО \"Ромашка\" %d,+38050%07d,bare \"quote\r\n", i, i)
		case 2:
			rows.WriteString("\r\n") // an empty line is no record
			fmt.Fprintf(&rows, "Petro %d,+38050%07d,\r\n", i, i)
		case 3:
			fmt.Fprintf(&rows, "Olha %d,+38050%07d,\"\n\n\n\"\r\n", i, i)
		default:
			fmt.Fprintf(&rows, "Name %d,+38050%07d,plain\r\n", i, i)
		}
	}
	dir := t.TempDir()
	utf8Path := filepath.Join(dir, "utf8.csv")
	require.NoError(t, os.WriteFile(utf8Path, []byte(rows.String()), 0o600))
	cp, err := charmap.Windows1251.NewEncoder().String(strings.TrimPrefix(rows.String(), "\ufeff"))
	require.NoError(t, err)
	cpPath := filepath.Join(dir, "cp1251.csv")
	require.NoError(t, os.WriteFile(cpPath, []byte(cp), 0o600))
	noHeader := filepath.Join(dir, "noheader.csv")
	require.NoError(t, os.WriteFile(noHeader, []byte("\ufeff"+rows.String()[strings.Index(rows.String(), "\n")+1:]), 0o600))

	for _, path := range []string{utf8Path, cpPath, noHeader} {
		for _, size := range []int64{1, 97, 1000, 1 << 30} {
			t.Run(fmt.Sprintf("%s/%d", filepath.Base(path), size), func(t *testing.T) {
				whole, parts, _, _, ranges := wholeAndRanges(t, path, size, false)
				require.NotEmpty(t, whole)
				assert.Equal(t, whole, parts, "%s in ranges of %d bytes", path, size)
				if size == 1 {
					assert.Len(t, ranges, len(whole), "%s: one range per record", path)
				}
				if size == 1<<30 {
					assert.Len(t, ranges, 1, "%s: one range", path)
				}
			})
		}
	}
}

func TestRangesCountBadRecordsOnce(t *testing.T) {
	var rows strings.Builder
	rows.WriteString("email,phone\n")
	for i := range 300 {
		switch i % 10 {
		case 3:
			fmt.Fprintf(&rows, "a%d@example.org,1,extra\n", i) // too many fields
		case 6:
			fmt.Fprintf(&rows, "\"unclosed%d@example.org,1\n", i) // a quote never closed
		default:
			fmt.Fprintf(&rows, "a%d@example.org,+38050%07d\n", i, i)
		}
	}
	path := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(path, []byte(rows.String()), 0o600))
	for _, size := range []int64{1, 64, 500, 1 << 20} {
		whole, parts, skipped, partSkipped, _ := wholeAndRanges(t, path, size, true)
		assert.Equal(t, whole, parts, "ranges of %d bytes", size)
		assert.Equal(t, skipped, partSkipped, "ranges of %d bytes skip what the whole file skips", size)
		assert.Positive(t, skipped, "the file has bad records")
	}
}

func TestRangesOfWhatCannotBeCut(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("email\na@example.org\nb@example.org\n"))
	require.NoError(t, zw.Close())
	files := map[string][]byte{
		"a.csv.gz":   gz.Bytes(),
		"a.jsonl":    []byte(`{"email":"a@example.org"}` + "\n" + `{"email":"b@example.org"}` + "\n"),
		"utf16.csv":  append([]byte{0xFF, 0xFE}, []byte("e\x00\n\x00a\x00\n\x00")...),
		"dump.sql":   []byte("INSERT INTO `u` (`email`) VALUES ('a@example.org'),('b@example.org');\n"),
		"plain.csv":  []byte("email\na@example.org\n"),
		"header.csv": []byte("email,phone\n"),
	}
	for name, b := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
	}
	ctx := context.Background()
	for name := range files {
		op := Opener{}
		for m, err := range op.Members(ctx, filepath.Join(dir, name)) {
			require.NoError(t, err, name)
			ranges, err := m.Ranges(ctx, 1)
			require.NoError(t, err, name)
			switch name {
			case "plain.csv":
				assert.Len(t, ranges, 1, name)
			case "header.csv":
				assert.NotNil(t, ranges, "%s: a file of no records can be cut", name)
				assert.Empty(t, ranges, "%s has no records", name)
			default:
				assert.Nil(t, ranges, "%s cannot be cut", name)
			}
		}
	}
}

func TestRangeOfAChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	require.NoError(t, os.WriteFile(path, []byte("email\na@example.org\nb@example.org\n"), 0o600))
	ctx := context.Background()
	var ranges []Range
	for m, err := range (&Opener{}).Members(ctx, path) {
		require.NoError(t, err)
		ranges, err = m.Ranges(ctx, 1)
		require.NoError(t, err)
	}
	require.Len(t, ranges, 2)
	require.NoError(t, os.WriteFile(path, []byte("email\nc@example.org\nd@example.org\ne@example.org\n"), 0o600))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	_, err = ranges[1].NewReader(f).Read()
	assert.ErrorIs(t, err, ErrChanged, "a file grown since it was cut")

	require.NoError(t, os.WriteFile(path, []byte("email\nc@example.org\nd@example.org\n"), 0o600))
	require.NoError(t, os.Chtimes(path, time.Now(), time.Now().Add(time.Hour)))
	_, err = ranges[1].NewReader(f).Read()
	assert.ErrorIs(t, err, ErrChanged, "a file of the same size, rewritten")
}

func TestRangeUnmarshalRefusesBadEncodings(t *testing.T) {
	good := Range{path: "a.csv", offset: 6, end: 20, line: 2, size: 20, encoding: "utf-8", comma: ',', quotes: true,
		maxBytes: DefaultMaxRecordBytes, maxFields: DefaultMaxFields}
	good.columns = []canon.Column{{Name: "email", Kind: canon.Email}}
	good.dateOrders = []canon.DateOrder{canon.DayFirst}
	b, err := good.MarshalBinary()
	require.NoError(t, err)
	var back Range
	require.NoError(t, back.UnmarshalBinary(b))
	assert.Equal(t, good, back, "a range survives its encoding")

	for name, edit := range map[string]func(s string) string{
		"version":    func(s string) string { return strings.Replace(s, `"v":1`, `"v":2`, 1) },
		"no path":    func(s string) string { return strings.Replace(s, `"path":"a.csv"`, `"path":""`, 1) },
		"backwards":  func(s string) string { return strings.Replace(s, `"end":20`, `"end":2`, 1) },
		"past end":   func(s string) string { return strings.Replace(s, `"size":20`, `"size":19`, 1) },
		"line 0":     func(s string) string { return strings.Replace(s, `"line":2`, `"line":0`, 1) },
		"quote":      func(s string) string { return strings.Replace(s, `"comma":44`, `"comma":34`, 1) },
		"encoding":   func(s string) string { return strings.Replace(s, `"utf-8"`, `"klingon"`, 1) },
		"kind":       func(s string) string { return strings.Replace(s, `"email"}`, `"spaceship"}`, 1) },
		"date order": func(s string) string { return strings.Replace(s, `"date_orders":[0]`, `"date_orders":[7]`, 1) },
		"no columns": func(s string) string {
			return strings.Replace(strings.Replace(s, `[{"name":"email","kind":"email"}]`, `[]`, 1), `[0]`, `[]`, 1)
		},
		"not json": func(s string) string { return s[:10] },
	} {
		bad := edit(string(b))
		require.NotEqual(t, string(b), bad, "%s: the edit applies", name)
		got := back
		err := got.UnmarshalBinary([]byte(bad))
		assert.ErrorIs(t, err, ErrRangeEncoding, name)
		assert.Equal(t, back, got, "%s: the receiver is untouched", name)
	}
}

func TestWithinLinesPartsUpAsTheWholeSample(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	require.NoError(t, os.WriteFile(a, []byte("email,phone\na@example.org,+380501234567\nb@example.org,+380501234568\n"), 0o600))
	require.NoError(t, os.WriteFile(b, []byte("name,email\nIvan Petrenko,c@example.org\n"), 0o600))
	ctx := context.Background()
	whole, err := (&Opener{}).Join(ctx, a, b)
	require.NoError(t, err)
	cols, err := whole.Columns()
	require.NoError(t, err)
	var want, got [][]string
	for rec, err := range whole.All(ctx) {
		require.NoError(t, err)
		want = append(want, slices.Clone(rec))
	}
	for _, p := range []string{a, b} {
		j, err := (&Opener{}).Join(ctx, p)
		require.NoError(t, err)
		w, err := j.Within(cols)
		require.NoError(t, err)
		wc, _ := w.Columns()
		assert.Equal(t, cols, wc, "%s: the sample's columns", p)
		for rec, err := range w.All(ctx) {
			require.NoError(t, err)
			got = append(got, slices.Clone(rec))
		}
		assert.Equal(t, j.Members(), w.Members(), "%s: members", p)
	}
	assert.Equal(t, want, got, "the parts' records are the whole sample's")
	assert.Len(t, cols, 3, "email, phone and name")

	j, err := (&Opener{}).Join(ctx, b)
	require.NoError(t, err)
	_, err = j.Within(cols[:2])
	assert.ErrorIs(t, err, ErrConfig, "a part with a column the sample lacks")
}
