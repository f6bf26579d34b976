package fingerprint

import (
	"bytes"
	"encoding/hex"
	"io/fs"
	"os"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

// Known answers pin the hash functions: a change here changes every
// signature ever written, which needs a new HashMode.
func TestHasherKnownAnswers(t *testing.T) {
	unkeyed, err := NewHasher(nil)
	require.NoError(t, err)
	keyed, err := NewHasher(testKey(7))
	require.NoError(t, err)
	for _, tc := range []struct {
		h    *Hasher
		kind canon.Kind
		in   string
		want uint64
	}{
		{unkeyed, canon.Phone, "+380671234567", unkeyedPhoneKA},
		{unkeyed, canon.Email, "ivan@example.com", unkeyedEmailKA},
		{keyed, canon.Phone, "+380671234567", keyedPhoneKA},
	} {
		assert.Equalf(t, tc.want, tc.h.Sum64(tc.kind, []byte(tc.in)), "%s %s %q", tc.h.Mode(), tc.kind, tc.in)
	}
	assert.Equal(t, "", unkeyed.KeyID(), "unkeyed key id")
	assert.Len(t, keyed.KeyID(), 16, "keyed key id")
}

const (
	unkeyedPhoneKA = 0x7acf4293fd04ec79
	unkeyedEmailKA = 0x0c317b01fc03a1aa
	keyedPhoneKA   = 0xb3ab71cab7ab5609
)

func TestHasherSeparatesKindsAndKeys(t *testing.T) {
	u, _ := NewHasher(nil)
	k1, _ := NewHasher(testKey(1))
	k2, _ := NewHasher(testKey(2))
	v := []byte("1234567890")
	assert.NotEqual(t, u.Sum64(canon.Phone, v), u.Sum64(canon.NationalID, v), "same bytes under two kinds")
	assert.NotEqual(t, k1.Sum64(canon.Phone, v), k2.Sum64(canon.Phone, v), "two keys")
	assert.NotEqual(t, u.Sum64(canon.Phone, v), k1.Sum64(canon.Phone, v), "keyed vs unkeyed")
	assert.NotEqual(t, k1.KeyID(), k2.KeyID(), "key ids of two keys")
	again, _ := NewHasher(testKey(1))
	assert.Equal(t, k1.Sum64(canon.Phone, v), again.Sum64(canon.Phone, v), "same key, same hash")
}

func TestHasherRefusesShortKeys(t *testing.T) {
	_, err := NewHasher(make([]byte, 31))
	assert.ErrorIs(t, err, ErrShortKey, "31-byte key")
}

// strongKey is a fixed key of 32 distinct bytes, for key files.
func strongKey() []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(7*i + 3)
	}
	return k
}

func TestReadKeyFile(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		p := dir + "/" + name
		require.NoError(t, writeFile(p, b))
		return p
	}
	raw := file("raw", strongKey())
	k, err := ReadKeyFile(raw)
	require.NoError(t, err)
	assert.Equal(t, strongKey(), k, "raw key file")
	hexFile := file("hex", []byte(hex.EncodeToString(strongKey())+"\n"))
	k, err = ReadKeyFile(hexFile)
	require.NoError(t, err)
	assert.Equal(t, strongKey(), k, "hex key file")

	for _, tc := range []struct {
		what string
		b    []byte
		want error
	}{
		{"too short", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, ErrShortKey},
		{"openssl rand -hex 16: 128 bits written as 33 bytes of text", []byte("0123456789abcdef0123456789abcdef\n"), ErrShortKey},
		{"32 NUL bytes", bytes.Repeat([]byte{0}, 32), ErrWeakKey},
		{"32 ASCII zeros: hex of 16 zero bytes", bytes.Repeat([]byte("0"), 32), ErrShortKey},
		{"64 ASCII zeros: hex of 32 zero bytes", bytes.Repeat([]byte("0"), 64), ErrWeakKey},
		{"32 spaces", bytes.Repeat([]byte(" "), 32), ErrWeakKey},
		{"a passphrase", []byte("correct horse battery staple and then some more words\n"), ErrWeakKey},
		{"two byte values", bytes.Repeat([]byte{0xfe, 0x01}, 16), ErrWeakKey},
	} {
		_, err := ReadKeyFile(file("k", tc.b))
		assert.ErrorIsf(t, err, tc.want, "%s", tc.what)
	}

	h, err := LoadHasher(hexFile)
	require.NoError(t, err)
	want, err := NewHasher(strongKey())
	require.NoError(t, err)
	assert.Equal(t, want.KeyID(), h.KeyID(), "LoadHasher of a key file")
	h, err = LoadHasher("")
	require.NoError(t, err)
	assert.Equal(t, Unkeyed, h.Mode(), "LoadHasher without a file")
	_, err = LoadHasher(file("short", []byte("tooshort")))
	assert.Error(t, err, "LoadHasher of a short key")
}

func TestCreateKeyFile(t *testing.T) {
	path := t.TempDir() + "/team.key"
	require.NoError(t, CreateKeyFile(path))
	key, err := ReadKeyFile(path)
	require.NoError(t, err, "a created key file reads back")
	assert.Len(t, key, MinKeySize)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "readable by its owner only")
	assert.ErrorIs(t, CreateKeyFile(path), fs.ErrExist, "never replaces a file")
	again, err := ReadKeyFile(path)
	require.NoError(t, err)
	assert.Equal(t, key, again, "the key is unchanged")
}

func TestGenerateKey(t *testing.T) {
	a, b := GenerateKey(), GenerateKey()
	assert.Len(t, a, MinKeySize)
	assert.NotEqual(t, a, b, "two keys differ")
	_, err := parseKey(a)
	assert.NoError(t, err, "a generated key is strong")
}

func TestHasherZeroAlloc(t *testing.T) {
	u, _ := NewHasher(nil)
	k, _ := NewHasher(testKey(3))
	v := []byte("+380671234567")
	for _, h := range []*Hasher{u, k} {
		allocs := testing.AllocsPerRun(100, func() { h.Sum64(canon.Phone, v) })
		assert.Zerof(t, allocs, "allocations of %s", h.Mode())
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { PairHash(1, 2) }), "PairHash allocations")
}

func TestPairHashUnordered(t *testing.T) {
	assert.Equal(t, PairHash(5, 9), PairHash(9, 5), "pair order")
	assert.NotEqual(t, PairHash(5, 9), PairHash(5, 10), "different pairs")
}

func BenchmarkHasher(b *testing.B) {
	u, _ := NewHasher(nil)
	k, _ := NewHasher(testKey(3))
	for _, size := range []int{8, 16, 32, 64} {
		v := bytes.Repeat([]byte{'7'}, size)
		for _, h := range []*Hasher{u, k} {
			b.Run(h.Mode().String()+"/"+itoa(size), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					h.Sum64(canon.Phone, v)
				}
			})
		}
	}
}
