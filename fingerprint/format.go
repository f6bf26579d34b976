package fingerprint

// # The signature file format (.lps), version 1
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
//	+8   2  format version: 1. Any other value: ErrUnsupported.
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
// and filter sections. Sections of an unknown type (6 to 255) are checked
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
//	4 filter, P = 16 + m/8: m, the size in bits (uint64, a power of two in
//	  [MinFilterBits, MaxFilterBits]); k, the hash-function count (uint32,
//	  equal to FilterK(FPR)); 4 reserved bytes (0); then the m/64 words of
//	  the bit array, uint64 each.
//	5 minhash, P = 8 + 8n: n (uint64, at least 1), then n hashes (uint64
//	  each), strictly increasing, each at most MinHashThreshold(scale).
//	  Written only when n > 0.
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
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"

	"github.com/axiomhq/hyperloglog"
)

// Limits and constants of the signature file format.
const (
	// FormatVersion is the version of the signature file format written.
	FormatVersion = 1
	// MaxFileSize is the largest signature file ReadFile reads (16 GiB).
	MaxFileSize = 16 << 30
	// MaxHeaderSize is the largest header (metadata included) a signature
	// file may have (16 MiB).
	MaxHeaderSize = 16 << 20
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

// Section types.
const (
	secCounts   = 1
	secDates    = 2
	secDistinct = 3
	secFilter   = 4
	secMinHash  = 5
	secKnownMax = secMinHash
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
		if _, err := time.Parse(time.DateOnly, m.Snapshot); err != nil {
			return fmt.Errorf("snapshot %q is not YYYY-MM-DD", m.Snapshot)
		}
	}
	return nil
}

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

func checkDate(s string) error {
	if len(s) > lpsMaxDateLen {
		return fmt.Errorf("date of %d bytes, at most %d", len(s), lpsMaxDateLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("date %q is not printable ASCII", s)
		}
	}
	return nil
}

// checkField checks one field sketch against the metadata.
func checkField(f *FieldSketch, m *Metadata) error {
	if f.Valid > f.Values || f.CheckFailed > f.Values-f.Valid {
		return fmt.Errorf("%d valid and %d check-failed of %d values", f.Valid, f.CheckFailed, f.Values)
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

func checkFilterK(f *Filter, m *Metadata) error {
	if f != nil && f.K() != FilterK(m.FPR) {
		return fmt.Errorf("filter has %d hash functions, false-positive rate %g needs %d", f.K(), m.FPR, FilterK(m.FPR))
	}
	return nil
}

// ---------------------------------------------------------------------------
// Writing.

type lpsSection struct {
	typ, kind byte
	size      uint64
	put       func(dst []byte) []byte
}

// MarshalBinary encodes the signature in the signature file format. The same
// Signature always gives the same bytes. It fails, wrapping ErrCorrupt, for a
// signature that breaks its own invariants (fields of one kind twice, MinHash
// unsorted, counts that do not add up, filters whose hash-function count does
// not match the FPR, sketches of different precisions), since such a file
// could not be read back.
func (s *Signature) MarshalBinary() ([]byte, error) { return s.AppendBinary(nil) }

// AppendBinary appends the encoding of the signature (see MarshalBinary) to
// dst.
func (s *Signature) AppendBinary(dst []byte) ([]byte, error) {
	secs, p, err := s.sections()
	if err != nil {
		return dst, err
	}
	meta, err := json.Marshal(&s.Meta)
	if err != nil {
		return dst, fmt.Errorf("fingerprint: encode signature metadata: %w", err)
	}
	h := uint64(lpsHeaderFixed + len(s.Meta.KeyID) + len(meta) + lpsCRCLen)
	if h > MaxHeaderSize {
		return dst, fmt.Errorf("fingerprint: encode signature: %w: header of %d bytes, at most %d", ErrTooLarge, h, MaxHeaderSize)
	}
	size := lpsPreambleLen + h + lpsTrailerLen
	for _, sec := range secs {
		size += lpsSectionMin + sec.size
	}
	start := len(dst)
	dst = slices.Grow(dst, int(size))
	le := binary.LittleEndian
	dst = append(dst, lpsMagic...)
	dst = le.AppendUint16(dst, FormatVersion)
	dst = le.AppendUint16(dst, 0)
	dst = le.AppendUint32(dst, uint32(h))
	dst = le.AppendUint32(dst, uint32(s.Meta.CanonVersion))
	dst = append(dst, byte(s.Meta.HashMode), p)
	dst = le.AppendUint16(dst, uint16(len(s.Meta.KeyID)))
	dst = le.AppendUint64(dst, math.Float64bits(s.Meta.FPR))
	dst = le.AppendUint64(dst, s.Meta.Capacity)
	dst = le.AppendUint64(dst, s.Meta.MinHashScale)
	dst = le.AppendUint32(dst, uint32(len(secs)))
	dst = le.AppendUint32(dst, uint32(len(meta)))
	dst = append(dst, s.Meta.KeyID...)
	dst = append(dst, meta...)
	dst = le.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
	for _, sec := range secs {
		a := len(dst)
		dst = append(dst, sec.typ, sec.kind, 0, 0)
		dst = le.AppendUint64(dst, sec.size)
		dst = sec.put(dst)
		dst = le.AppendUint32(dst, crc32.Checksum(dst[a:], castagnoli))
	}
	sum := sha256.Sum256(dst[start:])
	return append(dst, sum[:]...), nil
}

// WriteTo writes the signature's encoding (see MarshalBinary) to w.
func (s *Signature) WriteTo(w io.Writer) (int64, error) {
	b, err := s.MarshalBinary()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// sections checks the signature and lists its sections in file order, with
// the HLL precision of its sketches.
func (s *Signature) sections() ([]lpsSection, uint8, error) {
	fail := func(format string, args ...any) ([]lpsSection, uint8, error) {
		return nil, 0, fmt.Errorf("fingerprint: encode signature: %w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
	}
	if err := checkMeta(&s.Meta); err != nil {
		if errors.Is(err, errHashMode) {
			return nil, 0, fmt.Errorf("fingerprint: encode signature: %w: %v", ErrUnsupported, err)
		}
		return fail("metadata: %v", err)
	}
	fields := slices.Clone(s.Fields)
	for _, f := range fields {
		if f == nil {
			return fail("nil field sketch")
		}
		if !f.Kind.Valid() {
			return fail("field of unknown kind %d", f.Kind)
		}
	}
	slices.SortStableFunc(fields, func(a, b *FieldSketch) int { return int(a.Kind) - int(b.Kind) })
	var p uint8
	hll := func(sk *hyperloglog.Sketch, what string) ([]byte, error) {
		b, err := denseHLL(sk)
		if err != nil {
			return nil, fmt.Errorf("fingerprint: encode signature: %w: %s: distinct count: %v", ErrCorrupt, what, err)
		}
		if p == 0 {
			p = b[1]
		} else if b[1] != p {
			return nil, fmt.Errorf("fingerprint: encode signature: %w: %s: distinct count of precision %d, others have %d", ErrCorrupt, what, b[1], p)
		}
		return b, nil
	}
	var secs []lpsSection
	for i, f := range fields {
		if i > 0 && fields[i-1].Kind == f.Kind {
			return fail("two field sketches of kind %s", f.Kind)
		}
		if err := checkField(f, &s.Meta); err != nil {
			return fail("%s: %v", f.Kind, err)
		}
		k := byte(f.Kind)
		secs = append(secs, lpsSection{secCounts, k, 24, func(dst []byte) []byte {
			dst = binary.LittleEndian.AppendUint64(dst, f.Values)
			dst = binary.LittleEndian.AppendUint64(dst, f.Valid)
			return binary.LittleEndian.AppendUint64(dst, f.CheckFailed)
		}})
		if f.MinDate != "" || f.MaxDate != "" {
			secs = append(secs, lpsSection{secDates, k, uint64(2 + len(f.MinDate) + len(f.MaxDate)), func(dst []byte) []byte {
				dst = append(append(dst, byte(len(f.MinDate))), f.MinDate...)
				return append(append(dst, byte(len(f.MaxDate))), f.MaxDate...)
			}})
		}
		if f.Distinct != nil {
			b, err := hll(f.Distinct, f.Kind.String())
			if err != nil {
				return nil, 0, err
			}
			secs = append(secs, hllSection(k, b))
		}
		if f.Filter != nil {
			secs = append(secs, filterSection(k, f.Filter))
		}
		if len(f.MinHash) > 0 {
			mh := f.MinHash
			secs = append(secs, lpsSection{secMinHash, k, 8 + 8*uint64(len(mh)), func(dst []byte) []byte {
				dst = binary.LittleEndian.AppendUint64(dst, uint64(len(mh)))
				for _, h := range mh {
					dst = binary.LittleEndian.AppendUint64(dst, h)
				}
				return dst
			}})
		}
	}
	if s.PairsDistinct != nil {
		b, err := hll(s.PairsDistinct, "pairs")
		if err != nil {
			return nil, 0, err
		}
		secs = append(secs, hllSection(lpsPairsKind, b))
	}
	if s.Pairs != nil {
		if err := checkFilterK(s.Pairs, &s.Meta); err != nil {
			return fail("pairs: %v", err)
		}
		secs = append(secs, filterSection(lpsPairsKind, s.Pairs))
	}
	if p == 0 {
		p = lpsDefaultHLLP
	}
	return secs, p, nil
}

// denseHLL returns the dense encoding of sk, densifying a copy of a sparse
// sketch first.
func denseHLL(sk *hyperloglog.Sketch) ([]byte, error) {
	b, err := sk.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if len(b) >= lpsHLLHeaderLen && b[3] == 1 {
		d, err := hyperloglog.NewSketch(b[1], false)
		if err != nil {
			return nil, err
		}
		if err := d.Merge(sk); err != nil {
			return nil, err
		}
		if b, err = d.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	if err := checkHLLHeader(b, b[1]); err != nil {
		return nil, err
	}
	return b, nil
}

// checkHLLHeader checks that b is the dense version-2 encoding of a sketch
// of precision p, by its header and length only.
func checkHLLHeader(b []byte, p uint8) error {
	if p < 4 || p > 18 {
		return fmt.Errorf("precision %d outside [4, 18]", p)
	}
	m := uint64(1) << p
	if uint64(len(b)) != lpsHLLHeaderLen+m {
		return fmt.Errorf("%d bytes, a dense sketch of precision %d has %d", len(b), p, lpsHLLHeaderLen+m)
	}
	if b[0] != lpsHLLVersion || b[1] != p || b[2] != 0 || b[3] != 0 || uint64(binary.BigEndian.Uint32(b[4:8])) != m {
		return fmt.Errorf("header % x is not that of a dense sketch of precision %d", b[:lpsHLLHeaderLen], p)
	}
	return nil
}

func hllSection(kind byte, b []byte) lpsSection {
	return lpsSection{secDistinct, kind, uint64(len(b)), func(dst []byte) []byte { return append(dst, b...) }}
}

func filterSection(kind byte, f *Filter) lpsSection {
	return lpsSection{secFilter, kind, 16 + f.Bits()/8, func(dst []byte) []byte {
		dst = binary.LittleEndian.AppendUint64(dst, f.Bits())
		dst = binary.LittleEndian.AppendUint32(dst, f.K())
		dst = binary.LittleEndian.AppendUint32(dst, 0)
		for _, w := range f.Words() {
			dst = binary.LittleEndian.AppendUint64(dst, w)
		}
		return dst
	}}
}

// WriteFile writes the signature to path atomically: to a temporary file in
// the same directory, synced, then renamed over path, so that path holds
// either its old contents or the whole new signature, never a part. The file
// is readable by its owner only when the signature is unkeyed (see
// Metadata.DoNotShare), by everyone otherwise.
func WriteFile(path string, s *Signature) (err error) {
	b, err := s.MarshalBinary()
	if err != nil {
		return fmt.Errorf("%w (writing %s)", err, path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("fingerprint: write signature: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("fingerprint: write signature %s: %w", path, err)
		}
	}()
	perm := os.FileMode(0o644)
	if s.Meta.DoNotShare() {
		perm = 0o600
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if _, err = f.Write(b); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename durable; not every system can sync a directory.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// ---------------------------------------------------------------------------
// Reading.

// ReadFile reads a signature file. Files larger than MaxFileSize are refused
// (ErrTooLarge) before they are read.
func ReadFile(path string) (*Signature, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: read signature: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("fingerprint: read signature: %w", err)
	}
	var data []byte
	if fi.Mode().IsRegular() {
		if fi.Size() > MaxFileSize {
			return nil, fmt.Errorf("fingerprint: read signature %s: %w: file of %d bytes, at most %d", path, ErrTooLarge, fi.Size(), int64(MaxFileSize))
		}
		data = make([]byte, fi.Size())
		if _, err := io.ReadFull(f, data); err != nil {
			return nil, fmt.Errorf("fingerprint: read signature %s: %w", path, err)
		}
		if n, _ := f.Read(make([]byte, 1)); n > 0 {
			return nil, fmt.Errorf("fingerprint: read signature %s: file grew while being read", path)
		}
	} else {
		if data, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1)); err != nil {
			return nil, fmt.Errorf("fingerprint: read signature %s: %w", path, err)
		}
		if int64(len(data)) > MaxFileSize {
			return nil, fmt.Errorf("fingerprint: read signature %s: %w: more than %d bytes", path, ErrTooLarge, int64(MaxFileSize))
		}
	}
	s, err := decodeSignature(data)
	if err != nil {
		return nil, fmt.Errorf("%w (reading %s)", err, path)
	}
	return s, nil
}

// UnmarshalBinary decodes a signature file's bytes. It validates everything
// (structure, limits, checksums, parameters, invariants) into a fresh value
// and changes s only when all of it is right; the result shares no memory
// with data. Errors wrap ErrCorrupt, ErrChecksum, ErrUnsupported or
// ErrTooLarge.
func (s *Signature) UnmarshalBinary(data []byte) error {
	sig, err := decodeSignature(data)
	if err != nil {
		return err
	}
	*s = *sig
	return nil
}

func decodeSignature(data []byte) (*Signature, error) {
	le := binary.LittleEndian
	n := len(data)
	if n < len(lpsMagic) || string(data[:len(lpsMagic)]) != lpsMagic {
		switch {
		case bytes.HasPrefix([]byte(lpsMagic), data):
			return nil, lpsErr(ErrCorrupt, 0, "truncated to %d bytes", n)
		case bytes.HasPrefix(data, []byte(lpsMagic[:4])):
			return nil, lpsErr(ErrCorrupt, 0, "mangled magic % x (was the file copied in text mode?)", data[:min(n, len(lpsMagic))])
		}
		return nil, lpsErr(ErrCorrupt, 0, "not a signature file (bad magic)")
	}
	if n < lpsPreambleLen {
		return nil, lpsErr(ErrCorrupt, n, "truncated to %d bytes", n)
	}
	if v := le.Uint16(data[8:]); v != FormatVersion {
		return nil, lpsErr(ErrUnsupported, 8, "format version %d, this reader knows %d", v, FormatVersion)
	}
	if fl := le.Uint16(data[10:]); fl != 0 {
		return nil, lpsErr(ErrUnsupported, 10, "must-understand flags %#04x", fl)
	}
	h := uint64(le.Uint32(data[12:]))
	switch {
	case h > MaxHeaderSize:
		return nil, lpsErr(ErrTooLarge, 12, "header of %d bytes, at most %d", h, MaxHeaderSize)
	case lpsPreambleLen+h+lpsTrailerLen > uint64(n):
		return nil, lpsErr(ErrTooLarge, 12, "header of %d bytes overruns a file of %d bytes", h, n)
	case h < lpsHeaderFixed+lpsCRCLen:
		return nil, lpsErr(ErrCorrupt, 12, "header of %d bytes, at least %d", h, lpsHeaderFixed+lpsCRCLen)
	}
	hdrEnd := lpsPreambleLen + int(h)
	if got, want := crc32.Checksum(data[:hdrEnd-lpsCRCLen], castagnoli), le.Uint32(data[hdrEnd-lpsCRCLen:]); got != want {
		return nil, lpsErr(ErrChecksum, hdrEnd-lpsCRCLen, "header CRC-32C %08x, computed %08x", want, got)
	}
	hd := data[lpsPreambleLen:hdrEnd]
	keyLen := uint64(le.Uint16(hd[6:]))
	nsec := uint64(le.Uint32(hd[32:]))
	metaLen := uint64(le.Uint32(hd[36:]))
	if keyLen > lpsMaxKeyIDLen {
		return nil, lpsErr(ErrTooLarge, lpsPreambleLen+6, "key ID of %d bytes, at most %d", keyLen, lpsMaxKeyIDLen)
	}
	if want := lpsHeaderFixed + keyLen + metaLen + lpsCRCLen; want != h {
		sentinel := ErrCorrupt
		if want > h {
			sentinel = ErrTooLarge
		}
		return nil, lpsErr(sentinel, lpsPreambleLen+36, "key ID of %d bytes and metadata of %d bytes need a header of %d bytes, have %d", keyLen, metaLen, want, h)
	}

	// Pass 1, allocating nothing: the sections' lengths, then their CRCs and
	// order, then the file's SHA-256.
	end := n - lpsTrailerLen
	if nsec > lpsMaxSections {
		return nil, lpsErr(ErrTooLarge, lpsPreambleLen+32, "%d sections, at most %d", nsec, lpsMaxSections)
	}
	if nsec*lpsSectionMin > uint64(end-hdrEnd) {
		return nil, lpsErr(ErrTooLarge, lpsPreambleLen+32, "%d sections cannot fit in %d bytes", nsec, end-hdrEnd)
	}
	off := hdrEnd
	for i := uint64(0); i < nsec; i++ {
		if end-off < lpsSectionMin {
			return nil, lpsErr(ErrTooLarge, off, "section %d of %d: header overruns the file", i, nsec)
		}
		plen := le.Uint64(data[off+4:])
		if plen > uint64(end-off-lpsSectionMin) {
			return nil, lpsErr(ErrTooLarge, off+4, "%s: payload of %d bytes, %d bytes left", sectionName(data[off], data[off+1]), plen, end-off-lpsSectionMin)
		}
		off += lpsSectionMin + int(plen)
	}
	if off != end {
		return nil, lpsErr(ErrCorrupt, off, "%d bytes after the last of %d sections", end-off, nsec)
	}
	prev := -1 // kind<<8 | type of the previous section
	for off = hdrEnd; off < end; {
		typ, kind := data[off], data[off+1]
		payEnd := off + lpsSectionHead + int(le.Uint64(data[off+4:]))
		if got, want := crc32.Checksum(data[off:payEnd], castagnoli), le.Uint32(data[payEnd:]); got != want {
			return nil, lpsErr(ErrChecksum, payEnd, "%s: CRC-32C %08x, computed %08x", sectionName(typ, kind), want, got)
		}
		if r := le.Uint16(data[off+2:]); r != 0 {
			return nil, lpsErr(ErrCorrupt, off+2, "%s: reserved bytes %#04x", sectionName(typ, kind), r)
		}
		if typ == 0 {
			return nil, lpsErr(ErrCorrupt, off, "section type 0")
		}
		key := int(kind)<<8 | int(typ)
		if key <= prev {
			return nil, lpsErr(ErrCorrupt, off, "%s out of order", sectionName(typ, kind))
		}
		prev = key
		off = payEnd + lpsCRCLen
	}
	if got := sha256.Sum256(data[:end]); !bytes.Equal(got[:], data[end:]) {
		return nil, lpsErr(ErrChecksum, end, "file SHA-256 %x, computed %x", data[end:], got)
	}

	// The header's parameters.
	canonV := le.Uint32(hd[0:])
	mode := HashMode(hd[4])
	p := hd[5]
	fpr := math.Float64frombits(le.Uint64(hd[8:]))
	capacity := le.Uint64(hd[16:])
	scale := le.Uint64(hd[24:])
	if p < 4 || p > 18 {
		return nil, lpsErr(ErrCorrupt, lpsPreambleLen+5, "distinct-count precision %d outside [4, 18]", p)
	}
	keyID := string(hd[lpsHeaderFixed : lpsHeaderFixed+keyLen])
	sig := &Signature{}
	m := &sig.Meta
	metaOff := lpsPreambleLen + lpsHeaderFixed + int(keyLen)
	if err := json.Unmarshal(hd[lpsHeaderFixed+keyLen:lpsHeaderFixed+keyLen+metaLen], m); err != nil {
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata: %v", err)
	}
	switch {
	case int64(m.CanonVersion) != int64(canonV):
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata says normaliser version %d, header %d", m.CanonVersion, canonV)
	case m.HashMode != mode:
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata says hash mode %d, header %d", m.HashMode, mode)
	case m.KeyID != keyID:
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata says key ID %q, header %q", m.KeyID, keyID)
	case math.Float64bits(m.FPR) != math.Float64bits(fpr):
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata says false-positive rate %g, header %g", m.FPR, fpr)
	case m.Capacity != capacity:
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata says capacity %d, header %d", m.Capacity, capacity)
	case m.MinHashScale != scale:
		return nil, lpsErr(ErrCorrupt, metaOff, "metadata says MinHash scale %d, header %d", m.MinHashScale, scale)
	}
	if err := checkMeta(m); err != nil {
		sentinel := ErrCorrupt
		if errors.Is(err, errHashMode) {
			sentinel = ErrUnsupported
		}
		return nil, lpsErr(sentinel, metaOff, "metadata: %v", err)
	}

	// Pass 2: the payloads, over the framing pass 1 checked.
	var cur *FieldSketch
	finish := func(at int) error {
		if cur == nil {
			return nil
		}
		if err := checkField(cur, m); err != nil {
			return lpsErr(ErrCorrupt, at, "%s: %v", cur.Kind, err)
		}
		cur = nil
		return nil
	}
	for off = hdrEnd; off < end; {
		typ, kind := data[off], data[off+1]
		name := sectionName(typ, kind)
		at := off + lpsSectionHead
		pay := data[at : at+int(le.Uint64(data[off+4:]))]
		next := at + len(pay) + lpsCRCLen
		if typ > secKnownMax {
			off = next // an optional section of a later writer
			continue
		}
		switch {
		case kind == lpsPairsKind:
			if err := finish(off); err != nil {
				return nil, err
			}
		case !canon.Kind(kind).Valid():
			return nil, lpsErr(ErrUnsupported, off+1, "%s: unknown kind", name)
		case typ == secCounts:
			if err := finish(off); err != nil {
				return nil, err
			}
			cur = &FieldSketch{Kind: canon.Kind(kind)}
			sig.Fields = append(sig.Fields, cur)
		case cur == nil || cur.Kind != canon.Kind(kind):
			return nil, lpsErr(ErrCorrupt, off, "%s without a counts section before it", name)
		}
		var err error
		switch typ {
		case secCounts:
			if kind == lpsPairsKind {
				return nil, lpsErr(ErrCorrupt, off, "%s: pairs have no counts", name)
			}
			if len(pay) != 24 {
				return nil, lpsErr(ErrCorrupt, at, "%s: %d bytes, want 24", name, len(pay))
			}
			cur.Values, cur.Valid, cur.CheckFailed = le.Uint64(pay), le.Uint64(pay[8:]), le.Uint64(pay[16:])
		case secDates:
			if kind == lpsPairsKind {
				return nil, lpsErr(ErrCorrupt, off, "%s: pairs have no dates", name)
			}
			err = decodeDates(cur, pay, at, name)
		case secDistinct:
			var sk *hyperloglog.Sketch
			if sk, err = decodeHLL(pay, p, at, name); kind == lpsPairsKind {
				sig.PairsDistinct = sk
			} else {
				cur.Distinct = sk
			}
		case secFilter:
			var f *Filter
			if f, err = decodeFilter(pay, m, at, name); kind == lpsPairsKind {
				sig.Pairs = f
			} else {
				cur.Filter = f
			}
		case secMinHash:
			if kind == lpsPairsKind {
				return nil, lpsErr(ErrCorrupt, off, "%s: pairs have no MinHash", name)
			}
			err = decodeMinHash(cur, pay, at, name)
		}
		if err != nil {
			return nil, err
		}
		off = next
	}
	if err := finish(off); err != nil {
		return nil, err
	}
	return sig, nil
}

func decodeDates(f *FieldSketch, pay []byte, at int, name string) error {
	if len(pay) < 1 || len(pay) < 2+int(pay[0]) {
		return lpsErr(ErrCorrupt, at, "%s: %d bytes, too short", name, len(pay))
	}
	a := int(pay[0])
	b := int(pay[1+a])
	if len(pay) != 2+a+b {
		return lpsErr(ErrCorrupt, at, "%s: %d bytes, want %d", name, len(pay), 2+a+b)
	}
	if a == 0 && b == 0 {
		return lpsErr(ErrCorrupt, at, "%s: both dates empty", name)
	}
	f.MinDate, f.MaxDate = string(pay[1:1+a]), string(pay[2+a:])
	return nil // checked with the rest of the field by checkField
}

func decodeHLL(pay []byte, p uint8, at int, name string) (*hyperloglog.Sketch, error) {
	if need := lpsHLLHeaderLen + uint64(1)<<p; uint64(len(pay)) < need {
		return nil, lpsErr(ErrTooLarge, at, "%s: %d bytes, a sketch of precision %d needs %d", name, len(pay), p, need)
	}
	if err := checkHLLHeader(pay, p); err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	sk := &hyperloglog.Sketch{}
	if err := sk.UnmarshalBinary(pay); err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	return sk, nil
}

func decodeFilter(pay []byte, m *Metadata, at int, name string) (*Filter, error) {
	le := binary.LittleEndian
	if len(pay) < 16 {
		return nil, lpsErr(ErrCorrupt, at, "%s: %d bytes, too short", name, len(pay))
	}
	bits, k := le.Uint64(pay), le.Uint32(pay[8:])
	if bits > MaxFilterBits {
		return nil, lpsErr(ErrTooLarge, at, "%s: %d bits, at most %d", name, bits, uint64(MaxFilterBits))
	}
	if err := checkFilterParams(bits, k); err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	if r := le.Uint32(pay[12:]); r != 0 {
		return nil, lpsErr(ErrCorrupt, at+12, "%s: reserved bytes %#08x", name, r)
	}
	words := pay[16:]
	switch need := bits / 8; {
	case need > uint64(len(words)):
		return nil, lpsErr(ErrTooLarge, at, "%s: %d bits need %d bytes, have %d", name, bits, need, len(words))
	case need < uint64(len(words)):
		return nil, lpsErr(ErrCorrupt, at, "%s: %d bits need %d bytes, have %d", name, bits, need, len(words))
	}
	w := make([]uint64, bits/64)
	for i := range w {
		w[i] = le.Uint64(words[8*i:])
	}
	f, err := filterFromWords(w, bits, k)
	if err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	if err := checkFilterK(f, m); err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	return f, nil
}

func decodeMinHash(f *FieldSketch, pay []byte, at int, name string) error {
	if len(pay) < 8 {
		return lpsErr(ErrCorrupt, at, "%s: %d bytes, too short", name, len(pay))
	}
	cnt := binary.LittleEndian.Uint64(pay)
	rest := uint64(len(pay) - 8)
	switch {
	case cnt > rest/8:
		return lpsErr(ErrTooLarge, at, "%s: %d hashes, %d bytes", name, cnt, rest)
	case cnt*8 != rest:
		return lpsErr(ErrCorrupt, at, "%s: %d hashes, %d bytes", name, cnt, rest)
	case cnt == 0:
		return lpsErr(ErrCorrupt, at, "%s: empty", name)
	}
	f.MinHash = make([]uint64, cnt)
	for i := range f.MinHash {
		f.MinHash[i] = binary.LittleEndian.Uint64(pay[8+8*i:])
	}
	return nil // order and threshold are checked by checkField
}
