package fingerprint

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthRecords makes n hashed records with strong identifiers, some
// invalid values and birth dates, from a fixed seed.
func synthRecords(n int, seed uint64) [][]Hashed {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][]Hashed, n)
	for i := range out {
		rec := []Hashed{
			hashed(canon.Phone, canon.Valid, r.Uint64(), ""),
			hashed(canon.NationalID, canon.Valid, r.Uint64(), ""),
			hashed(canon.BirthDate, canon.Valid, r.Uint64(), fmt.Sprintf("19%02d-%02d-%02d", r.IntN(100), 1+r.IntN(12), 1+r.IntN(28))),
		}
		switch r.IntN(10) {
		case 0:
			rec = append(rec, hashed(canon.Email, canon.Invalid, 0, ""))
		case 1:
			rec = append(rec, hashed(canon.NationalID, canon.CheckFailed, r.Uint64(), ""))
		default:
			rec = append(rec, hashed(canon.Email, canon.Valid, mix64(r.Uint64()%5000), "")) // repeats
		}
		out[i] = rec
	}
	return out
}

// mix64 is SplitMix64's finaliser: it turns a small number into a
// well-spread 64-bit hash, as the Hasher's are.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// hashed returns one hashed value; form "" means none.
func hashed(k canon.Kind, st canon.Status, h uint64, form string) Hashed {
	v := Hashed{Value: canon.Value{Kind: k, Status: st}, Hash: h}
	if form != "" {
		v.Form = []byte(form)
	}
	return v
}

func build(t testing.TB, recs [][]Hashed, o BuildOptions) *Signature {
	t.Helper()
	h, err := NewHasher(nil)
	require.NoError(t, err)
	b, err := NewBuilder(h, o)
	require.NoError(t, err)
	for _, r := range recs {
		require.NoError(t, b.Add(r))
	}
	s, err := b.Finish()
	require.NoError(t, err)
	return s
}

// assertSameSketches compares everything but the inputs list.
func assertSameSketches(t *testing.T, want, got *Signature, what string) {
	t.Helper()
	assert.Equalf(t, want.Meta.Records, got.Meta.Records, "%s: records", what)
	require.Lenf(t, got.Fields, len(want.Fields), "%s: kinds", what)
	for i, wf := range want.Fields {
		gf := got.Fields[i]
		assert.Equalf(t, wf.Kind, gf.Kind, "%s: kind %d", what, i)
		assert.Equalf(t, [3]uint64{wf.Values, wf.Valid, wf.CheckFailed}, [3]uint64{gf.Values, gf.Valid, gf.CheckFailed}, "%s: %s counts", what, wf.Kind)
		assert.Equalf(t, wf.Filter.Bits(), gf.Filter.Bits(), "%s: %s filter size", what, wf.Kind)
		assert.Truef(t, slices.Equal(wf.Filter.words64(), gf.Filter.words64()), "%s: %s filter bits", what, wf.Kind)
		assert.Equalf(t, wf.MinHash, gf.MinHash, "%s: %s MinHash", what, wf.Kind)
		wb, _ := wf.Distinct.sk.MarshalBinary()
		gb, _ := gf.Distinct.sk.MarshalBinary()
		assert.Equalf(t, wb, gb, "%s: %s HyperLogLog", what, wf.Kind)
		assert.Equalf(t, [2]string{wf.MinDate, wf.MaxDate}, [2]string{gf.MinDate, gf.MaxDate}, "%s: %s dates", what, wf.Kind)
	}
	assert.Truef(t, slices.Equal(want.Pairs.words64(), got.Pairs.words64()), "%s: pair filter", what)
}

func TestBuilderIgnoresRecordOrder(t *testing.T) {
	recs := synthRecords(3000, 1)
	fwd := build(t, recs, BuildOptions{})
	rev := slices.Clone(recs)
	slices.Reverse(rev)
	assertSameSketches(t, fwd, build(t, rev, BuildOptions{}), "reversed records")
	shuffled := slices.Clone(recs)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	assertSameSketches(t, fwd, build(t, shuffled, BuildOptions{}), "shuffled records")
}

func TestBuilderCounts(t *testing.T) {
	recs := synthRecords(1000, 2)
	s := build(t, recs, BuildOptions{})
	var wantID, wantBad int
	for _, r := range recs {
		for _, h := range r {
			if h.Kind == canon.NationalID {
				wantID++
				if h.Status == canon.CheckFailed {
					wantBad++
				}
			}
		}
	}
	id := s.Field(canon.NationalID)
	require.NotNil(t, id, "national_id sketch")
	assert.EqualValues(t, wantID, id.Values, "national_id values")
	assert.EqualValues(t, wantBad, id.CheckFailed, "national_id check failures")
	assert.EqualValues(t, wantID-wantBad, id.Valid, "national_id valid")
	assert.InDelta(t, float64(wantID), float64(id.DistinctCount()), 0.03*float64(wantID), "national_id distinct")
	for _, r := range recs {
		for _, h := range r {
			if h.Status.Hashable() {
				require.Truef(t, s.Field(h.Kind).Filter.Has(h.Hash), "%s hash %x in its filter", h.Kind, h.Hash)
			}
		}
		require.True(t, s.Pairs.Has(PairHash(r[0].Hash, r[1].Hash)), "phone+national_id pair")
	}
	assert.Less(t, s.Field(canon.Phone).Filter.FalsePositiveRate(), 2*DefaultFPR, "phone filter fpr from fill")
}

func TestBuilderSpoolsToDisk(t *testing.T) {
	recs := synthRecords(40000, 3) // 3.5 MB of hashes: runs of the least spool, 1 MiB
	mem := build(t, recs, BuildOptions{})
	disk := build(t, recs, BuildOptions{SpoolMemory: 512, SpoolDir: t.TempDir()})
	assertSameSketches(t, mem, disk, "spooled to disk")
}

// TestForksJoinLikeOneBuilder: records shared out among forks, joined,
// give the same bytes as one Builder, whatever the replay's worker count
// and however often the spools went to disk.
func TestForksJoinLikeOneBuilder(t *testing.T) {
	recs := synthRecords(20000, 11)
	h, err := NewHasher(nil)
	require.NoError(t, err)
	meta := Metadata{Name: "forks", Created: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	encode := func(o BuildOptions, forks int) []byte {
		t.Helper()
		o.Meta = meta
		b, err := NewBuilder(h, o)
		require.NoError(t, err)
		all := []*Builder{b}
		for range forks {
			all = append(all, b.Fork())
		}
		for i, r := range recs {
			require.NoError(t, all[i%len(all)].Add(r))
		}
		for _, f := range all[1:] {
			require.NoError(t, b.Join(f))
		}
		s, err := b.Finish()
		require.NoError(t, err)
		out, err := s.MarshalBinary()
		require.NoError(t, err)
		return out
	}
	want := encode(BuildOptions{Workers: 1}, 0)
	for _, tc := range []struct {
		what  string
		o     BuildOptions
		forks int
	}{
		{"three forks", BuildOptions{Workers: 1}, 3},
		{"replay by four workers", BuildOptions{Workers: 4}, 0},
		{"forks, four workers, spooled to disk in runs", BuildOptions{Workers: 4, SpoolMemory: 1, SpoolDir: t.TempDir()}, 2},
	} {
		assert.Truef(t, bytes.Equal(want, encode(tc.o, tc.forks)), "%s: same bytes as one builder", tc.what)
	}
	for _, tc := range []struct {
		what  string
		o     BuildOptions
		forks int
	}{
		{"capacity, one builder", BuildOptions{Capacity: 30000, Workers: 1}, 0},
		{"capacity, forks and workers", BuildOptions{Capacity: 30000, Workers: 3}, 2},
	} {
		got := encode(tc.o, tc.forks)
		if tc.forks == 0 {
			want = got
			continue
		}
		assert.Truef(t, bytes.Equal(want, got), "%s: same bytes as one builder", tc.what)
	}

	b, err := NewBuilder(h, BuildOptions{})
	require.NoError(t, err)
	other, err := NewBuilder(h, BuildOptions{})
	require.NoError(t, err)
	assert.Error(t, b.Join(other), "Join of a Builder that is not a fork")
	f := b.Fork()
	_, err = f.Finish()
	assert.Error(t, err, "Finish of a fork")
}

func TestShardsMergeIntoWholeBuild(t *testing.T) {
	recs := synthRecords(3000, 4)
	o := BuildOptions{Capacity: 5000}
	whole := build(t, recs, o)
	a := build(t, recs[:1000], o)
	b := build(t, recs[1000:1700], o)
	c := build(t, recs[1700:], o)
	ab, err := Merge(a, b)
	require.NoError(t, err)
	abc, err := Merge(ab, c)
	require.NoError(t, err)
	assertSameSketches(t, whole, abc, "three shards merged")
}

func TestMergeFoldsOnlyWhileFiltersStayUseful(t *testing.T) {
	recs := synthRecords(2000, 5)
	// Sized apart for 100 and 1,900 values: folding the big filter into the
	// small one is exact, but the result is too full to answer.
	small := build(t, recs[:100], BuildOptions{Meta: Metadata{Name: "small"}})
	big := build(t, recs[100:], BuildOptions{Meta: Metadata{Name: "big"}})
	_, err := Merge(small, big)
	require.ErrorIs(t, err, ErrIncompatible, "merging a shard sized for 1,900 values into one sized for 100")
	assert.Contains(t, err.Error(), "--capacity", "the error says how to build mergeable shards")

	// Even halves sized apart each fill their filter to the target rate, so
	// their union is over it: only a common capacity merges.
	_, err = Merge(build(t, recs[:900], BuildOptions{}), build(t, recs[900:], BuildOptions{}))
	assert.ErrorIs(t, err, ErrIncompatible, "merging halves sized apart")

	// Shards of one capacity merge whatever their fill, and keep every value.
	roomy := build(t, recs[:100], BuildOptions{Capacity: 2000})
	snug := build(t, recs[100:1000], BuildOptions{Capacity: 2000})
	m, err := Merge(roomy, snug)
	require.NoError(t, err, "merging within capacity")
	assert.Equal(t, snug.Field(canon.Phone).Filter.Bits(), m.Field(canon.Phone).Filter.Bits(), "the size of both")
	for _, r := range recs[:1000] {
		require.Truef(t, m.Field(canon.Phone).Filter.Has(r[0].Hash), "phone %x after a merge", r[0].Hash)
	}

	// Capacities whose filters do not divide into one another do not merge.
	_, err = Merge(roomy, build(t, recs[100:1000], BuildOptions{Capacity: 3001}))
	require.ErrorIs(t, err, ErrIncompatible, "capacities 2,000 and 3,001")
	assert.Contains(t, err.Error(), "--capacity", "the error says how to build mergeable shards")
}

// A record of more strong identifiers than MaxPairIdentifiers adds its
// values but no pairs; one of that many adds every pair.
func TestBuilderPairsOfWideRecords(t *testing.T) {
	wide := func(n int) []Hashed {
		rec := make([]Hashed, n)
		for i := range rec {
			rec[i] = hashed(canon.Phone, canon.Valid, mix64(uint64(n<<20+i)), "")
		}
		return rec
	}
	for _, tc := range []struct{ ids, pairs int }{{MaxPairIdentifiers, MaxPairIdentifiers * (MaxPairIdentifiers - 1) / 2}, {MaxPairIdentifiers + 1, 0}, {1000, 0}} {
		s := build(t, [][]Hashed{wide(tc.ids)}, BuildOptions{})
		assert.Equalf(t, uint64(tc.ids), s.Field(canon.Phone).Valid, "%d identifiers: every value counted", tc.ids)
		assert.InDeltaf(t, float64(tc.pairs), float64(s.PairsDistinct.Estimate()), float64(tc.pairs)/50+1, "%d identifiers: pairs", tc.ids)
	}
}

func TestMergeOfTwoRegionsNamesNone(t *testing.T) {
	recs := synthRecords(200, 32)
	o := BuildOptions{Capacity: 1000}
	o.Meta.Region = canon.UA
	a := build(t, recs[:100], o)
	o.Meta.Region = canon.KZ
	b := build(t, recs[100:], o)
	m, err := Merge(a, b)
	require.NoError(t, err)
	assert.Equal(t, canon.Region(""), m.Meta.Region, "UA and KZ shards: no one region")
	m, err = Merge(a, build(t, synthRecords(50, 33), BuildOptions{Capacity: 1000, Meta: Metadata{Region: canon.UA}}))
	require.NoError(t, err)
	assert.Equal(t, canon.UA, m.Meta.Region, "two UA shards")
}

func TestMergeFiles(t *testing.T) {
	recs := synthRecords(3000, 31)
	dir := t.TempDir()
	o := BuildOptions{Capacity: 5000}
	paths := []string{dir + "/a.lps", dir + "/b.lps"}
	require.NoError(t, WriteFile(paths[0], build(t, recs[:1500], o)))
	require.NoError(t, WriteFile(paths[1], build(t, recs[1500:], o)))
	got, err := MergeFiles(paths...)
	require.NoError(t, err)
	assertSameSketches(t, build(t, recs, o), got, "two shard files merged")
	_, err = MergeFiles(paths[0], dir+"/missing.lps")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.lps", "the error names the file")
	_, err = MergeFiles()
	assert.Error(t, err, "nothing to merge")
}

func TestMergeRefusesTheSameInputTwice(t *testing.T) {
	recs := synthRecords(100, 7)
	a := build(t, recs, BuildOptions{Meta: Metadata{Name: "a", Inputs: []Input{{Path: "x.csv", SHA256: "ab12"}}}})
	b := build(t, recs, BuildOptions{Meta: Metadata{Name: "b", Inputs: []Input{{Path: "x.csv", SHA256: "ab12"}}}})
	_, err := Merge(a, b)
	require.ErrorIs(t, err, ErrIncompatible, "the same input in both shards")
	assert.Contains(t, err.Error(), "x.csv", "error names the input")
}

// Counts that pass 2^53 only once summed are refused by Merge, not left to
// fail when the merged signature is written.
func TestMergeRefusesCountsPast2To53(t *testing.T) {
	recs := synthRecords(100, 7)
	a := build(t, recs, BuildOptions{Meta: Metadata{Name: "a", Inputs: []Input{{Path: "a.csv", SHA256: "aa"}}}})
	b := build(t, recs, BuildOptions{Meta: Metadata{Name: "b", Inputs: []Input{{Path: "b.csv", SHA256: "bb"}}}})
	_, err := Merge(a, b)
	require.NoError(t, err, "shards of ordinary counts merge")
	a.Meta.Records, b.Meta.Records = 1<<52+1, 1<<52
	_, err = Merge(a, b)
	assert.ErrorIs(t, err, ErrTooLarge, "records summing past 2^53")
	a.Meta.Records, b.Meta.Records = 100, 100
	a.Field(canon.Phone).Values, b.Field(canon.Phone).Values = 1<<53, 1
	_, err = Merge(a, b)
	assert.ErrorIs(t, err, ErrTooLarge, "phone values summing past 2^53")
	assert.ErrorContains(t, err, "phone", "the error names the kind")
}

func TestBuilderCloseRemovesSpool(t *testing.T) {
	dir := t.TempDir()
	h, err := NewHasher(nil)
	require.NoError(t, err)
	b, err := NewBuilder(h, BuildOptions{SpoolMemory: 64, SpoolDir: dir})
	require.NoError(t, err)
	for _, r := range synthRecords(20000, 8) {
		require.NoError(t, b.Add(r))
	}
	require.NotNil(t, b.spools[0].file, "the spool went to disk")
	ents, _ := os.ReadDir(dir)
	if runtime.GOOS != "windows" {
		assert.Empty(t, ents, "the spool file has no name while the build runs: a killed build leaves nothing")
	}
	require.NoError(t, b.Close())
	ents, _ = os.ReadDir(dir)
	assert.Empty(t, ents, "Close of an abandoned build removes its spool")
}

func TestMergeRefusesIncompatible(t *testing.T) {
	recs := synthRecords(50, 6)
	a := build(t, recs, BuildOptions{Meta: Metadata{Name: "bank-2016"}})
	hk, err := NewHasher(testKey(1))
	require.NoError(t, err)
	bld, err := NewBuilder(hk, BuildOptions{Meta: Metadata{Name: "social-2013"}})
	require.NoError(t, err)
	for _, r := range recs {
		require.NoError(t, bld.Add(r))
	}
	b, err := bld.Finish()
	require.NoError(t, err)
	_, err = Merge(a, b)
	require.ErrorIs(t, err, ErrIncompatible, "unkeyed with keyed")
	assert.Contains(t, err.Error(), "bank-2016", "error names the first")
	assert.Contains(t, err.Error(), "social-2013", "error names the second")

	c := build(t, recs, BuildOptions{Meta: Metadata{Name: "c"}, FPR: 0.01})
	_, err = Merge(a, c)
	assert.ErrorIs(t, err, ErrIncompatible, "different fpr")
}

func BenchmarkBuilderAdd(b *testing.B) {
	recs := synthRecords(10000, 10)
	h, _ := NewHasher(nil)
	bld, _ := NewBuilder(h, BuildOptions{Capacity: 1 << 20})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = bld.Add(recs[i%len(recs)])
		i++
	}
}

// A keyed signature is made to be shared, so its birth-date bounds keep
// only the year, when built and when merged from shards written before
// that rule; an unkeyed one keeps the day.
func TestKeyedSignaturesKeepTheYearOfDates(t *testing.T) {
	dates := [][]Hashed{
		{hashed(canon.BirthDate, canon.Valid, 1, "1950-01-01")},
		{hashed(canon.BirthDate, canon.Valid, 2, "1989-04-12")},
	}
	for _, key := range [][]byte{nil, testKey(9)} {
		h, err := NewHasher(key)
		require.NoError(t, err)
		b, err := NewBuilder(h, BuildOptions{})
		require.NoError(t, err)
		for _, r := range dates {
			require.NoError(t, b.Add(r))
		}
		s, err := b.Finish()
		require.NoError(t, err)
		bd := s.Field(canon.BirthDate)
		require.NotNil(t, bd, "%s: birth_date sketch", h.Mode())
		want := [2]string{"1950-01-01", "1989-04-12"}
		if key != nil {
			want = [2]string{"1950", "1989"}
		}
		assert.Equal(t, want, [2]string{bd.MinDate, bd.MaxDate}, "%s: built", h.Mode())

		// A shard with day bounds, as written before keyed signatures kept
		// the year only.
		old := *s
		old.Meta.Inputs = []Input{{Path: "old.csv", SHA256: "00"}}
		oldBD := *bd
		oldBD.MinDate, oldBD.MaxDate = "1940-02-03", "1991-05-06"
		old.Fields = []*FieldSketch{&oldBD}
		m, err := Merge(s, &old)
		require.NoError(t, err, "%s: merge", h.Mode())
		want = [2]string{"1940-02-03", "1991-05-06"}
		if key != nil {
			want = [2]string{"1940", "1991"}
		}
		mbd := m.Field(canon.BirthDate)
		assert.Equal(t, want, [2]string{mbd.MinDate, mbd.MaxDate}, "%s: merged", h.Mode())
		assert.Equal(t, "1940-02-03", oldBD.MinDate, "%s: merge leaves its input alone", h.Mode())
	}
}
