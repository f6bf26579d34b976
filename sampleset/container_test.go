package sampleset

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// The container fixtures: testdata/leak.csv compressed and archived by
// testdata/archives/make.sh.
const archives = "../testdata/archives/"

// member is what a test keeps of a member.
type member struct {
	path string
	cols []canon.Column
	recs [][]string
	info Info
	sum  string
}

// members reads every member of paths with o, failing the test on an
// error.
func members(t *testing.T, o *Opener, paths ...string) []member {
	t.Helper()
	ms, err := tryMembers(o, paths...)
	require.NoError(t, err, "members of %v", paths)
	return ms
}

func tryMembers(o *Opener, paths ...string) ([]member, error) {
	var out []member
	for m, err := range o.Members(context.Background(), paths...) {
		if err != nil {
			return out, err
		}
		cols, err := m.Reader.Columns()
		if err != nil {
			return out, err
		}
		var recs [][]string
		for rec, err := range m.Reader.All(context.Background()) {
			if err != nil {
				return out, err
			}
			recs = append(recs, rec)
		}
		sum, _, err := m.SHA256()
		if err != nil {
			return out, err
		}
		out = append(out, member{path: m.Path, cols: cols, recs: recs, info: m.Reader.Info(), sum: sum})
	}
	return out, nil
}

// leakRecords reads testdata/leak.csv directly.
func leakRecords(t *testing.T) ([]canon.Column, [][]string) {
	t.Helper()
	f, err := os.Open("../testdata/leak.csv")
	require.NoError(t, err)
	defer f.Close()
	r := NewReader(f)
	cols, err := r.Columns()
	require.NoError(t, err)
	return cols, readAll(t, r)
}

// Every compressed and archived form of the same file reads as the file.
func TestMembersRoundTrip(t *testing.T) {
	cols, want := leakRecords(t)
	for _, tc := range []struct{ file, member, compression string }{
		{"leak.csv.gz", "leak.csv.gz", "gzip"},
		{"leak.csv.bz2", "leak.csv.bz2", "bzip2"},
		{"leak.csv.xz", "leak.csv.xz", "xz"},
		{"leak.csv.zst", "leak.csv.zst", "zstd"},
		{"leak.zip", "leak.zip!leak.csv", ""},
		{"leak.7z", "leak.7z!leak.csv", ""},
		{"leak.tar.gz", "leak.tar.gz!leak.csv", ""},
		{"leak.tar.xz", "leak.tar.xz!leak.csv", ""},
		{"leak.tar.zst", "leak.tar.zst!leak.csv", ""},
	} {
		tmp := t.TempDir()
		ms := members(t, &Opener{TempDir: tmp}, archives+tc.file)
		require.Len(t, ms, 1, tc.file)
		assert.Equal(t, archives+tc.member, ms[0].path, tc.file)
		assert.Equal(t, cols, ms[0].cols, tc.file)
		assert.Equal(t, want, ms[0].recs, tc.file)
		assert.Equal(t, tc.compression, ms[0].info.Compression, tc.file)
		assert.Len(t, ms[0].sum, 64, tc.file)
		assertEmptyDir(t, tmp, tc.file)
	}
}

// A member's SHA-256 is that of its bytes as stored: a file's own bytes,
// compressed or not; an archive entry's bytes as extracted.
func TestMemberSHA256(t *testing.T) {
	fileSum := func(p string) string {
		ms := members(t, &Opener{}, p)
		require.Len(t, ms, 1, p)
		return ms[0].sum
	}
	plain := fileSum("../testdata/leak.csv")
	assert.Equal(t, plain, fileSum(archives+"leak.zip"), "a zip entry hashes as the file it holds")
	assert.Equal(t, plain, fileSum(archives+"leak.tar.zst"), "a tar entry hashes as the file it holds")
	assert.NotEqual(t, plain, fileSum(archives+"leak.csv.gz"), "a compressed file hashes as itself")
}

// An archive's entries are members in stored order; what is not data is
// passed over and reported.
func TestMembersOfArchive(t *testing.T) {
	_, want := leakRecords(t)
	var skipped []string
	o := &Opener{Skipped: func(p string, why error) { skipped = append(skipped, p) }}
	ms := members(t, o, archives+"parts.zip")
	require.Len(t, ms, 2)
	assert.Equal(t, archives+"parts.zip!a/first.csv", ms[0].path)
	assert.Equal(t, archives+"parts.zip!b/second.csv", ms[1].path)
	assert.Equal(t, want, append(ms[0].recs, ms[1].recs...), "the halves hold the file's records")
	assert.Equal(t, []string{archives + "parts.zip!a/logo.png", archives + "parts.zip!__MACOSX/._first.csv"}, skipped)

	ms = members(t, &Opener{}, archives+"nested.zip")
	require.Len(t, ms, 2)
	assert.Equal(t, archives+"nested.zip!inner.zip!a/first.csv", ms[0].path)
	assert.Equal(t, archives+"nested.zip!second.tar.gz!b/second.csv", ms[1].path)
	assert.Equal(t, want, append(ms[0].recs, ms[1].recs...), "nested archives hold the file's records")
}

// Archives inside archives inside archives, and archives of too many
// entries, are refused with a typed error naming where.
func TestMembersLimits(t *testing.T) {
	for _, tc := range []struct{ file, where string }{
		{"deep.zip", "deep.zip!mid.zip!inner.zip"},
		{"many.7z", "many.7z"},
	} {
		_, err := tryMembers(&Opener{}, archives+tc.file)
		require.ErrorIs(t, err, ErrLimit, tc.file)
		var me *MemberError
		require.ErrorAs(t, err, &me, tc.file)
		assert.Equal(t, archives+tc.where, me.Path, tc.file)
	}
	_, err := tryMembers(&Opener{Limits: Limits{MaxBytes: 100 << 10}}, archives+"leak.csv.xz")
	assert.ErrorIs(t, err, ErrLimit, "more bytes than MaxBytes")
	_, err = tryMembers(&Opener{Limits: Limits{MaxDepth: 1}}, archives+"nested.zip")
	assert.ErrorIs(t, err, ErrLimit, "MaxDepth 1 refuses an archive inside an archive")
}

// bombText returns n bytes of text that compress a thousandfold, the stuff
// of compression bombs.
func bombText(n int) []byte { return bytes.Repeat([]byte("a,b\n"), n/4) }

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

// Compression bombs are refused, whether the archive declares the size or
// a stream only shows it as it expands.
func TestMembersBombs(t *testing.T) {
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, err := zw.Create("bomb.csv")
	require.NoError(t, err)
	_, err = w.Write(bombText(64 << 20))
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	_, err = gw.Write(bombText(64 << 20))
	require.NoError(t, err)
	require.NoError(t, gw.Close())

	zst, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	zs := zst.EncodeAll(bombText(64<<20), nil)

	for name, b := range map[string][]byte{"bomb.zip": zb.Bytes(), "bomb.csv.gz": gz.Bytes(), "bomb.csv.zst": zs} {
		tmp := t.TempDir()
		_, err := tryMembers(&Opener{TempDir: tmp}, writeFile(t, name, b))
		assert.ErrorIs(t, err, ErrLimit, name)
		// From standard input, the zip is spooled: and removed.
		_, err = tryMembers(&Opener{TempDir: tmp, Stdin: bytes.NewReader(b)}, "-")
		assert.ErrorIs(t, err, ErrLimit, name+" on standard input")
		assertEmptyDir(t, tmp, name)
	}
}

// Names that climb out of the archive are refused.
func TestMembersUnsafeNames(t *testing.T) {
	for _, name := range []string{"../evil.csv", "a/../../evil.csv", "/etc/passwd", `..\evil.csv`, "C:/evil.csv"} {
		var tb bytes.Buffer
		tw := tar.NewWriter(&tb)
		body := []byte("email\na@example.com\n")
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg}))
		_, err := tw.Write(body)
		require.NoError(t, err)
		require.NoError(t, tw.Close())
		dir := t.TempDir()
		_, err = tryMembers(&Opener{TempDir: dir}, writeFile(t, "evil.tar", tb.Bytes()))
		assert.ErrorIs(t, err, ErrUnsafeName, name)
		assertEmptyDir(t, dir, name)
		assert.NoFileExists(t, filepath.Join(dir, "..", "evil.csv"), name)
	}
}

// Standard input may hold any container; one that needs random access is
// spooled and removed.
func TestMembersStdin(t *testing.T) {
	_, want := leakRecords(t)
	for _, file := range []string{"leak.zip", "leak.7z", "leak.tar.gz", "leak.csv.bz2"} {
		b, err := os.ReadFile(archives + file)
		require.NoError(t, err)
		tmp := t.TempDir()
		ms := members(t, &Opener{Stdin: bytes.NewReader(b), StdinName: "stdin", TempDir: tmp}, "-")
		require.Len(t, ms, 1, file)
		assert.True(t, strings.HasPrefix(ms[0].path, "stdin"), "%s: %s", file, ms[0].path)
		assert.Equal(t, want, ms[0].recs, file)
		assertEmptyDir(t, tmp, file)
	}
}

// A directory is walked in sorted order, and a glob the shell did not
// expand is expanded.
func TestMembersDirectoryAndGlob(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.csv", "a.csv", "sub/c.csv.gz"} {
		src, err := os.ReadFile(archives + "leak.csv.gz")
		require.NoError(t, err)
		if !strings.HasSuffix(n, ".gz") {
			src, err = os.ReadFile("../testdata/leak.csv")
			require.NoError(t, err)
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, n)), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), src, 0o600))
	}
	paths := func(ms []member) []string {
		var ps []string
		for _, m := range ms {
			ps = append(ps, strings.TrimPrefix(m.path, dir+"/"))
		}
		return ps
	}
	assert.Equal(t, []string{"a.csv", "b.csv", "sub/c.csv.gz"}, paths(members(t, &Opener{}, dir)))
	assert.Equal(t, []string{"a.csv", "b.csv"}, paths(members(t, &Opener{}, filepath.Join(dir, "*.csv"))))
	_, err := tryMembers(&Opener{}, filepath.Join(dir, "*.xlsx"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a glob that matches nothing")
}

// A stream compressed twice is refused rather than unpacked without end.
func TestMembersCompressedTwice(t *testing.T) {
	b, err := os.ReadFile(archives + "leak.csv.gz")
	require.NoError(t, err)
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	_, err = gw.Write(b)
	require.NoError(t, err)
	require.NoError(t, gw.Close())
	_, err = tryMembers(&Opener{}, writeFile(t, "leak.csv.gz.gz", gz.Bytes()))
	assert.ErrorIs(t, err, ErrLimit)
}

// Configure sets every member's Reader.
func TestMembersConfigure(t *testing.T) {
	o := &Opener{Configure: func(r *Reader) { r.Map = map[string]canon.Kind{"Email": canon.Other} }}
	for _, m := range members(t, o, archives+"nested.zip") {
		assert.Equal(t, canon.Other, m.cols[3].Kind, m.path)
	}
}

// Join reads members of different columns as one stream on the union of
// their columns.
func TestJoin(t *testing.T) {
	a := writeFile(t, "a.csv", []byte("email,phone\na@example.com,+380501234567\nb@example.com,+380501234568\n"))
	b := writeFile(t, "b.csv", []byte("phone;name\n+380501234569;Іван Петренко\n"))
	j, err := (&Opener{}).Join(context.Background(), a, b)
	require.NoError(t, err)
	defer j.Close()
	cols, err := j.Columns()
	require.NoError(t, err)
	var kinds []canon.Kind
	for _, c := range cols {
		kinds = append(kinds, c.Kind)
	}
	assert.Equal(t, []canon.Kind{canon.Email, canon.Phone, canon.Name}, kinds, "the phone columns are one")
	var got [][]string
	for rec, err := range j.All(context.Background()) {
		require.NoError(t, err)
		got = append(got, slices.Clone(rec))
	}
	assert.Equal(t, [][]string{
		{"a@example.com", "+380501234567", ""},
		{"b@example.com", "+380501234568", ""},
		{"", "+380501234569", "Іван Петренко"},
	}, got)
	assert.Equal(t, int64(3), j.Info().Records)
	ms := j.Members()
	require.Len(t, ms, 2)
	assert.Equal(t, int64(2), ms[0].Records)
	assert.Equal(t, ";", ms[1].Delimiter)

	// From standard input, twice over: it is spooled.
	src, err := os.ReadFile(archives + "parts.zip")
	require.NoError(t, err)
	tmp := t.TempDir()
	j, err = (&Opener{Stdin: bytes.NewReader(src), TempDir: tmp}).Join(context.Background(), "-")
	require.NoError(t, err)
	n := 0
	for _, err := range j.All(context.Background()) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2000, n)
	require.NoError(t, j.Close())
	assertEmptyDir(t, tmp, "stdin spool")

	_, err = (&Opener{}).Join(context.Background(), t.TempDir())
	assert.True(t, errors.Is(err, ErrNoMembers), "an empty directory: %v", err)
}

func assertEmptyDir(t *testing.T, dir, msg string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, es, "%s: nothing left behind in the temporary directory", msg)
}
