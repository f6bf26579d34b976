package fingerprint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"

	"github.com/axiomhq/hyperloglog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Write the golden signature files that are missing with
//
//	go test ./fingerprint -run 'TestLPSGolden$' -update-lps
//
// Existing files are never overwritten: the files of a released version must
// stay byte for byte as they are (see testdata/golden/README.md).
var lpsUpdate = flag.Bool("update-lps", false, "write the missing fingerprint/testdata/golden/*.lps")

// lpsTestKey is the fixed, public key of the keyed golden file. Synthetic
// data only: never use it for real signatures.
var lpsTestKey = []byte("leakprov golden-file test key, not secret!")

var lpsCreated = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) // SOURCE_DATE_EPOCH 1704164645

const lpsGoldenPeople = 60

// lpsPerson is one synthetic record of the golden files, with the canonical
// forms the canonicalisers would give.
type lpsPerson struct {
	phone, email, nationalID, name, birth string
	idCheckFailed                         bool
	password, other                       string
}

func lpsPeople() []lpsPerson {
	out := make([]lpsPerson, lpsGoldenPeople)
	for i := range out {
		out[i] = lpsPerson{
			phone:         fmt.Sprintf("+38050000%04d", i),
			email:         fmt.Sprintf("person%03d@example.org", i),
			nationalID:    fmt.Sprintf("%010d", 1000000000+7*i),
			idCheckFailed: i%10 == 3,
			name:          fmt.Sprintf("synthetic person %03d", i),
			birth:         fmt.Sprintf("%04d-%02d-%02d", 1950+i%40, 1+i%12, 1+i%28),
			password:      fmt.Sprintf("pw-%d", i%17),
			other:         fmt.Sprintf("note %d", i%5),
		}
	}
	return out
}

// lpsRecords returns the hashed records of the golden files. Passwords go
// through the Encoder (they hash the raw value); the other kinds are hashed
// by hand from their canonical forms, so the files do not depend on the
// canonicalisers.
// Every fifth record also carries an invalid phone.
func lpsRecords(t testing.TB, h *Hasher) [][]Hashed {
	enc := NewEncoder(h, canon.UA, []canon.Column{{Kind: canon.Password}})
	var recs [][]Hashed
	for i, p := range lpsPeople() {
		rec := enc.Encode(nil, []string{p.password})
		for j := range rec {
			rec[j].Form = nil // aliases the encoder's buffer
		}
		hashed := func(k canon.Kind, st canon.Status, form string) Hashed {
			return Hashed{Value: canon.Value{Kind: k, Status: st, Form: []byte(form)}, Hash: h.Sum64(k, []byte(form))}
		}
		// The Encoder leaves Other columns out; the golden files hold an
		// Other section all the same, to test its decoding.
		rec = append(rec, hashed(canon.Other, canon.Valid, p.other))
		idStatus := canon.Valid
		if p.idCheckFailed {
			idStatus = canon.CheckFailed
		}
		rec = append(rec,
			hashed(canon.Phone, canon.Valid, p.phone),
			hashed(canon.Email, canon.Valid, p.email),
			hashed(canon.NationalID, idStatus, p.nationalID),
			hashed(canon.Name, canon.Valid, p.name),
			hashed(canon.BirthDate, canon.Valid, p.birth),
			hashed(canon.NameBirthDate, canon.Valid, string(canon.AppendNameBirthDate(nil, []byte(p.name), []byte(p.birth)))),
		)
		if i%5 == 0 {
			rec = append(rec, Hashed{Value: canon.Value{Kind: canon.Phone, Status: canon.Invalid}})
		}
		recs = append(recs, rec)
	}
	return recs
}

type lpsGolden struct {
	file     string
	version  int // the format version, which decides the filter layout
	key      []byte
	capacity uint64
	frequent bool // with the frequent sections, which older writers did not write
}

var lpsGoldens = []lpsGolden{
	{file: "v1-unkeyed.lps", version: 1},
	{file: "v1-keyed.lps", version: 1, key: lpsTestKey, capacity: 200},
	{file: "v2-unkeyed.lps", version: 2},
	{file: "v2-keyed.lps", version: 2, key: lpsTestKey, capacity: 200},
	{file: "v2-frequent-unkeyed.lps", version: 2, frequent: true},
	{file: "v2-frequent-keyed.lps", version: 2, key: lpsTestKey, capacity: 200, frequent: true},
}

func lpsHasher(t testing.TB, key []byte) *Hasher {
	h, err := NewHasher(key)
	require.NoError(t, err)
	return h
}

func lpsBuildOptions(g lpsGolden) BuildOptions {
	return BuildOptions{
		Meta: Metadata{
			Name:     "golden " + g.file,
			Snapshot: "2024-01-01",
			Created:  lpsCreated,
			Tool:     "leakprov golden generator",
			Region:   canon.UA,
			Inputs: []Input{{
				Path: "synthetic.csv", SHA256: fmt.Sprintf("%x", sha256.Sum256([]byte("synthetic"))),
				Records: lpsGoldenPeople, Format: "csv", Encoding: "utf-8",
				Columns: []canon.Column{{Name: "phone", Kind: canon.Phone}, {Name: "email", Kind: canon.Email}, {Name: "rnokpp", Kind: canon.NationalID},
					{Name: "name", Kind: canon.Name}, {Name: "born", Kind: canon.BirthDate}, {Name: "password", Kind: canon.Password}, {Name: "note", Kind: canon.Other}},
			}},
		},
		Capacity:     g.capacity,
		MinHashScale: 4,
	}
}

// lpsBuild builds the golden signature g from recs, in the given order.
func lpsBuild(t testing.TB, g lpsGolden, recs [][]Hashed, order []int) *Signature {
	b, err := NewBuilder(lpsHasher(t, g.key), lpsBuildOptions(g))
	require.NoError(t, err)
	for _, i := range order {
		require.NoError(t, b.Add(recs[i]))
	}
	s, err := b.Finish()
	require.NoError(t, err)
	return s
}

func lpsIdentity(n int) []int {
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	return o
}

// lpsGoldenCanonVersion is the normaliser version the golden files record:
// they were written under canon.Version 1 and stay as they are.
const lpsGoldenCanonVersion = 1

// lpsGoldenSig builds the golden signature g afresh, with the normaliser
// version the golden files record, so that its bytes can be compared.
func lpsGoldenSig(t testing.TB, g lpsGolden) *Signature {
	recs := lpsRecords(t, lpsHasher(t, g.key))
	s := lpsBuild(t, g, recs, lpsIdentity(len(recs)))
	s.Meta.CanonVersion = lpsGoldenCanonVersion
	if !g.frequent {
		for _, f := range s.Fields {
			f.Frequent = nil // as a writer before the frequent sections
		}
	}
	return s
}

func lpsGoldenPath(g lpsGolden) string { return filepath.Join("testdata", "golden", g.file) }

func lpsReadGolden(t testing.TB, g lpsGolden) []byte {
	b, err := os.ReadFile(lpsGoldenPath(g))
	require.NoError(t, err, "golden file %s (regenerate with -update-lps)", g.file)
	return b
}

func lpsTyped(err error) bool {
	return errors.Is(err, ErrCorrupt) || errors.Is(err, ErrChecksum) || errors.Is(err, ErrUnsupported) || errors.Is(err, ErrTooLarge)
}

// lpsFixChecksums recomputes the header CRC, every section CRC it can find
// and the trailer of a (crafted) file, so the structure checks behind them
// can be reached.
func lpsFixChecksums(b []byte) []byte {
	b = bytes.Clone(b)
	le := binary.LittleEndian
	if len(b) < lpsPreambleLen+lpsTrailerLen {
		return b
	}
	end := len(b) - lpsTrailerLen
	h := uint64(le.Uint32(b[12:]))
	if h >= lpsCRCLen && lpsPreambleLen+h <= uint64(end) {
		he := lpsPreambleLen + int(h)
		le.PutUint32(b[he-lpsCRCLen:], crc32.Checksum(b[:he-lpsCRCLen], castagnoli))
		for off := he; end-off >= lpsSectionMin; {
			plen := le.Uint64(b[off+4:])
			if plen > uint64(end-off-lpsSectionMin) {
				break
			}
			pe := off + lpsSectionHead + int(plen)
			le.PutUint32(b[pe:], crc32.Checksum(b[off:pe], castagnoli))
			off = pe + lpsCRCLen
		}
	}
	sum := sha256.Sum256(b[:end])
	copy(b[end:], sum[:])
	return b
}

// lpsSectionOffset returns the offset of the section (typ, kind) in b.
func lpsSectionOffset(t testing.TB, b []byte, typ, kind byte) int {
	le := binary.LittleEndian
	off := lpsPreambleLen + int(le.Uint32(b[12:]))
	for off < len(b)-lpsTrailerLen {
		if b[off] == typ && b[off+1] == kind {
			return off
		}
		off += lpsSectionMin + int(le.Uint64(b[off+4:]))
	}
	t.Fatalf("no section type %d kind %d", typ, kind)
	return 0
}

func TestLPSGolden(t *testing.T) {
	for _, g := range lpsGoldens {
		t.Run(g.file, func(t *testing.T) {
			if _, err := os.Stat(lpsGoldenPath(g)); *lpsUpdate && errors.Is(err, os.ErrNotExist) {
				require.NoError(t, os.MkdirAll(filepath.Dir(lpsGoldenPath(g)), 0o755))
				require.NoError(t, WriteFile(lpsGoldenPath(g), lpsGoldenSig(t, g)))
				require.NoError(t, os.Chmod(lpsGoldenPath(g), 0o644))
			}
			s, err := ReadFile(lpsGoldenPath(g))
			require.NoError(t, err, g.file)
			lpsCheckGolden(t, g, s)
		})
	}
}

// lpsCheckGolden checks a golden signature's contents against the records
// it was built from, computed afresh.
func lpsCheckGolden(t *testing.T, g lpsGolden, s *Signature) {
	h := lpsHasher(t, g.key)
	m := s.Meta
	assert.Equal(t, "golden "+g.file, m.Name)
	assert.Equal(t, "2024-01-01", m.Snapshot)
	assert.True(t, lpsCreated.Equal(m.Created), "created %v", m.Created)
	assert.Equal(t, lpsGoldenCanonVersion, m.CanonVersion)
	assert.Equal(t, h.Mode(), m.HashMode)
	assert.Equal(t, h.KeyID(), m.KeyID)
	assert.Equal(t, g.key == nil, m.DoNotShare())
	assert.Equal(t, canon.UA, m.Region)
	assert.Equal(t, uint64(lpsGoldenPeople), m.Records)
	assert.Equal(t, DefaultFPR, m.FPR)
	assert.Equal(t, g.capacity, m.Capacity)
	assert.Equal(t, uint64(4), m.MinHashScale)
	require.Len(t, m.Inputs, 1)
	assert.Equal(t, "synthetic.csv", m.Inputs[0].Path)
	assert.Equal(t, canon.Column{Name: "rnokpp", Kind: canon.NationalID}, m.Inputs[0].Columns[2])
	require.NoError(t, s.CompatibleHasher(h))

	kinds := []canon.Kind{}
	for _, f := range s.Fields {
		kinds = append(kinds, f.Kind)
	}
	assert.Equal(t, []canon.Kind{canon.Other, canon.Name, canon.Phone, canon.Email, canon.BirthDate, canon.NationalID, canon.Password, canon.NameBirthDate}, kinds)

	counts := map[canon.Kind][3]uint64{ // values, valid, check-failed
		canon.Other: {60, 60, 0}, canon.Name: {60, 60, 0}, canon.Phone: {72, 60, 0}, canon.Email: {60, 60, 0},
		canon.BirthDate: {60, 60, 0}, canon.NationalID: {60, 54, 6}, canon.Password: {60, 60, 0}, canon.NameBirthDate: {60, 60, 0},
	}
	distinct := map[canon.Kind]uint64{canon.Other: 5, canon.Password: 17}
	for k, c := range counts {
		f := s.Field(k)
		require.NotNil(t, f, "field %s", k)
		assert.Equal(t, c, [3]uint64{f.Values, f.Valid, f.CheckFailed}, "counts of %s", k)
		want := distinct[k]
		if want == 0 {
			want = lpsGoldenPeople
		}
		assert.InDelta(t, float64(want), float64(f.DistinctCount()), 2, "distinct count of %s", k)
		require.NotNil(t, f.Filter, "filter of %s", k)
		lpsCheckFilter(t, g, f.Filter, g.capacity, k.String())
	}
	bd := s.Field(canon.BirthDate)
	if g.key != nil && g.version >= 2 { // keyed signatures keep the year since version 2
		assert.Equal(t, [2]string{"1950", "1989"}, [2]string{bd.MinDate, bd.MaxDate}, "%s: birth dates", g.file)
	} else {
		assert.Equal(t, [2]string{"1950-01-01", "1989-04-12"}, [2]string{bd.MinDate, bd.MaxDate}, "%s: birth dates", g.file)
	}
	assert.Empty(t, s.Field(canon.Phone).MinDate)

	thr := MinHashThreshold(4)
	members := func(f *FieldSketch, k canon.Kind, canonical string) {
		x := h.Sum64(k, []byte(canonical))
		assert.True(t, f.Filter.Has(x), "%s %q in the filter", k, canonical)
		found := slices.Contains(f.MinHash, x)
		assert.Equal(t, x <= thr, found, "%s %q in the MinHash", k, canonical)
	}
	for _, p := range lpsPeople() {
		members(s.Field(canon.Phone), canon.Phone, p.phone)
		members(s.Field(canon.Email), canon.Email, p.email)
		members(s.Field(canon.NationalID), canon.NationalID, p.nationalID)
		members(s.Field(canon.Name), canon.Name, p.name)
		members(s.Field(canon.BirthDate), canon.BirthDate, p.birth)
		members(s.Field(canon.Password), canon.Password, p.password)
		members(s.Field(canon.Other), canon.Other, p.other)
		nbd := string(canon.AppendNameBirthDate(nil, []byte(p.name), []byte(p.birth)))
		members(s.Field(canon.NameBirthDate), canon.NameBirthDate, nbd)
		ph, em, id, nb := h.Sum64(canon.Phone, []byte(p.phone)), h.Sum64(canon.Email, []byte(p.email)),
			h.Sum64(canon.NationalID, []byte(p.nationalID)), h.Sum64(canon.NameBirthDate, []byte(nbd))
		for _, pair := range [][2]uint64{{ph, em}, {ph, id}, {em, id}, {ph, nb}, {id, nb}} {
			assert.True(t, s.Pairs.Has(PairHash(pair[0], pair[1])), "pair of %s", p.name)
		}
	}
	for _, f := range s.Fields {
		if !g.frequent || !f.Kind.Strong() {
			assert.Nil(t, f.Frequent, "%s: %s: no frequent values", g.file, f.Kind)
			continue
		}
		if assert.NotNil(t, f.Frequent, "%s: %s: frequent values", g.file, f.Kind) {
			d := f.DistinctCount()
			if g.capacity > 0 {
				d = g.capacity
			}
			assert.Equal(t, 1<<frequentBits(d), f.Frequent.Width(), "%s: %s: sized for %d values", g.file, f.Kind, d)
			assert.Less(t, f.Frequent.Width(), 1<<frequentMaxBits, "%s: %s: a small dump's sketch is narrow", g.file, f.Kind)
			assert.NoError(t, f.Frequent.check(f.Valid+f.CheckFailed), "%s: %s", g.file, f.Kind)
		}
	}
	for _, p := range lpsPeople() {
		if g.frequent {
			n := s.Field(canon.Phone).Frequent.Records(h.Sum64(canon.Phone, []byte(p.phone)))
			assert.True(t, n >= 1 && n < 10, "%s: phone %s held by %d records: one, and a few sharing its counters", g.file, p.phone, n)
		}
	}
	assert.InDelta(t, 6*lpsGoldenPeople, float64(s.PairsDistinct.Estimate()), 6)
	require.NotNil(t, s.Pairs, "pair filter")
	lpsCheckFilter(t, g, s.Pairs, 3*g.capacity, "pairs")
	fp := 0
	for i := range 200 {
		if s.Field(canon.Phone).Filter.Has(h.Sum64(canon.Phone, fmt.Appendf(nil, "+38067%07d", i))) {
			fp++
		}
	}
	assert.LessOrEqual(t, fp, 2, "false positives of 200 phones never added")
}

// lpsCheckFilter checks a golden filter's layout, and its size when the
// capacity fixed it.
func lpsCheckFilter(t *testing.T, g lpsGolden, f *Filter, capacity uint64, what string) {
	t.Helper()
	if g.version == 1 {
		assert.False(t, f.Blocked(), "%s: a version 1 filter is classic", what)
		assert.Equal(t, classicK(DefaultFPR), f.K(), "k of %s", what)
		if capacity > 0 {
			assert.Equal(t, classicBits(capacity, DefaultFPR), f.Bits(), "bits of %s", what)
		}
		return
	}
	assert.True(t, f.Blocked(), "%s: a version 2 filter is blocked", what)
	if capacity > 0 {
		assert.Equal(t, blocksFor(capacity, DefaultFPR)*blockBits, f.Bits(), "bits of %s", what)
	}
}

// The current writer rebuilds the newest version's golden files byte for
// byte, and writes every older one back as it was read.
func TestLPSGoldenReproducible(t *testing.T) {
	for _, g := range lpsGoldens {
		gold := lpsReadGolden(t, g)
		var got []byte
		if g.version == FormatVersion {
			var err error
			got, err = lpsGoldenSig(t, g).MarshalBinary()
			require.NoError(t, err)
		} else {
			var s Signature
			require.NoError(t, s.UnmarshalBinary(gold), g.file)
			var err error
			got, err = s.MarshalBinary()
			require.NoError(t, err)
		}
		assert.Equal(t, uint16(g.version), binary.LittleEndian.Uint16(got[8:]), "%s: format version written", g.file)
		assert.True(t, bytes.Equal(gold, got), "%s: bytes written differ from the golden file", g.file)
	}
}

// The builder's output does not depend on the order of the records.
func TestLPSRecordOrderIndependent(t *testing.T) {
	for _, g := range lpsGoldens {
		recs := lpsRecords(t, lpsHasher(t, g.key))
		want, err := lpsBuild(t, g, recs, lpsIdentity(len(recs))).MarshalBinary()
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(1, 2))
		for trial := range 3 {
			order := lpsIdentity(len(recs))
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			got, err := lpsBuild(t, g, recs, order).MarshalBinary()
			require.NoError(t, err)
			assert.True(t, bytes.Equal(want, got), "%s: shuffle %d gives different bytes", g.file, trial)
		}
	}
}

func TestLPSRoundTrip(t *testing.T) {
	sparse := hyperloglog.New14()
	for i := range 100 {
		sparse.InsertHash(uint64(i) * 0x9e3779b97f4a7c15)
	}
	filter, err := newClassicFilter(2048, classicK(0.01))
	require.NoError(t, err)
	filter.Add(42)
	hand := &Signature{
		Meta: Metadata{Name: "hand-made", HashMode: Unkeyed, CanonVersion: 1, FPR: 0.01, MinHashScale: 1,
			Created: time.Date(2020, 2, 29, 12, 0, 0, 0, time.FixedZone("UTC+5", 5*3600))},
		Fields: []*FieldSketch{ // unsorted on purpose; a field with counts only
			{Kind: canon.Email, Values: 300, Valid: 100, CheckFailed: 200, MinHash: []uint64{1, 2, math.MaxUint64}, Distinct: &Distinct{sk: sparse}},
			{Kind: canon.BirthDate, Values: 1, MinDate: "1999-01-01", Filter: filter},
			{Kind: canon.Address},
		},
	}
	empty := &Signature{Meta: Metadata{HashMode: KeyedSipHash, KeyID: "0011223344556677", CanonVersion: 1, FPR: 0.2, MinHashScale: 1}}
	cases := map[string]*Signature{"hand-made": hand, "empty": empty}
	for _, g := range lpsGoldens {
		cases[g.file] = lpsGoldenSig(t, g)
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := s.MarshalBinary()
			require.NoError(t, err)
			var got Signature
			require.NoError(t, got.UnmarshalBinary(b))
			b2, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.True(t, bytes.Equal(b, b2), "re-encoding changes the bytes")

			assert.True(t, s.Meta.Created.Equal(got.Meta.Created))
			wantMeta, gotMeta := s.Meta, got.Meta
			wantMeta.Created, gotMeta.Created = time.Time{}, time.Time{}
			assert.Equal(t, wantMeta, gotMeta)
			require.Len(t, got.Fields, len(s.Fields))
			for _, f := range s.Fields {
				gf := got.Field(f.Kind)
				require.NotNil(t, gf, "field %s", f.Kind)
				assert.Equal(t, [3]uint64{f.Values, f.Valid, f.CheckFailed}, [3]uint64{gf.Values, gf.Valid, gf.CheckFailed}, "%s", f.Kind)
				assert.Equal(t, f.MinDate, gf.MinDate, "%s", f.Kind)
				assert.Equal(t, f.MaxDate, gf.MaxDate, "%s", f.Kind)
				if len(f.MinHash) == 0 {
					assert.Empty(t, gf.MinHash, "%s", f.Kind)
				} else {
					assert.Equal(t, f.MinHash, gf.MinHash, "%s", f.Kind)
				}
				assert.Equal(t, f.DistinctCount(), gf.DistinctCount(), "%s", f.Kind)
				assert.Equal(t, f.Filter == nil, gf.Filter == nil, "%s", f.Kind)
				if f.Filter != nil {
					assert.Equal(t, f.Filter.words64(), gf.Filter.words64(), "%s", f.Kind)
					assert.Equal(t, f.Filter.K(), gf.Filter.K(), "%s", f.Kind)
				}
			}
			assert.Equal(t, s.Pairs == nil, got.Pairs == nil)
			if s.Pairs != nil {
				assert.Equal(t, s.Pairs.words64(), got.Pairs.words64())
				assert.Equal(t, s.PairsDistinct.Estimate(), got.PairsDistinct.Estimate())
			}
			w := &bytes.Buffer{}
			n, err := s.WriteTo(w)
			require.NoError(t, err)
			assert.Equal(t, int64(len(b)), n)
			assert.Equal(t, b, w.Bytes())
		})
	}
	assert.True(t, hand.Field(canon.Email).Distinct.sk == sparse, "marshal left the sketch alone")
}

func TestLPSMarshalRefusesBrokenSignatures(t *testing.T) {
	f4, err := newClassicFilter(1024, 4)
	require.NoError(t, err)
	hll16 := hyperloglog.New16NoSparse()
	ok := func() *Signature {
		return &Signature{Meta: Metadata{HashMode: Unkeyed, CanonVersion: 1, FPR: DefaultFPR, MinHashScale: 2},
			Fields: []*FieldSketch{{Kind: canon.Phone, Values: 2, Valid: 2, Distinct: newDistinct()}}}
	}
	cases := []struct {
		name   string
		mutate func(s *Signature)
		want   error
	}{
		{"unknown hash mode", func(s *Signature) { s.Meta.HashMode = 7 }, ErrUnsupported},
		{"unkeyed with key ID", func(s *Signature) { s.Meta.KeyID = "0123456789abcdef" }, ErrCorrupt},
		{"snapshot after the signature was made", func(s *Signature) {
			s.Meta.Snapshot, s.Meta.Created = "9999-12-31", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
		}, ErrCorrupt},
		{"keyed without key ID", func(s *Signature) { s.Meta.HashMode = KeyedSipHash }, ErrCorrupt},
		{"fpr 0", func(s *Signature) { s.Meta.FPR = 0 }, ErrCorrupt},
		{"scale 0", func(s *Signature) { s.Meta.MinHashScale = 0 }, ErrCorrupt},
		{"canon 0", func(s *Signature) { s.Meta.CanonVersion = 0 }, ErrCorrupt},
		{"bad snapshot", func(s *Signature) { s.Meta.Snapshot = "yesterday" }, ErrCorrupt},
		{"bad region", func(s *Signature) { s.Meta.Region = "ua" }, ErrCorrupt},
		{"nil field", func(s *Signature) { s.Fields = append(s.Fields, nil) }, ErrCorrupt},
		{"unknown kind", func(s *Signature) { s.Fields = append(s.Fields, &FieldSketch{Kind: 99}) }, ErrCorrupt},
		{"kind twice", func(s *Signature) { s.Fields = append(s.Fields, &FieldSketch{Kind: canon.Phone}) }, ErrCorrupt},
		{"counts", func(s *Signature) { s.Fields[0].CheckFailed = 1 }, ErrCorrupt},
		{"minhash unsorted", func(s *Signature) { s.Fields[0].MinHash = []uint64{2, 1} }, ErrCorrupt},
		{"minhash duplicate", func(s *Signature) { s.Fields[0].MinHash = []uint64{1, 1} }, ErrCorrupt},
		{"minhash above threshold", func(s *Signature) { s.Fields[0].MinHash = []uint64{math.MaxUint64} }, ErrCorrupt},
		{"dates reversed", func(s *Signature) { s.Fields[0].MinDate, s.Fields[0].MaxDate = "2000", "1999" }, ErrCorrupt},
		{"date too long", func(s *Signature) { s.Fields[0].MinDate = string(make([]byte, 40)) }, ErrCorrupt},
		{"filter k", func(s *Signature) { s.Fields[0].Filter = f4 }, ErrCorrupt},
		{"pairs k", func(s *Signature) { s.Pairs = f4 }, ErrCorrupt},
		{"hll precisions", func(s *Signature) { s.PairsDistinct = &Distinct{sk: hll16} }, ErrCorrupt},
		{"hll zero value", func(s *Signature) { s.PairsDistinct = &Distinct{sk: &hyperloglog.Sketch{}} }, ErrCorrupt},
	}
	_, err = ok().MarshalBinary()
	require.NoError(t, err, "the unbroken signature")
	for _, c := range cases {
		s := ok()
		c.mutate(s)
		_, err := s.MarshalBinary()
		assert.ErrorIs(t, err, c.want, c.name)
	}
}

// Every prefix of a golden file is refused with a typed error.
func TestLPSTruncated(t *testing.T) {
	for _, g := range lpsGoldens {
		b := lpsReadGolden(t, g)
		for n := 0; n < len(b); n++ {
			var s Signature
			err := s.UnmarshalBinary(b[:n])
			if !lpsTyped(err) {
				t.Fatalf("%s truncated to %d of %d bytes: error %v, want a typed one", g.file, n, len(b), err)
			}
		}
	}
}

var lpsAllBits = flag.Bool("lps-all-bits", false, "flip every bit of the golden files (about 25 s), not a dense sample")

// Every single-bit flip of a golden file is refused with a typed error. By
// default every bit of the first 4 KiB (preamble, header, metadata, first
// sections), of the last 64 bytes (last section, trailer) and of every third
// byte between is flipped; -lps-all-bits flips them all; -short every bit
// of every 31st byte.
func TestLPSBitFlips(t *testing.T) {
	stride := 3
	switch {
	case *lpsAllBits:
		stride = 1
	case testing.Short():
		stride = 31
	}
	for _, g := range lpsGoldens {
		b := bytes.Clone(lpsReadGolden(t, g))
		for i := 0; i < len(b); i++ {
			if i%stride != 0 && (testing.Short() || i >= 4096 && i < len(b)-64) {
				continue
			}
			for bit := range 8 {
				b[i] ^= 1 << bit
				var s Signature
				err := s.UnmarshalBinary(b)
				b[i] ^= 1 << bit
				if !lpsTyped(err) {
					t.Fatalf("%s with bit %d of byte %d flipped: error %v, want a typed one", g.file, bit, i, err)
				}
			}
		}
	}
}

// UnmarshalBinary leaves the receiver alone on error.
// UnmarshalBinary copies: changing the bytes afterwards changes nothing.
func TestLPSUnmarshalCopies(t *testing.T) {
	b := bytes.Clone(lpsReadGolden(t, lpsGoldens[2]))
	var s Signature
	require.NoError(t, s.UnmarshalBinary(b))
	before := slices.Clone(s.Field(canon.Phone).Filter.words64())
	clear(b)
	assert.Equal(t, before, s.Field(canon.Phone).Filter.words64(), "the filter does not share the caller's bytes")
}

func TestLPSUnmarshalKeepsReceiverOnError(t *testing.T) {
	b := lpsReadGolden(t, lpsGoldens[0])
	s := Signature{Meta: Metadata{Name: "untouched"}}
	require.Error(t, s.UnmarshalBinary(b[:len(b)-1]))
	assert.Equal(t, Signature{Meta: Metadata{Name: "untouched"}}, s)
}

func lpsAllocs(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func TestLPSCraftedFilesAllocateLittle(t *testing.T) {
	le := binary.LittleEndian
	gold := lpsReadGolden(t, lpsGoldens[0])

	// 24 bytes: the preamble claiming the largest header, then junk.
	tiny := []byte(lpsMagic)
	tiny = le.AppendUint16(tiny, 1)
	tiny = le.AppendUint16(tiny, 0)
	tiny = le.AppendUint32(tiny, math.MaxUint32)
	tiny = append(tiny, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	require.Len(t, tiny, 24)

	// A filter of 2^40 bits, its length field either honest (overrunning
	// the file) or matching the bytes there are; checksums recomputed.
	off := lpsSectionOffset(t, gold, secFilter, byte(canon.Phone))
	huge := bytes.Clone(gold)
	le.PutUint64(huge[off+4:], 16+(1<<40)/8)
	le.PutUint64(huge[off+lpsSectionHead:], 1<<40)
	huge = lpsFixChecksums(huge)
	hugeBits := bytes.Clone(gold)
	le.PutUint64(hugeBits[off+lpsSectionHead:], 1<<40)
	hugeBits = lpsFixChecksums(hugeBits)
	tooBig := bytes.Clone(gold)
	le.PutUint64(tooBig[off+lpsSectionHead:], 1<<41)
	tooBig = lpsFixChecksums(tooBig)
	mh := lpsSectionOffset(t, gold, secMinHash, byte(canon.Phone))
	manyHashes := bytes.Clone(gold)
	le.PutUint64(manyHashes[mh+lpsSectionHead:], 1<<60)
	manyHashes = lpsFixChecksums(manyHashes)

	for _, c := range []struct {
		name string
		b    []byte
	}{{"24-byte file", tiny}, {"2^40-bit filter", huge}, {"2^40 bits in a small section", hugeBits},
		{"2^41-bit filter", tooBig}, {"2^60 MinHash entries", manyHashes}} {
		var err error
		alloc := lpsAllocs(func() {
			var s Signature
			err = s.UnmarshalBinary(c.b)
		})
		assert.ErrorIs(t, err, ErrTooLarge, c.name)
		assert.Less(t, alloc, uint64(1<<20), "%s: bytes allocated", c.name)
	}
}

func TestLPSHeaderErrors(t *testing.T) {
	le := binary.LittleEndian
	gold := lpsReadGolden(t, lpsGoldens[1])
	h := int(le.Uint32(gold[12:]))
	keyLen := int(le.Uint16(gold[lpsPreambleLen+6:]))
	metaOff := lpsPreambleLen + lpsHeaderFixed + keyLen
	firstSec := lpsPreambleLen + h
	cases := []struct {
		name  string
		edit  func(b []byte) []byte
		fix   bool // recompute the checksums after the edit
		want  error
		allow int // bytes that may be allocated
	}{
		{"empty", func(b []byte) []byte { return nil }, false, ErrCorrupt, 0},
		{"not a signature", func(b []byte) []byte { return []byte("name,phone\nA,1\n") }, false, ErrCorrupt, 0},
		{"text mode CRLF to LF", func(b []byte) []byte {
			return append([]byte("\x89LPS\n\x1a\n"), b[8:]...)
		}, false, ErrCorrupt, 0},
		{"version 3", func(b []byte) []byte { le.PutUint16(b[8:], 3); return b }, true, ErrUnsupported, 0},
		{"version 0", func(b []byte) []byte { le.PutUint16(b[8:], 0); return b }, true, ErrUnsupported, 0},
		{"version 0", func(b []byte) []byte { le.PutUint16(b[8:], 0); return b }, true, ErrUnsupported, 0},
		{"must-understand flag", func(b []byte) []byte { le.PutUint16(b[10:], 0x8000); return b }, true, ErrUnsupported, 0},
		{"header beyond limit", func(b []byte) []byte { le.PutUint32(b[12:], MaxHeaderSize+1); return b }, true, ErrTooLarge, 0},
		{"header beyond file", func(b []byte) []byte { le.PutUint32(b[12:], uint32(len(b))); return b }, true, ErrTooLarge, 0},
		{"header too short", func(b []byte) []byte { le.PutUint32(b[12:], 8); return b }, true, ErrCorrupt, 0},
		{"header CRC", func(b []byte) []byte { b[firstSec-1] ^= 1; return b }, false, ErrChecksum, 0},
		{"key ID length", func(b []byte) []byte { le.PutUint16(b[lpsPreambleLen+6:], 65); return b }, true, ErrTooLarge, 0},
		{"metadata length", func(b []byte) []byte { le.PutUint32(b[lpsPreambleLen+36:], math.MaxUint32); return b }, true, ErrTooLarge, 0},
		{"metadata shorter than header", func(b []byte) []byte {
			le.PutUint32(b[lpsPreambleLen+36:], le.Uint32(b[lpsPreambleLen+36:])-1)
			return b
		}, true, ErrCorrupt, 1 << 16},
		{"metadata not JSON", func(b []byte) []byte { b[metaOff] = '['; return b }, true, ErrCorrupt, 1 << 16},
		{"precision 3", func(b []byte) []byte { b[lpsPreambleLen+5] = 3; return b }, true, ErrCorrupt, 0},
		{"precision disagrees with the sketches", func(b []byte) []byte { b[lpsPreambleLen+5] = 12; return b }, true, ErrCorrupt, 1 << 17},
		{"hash mode unknown", func(b []byte) []byte {
			b[lpsPreambleLen+4] = 9
			return bytes.Replace(b, []byte(`"hash_mode":2`), []byte(`"hash_mode":9`), 1)
		}, true, ErrUnsupported, 1 << 16},
		{"hash mode disagrees", func(b []byte) []byte { b[lpsPreambleLen+4] = 1; return b }, true, ErrCorrupt, 1 << 16},
		{"fpr disagrees", func(b []byte) []byte { b[lpsPreambleLen+8] ^= 1; return b }, true, ErrCorrupt, 1 << 16},
		{"capacity disagrees", func(b []byte) []byte { b[lpsPreambleLen+16] ^= 1; return b }, true, ErrCorrupt, 1 << 16},
		{"scale disagrees", func(b []byte) []byte { b[lpsPreambleLen+24] ^= 1; return b }, true, ErrCorrupt, 1 << 16},
		{"canon version disagrees", func(b []byte) []byte { b[lpsPreambleLen] ^= 2; return b }, true, ErrCorrupt, 1 << 16},
		{"key ID disagrees", func(b []byte) []byte { b[lpsPreambleLen+lpsHeaderFixed] ^= 1; return b }, true, ErrCorrupt, 1 << 16},
		{"section count beyond limit", func(b []byte) []byte { le.PutUint32(b[lpsPreambleLen+32:], 5000); return b }, true, ErrTooLarge, 1 << 16},
		{"section count beyond file", func(b []byte) []byte { le.PutUint32(b[lpsPreambleLen+32:], 4000); return b }, true, ErrTooLarge, 1 << 16},
		{"one section fewer", func(b []byte) []byte {
			le.PutUint32(b[lpsPreambleLen+32:], le.Uint32(b[lpsPreambleLen+32:])-1)
			return b
		}, true, ErrCorrupt, 1 << 20},
		{"trailer", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }, false, ErrChecksum, 1 << 20},
	}
	for _, c := range cases {
		b := c.edit(bytes.Clone(gold))
		if c.fix {
			b = lpsFixChecksums(b)
		}
		var err error
		alloc := lpsAllocs(func() {
			var s Signature
			err = s.UnmarshalBinary(b)
		})
		assert.ErrorIs(t, err, c.want, c.name)
		assert.LessOrEqual(t, alloc, uint64(c.allow)+4096, "%s: bytes allocated", c.name)
	}
}

// lpsInsertSection inserts a raw section before the one at offset at and
// updates the section count and checksums.
func lpsInsertSection(b []byte, at int, typ, kind byte, payload []byte) []byte {
	le := binary.LittleEndian
	sec := []byte{typ, kind, 0, 0}
	sec = le.AppendUint64(sec, uint64(len(payload)))
	sec = append(sec, payload...)
	sec = le.AppendUint32(sec, 0)
	out := append(append(append([]byte{}, b[:at]...), sec...), b[at:]...)
	le.PutUint32(out[lpsPreambleLen+32:], le.Uint32(out[lpsPreambleLen+32:])+1)
	return lpsFixChecksums(out)
}

// lpsInsertHLL adds a username field of as many values as the golden files
// have people, with hll as its distinct-count payload.
func lpsInsertHLL(t *testing.T, gold, hll []byte) []byte {
	le := binary.LittleEndian
	counts := le.AppendUint64(le.AppendUint64(le.AppendUint64(nil, lpsGoldenPeople), lpsGoldenPeople), 0)
	b := lpsInsertSection(gold, lpsSectionOffset(t, gold, secCounts, byte(canon.NameBirthDate)), secCounts, byte(canon.Username), counts)
	return lpsInsertSection(b, lpsSectionOffset(t, b, secCounts, byte(canon.NameBirthDate)), secDistinct, byte(canon.Username), hll)
}

func TestLPSSectionErrors(t *testing.T) {
	le := binary.LittleEndian
	gold := lpsReadGolden(t, lpsGoldens[0])
	at := func(typ byte, k canon.Kind) int { return lpsSectionOffset(t, gold, typ, byte(k)) }
	pairs := lpsSectionOffset(t, gold, secDistinct, lpsPairsKind)
	edit := func(fn func(b []byte)) []byte {
		b := bytes.Clone(gold)
		fn(b)
		return lpsFixChecksums(b)
	}
	counts := le.AppendUint64(le.AppendUint64(le.AppendUint64(nil, 1), 1), 0)
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"section CRC", func() []byte { b := bytes.Clone(gold); b[at(secCounts, canon.Phone)+lpsSectionHead] ^= 1; return b }(), ErrChecksum},
		{"reserved bytes", edit(func(b []byte) { b[at(secCounts, canon.Phone)+2] = 1 }), ErrCorrupt},
		{"type 0", edit(func(b []byte) { b[at(secCounts, canon.Phone)] = 0 }), ErrCorrupt},
		{"out of order", edit(func(b []byte) { b[at(secCounts, canon.Email)+1] = byte(canon.Other) }), ErrCorrupt},
		{"filter before counts", edit(func(b []byte) { b[at(secFilter, canon.Email)+1] = byte(canon.Email + 1) }), ErrCorrupt},
		{"unknown kind", lpsInsertSection(gold, pairs, secCounts, 200, counts), ErrUnsupported},
		{"counts length", lpsInsertSection(gold, pairs, secCounts, byte(canon.Username), counts[:16]), ErrCorrupt},
		{"counts do not add up", lpsInsertSection(gold, pairs, secCounts, byte(canon.Username), le.AppendUint64(counts[:16], 1)), ErrCorrupt},
		{"pairs with counts", lpsInsertSection(gold, len(gold)-lpsTrailerLen, secCounts, lpsPairsKind, counts), ErrCorrupt},
		{"dates empty", lpsInsertSection(gold, at(secDistinct, canon.Email), secDates, byte(canon.Email), []byte{0, 0}), ErrCorrupt},
		{"dates short", lpsInsertSection(gold, at(secDistinct, canon.Email), secDates, byte(canon.Email), []byte{5, 'a'}), ErrCorrupt},
		{"dates reversed", lpsInsertSection(gold, at(secDistinct, canon.Email), secDates, byte(canon.Email), []byte{1, 'b', 1, 'a'}), ErrCorrupt},
		{"dates not ASCII", lpsInsertSection(gold, at(secDistinct, canon.Email), secDates, byte(canon.Email), []byte{1, 0xff, 0}), ErrCorrupt},
		{"hll sparse", edit(func(b []byte) { b[at(secDistinct, canon.Phone)+lpsSectionHead+3] = 1 }), ErrCorrupt},
		{"hll version", edit(func(b []byte) { b[at(secDistinct, canon.Phone)+lpsSectionHead] = 1 }), ErrCorrupt},
		{"hll register", edit(func(b []byte) { b[at(secDistinct, canon.Phone)+lpsSectionHead+8] = 60 }), ErrCorrupt},
		{"hll short", lpsInsertHLL(t, gold, make([]byte, 100)), ErrTooLarge},
		{"hll long", lpsInsertHLL(t, gold, append(bytes.Clone(gold[at(secDistinct, canon.Phone)+lpsSectionHead:at(secFilter, canon.Phone)-lpsCRCLen]), 0)), ErrCorrupt},
		{"hll fine", lpsInsertHLL(t, gold, gold[at(secDistinct, canon.Phone)+lpsSectionHead:at(secFilter, canon.Phone)-lpsCRCLen]), nil},
		{"hll of more values than hashed", edit(func(b []byte) {
			// Registers of 40 make an estimate of about 10^16 from 60 values.
			o := at(secDistinct, canon.Phone) + lpsSectionHead + lpsHLLHeaderLen
			for i := range 1 << lpsDefaultHLLP {
				b[o+i] = 40
			}
		}), ErrCorrupt},
		{"counts above 2^53", edit(func(b []byte) {
			o := at(secCounts, canon.Phone) + lpsSectionHead
			le.PutUint64(b[o:], 1<<60)
			le.PutUint64(b[o+8:], 1<<59)
		}), ErrCorrupt},
		{"a date that is no day", lpsInsertSection(gold, at(secDistinct, canon.Email), secDates, byte(canon.Email), []byte{10, 'z', 'z', 'z', 'z', 'z', 'z', 'z', 'z', 'z', 'z', 0}), ErrCorrupt},
		{"February 30", lpsInsertSection(gold, at(secDistinct, canon.Email), secDates, byte(canon.Email), append(append([]byte{10}, "1990-02-30"...), 0)), ErrCorrupt},
		{"filter not a power of two", edit(func(b []byte) { le.PutUint64(b[at(secFilter, canon.Phone)+lpsSectionHead:], 3000) }), ErrCorrupt},
		{"filter k", edit(func(b []byte) { le.PutUint32(b[at(secFilter, canon.Phone)+lpsSectionHead+8:], 3) }), ErrCorrupt},
		{"filter k 0", edit(func(b []byte) { le.PutUint32(b[at(secFilter, canon.Phone)+lpsSectionHead+8:], 0) }), ErrCorrupt},
		{"filter reserved", edit(func(b []byte) { b[at(secFilter, canon.Phone)+lpsSectionHead+12] = 1 }), ErrCorrupt},
		{"filter smaller than its words", func() []byte {
			b := bytes.Clone(lpsReadGolden(t, lpsGoldens[1]))
			o := lpsSectionOffset(t, b, secFilter, byte(canon.Phone)) + lpsSectionHead
			require.Greater(t, le.Uint64(b[o:]), uint64(1024))
			le.PutUint64(b[o:], 1024)
			return lpsFixChecksums(b)
		}(), ErrCorrupt},
		{"filter larger than its words", edit(func(b []byte) { le.PutUint64(b[at(secFilter, canon.Phone)+lpsSectionHead:], 1<<20) }), ErrTooLarge},
		{"minhash unsorted", edit(func(b []byte) {
			o := at(secMinHash, canon.Phone) + lpsSectionHead + 8
			copy(b[o:], b[o+8:o+16])
		}), ErrCorrupt},
		{"minhash above threshold", edit(func(b []byte) { b[at(secMinHash, canon.Phone)+lpsSectionHead+8+7] = 0xff }), ErrCorrupt},
		{"minhash count", edit(func(b []byte) { le.PutUint64(b[at(secMinHash, canon.Phone)+lpsSectionHead:], 1) }), ErrCorrupt},
		{"minhash empty", lpsInsertSection(gold, at(secCounts, canon.Email), secMinHash, byte(canon.Phone), le.AppendUint64(nil, 0)), ErrCorrupt},
		{"section length beyond file", edit(func(b []byte) { le.PutUint64(b[at(secCounts, canon.Phone)+4:], math.MaxUint64) }), ErrTooLarge},
		{"junk after the sections", lpsFixChecksums(append(bytes.Clone(gold[:len(gold)-lpsTrailerLen]), make([]byte, 20+lpsTrailerLen)...)), ErrCorrupt},
	}
	for _, c := range cases {
		var s Signature
		if c.want == nil {
			assert.NoError(t, s.UnmarshalBinary(c.b), c.name)
			continue
		}
		assert.ErrorIs(t, s.UnmarshalBinary(c.b), c.want, c.name)
	}

	// An optional section of a later writer is skipped.
	b := lpsInsertSection(gold, at(secCounts, canon.NameBirthDate), 77, byte(canon.Username), []byte("later"))
	var s Signature
	require.NoError(t, s.UnmarshalBinary(b), "unknown section type")
	assert.Nil(t, s.Field(canon.Username))
	again, err := s.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, gold, again)
}

// TestLPSBlockedFilterErrors damages the blocked filters of a version 2
// file.
func TestLPSBlockedFilterErrors(t *testing.T) {
	le := binary.LittleEndian
	gold := lpsReadGolden(t, lpsGoldens[3])
	phone := lpsSectionOffset(t, gold, secFilter, byte(canon.Phone)) + lpsSectionHead
	require.Equal(t, uint32(layoutBlocked), le.Uint32(gold[phone+12:])&0xffff, "the v2 golden file's filters are blocked")
	for _, k := range []byte{byte(canon.Phone), byte(canon.Email), lpsPairsKind} {
		at := lpsSectionOffset(t, gold, secFilter, k) + lpsSectionHead
		pad := int(le.Uint32(gold[at+12:]) >> 16)
		assert.Zerof(t, (at+16+pad)%8, "kind %d: the words start at a multiple of 8", k)
	}
	edit := func(fn func(b []byte)) []byte {
		b := bytes.Clone(gold)
		fn(b)
		return lpsFixChecksums(b)
	}
	for _, c := range []struct {
		name string
		b    []byte
		want error
	}{
		{"layout 2", edit(func(b []byte) { le.PutUint32(b[phone+12:], 2) }), ErrUnsupported},
		{"blocked with k 7", edit(func(b []byte) { le.PutUint32(b[phone+8:], 7) }), ErrCorrupt},
		{"blocked, not whole blocks", edit(func(b []byte) { le.PutUint64(b[phone:], le.Uint64(b[phone:])-64) }), ErrCorrupt},
		{"blocked larger than its words", edit(func(b []byte) { le.PutUint64(b[phone:], le.Uint64(b[phone:])+512) }), ErrTooLarge},
		{"blocked in a version 1 file", edit(func(b []byte) { le.PutUint16(b[8:], 1) }), ErrCorrupt},
		{"classic layout in a version 2 file", edit(func(b []byte) { le.PutUint32(b[phone+12:], layoutClassic) }), ErrCorrupt},
		{"padding of 8", edit(func(b []byte) { le.PutUint32(b[phone+12:], layoutBlocked|8<<16) }), ErrCorrupt},
		{"padding not zero", func() []byte {
			b := bytes.Clone(gold)
			for _, k := range []byte{byte(canon.Other), byte(canon.Name), byte(canon.Phone), byte(canon.Email),
				byte(canon.BirthDate), byte(canon.NationalID), byte(canon.Password), lpsPairsKind} {
				at := lpsSectionOffset(t, b, secFilter, k) + lpsSectionHead
				if le.Uint32(b[at+12:])>>16 > 0 {
					b[at+16] = 1
					return lpsFixChecksums(b)
				}
			}
			t.Fatal("no padded filter in the golden file")
			return nil
		}(), ErrCorrupt},
	} {
		var s Signature
		assert.ErrorIs(t, s.UnmarshalBinary(c.b), c.want, c.name)
	}
}

func TestLPSWriteReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, g := range lpsGoldens {
		g.version = FormatVersion // built afresh, whatever the golden file's version
		path := filepath.Join(dir, g.file)
		s := lpsGoldenSig(t, g)
		require.NoError(t, WriteFile(path, s))
		got, err := ReadFile(path)
		require.NoError(t, err)
		lpsCheckGolden(t, g, got)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		if runtime.GOOS != "windows" {
			want := os.FileMode(0o644)
			if s.Meta.DoNotShare() {
				want = 0o600
			}
			assert.Equal(t, want, fi.Mode().Perm(), "%s: permissions", g.file)
		}
	}
	// Overwriting with a signature that cannot be written keeps the old file.
	path := filepath.Join(dir, lpsGoldens[0].file)
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	bad := lpsGoldenSig(t, lpsGoldens[0])
	bad.Meta.FPR = 2
	assert.ErrorIs(t, WriteFile(path, bad), ErrCorrupt)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	// A directory that does not exist.
	assert.ErrorIs(t, WriteFile(filepath.Join(dir, "no", "such.lps"), lpsGoldenSig(t, lpsGoldens[0])), os.ErrNotExist)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{}
	for _, g := range lpsGoldens {
		want = append(want, g.file)
	}
	assert.ElementsMatch(t, want, names, "no temporary files left")

	_, err = ReadFile(filepath.Join(dir, "missing.lps"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	corrupt := filepath.Join(dir, "corrupt.lps")
	require.NoError(t, os.WriteFile(corrupt, before[:100], 0o600))
	_, err = ReadFile(corrupt)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "corrupt.lps")
}

func TestLPSReadFileRefusesHugeFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.lps")
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = f.Write([]byte(lpsMagic))
	require.NoError(t, err)
	if err := f.Truncate(MaxFileSize + 1); err != nil { // sparse where possible
		f.Close()
		t.Skipf("cannot make a %d-byte file: %v", int64(MaxFileSize+1), err)
	}
	require.NoError(t, f.Close())
	var rerr error
	alloc := lpsAllocs(func() { _, rerr = ReadFile(path) })
	assert.ErrorIs(t, rerr, ErrTooLarge)
	assert.Less(t, alloc, uint64(1<<20), "bytes allocated")
}

// A signature larger than the machine's RAM is refused before it is read,
// with the figures, rather than taking the machine down.
func TestLPSReadFileRefusesMoreThanTheMachineHolds(t *testing.T) {
	if physicalMemory() == 0 {
		t.Skip("the machine's RAM is not known on this OS")
	}
	gold := lpsReadGolden(t, lpsGoldens[3])
	path := filepath.Join(t.TempDir(), "big.lps")
	require.NoError(t, os.WriteFile(path, gold, 0o644))
	_, err := ReadFile(path)
	require.NoError(t, err, "the golden file fits the real machine")

	saved := physicalMemory
	defer func() { physicalMemory = saved }()
	physicalMemory = func() uint64 { return uint64(len(gold)) - 1 }
	_, err = ReadFile(path)
	assert.ErrorIs(t, err, ErrTooLarge, "a file one byte larger than RAM")
	assert.ErrorContains(t, err, "bytes of RAM", "the error says why")
}

func TestLPSDoNotShare(t *testing.T) {
	for _, c := range []struct {
		mode HashMode
		want bool
	}{{Unkeyed, true}, {KeyedSipHash, false}, {0, true}, {99, true}} {
		m := Metadata{HashMode: c.mode}
		assert.Equal(t, c.want, m.DoNotShare(), "hash mode %s", c.mode)
	}
}

// FuzzUnmarshal decodes arbitrary bytes, and the same bytes with their
// checksums recomputed (so that the structure checks behind them are
// reached): every error must be typed, every success must re-encode to a
// stable encoding. The golden seeds are large, so keep minimisation short:
//
//	go test ./fingerprint -run '^$' -fuzz FuzzUnmarshal -fuzztime 20s -fuzzminimizetime 1s
func FuzzUnmarshal(f *testing.F) {
	for _, g := range lpsGoldens {
		b, err := os.ReadFile(lpsGoldenPath(g))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	small := &Signature{Meta: Metadata{HashMode: Unkeyed, CanonVersion: 1, FPR: 0.1, MinHashScale: 1},
		Fields: []*FieldSketch{{Kind: canon.BirthDate, Values: 1, Valid: 1, MinDate: "2000-01-01", MaxDate: "2000-01-01", MinHash: []uint64{7}}}}
	b, err := small.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(lpsMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, lpsFixChecksums(data)} {
			var s Signature
			err := s.UnmarshalBinary(in)
			if err != nil {
				if !lpsTyped(err) {
					t.Fatalf("untyped error %v", err)
				}
				continue
			}
			out, err := s.MarshalBinary()
			if err != nil {
				t.Fatalf("decoded signature does not encode: %v", err)
			}
			var s2 Signature
			if err := s2.UnmarshalBinary(out); err != nil {
				t.Fatalf("re-encoded signature does not decode: %v", err)
			}
			out2, err := s2.MarshalBinary()
			if err != nil || !bytes.Equal(out, out2) {
				t.Fatalf("encoding not stable: %v", err)
			}
		}
	})
}

// lpsBenchSig is a signature of four kinds of about a million values each.
func lpsBenchSig(b *testing.B) *Signature {
	s := &Signature{Meta: Metadata{Name: "bench", HashMode: Unkeyed, CanonVersion: 1, FPR: DefaultFPR, MinHashScale: DefaultMinHashScale}}
	rng := rand.New(rand.NewPCG(3, 4))
	thr := MinHashThreshold(DefaultMinHashScale)
	for _, k := range []canon.Kind{canon.Phone, canon.Email, canon.NationalID, canon.NameBirthDate} {
		fl, err := NewFilter(1<<20, DefaultFPR)
		require.NoError(b, err)
		f := &FieldSketch{Kind: k, Values: 1 << 20, Valid: 1 << 20, Distinct: newDistinct(), Filter: fl}
		set := map[uint64]struct{}{}
		for range 1 << 20 {
			h := rng.Uint64()
			fl.Add(h)
			f.Distinct.insert(h)
			if h <= thr {
				set[h] = struct{}{}
			}
		}
		for h := range set {
			f.MinHash = append(f.MinHash, h)
		}
		slices.Sort(f.MinHash)
		s.Fields = append(s.Fields, f)
	}
	return s
}

func BenchmarkMarshalBinary(b *testing.B) {
	s := lpsBenchSig(b)
	out, err := s.MarshalBinary()
	require.NoError(b, err)
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalBinary(b *testing.B) {
	data, err := lpsBenchSig(b).MarshalBinary()
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var s Signature
		if err := s.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}

// A filter read from a file of a MiB or more may keep its words in memory
// mapped outside the heap: it keeps them valid on its own, however the
// signature and the collector go.
func TestLPSReadFileFilterOutlivesItsSignature(t *testing.T) {
	recs := synthRecords(100000, 12)
	path := filepath.Join(t.TempDir(), "big.lps")
	require.NoError(t, WriteFile(path, build(t, recs, BuildOptions{})))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Greater(t, fi.Size(), int64(1<<20), "a file large enough to be mapped")
	s, err := ReadFile(path)
	require.NoError(t, err)
	f := s.Field(canon.Phone).Filter
	if runtime.GOOS == "linux" {
		require.NotNil(t, f.backing, "on Linux the words are in the mapped file buffer")
	}
	s = nil
	for range 3 {
		runtime.GC()
	}
	for _, r := range recs[:1000] {
		require.Truef(t, f.Has(r[0].Hash), "phone %x after the signature is gone", r[0].Hash)
	}
	runtime.KeepAlive(s)
}

func TestDescribeNamesTheLayout(t *testing.T) {
	for _, g := range lpsGoldens {
		s, err := ReadFile(lpsGoldenPath(g))
		require.NoError(t, err, g.file)
		d := s.Describe()
		want := map[int]string{1: "classic", 2: "blocked"}[g.version]
		require.NotNil(t, d.Pairs, "%s: pairs", g.file)
		assert.Equal(t, want, d.Pairs.Layout, "%s: pair filter layout", g.file)
		for _, k := range d.Kinds {
			assert.Equalf(t, want, k.Filter.Layout, "%s: %s filter layout", g.file, k.Kind)
		}
	}
}

// CreateFile never replaces what is there, and leaves no temporary file.
func TestLPSCreateFileRefusesToReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.lps")
	s := lpsGoldenSig(t, lpsGoldens[2])
	require.NoError(t, CreateFile(path, s), "a new file")
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	other := lpsGoldenSig(t, lpsGoldens[3])
	assert.ErrorIs(t, CreateFile(path, other), fs.ErrExist, "an existing file")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the existing file is untouched")
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, ents, 1, "no temporary file left")
	require.NoError(t, WriteFile(path, other), "WriteFile replaces")
	got, err := ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, other.Meta.Name, got.Meta.Name)
}

// A write removes the temporary files that killed writes left in its
// directory more than a day ago, and only those.
func TestLPSWriteFileRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	stale, fresh, other := filepath.Join(dir, ".a.lps.tmp-123"), filepath.Join(dir, ".b.lps.tmp-456"), filepath.Join(dir, "notes.txt")
	for _, p := range []string{stale, fresh, other} {
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
	}
	old := time.Now().Add(-25 * time.Hour)
	require.NoError(t, os.Chtimes(stale, old, old))
	require.NoError(t, os.Chtimes(other, old, old))
	require.NoError(t, WriteFile(filepath.Join(dir, "c.lps"), lpsGoldenSig(t, lpsGoldens[2])))
	assert.NoFileExists(t, stale, "a temporary file over a day old")
	assert.FileExists(t, fresh, "a temporary file of a write that may still run")
	assert.FileExists(t, other, "a file that is not a temporary one")
}

// Metadata of more objects than MaxMetadataObjects is refused before it is
// decoded, and not written.
func TestLPSMetadataObjectsAreBounded(t *testing.T) {
	s := lpsGoldenSig(t, lpsGoldens[2])
	s.Meta.Inputs = make([]Input, MaxMetadataObjects)
	_, err := s.MarshalBinary()
	assert.ErrorIs(t, err, ErrCorrupt, "a signature of too many inputs is not written")

	// A forged file holding that many: refused before it is decoded.
	s.Meta.Inputs = make([]Input, 1000)
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	var ok Signature
	require.NoError(t, ok.UnmarshalBinary(b), "1,000 inputs")
	meta, err := json.Marshal(&Metadata{Name: "x", Inputs: make([]Input, MaxMetadataObjects)})
	require.NoError(t, err)
	forged := lpsReplaceMetadata(t, b, meta)
	var s2 Signature
	alloc := lpsAllocs(func() { err = s2.UnmarshalBinary(forged) })
	assert.ErrorIs(t, err, ErrTooLarge, "%d objects of metadata", MaxMetadataObjects)
	assert.Less(t, alloc, uint64(len(forged))+1<<20, "refused before decoding")
}

// lpsReplaceMetadata puts meta in place of a file's metadata JSON and fixes
// the lengths and checksums.
func lpsReplaceMetadata(t *testing.T, b, meta []byte) []byte {
	le := binary.LittleEndian
	keyLen := int(le.Uint16(b[lpsPreambleLen+6:]))
	metaLen := int(le.Uint32(b[lpsPreambleLen+36:]))
	at := lpsPreambleLen + lpsHeaderFixed + keyLen
	out := append(append(append([]byte{}, b[:at]...), meta...), b[at+metaLen:]...)
	le.PutUint32(out[lpsPreambleLen+36:], uint32(len(meta)))
	le.PutUint32(out[12:], uint32(lpsHeaderFixed+keyLen+len(meta)+lpsCRCLen))
	return lpsFixChecksums(out)
}

// TestLPSLargeFileChecks decodes a file past parallelSumAt, whose SHA-256
// is computed beside the payloads: the same result and the same errors as
// a small file's, a wrong SHA-256 before what the payloads would say.
func TestLPSLargeFileChecks(t *testing.T) {
	s := build(t, synthRecords(1000, 7), BuildOptions{Capacity: 200_000})
	gold, err := s.MarshalBinary()
	require.NoError(t, err)
	require.Greater(t, len(gold), parallelSumAt, "the file is large enough")

	var got Signature
	require.NoError(t, got.UnmarshalBinary(gold), "the file as written")
	sum := sha256.Sum256(gold)
	assert.Equal(t, hex.EncodeToString(sum[:]), got.FileSHA256(), "the file's SHA-256")
	assertSameSketches(t, s, &got, "read back")

	filter := lpsSectionOffset(t, gold, secFilter, byte(canon.Phone)) + lpsSectionHead
	counts := lpsSectionOffset(t, gold, secCounts, byte(canon.Phone)) + lpsSectionHead
	// crcFixed edits a copy and recomputes its CRCs, not its SHA-256.
	crcFixed := func(edit func(b []byte)) []byte {
		b := bytes.Clone(gold)
		edit(b)
		b = lpsFixChecksums(b)
		copy(b[len(b)-lpsTrailerLen:], gold[len(gold)-lpsTrailerLen:])
		return b
	}
	cases := []struct {
		name     string
		b        []byte
		sentinel error
		want     string
	}{
		{"trailer", func() []byte { b := bytes.Clone(gold); b[len(b)-1] ^= 1; return b }(), ErrChecksum, "file SHA-256"},
		// Pass 1's error, before the SHA-256's.
		{"filter word", func() []byte { b := bytes.Clone(gold); b[filter+40] ^= 1; return b }(), ErrChecksum, "filter section of phone: CRC-32C"},
		{"filter word, CRC fixed", crcFixed(func(b []byte) { b[filter+40] ^= 1 }), ErrChecksum, "file SHA-256"},
		// No values, yet a filter and a MinHash: pass 2's error, after
		// the SHA-256's.
		{"counts that disagree, CRC fixed", crcFixed(func(b []byte) { binary.LittleEndian.PutUint64(b[counts:], 0) }), ErrChecksum, "file SHA-256"},
		{"counts that disagree, all fixed", func() []byte {
			b := bytes.Clone(gold)
			binary.LittleEndian.PutUint64(b[counts:], 0)
			return lpsFixChecksums(b)
		}(), ErrCorrupt, "phone"},
	}
	for _, c := range cases {
		var d Signature
		err := d.UnmarshalBinary(c.b)
		require.Error(t, err, c.name)
		assert.ErrorIs(t, err, c.sentinel, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
		assert.Equal(t, Signature{}, d, "%s: the receiver is untouched", c.name)
	}
}
