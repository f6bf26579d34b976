package sampleset

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// numbered returns a one-column headerless input of the numbers 0..n-1.
func numbered(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte('\n')
	}
	return b.String()
}

func sampleOf(t *testing.T, in string, n int, seed uint64) []int {
	t.Helper()
	r := NewReader(strings.NewReader(in))
	r.Header = HeaderAbsent
	set, err := Sample(context.Background(), r, n, seed)
	require.NoError(t, err)
	recs := collect(t, set)
	out := make([]int, len(recs))
	for i, rec := range recs {
		v, err := strconv.Atoi(rec[0])
		require.NoError(t, err)
		out[i] = v
	}
	return out
}

// chiSquare returns the chi-square statistic of observed counts against
// an equal expectation in every cell.
func chiSquare(obs []int, expected float64) float64 {
	var x float64
	for _, o := range obs {
		d := float64(o) - expected
		x += d * d / expected
	}
	return x
}

// TestSampleUniformPositions: over many seeds, every position of a
// 100-record stream is drawn equally often (chi-square, 99 degrees of
// freedom, 0.1% critical value 148.23).
func TestSampleUniformPositions(t *testing.T) {
	const N, n, runs = 100, 10, 2000
	in := numbered(N)
	counts := make([]int, N)
	for seed := uint64(1); seed <= runs; seed++ {
		got := sampleOf(t, in, n, seed)
		require.Len(t, got, n, "seed %d", seed)
		for i, v := range got {
			if i > 0 {
				require.Less(t, got[i-1], v, "seed %d: in input order, no repeats", seed)
			}
			counts[v]++
		}
	}
	x := chiSquare(counts, float64(runs*n)/N)
	assert.Less(t, x, 148.23, "chi-square of position counts %v", counts)
	t.Logf("chi-square %.1f (df 99)", x)
}

// TestSampleUniformLongStream checks the skips of Algorithm L on a longer
// stream: positions of 1000 records in 20 buckets (19 degrees of freedom,
// 0.1% critical value 43.82).
func TestSampleUniformLongStream(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million records")
	}
	const N, n, runs, buckets = 1000, 10, 1000, 20
	in := numbered(N)
	counts := make([]int, buckets)
	for seed := uint64(1000); seed < 1000+runs; seed++ {
		for _, v := range sampleOf(t, in, n, seed) {
			counts[v*buckets/N]++
		}
	}
	x := chiSquare(counts, float64(runs*n)/buckets)
	assert.Less(t, x, 43.82, "chi-square of bucket counts %v", counts)
	t.Logf("chi-square %.1f (df 19)", x)
}

func TestSampleDeterministic(t *testing.T) {
	in := numbered(500)
	a := sampleOf(t, in, 20, 42)
	b := sampleOf(t, in, 20, 42)
	c := sampleOf(t, in, 20, 43)
	assert.Equal(t, a, b, "the same seed gives the same sample")
	assert.NotEqual(t, a, c, "another seed gives another sample")
}

func TestSampleSmallInput(t *testing.T) {
	assert.Equal(t, []int{0, 1, 2}, sampleOf(t, numbered(3), 10, 1), "fewer records than n")
	assert.Equal(t, []int{0, 1, 2}, sampleOf(t, numbered(3), 3, 1), "exactly n records")
	assert.Empty(t, sampleOf(t, numbered(3), 0, 1), "n = 0")
	assert.Empty(t, sampleOf(t, "", 5, 1), "empty input")

	r := NewReader(strings.NewReader(numbered(3)))
	_, err := Sample(context.Background(), r, -1, 1)
	assert.ErrorIs(t, err, ErrConfig)
}

func TestSampleReuseRecord(t *testing.T) {
	r := NewReader(strings.NewReader("a,b\n" + strings.Repeat("1,2\n3,4\n", 50)))
	r.ReuseRecord = true
	r.SniffRecords = 3
	set, err := Sample(context.Background(), r, 100, 7)
	require.NoError(t, err)
	recs := collect(t, set)
	require.Len(t, recs, 100)
	for i, rec := range recs {
		want := []string{"1", "2"}
		if i%2 == 1 {
			want = []string{"3", "4"}
		}
		assert.Equal(t, want, rec, "record %d kept intact", i)
	}
}

func TestSampleContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewReader(strings.NewReader(numbered(10)))
	_, err := Sample(ctx, r, 3, 1)
	assert.ErrorIs(t, err, context.Canceled)

	r = NewReader(strings.NewReader(numbered(10)))
	_, err = ReadProfile(ctx, r)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestSampleParseError(t *testing.T) {
	r := NewReader(strings.NewReader("a,b\n1,2\n3\n4,5\n"))
	r.Header = HeaderPresent
	_, err := Sample(context.Background(), r, 2, 1)
	assert.ErrorIs(t, err, ErrFieldCount)

	r = NewReader(strings.NewReader("a,b\n1,2\n3\n4,5\n"))
	r.Header = HeaderPresent
	r.SkipBad = true
	set, err := Sample(context.Background(), r, 5, 1)
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"1", "2"}, {"4", "5"}}, collect(t, set))
	assert.Equal(t, int64(1), r.Info().Skipped)
	assert.Equal(t, int64(1), set.Info().Skipped, "the set's Info is its input's")
}

// collect returns every record of recs.
func collect(t *testing.T, recs Records) [][]string {
	t.Helper()
	var out [][]string
	for rec, err := range recs.All(context.Background()) {
		require.NoError(t, err)
		out = append(out, rec)
	}
	return out
}

// TestSetIteratesLikeItsReader: a set holding the whole input gives what
// the reader gives, with its columns and info; an iteration can stop early
// and stops at a cancelled context.
func TestSetIteratesLikeItsReader(t *testing.T) {
	in := "phone,email\n+380501234567,a@b.ua\n+380671234567,c@d.ua\n+380931234567,e@f.ua\n"
	whole := collect(t, NewReader(strings.NewReader(in)))
	r := NewReader(strings.NewReader(in))
	set, err := Sample(context.Background(), r, 10, 3)
	require.NoError(t, err)
	assert.Equal(t, whole, collect(t, set), "records of a set holding every record")
	assert.Equal(t, 3, set.Len())
	assert.Equal(t, uint64(3), set.Seed())
	assert.Equal(t, int64(3), set.Info().Records, "records read from the input")
	cols, err := set.Columns()
	require.NoError(t, err)
	assert.Equal(t, []string{"phone", "email"}, columnNames(cols))

	n := 0
	for range set.All(context.Background()) {
		n++
		break
	}
	assert.Equal(t, 1, n, "break stops the iteration")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for what, recs := range map[string]Records{"set": set, "reader": NewReader(strings.NewReader(in))} {
		var errs []error
		for rec, err := range recs.All(ctx) {
			assert.Nil(t, rec, "%s: record with the error", what)
			errs = append(errs, err)
		}
		require.Len(t, errs, 1, "%s: one yield after cancel", what)
		assert.ErrorIs(t, errs[0], context.Canceled, "%s: a cancelled context ends the iteration", what)
	}
}

func TestReadProfile(t *testing.T) {
	in := "name;phone;note\n" +
		"Иванов Иван;+380501234567;x\n" +
		"Петров Петр;+380501234567;\n" +
		"  ;0501234567;y\n" +
		"bad;\n" +
		"Сидоров;;x\n"
	r := NewReader(strings.NewReader(in))
	r.Name = "people.csv"
	r.Header = HeaderPresent
	r.SkipBad = true
	r.Region = canon.UA
	p, err := ReadProfile(context.Background(), r)
	require.NoError(t, err)

	assert.Equal(t, "people.csv", p.Path)
	assert.Equal(t, Delimited, p.Format)
	assert.Equal(t, ";", p.Delimiter)
	assert.Equal(t, "utf-8", p.Encoding)
	assert.Equal(t, "", p.Compression)
	assert.True(t, p.HasHeader)
	assert.Equal(t, int64(4), p.Records)
	assert.Equal(t, int64(1), p.Skipped)
	assert.Equal(t, r.Info().Region, p.Region)
	require.Len(t, p.Columns, 3)

	// The expected shares come from the canonicalisers themselves, so the
	// test checks the plumbing whatever their state.
	cols, err := r.Columns()
	require.NoError(t, err)
	values := [][]string{
		{"Иванов Иван", "Петров Петр", "  ", "Сидоров"},
		{"+380501234567", "+380501234567", "0501234567", ""},
		{"x", "", "y", "x"},
	}
	wantEmpty := []int64{1, 1, 1}
	for i, c := range cols {
		cp := p.Columns[i]
		assert.Equal(t, c.Name, cp.Name)
		assert.Equal(t, c.Kind, cp.Kind, "column %s", c.Name)
		assert.Equal(t, wantEmpty[i], cp.Empty, "empty values in %s", c.Name)
		var valid, nonEmpty int
		distinct := map[string]bool{}
		for _, v := range values[i] {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			nonEmpty++
			form, st := canon.Append(nil, c.Kind, v, canon.Options{Region: p.Region, DateOrder: c.DateOrder})
			if st == canon.Valid {
				valid++
			}
			if st.Hashable() {
				distinct["c:"+string(form)] = true
			} else {
				distinct["r:"+v] = true
			}
		}
		assert.InDelta(t, float64(valid)/float64(nonEmpty), cp.Valid, 1e-9, "valid share of %s", c.Name)
		assert.InDelta(t, len(distinct), cp.Distinct, 0.5, "distinct values of %s", c.Name)
	}

	b, err := json.Marshal(p)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"path", "format", "delimiter", "encoding", "compression", "has_header", "records", "skipped", "region", "columns"} {
		assert.Contains(t, m, k, "JSON key %s in %s", k, b)
	}
	col := m["columns"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "kind", "valid", "distinct", "empty"} {
		assert.Contains(t, col, k, "column JSON key %s in %s", k, b)
	}
	assert.Equal(t, fmt.Sprint(cols[0].Kind), col["kind"], "kind as its contract name")
}
