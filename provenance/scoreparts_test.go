package provenance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tallyParts reads every file of paths apart, as a distributed score
// does, and returns the tallies (each carried as its encoding) and the
// options, the region fixed as the whole sample's.
func tallyParts(t *testing.T, cat *Catalog, o Options, paths ...string) ([]*Tally, Options) {
	t.Helper()
	return tallyPartsWith(t, ReadPart, cat, o, paths...)
}

// tallyPartsWith is tallyParts with read (ReadPart or ReadPartRows).
func tallyPartsWith(t *testing.T, read func(context.Context, *Catalog, sampleset.Records, int, Options) (*Tally, error),
	cat *Catalog, o Options, paths ...string) ([]*Tally, Options) {
	t.Helper()
	ctx := context.Background()
	whole, err := (&sampleset.Opener{}).Join(ctx, paths...)
	require.NoError(t, err)
	defer whole.Close()
	cols, err := whole.Columns()
	require.NoError(t, err)
	o.Region = SampleRegion(cat, whole.Info(), o)
	var tallies []*Tally
	for i, p := range paths {
		j, err := (&sampleset.Opener{}).Join(ctx, p)
		require.NoError(t, err)
		w, err := j.Within(cols)
		require.NoError(t, err)
		o.Workers = 1 + i%2
		tl, err := read(ctx, cat, w, i, o)
		require.NoError(t, err, p)
		j.Close()
		b, err := tl.MarshalBinary()
		require.NoError(t, err)
		back := new(Tally)
		require.NoError(t, back.UnmarshalBinary(b), p)
		tallies = append(tallies, back)
	}
	o.Workers = 0
	return tallies, o
}

func reportJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return b
}

func TestScoreTalliesIsScore(t *testing.T) {
	cat, err := LoadCatalog(filepath.Join("..", "testdata", "catalog"))
	require.NoError(t, err)
	schema, err := LoadSchema("diia-driver-licence")
	require.NoError(t, err)
	root := filepath.Join("..", "testdata")
	paths := []string{filepath.Join(root, "leak.csv"), filepath.Join(root, "ua", "sample.csv"),
		filepath.Join(root, "kz", "sample.csv"), filepath.Join(root, "leak.csv")} // the leak twice: duplicates across parts
	ctx := context.Background()
	for _, sch := range []*Schema{nil, schema} {
		o := Options{Created: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Schema: sch, SamplePath: "the sample"}
		j, err := (&sampleset.Opener{}).Join(ctx, paths...)
		require.NoError(t, err)
		want, err := Score(ctx, cat, j, o)
		require.NoError(t, err)
		j.Close()
		require.Positive(t, want.Sample.Duplicates, "the sample repeats records across files")

		tallies, po := tallyParts(t, cat, o, paths...)
		// Scored in another order than read.
		tallies[0], tallies[2] = tallies[2], tallies[0]
		got, err := ScoreTallies(ctx, cat, tallies, po)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(reportJSON(t, want), reportJSON(t, got)), "schema %v: the report Score makes of the whole sample", sch != nil)
	}
}

func TestScoreTalliesRefusesWhatIsNotOneSample(t *testing.T) {
	cat, err := LoadCatalog(filepath.Join("..", "testdata", "catalog"))
	require.NoError(t, err)
	root := filepath.Join("..", "testdata")
	ctx := context.Background()
	tallies, o := tallyParts(t, cat, Options{}, filepath.Join(root, "leak.csv"), filepath.Join(root, "ua", "sample.csv"))

	_, err = ScoreTallies(ctx, cat, nil, o)
	assert.ErrorIs(t, err, ErrTally, "no tallies")
	_, err = ScoreTallies(ctx, cat, tallies[1:], o)
	assert.ErrorIs(t, err, ErrTally, "part 0 missing")
	_, err = ScoreTallies(ctx, cat, []*Tally{tallies[0], tallies[0]}, o)
	assert.ErrorIs(t, err, ErrTally, "part 0 twice")
	other, _ := tallyParts(t, cat, Options{}, filepath.Join(root, "kz", "sample.csv"))
	other[0].part = 1
	_, err = ScoreTallies(ctx, cat, []*Tally{tallies[0], other[0]}, o)
	assert.ErrorIs(t, err, ErrTally, "a part of another sample's columns")

	j, err := (&sampleset.Opener{}).Join(ctx, filepath.Join(root, "leak.csv"))
	require.NoError(t, err)
	defer j.Close()
	_, err = ReadPart(ctx, cat, j, 0, Options{})
	assert.ErrorIs(t, err, ErrTally, "no region")
	_, err = ReadPart(ctx, cat, j, 0, Options{Region: "UA", Rows: &bytes.Buffer{}})
	assert.ErrorIs(t, err, ErrTally, "rows")

	b, err := tallies[0].MarshalBinary()
	require.NoError(t, err)
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"head cut":  b[:10],
		"not json":  append([]byte{3}, "{x}"...),
		"version":   bytes.Replace(b, []byte(`"v":1`), []byte(`"v":9`), 1),
		"no column": bytes.Replace(b, []byte(`"columns":[`), []byte(`"columns":[],"x":[`), 1),
	} {
		var tl Tally
		assert.ErrorIs(t, tl.UnmarshalBinary(bad), ErrTally, name)
	}
	cut := new(Tally)
	require.NoError(t, cut.UnmarshalBinary(b[:len(b)-5]), "the state is checked when scored")
	_, err = ScoreTallies(ctx, cat, []*Tally{cut, tallies[1]}, o)
	assert.ErrorIs(t, err, ErrTally, "a truncated state")
}

// TestScoreTalliesRowsIsScore reads every file apart with rows, as a
// distributed score with --rows does, and checks that the parts' rows,
// carried as their encodings and written one file a part, are Score's
// rows of the whole sample, with and without the records' values.
func TestScoreTalliesRowsIsScore(t *testing.T) {
	cat, err := LoadCatalog(filepath.Join("..", "testdata", "catalog"))
	require.NoError(t, err)
	root := filepath.Join("..", "testdata")
	paths := []string{filepath.Join(root, "leak.csv"), filepath.Join(root, "archives", "parts.zip"),
		filepath.Join(root, "ua", "sample.csv"), filepath.Join(root, "leak.csv")}
	ctx := context.Background()
	for _, values := range []bool{false, true} {
		o := Options{Created: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), SamplePath: "the sample", ShowValues: values}
		whole, err := (&sampleset.Opener{}).Join(ctx, paths...)
		require.NoError(t, err)
		var wantRows bytes.Buffer
		o.Rows = &wantRows
		want, err := Score(ctx, cat, whole, o)
		require.NoError(t, err)
		cols, err := whole.Columns()
		require.NoError(t, err)
		whole.Close()
		o.Rows = nil
		tallies, po := tallyPartsWith(t, ReadPartRows, cat, o, paths...)
		o.Region = po.Region
		tallies[0], tallies[3] = tallies[3], tallies[0]
		got, parts, err := ScoreTalliesRows(ctx, cat, tallies, o)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(reportJSON(t, want), reportJSON(t, got)), "values %v: the report Score makes", values)
		require.Len(t, parts, len(paths))

		var gotRows bytes.Buffer
		for i, pr := range parts {
			b, err := pr.MarshalBinary()
			require.NoError(t, err)
			back := new(PartRows)
			require.NoError(t, back.UnmarshalBinary(b), "part %d", i)
			assert.Equal(t, i, back.Part(), "part %d", i)
			var recs sampleset.Records
			if values {
				j, err := (&sampleset.Opener{}).Join(ctx, paths[i])
				require.NoError(t, err)
				defer j.Close()
				if recs, err = j.Within(cols); err != nil {
					require.NoError(t, err)
				}
			}
			var shard bytes.Buffer
			require.NoError(t, back.WriteCSV(ctx, &shard, recs), "part %d", i)
			assert.Equal(t, back.Len(), bytes.Count(shard.Bytes(), []byte("\n"))-1, "part %d: a line a record", i)
			if i > 0 {
				_, rest, _ := bytes.Cut(shard.Bytes(), []byte("\n"))
				shard = *bytes.NewBuffer(rest)
			}
			gotRows.Write(shard.Bytes())
		}
		require.Greater(t, bytes.Count(wantRows.Bytes(), []byte("\n")), 5000, "values %v: rows", values)
		assert.Equal(t, wantRows.String(), gotRows.String(), "values %v: Score's rows, part after part", values)
	}
}

func TestScoreTalliesRowsRefusesTalliesWithoutRows(t *testing.T) {
	cat, err := LoadCatalog(filepath.Join("..", "testdata", "catalog"))
	require.NoError(t, err)
	tallies, o := tallyParts(t, cat, Options{}, filepath.Join("..", "testdata", "leak.csv"))
	_, _, err = ScoreTalliesRows(context.Background(), cat, tallies, o)
	assert.ErrorIs(t, err, ErrTally, "a tally ReadPart read")
}

// encodedRows scores the file at path, under testdata, as the one part of
// a sample with rows, and returns its rows' encoding.
func encodedRows(t testing.TB, path string) []byte {
	t.Helper()
	cat, err := LoadCatalog(filepath.Join("..", "testdata", "catalog"))
	require.NoError(t, err)
	ctx := context.Background()
	j, err := (&sampleset.Opener{}).Join(ctx, filepath.Join("..", "testdata", path))
	require.NoError(t, err)
	defer j.Close()
	o := Options{Region: "UA"}
	tl, err := ReadPartRows(ctx, cat, j, 0, o)
	require.NoError(t, err, path)
	_, parts, err := ScoreTalliesRows(ctx, cat, []*Tally{tl}, o)
	require.NoError(t, err, path)
	b, err := parts[0].MarshalBinary()
	require.NoError(t, err, path)
	return b
}

func TestPartRowsRefusesBadEncodings(t *testing.T) {
	b := encodedRows(t, "leak.csv")
	good := new(PartRows)
	require.NoError(t, good.UnmarshalBinary(b))
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{9}, b[1:]...),
		"cut":       b[:len(b)-1],
		"trailing":  append(bytes.Clone(b), 0),
		"no member": bytes.Replace(b, []byte(`"members":["`), []byte(`"members":[],"x":["`), 1),
	} {
		p := &PartRows{part: 42}
		assert.ErrorIs(t, p.UnmarshalBinary(bad), ErrTally, name)
		assert.Equal(t, 42, p.Part(), "%s: the receiver is untouched", name)
	}
}

// Decoding rows never panics; rows it accepts encode to rows that decode
// to the same lines.
func FuzzPartRows(f *testing.F) {
	ctx := context.Background()
	b := encodedRows(f, filepath.Join("archives", "parts.zip"))
	f.Add(b)
	f.Add(b[:200])
	f.Fuzz(func(t *testing.T, data []byte) {
		var p PartRows
		if err := p.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrTally) {
				t.Fatalf("an error that does not wrap ErrTally: %v", err)
			}
			return
		}
		var want bytes.Buffer
		if err := p.WriteCSV(ctx, &want, nil); err != nil {
			t.Fatalf("accepted rows do not write: %v", err)
		}
		again, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("accepted rows do not encode: %v", err)
		}
		var back PartRows
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoded rows do not decode: %v", err)
		}
		var got bytes.Buffer
		if err := back.WriteCSV(ctx, &got, nil); err != nil || got.String() != want.String() {
			t.Fatalf("re-encoded rows write other lines (%v)", err)
		}
	})
}
