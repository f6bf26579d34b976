package fingerprint

// # The signature file format (.lps), versions 1 and 2
//
// Version 2 differs from version 1 only in a filter section's layout field
// (reserved and 0 in version 1), which lets a filter have the blocked
// layout. Writers write version 1 when every filter is classic.
//
// A signature file holds one [Signature]. All integers are little-endian and
// unsigned unless said otherwise; offsets are in bytes. A file is
//
//	Preamble  Header  Section × N  Trailer
//
// Preamble, 16 bytes, at offset 0:
//
//	+0   8  magic "\x89LPS\r\n\x1a\n" (89 4C 50 53 0D 0A 1A 0A). The high
//	        byte catches 7-bit channels, CR LF and LF catch text-mode line
//	        ending conversion, 1A stops a DOS "type".
//	+8   2  format version: 1 or 2. Any other value: ErrUnsupported.
//	+10  2  must-understand flags. A writer sets a bit when the file holds
//	        something a reader must understand to answer correctly. Version 1
//	        defines no flag: a reader refuses a file with any bit set it does
//	        not know (ErrUnsupported).
//	+12  4  header length H, in bytes, counted from offset 16. At most
//	        MaxHeaderSize; 16+H+32 must not exceed the file's length.
//
// Header, H bytes, at offset 16:
//
//	+0   4  canonicalisation version (Metadata.CanonVersion), at least 1
//	+4   1  hash mode (HashMode): 1 unkeyed, 2 keyed SipHash; other values
//	        are ErrUnsupported
//	+5   1  HyperLogLog precision p, 4 to 18: every distinct-count sketch in
//	        the file has 2^p registers
//	+6   2  key ID length L, at most 64: 0 when unkeyed, 16 when keyed
//	+8   8  false-positive rate (Metadata.FPR), IEEE 754 binary64, in (0, 0.5)
//	+16  8  filter capacity (Metadata.Capacity), 0 when auto-sized
//	+24  8  MinHash scale (Metadata.MinHashScale), at least 1
//	+32  4  section count N, at most 4096
//	+36  4  metadata length J
//	+40  L  key ID (Metadata.KeyID): 16 lower-case hex digits when keyed
//	+40+L   J  Metadata as JSON (encoding/json of Metadata); unknown members
//	        are ignored, so Metadata may gain fields without a new version.
//	        Its canon_version, hash_mode, key_id, fpr, capacity and
//	        minhash_scale must equal the binary copies above.
//	+40+L+J 4  CRC-32C (Castagnoli) of file bytes [0, 16+H-4): the
//	        preamble and the header up to this field.
//
// H must be exactly 44+L+J.
//
// Sections follow the header back to back until the trailer. Each is
//
//	+0   1  type (below); 0 is invalid
//	+1   1  kind: a Kind (0 to 15), or 255 for the pair filter and sketch
//	+2   2  reserved, 0
//	+4   8  payload length P, at most the bytes left before the trailer
//	+12  P  payload
//	+12+P 4 CRC-32C of the section's bytes [+0, +12+P)
//
// Sections are in strictly increasing order of (kind, type), so a kind has at
// most one section of each type and a signature has one encoding. The first
// section of a kind 0-15 is its counts section; kind 255 has only distinct
// and filter sections. Sections of an unknown type (7 to 255) are checked
// (CRC, order) and skipped: a writer adds optional sections that way and
// sets a must-understand flag for any a reader may not skip. Types:
//
//	1 counts, P = 24: values, valid, check-failed (uint64 each);
//	  valid + check-failed <= values.
//	2 dates, P = 2+a+b: a (1 byte), a bytes of MinDate, b (1 byte), b bytes
//	  of MaxDate; each at most 32 printable ASCII bytes, not both empty,
//	  MinDate <= MaxDate when both are set. Written only when one is set.
//	3 distinct: the dense (version 2) encoding of an
//	  github.com/axiomhq/hyperloglog sketch, P = 8 + 2^p exactly:
//	  02, p, 00, 00, 2^p as a big-endian uint32, then 2^p register bytes,
//	  each at most 65-p. Sparse sketches are written densified, since only
//	  the dense encoding is deterministic.
//	4 filter, P = 16 + d + m/8: m, the size in bits (uint64, in
//	  [MinFilterBits, MaxFilterBits]); k (uint32); the layout in the low 16
//	  bits of a uint32 and d, 0 to 7, in its high 16 (version 1: reserved,
//	  0); d zero bytes; then the m/64 words of the bit array, uint64 each.
//	  Layout 0, classic (github.com/bits-and-blooms/bloom/v3): d = 0, m a
//	  power of two, k hash functions, k = round(-log2 FPR) clamped to [1,
//	  32]. Layout 1, blocked (see Filter): m a multiple of 512, k = 8, block
//	  b in words [8b, 8b+8); writers choose d so that the words start at a
//	  multiple of 8 bytes from the start of the file, which lets a reader
//	  use them in place. Other layouts: ErrUnsupported.
//	5 minhash, P = 8 + 8n: n (uint64, at least 1), then n hashes (uint64
//	  each), strictly increasing, each at most MinHashThreshold(scale).
//	  Written only when n > 0.
//	6 frequent (optional: readers before it skip it, as any unknown
//	  type), strong kinds only, P = 8 + 4w: w (uint32, a power of two
//	  from 64 to 8192), the depth 2 (uint32), then 2 rows of w counters
//	  (uint16 each): a Count-Min sketch of the records holding each value
//	  (see Frequent), each record adding 1, saturating at 65535, to
//	  counter (hash × s_r) >> (64 − log2 w) of row r, s_0 =
//	  0x9e3779b97f4a7c15, s_1 = 0xc2b2ae3d27d4eb4f. Unless a counter is
//	  saturated the rows add up alike; neither adds up to more than valid
//	  + check-failed. Writers since it was added write it for every strong
//	  kind; w is chosen from the capacity, or else the distinct count.
//
// Trailer, 32 bytes: SHA-256 of every byte before it.
//
// A reader checks, before it allocates anything: the preamble, the header's
// lengths and CRC, every section's length against the bytes that remain
// (ErrTooLarge), its CRC (ErrChecksum), order and reserved bytes, and the
// trailer (ErrChecksum). Only then does it decode the metadata and the
// payloads, and check the parameters and every invariant above. Any other
// departure from this layout is ErrCorrupt. Writers produce exactly this
// layout, so the same Signature always gives the same bytes.

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Limits and constants of the signature file format.
const (
	// FormatVersion is the newest version of the signature file format, the
	// one written for signatures with blocked filters. A signature whose
	// filters are all classic (read from a version 1 file) is written as
	// version 1, byte for byte as it was read. Every version from 1 is read.
	FormatVersion = 2
	// MaxFileSize is the largest signature file ReadFile reads (16 GiB);
	// on Linux it also refuses a file larger than the machine's RAM.
	MaxFileSize = 16 << 30
	// MaxHeaderSize is the largest header (metadata included) a signature
	// file may have (16 MiB).
	MaxHeaderSize = 16 << 20
	// MaxMetadataObjects bounds the JSON objects of a signature's
	// metadata: the metadata itself, its inputs and their columns (2^18).
	// Decoding an object costs far more memory than its bytes: without a
	// bound, 17 MB of empty inputs took 2 GB to read.
	MaxMetadataObjects = 1 << 18
)

const (
	lpsMagic        = "\x89LPS\r\n\x1a\n"
	lpsPreambleLen  = 16
	lpsHeaderFixed  = 40
	lpsCRCLen       = 4
	lpsSectionHead  = 12
	lpsSectionMin   = lpsSectionHead + lpsCRCLen
	lpsTrailerLen   = sha256.Size
	lpsMaxKeyIDLen  = 64
	lpsMaxSections  = 4096
	lpsMaxDateLen   = 32
	lpsPairsKind    = 0xFF
	lpsDefaultHLLP  = 14
	lpsHLLVersion   = 2
	lpsHLLHeaderLen = 8
)

// Filter layouts, in a filter section's layout field (version 2; reserved
// and 0 in version 1).
const (
	layoutClassic = 0
	layoutBlocked = 1
)

// Section types.
const (
	secCounts   = 1
	secDates    = 2
	secDistinct = 3
	secFilter   = 4
	secMinHash  = 5
	secFrequent = 6
	secKnownMax = secFrequent
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Errors of the signature file format, checkable with errors.Is. Every error
// from decoding wraps exactly one of them and says where (offset, section,
// kind) the problem is.
var (
	// ErrCorrupt: the bytes do not follow the format's structure.
	ErrCorrupt = errors.New("fingerprint: corrupt signature file")
	// ErrChecksum: a section's CRC-32C or the file's SHA-256 does not match.
	ErrChecksum = errors.New("fingerprint: signature file checksum mismatch")
	// ErrUnsupported: a format version, must-understand flag, hash mode or
	// kind this reader does not know.
	ErrUnsupported = errors.New("fingerprint: unsupported signature file")
	// ErrTooLarge: a size beyond the format's limits or beyond the bytes
	// that remain (a truncated file).
	ErrTooLarge = errors.New("fingerprint: signature file size beyond limits")
)

// DoNotShare reports whether a signature with this metadata must stay with
// the team that made it: true unless its hashes are keyed. Unkeyed hashes use
// a public seed, so anyone holding the file can hash a guessed value (a
// phone number, an ID number: small spaces) and test it against the filters,
// which turns the file into a lookup service for the dump's contents.
func (m *Metadata) DoNotShare() bool { return m.HashMode != KeyedSipHash }

func lpsErr(sentinel error, off int, format string, args ...any) error {
	return fmt.Errorf("%w: offset %d: %s", sentinel, off, fmt.Sprintf(format, args...))
}

func sectionName(typ, kind byte) string {
	var t string
	switch typ {
	case secCounts:
		t = "counts"
	case secDates:
		t = "dates"
	case secDistinct:
		t = "distinct"
	case secFilter:
		t = "filter"
	case secFrequent:
		t = "frequent"
	case secMinHash:
		t = "minhash"
	default:
		t = fmt.Sprintf("type %d", typ)
	}
	if kind == lpsPairsKind {
		return t + " section of pairs"
	}
	return t + " section of " + canon.Kind(kind).String()
}

// ---------------------------------------------------------------------------
// Checks shared by the writer and the reader, so that nothing is written that
// cannot be read.

// errHashMode marks a hash mode this reader does not know (ErrUnsupported).
var errHashMode = errors.New("unknown hash mode")

func checkMeta(m *Metadata) error {
	switch m.HashMode {
	case Unkeyed:
		if m.KeyID != "" {
			return fmt.Errorf("unkeyed signature has key ID %q", m.KeyID)
		}
	case KeyedSipHash:
		if !isKeyID(m.KeyID) {
			return fmt.Errorf("keyed signature has key ID %q, want 16 lower-case hex digits", m.KeyID)
		}
	default:
		return fmt.Errorf("%w %d", errHashMode, m.HashMode)
	}
	if m.CanonVersion < 1 || int64(m.CanonVersion) > math.MaxUint32 {
		return fmt.Errorf("normaliser version %d", m.CanonVersion)
	}
	if !(m.FPR > 0 && m.FPR < 0.5) {
		return fmt.Errorf("false-positive rate %g outside (0, 0.5)", m.FPR)
	}
	if m.MinHashScale < 1 {
		return errors.New("MinHash scale 0")
	}
	if r, ok := canon.ParseRegion(string(m.Region)); !ok || r != m.Region {
		return fmt.Errorf("region %q", m.Region)
	}
	if m.Snapshot != "" {
		t, err := time.Parse(time.DateOnly, m.Snapshot)
		if err != nil {
			return fmt.Errorf("snapshot %q is not YYYY-MM-DD", m.Snapshot)
		}
		if !m.Created.IsZero() && t.After(m.Created.Add(24*time.Hour)) {
			return fmt.Errorf("snapshot %s after the signature was made (%s)", m.Snapshot, m.Created.Format(time.DateOnly))
		}
	}
	if n := metadataObjects(m); n > MaxMetadataObjects {
		return fmt.Errorf("%d inputs and columns: at most %d", n, MaxMetadataObjects)
	}
	if m.Records > maxCount || m.Skipped > maxCount {
		return fmt.Errorf("%d records and %d skipped: counts above 2^53", m.Records, m.Skipped)
	}
	return nil
}

// metadataObjects counts the JSON objects of m: itself, each input and
// each of their columns.
func metadataObjects(m *Metadata) int {
	n := 1 + len(m.Inputs)
	for _, in := range m.Inputs {
		n += len(in.Columns)
	}
	return n
}

// maxCount bounds every count a signature holds: 2^53, beyond which a
// float64 share could not tell counts apart and sums could overflow.
const maxCount = 1 << 53

func isKeyID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// checkDate checks a sketch's date bound: empty, or a canonical date, a
// real calendar day YYYY-MM-DD or a year YYYY (see canon.AppendDate).
func checkDate(s string) error {
	if len(s) > lpsMaxDateLen {
		return fmt.Errorf("date of %d bytes, at most %d", len(s), lpsMaxDateLen)
	}
	switch {
	case s == "":
	case len(s) == 4 && strings.Trim(s, "0123456789") == "":
	case len(s) == 10:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fmt.Errorf("date %q is not a day", s)
		}
	default:
		return fmt.Errorf("date %q is neither YYYY-MM-DD nor YYYY", s)
	}
	return nil
}

// checkField checks one field sketch against the metadata.
func checkField(f *FieldSketch, m *Metadata) error {
	if f.Valid > f.Values || f.CheckFailed > f.Values-f.Valid {
		return fmt.Errorf("%d valid and %d check-failed of %d values", f.Valid, f.CheckFailed, f.Values)
	}
	if f.Values > maxCount {
		return fmt.Errorf("%d values: counts above 2^53", f.Values)
	}
	// A HyperLogLog of precision 14 is within 1% of the truth: far more
	// distinct values than were hashed is a forged sketch.
	if hashed := f.Valid + f.CheckFailed; float64(f.DistinctCount()) > 1.1*float64(hashed)+16 {
		return fmt.Errorf("distinct count %d of %d values hashed", f.DistinctCount(), hashed)
	}
	if err := checkDate(f.MinDate); err != nil {
		return err
	}
	if err := checkDate(f.MaxDate); err != nil {
		return err
	}
	if f.MinDate != "" && f.MaxDate != "" && f.MinDate > f.MaxDate {
		return fmt.Errorf("dates from %q to %q", f.MinDate, f.MaxDate)
	}
	if err := checkFilterK(f.Filter, m); err != nil {
		return err
	}
	if f.Frequent != nil {
		if !f.Kind.Strong() {
			return fmt.Errorf("%w of a kind that is no identifier", errFrequent)
		}
		if err := f.Frequent.check(f.Valid + f.CheckFailed); err != nil {
			return err
		}
	}
	thr := MinHashThreshold(m.MinHashScale)
	for i, h := range f.MinHash {
		if h > thr {
			return fmt.Errorf("MinHash %d (%#x) above the threshold %#x of scale %d", i, h, thr, m.MinHashScale)
		}
		if i > 0 && h <= f.MinHash[i-1] {
			return fmt.Errorf("MinHash %d (%#x) not above the one before", i, h)
		}
	}
	return nil
}

// checkFilterK checks a classic filter's hash-function count against the
// false-positive rate it was built for (a blocked filter always sets 8
// bits, checked with its size).
func checkFilterK(f *Filter, m *Metadata) error {
	if f != nil && !f.Blocked() && f.K() != classicK(m.FPR) {
		return fmt.Errorf("filter has %d hash functions, false-positive rate %g needs %d", f.K(), m.FPR, classicK(m.FPR))
	}
	return nil
}

// ---------------------------------------------------------------------------
