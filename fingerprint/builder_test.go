package fingerprint

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

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
	recs := synthRecords(2000, 3)
	mem := build(t, recs, BuildOptions{})
	disk := build(t, recs, BuildOptions{SpoolMemory: 512, SpoolDir: t.TempDir()})
	assertSameSketches(t, mem, disk, "spooled to disk")
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

func TestMergeRefusesTheSameInputTwice(t *testing.T) {
	recs := synthRecords(100, 7)
	a := build(t, recs, BuildOptions{Meta: Metadata{Name: "a", Inputs: []Input{{Path: "x.csv", SHA256: "ab12"}}}})
	b := build(t, recs, BuildOptions{Meta: Metadata{Name: "b", Inputs: []Input{{Path: "x.csv", SHA256: "ab12"}}}})
	_, err := Merge(a, b)
	require.ErrorIs(t, err, ErrIncompatible, "the same input in both shards")
	assert.Contains(t, err.Error(), "x.csv", "error names the input")
}

func TestBuilderCloseRemovesSpool(t *testing.T) {
	dir := t.TempDir()
	h, err := NewHasher(nil)
	require.NoError(t, err)
	b, err := NewBuilder(h, BuildOptions{SpoolMemory: 64, SpoolDir: dir})
	require.NoError(t, err)
	for _, r := range synthRecords(50, 8) {
		require.NoError(t, b.Add(r))
	}
	ents, _ := os.ReadDir(dir)
	require.Len(t, ents, 1, "the spool went to disk")
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

func TestFilterFoldIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	hashes := make([]uint64, 500)
	for i := range hashes {
		hashes[i] = r.Uint64()
	}
	build := func(f *Filter, err error) *Filter {
		require.NoError(t, err)
		for _, h := range hashes {
			f.Add(h)
		}
		return f
	}
	for _, tc := range []struct {
		what       string
		big, small *Filter
	}{
		{"classic 2^16 to 2^13 bits", build(newClassicFilter(1<<16, 10)), build(newClassicFilter(1<<13, 10))},
		{"blocked 96 to 12 blocks", build(newBlockedFilter(96)), build(newBlockedFilter(12))},
		{"blocked 96 to 32 blocks", build(newBlockedFilter(96)), build(newBlockedFilter(32))},
	} {
		folded, err := tc.big.Fold(tc.small.Bits())
		require.NoErrorf(t, err, "%s: fold", tc.what)
		assert.Equalf(t, tc.small.words64(), folded.words64(), "%s: folding equals building at the smaller size", tc.what)
		_, err = tc.small.Fold(tc.big.Bits())
		assert.ErrorIsf(t, err, ErrFilterParams, "%s: folding up", tc.what)
	}
	blocked := build(newBlockedFilter(96))
	_, err := blocked.Fold(40 * blockBits)
	assert.ErrorIs(t, err, ErrFilterParams, "40 blocks do not divide 96")
	_, err = blocked.Union(build(newClassicFilter(1<<16, 8)))
	assert.ErrorIs(t, err, ErrFilterParams, "a blocked and a classic filter do not unite")
}

func TestFilterParams(t *testing.T) {
	for _, tc := range []struct {
		m       uint64
		k       uint32
		blocked bool
	}{{1000, 10, false}, {1 << 9, 10, false}, {1 << 41, 10, false}, {1 << 12, 0, false}, {1 << 12, 33, false},
		{1000, 8, true}, {512, 8, true}, {1 << 41, 8, true}, {1536, 7, true}} {
		_, err := filterFromWords(make([]uint64, min(tc.m, 1<<12)/64), tc.m, tc.k, tc.blocked) // checked before the words
		assert.ErrorIsf(t, err, ErrFilterParams, "m=%d k=%d blocked=%v", tc.m, tc.k, tc.blocked)
	}
	_, err := NewFilter(100, 0.5)
	assert.ErrorIs(t, err, ErrFilterParams, "fpr 0.5")
	assert.Equal(t, uint32(10), classicK(0.001), "k for 0.1%")
	assert.Equal(t, uint64(1<<21), classicBits(100000, 0.001), "bits for 100k values at 0.1%")
	f, err := NewFilter(100000, 0.001)
	require.NoError(t, err)
	assert.True(t, f.Blocked(), "NewFilter makes blocked filters")
	assert.Equal(t, uint32(8), f.K())
	// 16 bits a value hold 0.1% (0.091%); the fewest blocks that do.
	assert.InDelta(t, 15.8, float64(f.Bits())/100000, 0.2, "bits per value at 0.1%")
	assert.LessOrEqual(t, BlockedFPR(float64(f.Bits())/100000), 0.001)
	assert.Greater(t, BlockedFPR(float64(f.Bits()-blockBits)/100000), 0.001, "one block fewer would not hold 0.1%")
	small, err := NewFilter(0, 0.001)
	require.NoError(t, err)
	assert.Equal(t, uint64(MinFilterBits), small.Bits(), "at least two blocks")
}

// TestBlockedFPRKnownValues pins the blocked layout's false-positive rate
// at a few sizes, computed independently by summing the Poisson mixture
// in Python: bits per value 8, 16 and 24.
func TestBlockedFPRKnownValues(t *testing.T) {
	for _, tc := range []struct{ bpv, want float64 }{{8, 0.02931}, {16, 0.0009089}, {24, 0.00009086}} {
		assert.InEpsilonf(t, tc.want, BlockedFPR(tc.bpv), 0.01, "BlockedFPR(%g)", tc.bpv)
	}
}

func TestFilterFalsePositiveRateMatchesFill(t *testing.T) {
	for _, tc := range []struct {
		what string
		f    func(n int) (*Filter, error)
	}{
		{"classic", func(n int) (*Filter, error) { return newClassicFilter(classicBits(uint64(n), 0.01), classicK(0.01)) }},
		{"blocked", func(n int) (*Filter, error) { return NewFilter(uint64(n), 0.01) }},
	} {
		r := rand.New(rand.NewPCG(8, 8))
		n := 20000
		f, err := tc.f(n)
		require.NoError(t, err, tc.what)
		for range n {
			f.Add(r.Uint64())
		}
		fp, probes := 0, 400000
		for range probes {
			if f.Has(r.Uint64()) {
				fp++
			}
		}
		measured := float64(fp) / float64(probes)
		assert.InDeltaf(t, f.FalsePositiveRate(), measured, 0.0015, "%s: fill-based fpr vs measured", tc.what)
		assert.Lessf(t, measured, 0.0105, "%s: measured fpr at the 1%% target", tc.what)
	}
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
