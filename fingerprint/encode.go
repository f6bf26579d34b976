package fingerprint

// Writing the signature file format described in format.go.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"runtime"
	"slices"

	"github.com/axiomhq/hyperloglog"

	"github.com/leakprov/leakprov/internal/atomicfile"
)

type lpsSection struct {
	typ, kind byte
	size      uint64
	put       func(dst []byte) []byte
	// filter, for a filter's section, which encode writes itself: its words
	// are streamed, and a blocked filter's aligned to 8 bytes in the file by
	// padding that only the writing decides.
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
	w := &appender{b: slices.Grow(dst, s.sizeHint())}
	if _, err := s.encode(w); err != nil {
		return dst, err
	}
	return w.b, nil
}

// sizeHint is about the size of the signature's encoding, at least that
// of its filters and MinHash sketches, so that AppendBinary allocates once
// for a signature of large filters rather than copying them as it grows.
func (s *Signature) sizeHint() int {
	n := 1 << 16 // the header, the HyperLogLogs' share, the section heads
	if s.Pairs != nil {
		n += int(s.Pairs.Bits()/8) + hllBytes
	}
	for _, f := range s.Fields {
		if f == nil {
			continue
		}
		if f.Filter != nil {
			n += int(f.Filter.Bits() / 8)
		}
		n += 8*len(f.MinHash) + hllBytes
	}
	return n
}

// hllBytes is about the encoded size of a dense HyperLogLog.
const hllBytes = 1<<hllPrecision + 64

// appender is an io.Writer appending to a byte slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

// lpsWriter writes a signature file to w: it counts the bytes, keeps the
// file's SHA-256 and a running CRC-32C.
type lpsWriter struct {
	w   io.Writer
	n   int64
	sum hash.Hash
	crc uint32
	err error
}

func (e *lpsWriter) write(p []byte) {
	if e.err != nil {
		return
	}
	e.crc = crc32.Update(e.crc, castagnoli, p)
	e.sum.Write(p)
	_, e.err = e.w.Write(p)
	e.n += int64(len(p))
}

// endCRC writes the CRC of what was written since the last one.
func (e *lpsWriter) endCRC() {
	e.write(binary.LittleEndian.AppendUint32(nil, e.crc))
	e.crc = 0
}

// encode writes the signature file to w, a filter's words a chunk at a
// time: nothing of the size of a filter is held but the filter itself.
func (s *Signature) encode(w io.Writer) (int64, error) {
	secs, p, err := s.sections()
	if err != nil {
		return 0, err
	}
	meta, err := json.Marshal(&s.Meta)
	if err != nil {
		return 0, fmt.Errorf("fingerprint: encode signature metadata: %w", err)
	}
	h := uint64(lpsHeaderFixed + len(s.Meta.KeyID) + len(meta) + lpsCRCLen)
	if h > MaxHeaderSize {
		return 0, fmt.Errorf("fingerprint: encode signature: %w: header of %d bytes, at most %d", ErrTooLarge, h, MaxHeaderSize)
	}
	le := binary.LittleEndian
	e := &lpsWriter{w: w, sum: sha256.New()}
	head := make([]byte, 0, lpsPreambleLen+h)
	head = append(head, lpsMagic...)
	head = le.AppendUint16(head, s.formatVersion())
	head = le.AppendUint16(head, 0)
	head = le.AppendUint32(head, uint32(h))
	head = le.AppendUint32(head, uint32(s.Meta.CanonVersion))
	head = append(head, byte(s.Meta.HashMode), p)
	head = le.AppendUint16(head, uint16(len(s.Meta.KeyID)))
	head = le.AppendUint64(head, math.Float64bits(s.Meta.FPR))
	head = le.AppendUint64(head, s.Meta.Capacity)
	head = le.AppendUint64(head, s.Meta.MinHashScale)
	head = le.AppendUint32(head, uint32(len(secs)))
	head = le.AppendUint32(head, uint32(len(meta)))
	head = append(head, s.Meta.KeyID...)
	head = append(head, meta...)
	e.write(head)
	e.endCRC()
	var buf []byte
	for _, sec := range secs {
		if f := sec.filter; f != nil {
			pad := filterPad(f, int(e.n))
			e.write(binary.LittleEndian.AppendUint64(append(buf[:0], sec.typ, sec.kind, 0, 0), 16+uint64(pad)+f.Bits()/8))
			writeFilter(e, f, pad)
			e.endCRC()
			continue
		}
		buf = append(buf[:0], sec.typ, sec.kind, 0, 0)
		buf = le.AppendUint64(buf, sec.size)
		buf = sec.put(buf)
		e.write(buf)
		e.endCRC()
	}
	if e.err == nil {
		_, e.err = w.Write(e.sum.Sum(nil))
		e.n += lpsTrailerLen
	}
	return e.n, e.err
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

// WriteTo writes the signature's encoding (see MarshalBinary) to w, without
// holding it whole in memory.
func (s *Signature) WriteTo(w io.Writer) (int64, error) { return s.encode(w) }

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
		if fr := f.Frequent; fr != nil {
			secs = append(secs, lpsSection{secFrequent, k, frequentPayload(fr.bits), func(dst []byte) []byte {
				return appendFrequent(dst, fr)
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

// filterSection is written by encode: its padding depends on where it
// falls.
func filterSection(kind byte, f *Filter) lpsSection {
	return lpsSection{typ: secFilter, kind: kind, filter: f}
}

// alignPad is the padding a blocked filter section at offset off of the
// file needs for its words to start at a multiple of 8 bytes: the section
// head and the filter's 16-byte head come first.
func alignPad(off int) int { return (8 - (off+lpsSectionHead+16)%8) % 8 }

// filterPad is the padding of filter f written at offset off: classic
// filters have none.
func filterPad(f *Filter, off int) int {
	if !f.Blocked() {
		return 0
	}
	return alignPad(off)
}

// writeFilter writes a filter section's payload: size, k, layout (with
// the padding in its upper 16 bits), the padding, the words.
func writeFilter(e *lpsWriter, f *Filter, pad int) {
	layout := uint32(layoutClassic)
	if f.Blocked() {
		layout = layoutBlocked | uint32(pad)<<16
	}
	buf := make([]byte, 0, 64<<10)
	buf = binary.LittleEndian.AppendUint64(buf, f.Bits())
	buf = binary.LittleEndian.AppendUint32(buf, f.K())
	buf = binary.LittleEndian.AppendUint32(buf, layout)
	buf = append(buf, make([]byte, pad)...)
	for _, w := range f.words64() {
		if len(buf)+8 > cap(buf) {
			e.write(buf)
			buf = buf[:0]
		}
		buf = binary.LittleEndian.AppendUint64(buf, w)
	}
	e.write(buf)
	runtime.KeepAlive(f)
}

// WriteFile writes the signature to path atomically: to a temporary file in
// the same directory, synced, then renamed over path, so that path holds
// either its old contents or the whole new signature, never a part. The file
// is readable by its owner only when the signature is unkeyed (see
// Metadata.DoNotShare), by everyone otherwise. A device or FIFO (/dev/null)
// is written in place: renaming over it would replace the device.
func WriteFile(path string, s *Signature) error { return writeSignature(path, s, true) }

// CreateFile writes the signature to path as WriteFile does, but only if
// path does not exist: the temporary file is linked to path, which fails,
// with an error wrapping fs.ErrExist, when something is already there
// (where links are not supported, path is checked, then renamed to).
func CreateFile(path string, s *Signature) error { return writeSignature(path, s, false) }

func writeSignature(path string, s *Signature, replace bool) error {
	if _, _, err := s.sections(); err != nil {
		return fmt.Errorf("%w (writing %s)", err, path)
	}
	perm := os.FileMode(0o644)
	if s.Meta.DoNotShare() {
		perm = 0o600
	}
	err := atomicfile.Write(path, perm, replace, func(w io.Writer) error {
		_, err := s.encode(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("fingerprint: write signature %s: %w", path, err)
	}
	return nil
}
