package index

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildInParts builds the inputs as a distributed build would: split,
// cut into ranges of about size bytes, every part carried as its encoding
// and built apart in an order seed shuffles, the signatures merged in
// another.
func buildInParts(t *testing.T, o Options, size int64, seed uint64, inputs ...Input) (*fingerprint.Signature, int) {
	t.Helper()
	ctx := context.Background()
	files, err := Split(ctx, inputs...)
	require.NoError(t, err)
	var parts []Part
	for _, f := range files {
		cut, err := Cut(ctx, o, f, size)
		require.NoError(t, err, "cut %s", f)
		parts = append(parts, cut...)
	}
	rnd := rand.New(rand.NewPCG(seed, 2))
	rnd.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	var sizes *fingerprint.Counts
	if o.Capacity == 0 {
		sizes = fingerprint.NewCounts()
		for _, p := range parts {
			c, err := CountPart(ctx, o, p)
			require.NoError(t, err, "count %s", p)
			sizes.Merge(c)
		}
	}
	// The first part is built alone, the others by three workers, each
	// given every third part.
	var sigs []*fingerprint.Signature
	var infos []PartInfo
	var workers [3]*PartBuilder
	for i, p := range parts {
		b, err := p.MarshalBinary()
		require.NoError(t, err)
		var q Part
		require.NoError(t, q.UnmarshalBinary(b), "decode %s", p)
		if i == 0 {
			sig, info, err := BuildPart(ctx, o, q, sizes)
			require.NoError(t, err, "build %s", q)
			sigs, infos = append(sigs, sig), append(infos, info)
			continue
		}
		w := &workers[i%3]
		if *w == nil {
			*w, err = NewPartBuilder(o, sizes)
			require.NoError(t, err)
		}
		require.NoError(t, (*w).Add(ctx, q), "build %s", q)
	}
	for _, w := range workers {
		if w == nil {
			continue
		}
		sig, in, err := w.Finish()
		require.NoError(t, err)
		sigs, infos = append(sigs, sig), append(infos, in...)
	}
	rnd.Shuffle(len(sigs), func(i, j int) { sigs[i], sigs[j] = sigs[j], sigs[i] })
	merged := sigs[0]
	for _, s := range sigs[1:] {
		merged, err = fingerprint.Merge(merged, s)
		require.NoError(t, err)
	}
	sig, err := Assemble(o, files, merged, infos)
	require.NoError(t, err)
	return sig, len(parts)
}

func encoded(t *testing.T, s *fingerprint.Signature) []byte {
	t.Helper()
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	return b
}

func TestBuildInPartsIsBuild(t *testing.T) {
	root := filepath.Join("..", "..", "testdata")
	inputs := []Input{
		File(filepath.Join(root, "ua", "sources", "bank-2016.csv")), // windows-1251, CRLF
		File(filepath.Join(root, "ua", "sources", "combo-2017.txt")),
		File(filepath.Join(root, "ua", "sources", "social-2013.jsonl")),
		File(filepath.Join(root, "archives", "parts.zip")),
		File(filepath.Join(root, "in", "sources")), // a directory
	}
	for _, capacity := range []uint64{0, 40_000} {
		o := Options{Name: "parts", Snapshot: "2024-01-01", Created: created, Capacity: capacity,
			CheckCapacity: true, RequireIdentifiers: true, Workers: 2}
		whole, err := Build(context.Background(), o, inputs...)
		require.NoError(t, err)
		want := encoded(t, whole)
		for _, size := range []int64{4 << 10, 50 << 10, 1 << 30} {
			got, n := buildInParts(t, o, size, uint64(size)+capacity, inputs...)
			assert.Equal(t, whole.Meta, got.Meta, "capacity %d, ranges of %d bytes: metadata", capacity, size)
			assert.True(t, bytes.Equal(want, encoded(t, got)), "capacity %d, ranges of %d bytes (%d parts): the signature Build makes", capacity, size, n)
			if size == 4<<10 {
				assert.Greater(t, n, 40, "small ranges make many parts")
			}
		}
	}
}

func TestAssembleRefusesPartsThatAreNotOneBuild(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	require.NoError(t, os.WriteFile(a, dump(1, 300), 0o600))
	require.NoError(t, os.WriteFile(b, dump(2, 300), 0o600))
	ctx := context.Background()
	o := Options{Name: "x", Created: created, Capacity: 5000}
	files, err := Split(ctx, File(a), File(b))
	require.NoError(t, err)
	require.Len(t, files, 2)
	var parts []Part
	for _, f := range files {
		cut, err := Cut(ctx, o, f, 2000)
		require.NoError(t, err)
		parts = append(parts, cut...)
	}
	require.Greater(t, len(parts), 4)
	var merged *fingerprint.Signature
	var infos []PartInfo
	for _, p := range parts {
		sig, info, err := BuildPart(ctx, o, p, nil)
		require.NoError(t, err)
		infos = append(infos, info)
		if merged == nil {
			merged = sig
		} else if merged, err = fingerprint.Merge(merged, sig); err != nil {
			require.NoError(t, err)
		}
	}
	_, err = Assemble(o, files, merged, infos)
	require.NoError(t, err, "all the parts")

	_, err = Assemble(o, files, merged, infos[1:])
	assert.ErrorIs(t, err, ErrParts, "the first range missing")
	_, err = Assemble(o, files, merged, append(infos[:2:2], infos[3:]...))
	assert.ErrorIs(t, err, ErrParts, "a middle range missing")
	_, err = Assemble(o, files, merged, append(infos, infos[2]))
	assert.ErrorIs(t, err, ErrParts, "a range twice")
	_, err = Assemble(o, files[:1], merged, infos)
	assert.ErrorIs(t, err, ErrParts, "parts of a file not split")
	last := len(infos) - 1
	_, err = Assemble(o, files, merged, infos[:last])
	assert.ErrorIs(t, err, ErrParts, "the last range missing")

	_, _, err = BuildPart(ctx, Options{Name: "x", Created: created}, parts[0], nil)
	assert.ErrorIs(t, err, ErrOptions, "neither a capacity nor counts")
	_, err = Split(ctx, Reader("stdin", bytes.NewReader(nil)))
	assert.ErrorIs(t, err, ErrOptions, "a stream cannot be split")
}

func TestPartUnmarshalRefusesBadEncodings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	require.NoError(t, os.WriteFile(path, dump(1, 50), 0o600))
	ctx := context.Background()
	files, err := Split(ctx, File(path))
	require.NoError(t, err)
	parts, err := Cut(ctx, Options{}, files[0], 1000)
	require.NoError(t, err)
	require.Greater(t, len(parts), 1)
	for i, p := range parts {
		b, err := p.MarshalBinary()
		require.NoError(t, err)
		var q Part
		require.NoError(t, q.UnmarshalBinary(b), "part %d", i)
		assert.Equal(t, p.String(), q.String(), "part %d survives its encoding", i)
		assert.Equal(t, p.meta != nil, q.meta != nil, "part %d: metadata", i)
	}
	for name, bad := range map[string]string{
		"not json":  `{`,
		"version":   `{"v":2,"input":0,"file":0,"seq":0,"of":"a","path":"a"}`,
		"no path":   `{"v":1,"input":0,"file":0,"seq":0,"of":"a","path":""}`,
		"negative":  `{"v":1,"input":-1,"file":0,"seq":0,"of":"a","path":"a"}`,
		"seq whole": `{"v":1,"input":0,"file":0,"seq":3,"of":"a","path":"a"}`,
		"no meta":   `{"v":1,"input":0,"file":0,"seq":0,"of":"a","path":"a","ranges":2}`,
		"bad range": `{"v":1,"input":0,"file":0,"seq":1,"of":"a","path":"a","range":"e30="}`,
	} {
		q := parts[0]
		err := q.UnmarshalBinary([]byte(bad))
		assert.ErrorIs(t, err, ErrParts, name)
		assert.Equal(t, parts[0], q, "%s: the receiver is untouched", name)
	}
}
