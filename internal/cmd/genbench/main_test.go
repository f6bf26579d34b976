package main

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

type truthLine struct {
	count int
	share float64
}

func readTruth(t *testing.T, path string) []truthLine {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []truthLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		require.Len(t, f, 3, sc.Text())
		require.Equal(t, "src-"+strconv.Itoa(len(out)+1), f[0])
		n, err := strconv.Atoi(f[1])
		require.NoError(t, err)
		s, err := strconv.ParseFloat(f[2], 64)
		require.NoError(t, err)
		out = append(out, truthLine{n, s})
	}
	require.NoError(t, sc.Err())
	return out
}

var (
	phoneRe = regexp.MustCompile(`^\+380(50|66|95|99|67|68|96|97|98|63|73|93)[0-9]{7}$`)
	emailRe = regexp.MustCompile(`^[a-z]+\.[a-z]+[0-9]+@[a-z.]+$`)
	nameRe  = regexp.MustCompile(`^\p{Cyrillic}[\p{Cyrillic}'’-]* \p{Cyrillic}[\p{Cyrillic}'’-]*$`)
)

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	c := Config{Dir: dir, Rows: 1000, Sample: 200, Sources: 3, Shares: []float64{0.4, 0.2}, Overlap: 0.1, Seed: 7}
	require.NoError(t, Generate(c))

	unique := map[string]map[string]bool{"phone": {}, "email": {}, "national_id": {}}
	check := func(rows [][]string, n int, file string) {
		require.Len(t, rows, n+1, file)
		assert.Equal(t, strings.Split(Header, ","), rows[0])
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			require.Len(t, r, 5)
			assert.Regexp(t, nameRe, r[0])
			assert.Regexp(t, phoneRe, r[1])
			assert.Regexp(t, emailRe, r[2])
			birth, err := time.Parse(time.DateOnly, r[3])
			require.NoError(t, err, r[3])
			assert.True(t, canon.ValidRNOKPP(r[4]), r[4])
			// The RNOKPP encodes the birth date.
			days, _ := strconv.Atoi(r[4][:5])
			assert.Equal(t, birth, rnokppEpoch.AddDate(0, 0, days), r[4])
			assert.False(t, seen[r[1]], "phone %s repeats in %s", r[1], file)
			seen[r[1]] = true
		}
	}

	sources := make([]map[string]bool, c.Sources)
	people := map[string]string{} // phone → whole row, across files
	for k := range sources {
		rows := readCSV(t, filepath.Join(dir, "sources", SourceFile(k)))
		check(rows, c.Rows, SourceFile(k))
		sources[k] = map[string]bool{}
		for _, r := range rows[1:] {
			sources[k][r[1]] = true
			line := strings.Join(r, ",")
			if prev, ok := people[r[1]]; ok {
				assert.Equal(t, prev, line, "one person, one spelling")
			}
			people[r[1]] = line
		}
	}
	// Consecutive sources share exactly the overlap.
	for k := 1; k < c.Sources; k++ {
		shared := 0
		for p := range sources[k] {
			if sources[k-1][p] {
				shared++
			}
		}
		assert.Equal(t, 100, shared, "src-%d ∩ src-%d", k, k+1)
	}
	sample := readCSV(t, filepath.Join(dir, "sample.csv"))
	check(sample, c.Sample, "sample.csv")

	// Within each kind, distinct people have distinct values.
	for _, line := range people {
		r := strings.Split(line, ",")
		for i, kind := range []string{"", "phone", "email", "", "national_id"} {
			if kind != "" {
				assert.False(t, unique[kind][r[i]], "%s %s repeats", kind, r[i])
				unique[kind][r[i]] = true
			}
		}
	}

	truth := readTruth(t, filepath.Join(dir, "truth.txt"))
	require.Len(t, truth, c.Sources)
	inAny := 0
	for _, r := range sample[1:] {
		hit := false
		for k := range sources {
			hit = hit || sources[k][r[1]]
		}
		if hit {
			inAny++
			if prev, ok := people[r[1]]; ok {
				assert.Equal(t, prev, strings.Join(r, ","), "the sample spells a person as the sources do")
			}
		}
	}
	for k, tl := range truth {
		n := 0
		for _, r := range sample[1:] {
			if sources[k][r[1]] {
				n++
			}
		}
		assert.Equal(t, n, tl.count, "src-%d", k+1)
		assert.InDelta(t, float64(n)/float64(c.Sample), tl.share, 1e-6, "src-%d", k+1)
	}
	// The shares as asked: 40% of src-1, 20% from src-2, 40% new people.
	assert.Equal(t, 80, truth[0].count)
	assert.Equal(t, 120, inAny)
	assert.GreaterOrEqual(t, truth[1].count, 40)
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		require.NoError(t, Generate(Config{Dir: d, Rows: 300, Sample: 50, Sources: 2, Shares: []float64{0.5}, Seed: 3}))
	}
	for _, p := range []string{"sources/src-1.csv", "sources/src-2.csv", "sample.csv", "truth.txt"} {
		x, err := os.ReadFile(filepath.Join(a, p))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, p))
		require.NoError(t, err)
		assert.Equal(t, string(x), string(y), p)
	}
}

func TestPermBijective(t *testing.T) {
	for _, n := range []uint64{1, 2, 3, 17, 1000, 4097} {
		p := newPerm(n, n*31)
		seen := make([]bool, n)
		for x := range n {
			y := p.apply(x)
			require.Less(t, y, n)
			require.False(t, seen[y], "n=%d: %d repeats", n, y)
			seen[y] = true
		}
	}
}

func TestPlanErrors(t *testing.T) {
	for _, c := range []Config{
		{Rows: 0, Sample: 1, Sources: 1},
		{Rows: 10, Sample: 10, Sources: 1, Shares: []float64{0.5, 0.5}},
		{Rows: 10, Sample: 100, Sources: 1, Shares: []float64{0.5}},
		{Rows: 10, Sample: 10, Sources: 2, Shares: []float64{0.7, 0.7}},
		{Rows: 10, Sample: 10, Sources: 2, Overlap: 0.5},
	} {
		_, err := plan(c)
		assert.Error(t, err, "%+v", c)
	}
}
