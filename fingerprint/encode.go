package fingerprint

// Writing the signature file format described in format.go.

import (
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
	"runtime"
	"slices"

	"github.com/axiomhq/hyperloglog"
)

type lpsSection struct {
	typ, kind byte
	size      uint64
	put       func(dst []byte) []byte
	// filter, for a blocked filter's section: its words are aligned to 8
	// bytes in the file by padding that only the writing decides.
	filter *Filter
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
		size += lpsSectionMin + sec.size + 7
	}
	start := len(dst)
	dst = slices.Grow(dst, int(size))
	le := binary.LittleEndian
	dst = append(dst, lpsMagic...)
	dst = le.AppendUint16(dst, s.formatVersion())
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
		if f := sec.filter; f != nil {
			pad := alignPad(a - start)
			sec.size = 16 + uint64(pad) + f.Bits()/8
			sec.put = func(dst []byte) []byte { return appendFilter(dst, f, pad) }
		}
		dst = append(dst, sec.typ, sec.kind, 0, 0)
		dst = le.AppendUint64(dst, sec.size)
		dst = sec.put(dst)
		dst = le.AppendUint32(dst, crc32.Checksum(dst[a:], castagnoli))
	}
	sum := sha256.Sum256(dst[start:])
	return append(dst, sum[:]...), nil
}

// formatVersion is the version the signature is written in: 1 while every
// filter is classic, so that a version 1 file is written back as it was
// read, and else FormatVersion.
func (s *Signature) formatVersion() uint16 {
	blocked := s.Pairs != nil && s.Pairs.Blocked()
	for _, f := range s.Fields {
		blocked = blocked || (f.Filter != nil && f.Filter.Blocked())
	}
	if blocked {
		return FormatVersion
	}
	return 1
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
	hll := func(d *Distinct, what string) ([]byte, error) {
		b, err := denseHLL(d.sk)
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
		}, nil})
		if f.MinDate != "" || f.MaxDate != "" {
			secs = append(secs, lpsSection{secDates, k, uint64(2 + len(f.MinDate) + len(f.MaxDate)), func(dst []byte) []byte {
				dst = append(append(dst, byte(len(f.MinDate))), f.MinDate...)
				return append(append(dst, byte(len(f.MaxDate))), f.MaxDate...)
			}, nil})
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
			}, nil})
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
	return lpsSection{secDistinct, kind, uint64(len(b)), func(dst []byte) []byte { return append(dst, b...) }, nil}
}

func filterSection(kind byte, f *Filter) lpsSection {
	if f.Blocked() {
		return lpsSection{typ: secFilter, kind: kind, filter: f} // placed by AppendBinary
	}
	return lpsSection{secFilter, kind, 16 + f.Bits()/8, func(dst []byte) []byte { return appendFilter(dst, f, 0) }, nil}
}

// alignPad is the padding a blocked filter section at offset off of the
// file needs for its words to start at a multiple of 8 bytes: the section
// head and the filter's 16-byte head come first.
func alignPad(off int) int { return (8 - (off+lpsSectionHead+16)%8) % 8 }

// appendFilter appends a filter section's payload: size, k, layout (with
// the padding in its upper 16 bits), the padding, the words.
func appendFilter(dst []byte, f *Filter, pad int) []byte {
	layout := uint32(layoutClassic)
	if f.Blocked() {
		layout = layoutBlocked | uint32(pad)<<16
	}
	dst = binary.LittleEndian.AppendUint64(dst, f.Bits())
	dst = binary.LittleEndian.AppendUint32(dst, f.K())
	dst = binary.LittleEndian.AppendUint32(dst, layout)
	dst = append(dst, make([]byte, pad)...)
	for _, w := range f.words64() {
		dst = binary.LittleEndian.AppendUint64(dst, w)
	}
	runtime.KeepAlive(f)
	return dst
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
