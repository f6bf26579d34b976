package fingerprint

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/regular"

	"github.com/cespare/xxhash/v2"
	"github.com/dchest/siphash"
)

// HashMode identifies the hash function of a signature. It is written into
// every signature file; values hashed under different modes (or keys) are
// never compared.
type HashMode uint8

const (
	// Unkeyed is xxhash64 with a fixed public seed per kind. It is fast, but
	// anyone holding a signature can test a guessed value, so unkeyed
	// signatures must not be shared outside the team that made them.
	Unkeyed HashMode = 1
	// KeyedSipHash is SipHash-2-4 under per-kind keys derived from a secret
	// key of at least 256 bits with HMAC-SHA256.
	KeyedSipHash HashMode = 2
)

// String returns "xxhash64-unkeyed" or "siphash24-keyed".
func (m HashMode) String() string {
	switch m {
	case Unkeyed:
		return "xxhash64-unkeyed"
	case KeyedSipHash:
		return "siphash24-keyed"
	}
	return fmt.Sprintf("hash-mode(%d)", uint8(m))
}

// maxKeyFile bounds a key file: a key is 32 bytes, or 64 hex digits.
const maxKeyFile = 4 << 10

// MinKeySize is the shortest secret key, in bytes, that keyed hashing accepts.
const MinKeySize = 32

// ErrShortKey is returned for a secret key shorter than MinKeySize bytes.
var ErrShortKey = errors.New("fingerprint: key shorter than 32 bytes")

// ErrWeakKey is returned by ReadKeyFile for a key file that cannot hold 256
// random bits: text that is not hex, or bytes of very few distinct values.
// A weak key would let anyone confirm a guess of it against the key ID.
var ErrWeakKey = errors.New("fingerprint: weak key")

// Hasher maps canonical values to 64-bit hashes, separated by kind so that
// the same bytes under two kinds never collide on purpose. A Hasher is
// immutable and safe for concurrent use.
type Hasher struct {
	mode  HashMode
	keyID string
	seeds [canon.KindCount][2]uint64
}

// unkeyedSeedLabel is the public seed label of unkeyed hashing. Changing it
// changes every unkeyed signature: never do that without a new HashMode.
const unkeyedSeedLabel = "leakprov/v1/unkeyed/"

// NewHasher returns the unkeyed hasher when key is empty, and a keyed one
// otherwise. Keys shorter than MinKeySize bytes are refused.
func NewHasher(key []byte) (*Hasher, error) {
	h := &Hasher{}
	if len(key) == 0 {
		h.mode = Unkeyed
		for k := range h.seeds {
			h.seeds[k][0] = xxhash.Sum64String(unkeyedSeedLabel + canon.Kind(k).String())
		}
		return h, nil
	}
	if len(key) < MinKeySize {
		return nil, fmt.Errorf("%w (have %d)", ErrShortKey, len(key))
	}
	h.mode = KeyedSipHash
	for k := range h.seeds {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte("leakprov/v1/kind/" + canon.Kind(k).String()))
		sum := mac.Sum(nil)
		h.seeds[k] = [2]uint64{binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])}
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("leakprov/v1/key-id"))
	h.keyID = hex.EncodeToString(mac.Sum(nil)[:8])
	return h, nil
}

// ReadKeyFile reads a secret key from a regular file of at most 4 KiB: raw
// bytes, or hexadecimal text (surrounding white space ignored). It refuses
// fewer than 32 bytes of key (ErrShortKey), and text that is not hex or a
// key of fewer than 8 distinct byte values (ErrWeakKey).
func ReadKeyFile(path string) ([]byte, error) {
	b, err := regular.ReadFile(path, maxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	key, err := parseKey(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return key, nil
}

// minKeyDistinct is the fewest distinct byte values a key may have: 32
// random bytes have about 30, and fewer than 8 in a 32-byte key has a
// chance below 10^-20.
const minKeyDistinct = 8

// parseKey reads a key file's bytes: hex text (any even number of hex
// digits, surrounding white space ignored) or raw bytes. It refuses fewer
// than MinKeySize bytes of key, text that is not hex (a passphrase holds
// far less than 256 bits), and keys of under minKeyDistinct distinct byte
// values (32 NUL bytes, 32 spaces).
func parseKey(b []byte) ([]byte, error) {
	if t := bytes.TrimSpace(b); len(t) > 0 && len(t)%2 == 0 {
		if d, err := hex.DecodeString(string(t)); err == nil {
			b = d
		} else if isText(t) {
			return nil, fmt.Errorf("%w: text that is not hex (write 64 hex digits, or use leakprov keygen)", ErrWeakKey)
		}
	} else if len(t) > 0 && isText(t) {
		return nil, fmt.Errorf("%w: text that is not hex (write 64 hex digits, or use leakprov keygen)", ErrWeakKey)
	}
	if len(b) < MinKeySize {
		return nil, fmt.Errorf("%w (have %d)", ErrShortKey, len(b))
	}
	var seen [256]bool
	distinct := 0
	for _, c := range b {
		if !seen[c] {
			seen[c], distinct = true, distinct+1
		}
	}
	if distinct < minKeyDistinct {
		return nil, fmt.Errorf("%w: only %d distinct byte values", ErrWeakKey, distinct)
	}
	return b, nil
}

// isText reports whether b is printable ASCII and white space only.
func isText(b []byte) bool {
	for _, c := range b {
		if (c < ' ' || c > '~') && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// GenerateKey returns a new secret key of MinKeySize random bytes.
func GenerateKey() []byte {
	key := make([]byte, MinKeySize)
	rand.Read(key) // never fails: crypto/rand ends the program instead
	return key
}

// CreateKeyFile writes a new key (GenerateKey) to path as 64 hex digits and
// a newline, readable by its owner only. It never replaces a file: an
// existing path is an error wrapping fs.ErrExist.
func CreateKeyFile(path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			err = fmt.Errorf("key file %s: %w", path, err)
		}
	}()
	if _, err = fmt.Fprintf(f, "%x\n", GenerateKey()); err != nil {
		return err
	}
	return f.Sync()
}

// LoadHasher returns the hasher of the key in keyFile (see ReadKeyFile),
// or the unkeyed hasher when keyFile is "".
func LoadHasher(keyFile string) (*Hasher, error) {
	if keyFile == "" {
		return NewHasher(nil)
	}
	key, err := ReadKeyFile(keyFile)
	if err != nil {
		return nil, err
	}
	return NewHasher(key)
}

// Mode returns the hash mode.
func (h *Hasher) Mode() HashMode { return h.mode }

// KeyID returns a public identifier of the secret key (16 hex digits), or
// "" for unkeyed hashing. It reveals nothing about the key.
func (h *Hasher) KeyID() string { return h.keyID }

// Sum64 returns the hash of a canonical value of kind k. It does not
// allocate.
func (h *Hasher) Sum64(k canon.Kind, canonical []byte) uint64 {
	s := h.seeds[k%canon.KindCount]
	if h.mode == KeyedSipHash {
		return siphash.Hash(s[0], s[1], canonical)
	}
	return xxhash64Seed(canonical, s[0])
}

// PairHash combines the hashes of two identifiers of one record into the
// hash of the unordered pair.
func PairHash(a, b uint64) uint64 {
	if a > b {
		a, b = b, a
	}
	return xxhash64Words(a, b) // xxhash.Sum64 of a and b little-endian
}
