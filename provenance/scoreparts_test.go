package provenance

import (
	"bytes"
	"context"
	"encoding/json"
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
		tl, err := ReadPart(ctx, cat, w, i, o)
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
