package index

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var created = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// dump renders n synthetic Ukrainians as a CSV of name, phone, e-mail and
// RNOKPP.
func dump(seed uint64, n int) []byte {
	var b bytes.Buffer
	b.WriteString("name,phone,email,rnokpp\n")
	for _, p := range synth.People(canon.UA, seed, n) {
		fmt.Fprintf(&b, "%s %s,%s,%s,%s\n", p.Family, p.Given, p.Phone, p.Email, p.NationalID)
	}
	return b.Bytes()
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestBuildFillsTheMetadata(t *testing.T) {
	data := dump(1, 200)
	sig, err := Build(context.Background(), Options{Name: "bank", Snapshot: "2016-03-01", Created: created},
		Reader("bank.csv", bytes.NewReader(data)))
	require.NoError(t, err)
	m := sig.Meta
	assert.Equal(t, "bank", m.Name)
	assert.Equal(t, "2016-03-01", m.Snapshot)
	assert.Equal(t, created, m.Created)
	assert.Equal(t, fingerprint.Tool, m.Tool, "tool")
	assert.Equal(t, canon.Version, m.CanonVersion)
	assert.Equal(t, fingerprint.Unkeyed, m.HashMode, "nil Hasher is unkeyed")
	assert.Equal(t, canon.UA, m.Region, "region detected from the values")
	assert.Equal(t, uint64(200), m.Records)
	require.Len(t, m.Inputs, 1)
	in := m.Inputs[0]
	assert.Equal(t, fingerprint.Input{Path: "bank.csv", SHA256: sha(data), Records: 200, Format: "delimited", Encoding: "utf-8",
		Columns: []canon.Column{{Name: "name", Kind: canon.Name}, {Name: "phone", Kind: canon.Phone},
			{Name: "email", Kind: canon.Email}, {Name: "rnokpp", Kind: canon.NationalID}}}, in, "input metadata")
	for _, k := range []canon.Kind{canon.Name, canon.Phone, canon.Email, canon.NationalID} {
		f := sig.Field(k)
		require.NotNilf(t, f, "%s sketch", k)
		assert.Equalf(t, uint64(200), f.Valid, "%s: valid values", k)
	}
}

func TestBuildFromFileEqualsBuildFromReader(t *testing.T) {
	data := dump(2, 300)
	path := filepath.Join(t.TempDir(), "shop.csv")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	o := Options{Name: "shop", Created: created, Region: canon.UA}
	a, err := Build(context.Background(), o, File(path))
	require.NoError(t, err)
	b, err := Build(context.Background(), o, Reader("shop.csv", bytes.NewReader(data)))
	require.NoError(t, err)
	assert.Equal(t, "shop.csv", a.Meta.Inputs[0].Path, "a file is recorded by its base name")
	ab, err := a.MarshalBinary()
	require.NoError(t, err)
	bb, err := b.MarshalBinary()
	require.NoError(t, err)
	assert.True(t, bytes.Equal(ab, bb), "the same bytes as a file and as a stream give the same signature")
}

// TestBuildIsTheSameWhateverTheWorkers: the signature's bytes do not depend
// on how many goroutines canonicalised and hashed, nor on its spools going
// to disk.
func TestBuildIsTheSameWhateverTheWorkers(t *testing.T) {
	data := dump(8, 20000)
	var want []byte
	for _, o := range []Options{{Workers: 1}, {Workers: 2}, {Workers: 5}, {Workers: 3, Capacity: 25000}, {Workers: 1, Capacity: 25000}} {
		o.Name, o.Created = "w", created
		sig, err := Build(context.Background(), o, Reader("w.csv", bytes.NewReader(data)), Reader("again.csv", bytes.NewReader(dump(9, 3000))))
		require.NoErrorf(t, err, "%d workers", o.Workers)
		got, err := sig.MarshalBinary()
		require.NoError(t, err)
		if o.Capacity > 0 && o.Workers == 3 {
			want = nil // the capacity builds compare with each other
		}
		if want == nil {
			want = got
			continue
		}
		assert.Truef(t, bytes.Equal(want, got), "%d workers, capacity %d: same bytes", o.Workers, o.Capacity)
	}
}

// TestMergeRefusesALibraryBuildTwice: every input's SHA-256 is recorded,
// so merging a signature with itself is refused instead of doubling it.
func TestMergeRefusesALibraryBuildTwice(t *testing.T) {
	for what, in := range map[string]func() Input{
		"stream":  func() Input { return Reader("a.csv", bytes.NewReader(dump(3, 50))) },
		"records": func() Input { return Records("a", sampleset.NewReader(bytes.NewReader(dump(3, 50)))) },
	} {
		s, err := Build(context.Background(), Options{Name: "a", Created: created, Capacity: 1000}, in())
		require.NoErrorf(t, err, "%s: build", what)
		require.NotEmptyf(t, s.Meta.Inputs[0].SHA256, "%s: input SHA-256", what)
		_, err = fingerprint.Merge(s, s)
		assert.ErrorIsf(t, err, fingerprint.ErrIncompatible, "%s: Merge(s, s)", what)
	}
}

func TestRecordsInputsHashTheirRecords(t *testing.T) {
	build := func(data []byte) *fingerprint.Signature {
		t.Helper()
		s, err := Build(context.Background(), Options{Name: "r", Created: created},
			Records("r", sampleset.NewReader(bytes.NewReader(data))))
		require.NoError(t, err)
		return s
	}
	a, b, c := build(dump(4, 40)), build(dump(4, 40)), build(dump(5, 40))
	assert.Equal(t, a.Meta.Inputs[0].SHA256, b.Meta.Inputs[0].SHA256, "the same records hash alike")
	assert.NotEqual(t, a.Meta.Inputs[0].SHA256, c.Meta.Inputs[0].SHA256, "other records hash otherwise")
	assert.Equal(t, uint64(40), a.Meta.Inputs[0].Records)

	set, err := sampleset.Sample(context.Background(), sampleset.NewReader(bytes.NewReader(dump(4, 40))), 10, 1)
	require.NoError(t, err)
	s, err := Build(context.Background(), Options{Name: "s", Created: created}, Records("s", set))
	require.NoError(t, err)
	assert.Equal(t, uint64(10), s.Meta.Records, "a set of 10 of 40 records")
	assert.Equal(t, uint64(10), s.Meta.Inputs[0].Records)
}

func TestBuildSeveralInputs(t *testing.T) {
	bad := "name,phone,email,rnokpp\nПетренко Іван,+380671234567,a@b.ua,1234567899\nbroken\n"
	var calls []Progress
	o := Options{Name: "two", Created: created, SkipBad: true, Progress: func(p Progress) { calls = append(calls, p) }}
	sig, err := Build(context.Background(), o, Reader("a.csv", bytes.NewReader(dump(6, 5000))), Reader("b.csv", strings.NewReader(bad)))
	require.NoError(t, err)
	require.Len(t, sig.Meta.Inputs, 2)
	assert.Equal(t, uint64(5001), sig.Meta.Records, "records of both inputs")
	assert.Equal(t, uint64(1), sig.Meta.Inputs[1].Skipped, "the bad line of b.csv")
	assert.Equal(t, uint64(1), sig.Meta.Skipped, "skipped over all inputs")
	require.Len(t, calls, 3, "one call after 4096 records of a.csv, one at the end of each input")
	assert.Equal(t, Progress{Input: "a.csv", Records: 4096, Bytes: calls[0].Bytes}, calls[0])
	assert.Positive(t, calls[0].Bytes, "bytes read so far")
	assert.Equal(t, Progress{Input: "a.csv", Records: 5000, Bytes: int64(len(dump(6, 5000))), Done: true}, calls[1])
	assert.Equal(t, Progress{Input: "b.csv", Inputs: 1, Records: 1, Bytes: int64(len(bad)), Done: true}, calls[2])
}

// A dump of a thousand phone columns indexes and scores in time linear in
// its width: its records add no pairs (fingerprint.MaxPairIdentifiers).
func TestWideRecordsStayLinear(t *testing.T) {
	var b bytes.Buffer
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "phone%d", i)
	}
	b.WriteByte('\n')
	for r := range 20 {
		for i := range 1000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "+38067%07d", r*1000+i)
		}
		b.WriteByte('\n')
	}
	sig, err := Build(context.Background(), Options{Name: "wide", Created: created, Region: canon.UA}, Reader("wide.csv", bytes.NewReader(b.Bytes())))
	require.NoError(t, err)
	assert.Equal(t, uint64(20000), sig.Field(canon.Phone).Valid, "every phone counted")
	assert.Less(t, sig.PairsDistinct.Estimate(), uint64(10), "no pairs from records of 1,000 identifiers")
}

func TestBuildErrors(t *testing.T) {
	in := func() Input { return Reader("a.csv", bytes.NewReader(dump(7, 10))) }
	for _, tc := range []struct {
		what string
		o    Options
		in   []Input
	}{
		{"no name", Options{}, []Input{in()}},
		{"no inputs", Options{Name: "x"}, nil},
		{"bad snapshot", Options{Name: "x", Snapshot: "01.02.2016"}, []Input{in()}},
		{"snapshot in the future", Options{Name: "x", Snapshot: "9999-12-31"}, []Input{in()}},
		{"bad fpr", Options{Name: "x", FPR: 0.7}, []Input{in()}},
	} {
		_, err := Build(context.Background(), tc.o, tc.in...)
		assert.ErrorIsf(t, err, ErrOptions, "%s", tc.what)
	}

	_, err := Build(context.Background(), Options{Name: "x"}, File(filepath.Join(t.TempDir(), "missing.csv")))
	assert.ErrorIs(t, err, os.ErrNotExist, "a missing file")

	_, err = Build(context.Background(), Options{Name: "x"}, Reader("bad.csv", strings.NewReader("a,b\n1,2\n3\n")))
	var pe *sampleset.ParseError
	require.ErrorAs(t, err, &pe, "a bad record without SkipBad")
	assert.Equal(t, "bad.csv", pe.File)
	assert.Equal(t, 3, pe.Line)

	for _, empty := range []string{"", "name,phone,email,rnokpp\n"} {
		_, err = Build(context.Background(), Options{Name: "x"}, Reader("empty.csv", strings.NewReader(empty)))
		assert.ErrorIsf(t, err, ErrNoRecords, "input %q", empty)
	}

	data := dump(11, 100)
	_, err = Build(context.Background(), Options{Name: "x"}, Reader("a.csv", bytes.NewReader(data)), Reader("copy.csv", bytes.NewReader(data)))
	assert.ErrorIs(t, err, ErrDuplicateInput, "the same bytes twice")
	if err != nil {
		assert.Contains(t, err.Error(), "copy.csv", "the error names the copy")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Build(ctx, Options{Name: "x"}, in())
	assert.True(t, errors.Is(err, context.Canceled), "a cancelled build: %v", err)
}
