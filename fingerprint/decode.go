package fingerprint

// Reading the signature file format described in format.go: everything
// is validated against the remaining bytes before any allocation.

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
	"runtime"
	"unsafe"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/regular"

	"github.com/axiomhq/hyperloglog"
)

// ReadFile reads a signature file: a regular file (a device, FIFO or
// directory is refused with an error wrapping ErrNotRegular, before it is
// opened where possible) of at most MaxFileSize bytes, and on Linux of at
// most the machine's RAM (else ErrTooLarge), whose first bytes are checked
// to be a signature file's before the rest is read. The whole file is held
// in memory, outside the Go heap where the OS allows, and the filters use
// it in place: reading costs the file's size and little more.
func ReadFile(path string) (_ *Signature, err error) {
	f, fi, err := regular.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: read signature: %w", err)
	}
	defer f.Close()
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("fingerprint: read signature %s: %w: file of %d bytes, at most %d", path, ErrTooLarge, fi.Size(), int64(MaxFileSize))
	}
	if ram := physicalMemory(); ram > 0 && uint64(fi.Size()) > ram {
		return nil, fmt.Errorf("fingerprint: read signature %s: %w: file of %d bytes is read into memory, and this machine has %d bytes of RAM",
			path, ErrTooLarge, fi.Size(), ram)
	}
	// Not advised for transparent huge pages: on a virtual machine that
	// returns free memory to its host, as the bench machine does
	// (docs/benchmarks.md, session 8), the free 2 MiB blocks they take are
	// faulted in by the host again after an idle spell. A score after half
	// a minute's pause took 0.44 s with the advice, 0.27 s without; back
	// to back the advice saved 0.03 s.
	data, owner, free := fileBuffer(int(fi.Size()))
	// Unmapped now if the file is refused, else once no filter uses it.
	defer func() {
		switch {
		case owner == nil:
		case err != nil:
			free()
		default:
			runtime.AddCleanup(owner, func(free func()) { free() }, free)
		}
	}()
	head := min(len(data), lpsPreambleLen)
	if _, err := io.ReadFull(f, data[:head]); err != nil {
		return nil, fmt.Errorf("fingerprint: read signature %s: %w", path, err)
	}
	if err := checkPreamble(data[:head]); err != nil {
		return nil, fmt.Errorf("%w (reading %s)", err, path)
	}
	if _, err := io.ReadFull(f, data[head:]); err != nil {
		return nil, fmt.Errorf("fingerprint: read signature %s: %w", path, err)
	}
	if n, _ := f.Read(make([]byte, 1)); n > 0 {
		return nil, fmt.Errorf("fingerprint: read signature %s: file grew while being read", path)
	}
	s, err := decodeSignature(data, &aliasing{owner: owner})
	if err != nil {
		return nil, fmt.Errorf("%w (reading %s)", err, path)
	}
	return s, nil
}

// ErrNotRegular is wrapped by the errors of ReadFile and ReadKeyFile (and
// of index.File) for a path that is not a regular file.
var ErrNotRegular = regular.ErrNotRegular

// checkPreamble checks the start of a file, at most its preamble, as
// decodeSignature does, so that a large file that is no signature is
// refused before it is read.
func checkPreamble(b []byte) error {
	if len(b) < len(lpsMagic) || string(b[:len(lpsMagic)]) != lpsMagic {
		_, err := decodeSignature(b, nil) // for its precise error
		return err
	}
	if len(b) >= 10 {
		if v := binary.LittleEndian.Uint16(b[8:]); v < 1 || v > FormatVersion {
			return lpsErr(ErrUnsupported, 8, "format version %d, this reader knows 1 to %d", v, FormatVersion)
		}
	}
	return nil
}

// UnmarshalBinary decodes a signature file's bytes. It validates everything
// (structure, limits, checksums, parameters, invariants) into a fresh value
// and changes s only when all of it is right; the result shares no memory
// with data. Errors wrap ErrCorrupt, ErrChecksum, ErrUnsupported or
// ErrTooLarge.
func (s *Signature) UnmarshalBinary(data []byte) error {
	sig, err := decodeSignature(data, nil)
	if err != nil {
		return err
	}
	*s = *sig
	return nil
}

// mappedFile is a signature file's bytes mapped outside the Go heap (see
// offHeap): a catalog's filters are most of a scoring run's memory. Every
// filter whose words are in it points to it, and it is unmapped once none
// is left.
type mappedFile struct{ mem []byte }

// fileBuffer returns a buffer for a file of size bytes, and its owner when
// it is mapped outside the heap (nil: on the heap).
func fileBuffer(size int) ([]byte, *mappedFile, func()) {
	if size >= 1<<20 {
		if mem, free, ok := offHeap(size); ok {
			return mem, &mappedFile{mem: mem}, free
		}
	}
	return make([]byte, size), nil, func() {}
}

// parallelSumAt is the file size from which decodeSignature computes the
// file's SHA-256 on a goroutine of its own, beside pass 2.
const parallelSumAt = 1 << 20

// aliasing says that filters may keep the bytes decoded as their words, and
// what they must hold to keep them valid (nil: the Go heap keeps them).
type aliasing struct{ owner *mappedFile }

// decodeSignature decodes a file's bytes; with alias, the filters may keep
// data's bytes as their words.
func decodeSignature(data []byte, alias *aliasing) (sig *Signature, err error) {
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
	version := le.Uint16(data[8:])
	if version < 1 || version > FormatVersion {
		return nil, lpsErr(ErrUnsupported, 8, "format version %d, this reader knows 1 to %d", version, FormatVersion)
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

	// Pass 1, allocating nothing (but a large file's goroutine, below): the
	// sections' lengths, then their CRCs and order, then the file's SHA-256.
	end := n - lpsTrailerLen
	// The trailer is the SHA-256 of what precedes it; the same pass,
	// carried over the trailer, gives the whole file's (FileSHA256). It is
	// about half of a large file's decoding, and nothing else needs it: for
	// a large file it runs beside the rest of pass 1 and pass 2, and the
	// errors are those of the order above (framed: pass 1 found none).
	var file [sha256.Size]byte
	checkSum := func() error {
		sum := sha256.New()
		sum.Write(data[:end])
		if got := sum.Sum(nil); !bytes.Equal(got, data[end:]) {
			return lpsErr(ErrChecksum, end, "file SHA-256 %x, computed %x", data[end:], got)
		}
		sum.Write(data[end:])
		sum.Sum(file[:0])
		return nil
	}
	var summed chan error
	framed := false
	if n >= parallelSumAt {
		summed = make(chan error, 1)
		go func() { summed <- checkSum() }()
	}
	defer func() {
		if summed != nil {
			if sumErr := <-summed; sumErr != nil && framed {
				sig, err = nil, sumErr
				return
			}
		}
		if sig != nil {
			sig.file = file
		}
	}()
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
	framed = true
	if summed == nil {
		if err := checkSum(); err != nil {
			return nil, err
		}
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
	sig = &Signature{} // its file's SHA-256 is set on return
	m := &sig.Meta
	metaOff := lpsPreambleLen + lpsHeaderFixed + int(keyLen)
	meta := hd[lpsHeaderFixed+keyLen : lpsHeaderFixed+keyLen+metaLen]
	// Every object opens with a brace; braces in strings count too, so the
	// bound is kept before anything is decoded.
	if n := bytes.Count(meta, []byte{'{'}); n > MaxMetadataObjects {
		return nil, lpsErr(ErrTooLarge, metaOff, "metadata of %d objects, at most %d", n, MaxMetadataObjects)
	}
	if err := json.Unmarshal(meta, m); err != nil {
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
			var d *Distinct
			if d, err = decodeHLL(pay, p, at, name); kind == lpsPairsKind {
				sig.PairsDistinct = d
			} else {
				cur.Distinct = d
			}
		case secFilter:
			var f *Filter
			if f, err = decodeFilter(pay, m, version, alias, at, name); kind == lpsPairsKind {
				sig.Pairs = f
			} else {
				cur.Filter = f
			}
		case secMinHash:
			if kind == lpsPairsKind {
				return nil, lpsErr(ErrCorrupt, off, "%s: pairs have no MinHash", name)
			}
			err = decodeMinHash(cur, pay, at, name)
		case secFrequent:
			if kind == lpsPairsKind {
				return nil, lpsErr(ErrCorrupt, off, "%s: pairs have no frequent values", name)
			}
			if cur.Frequent, err = decodeFrequent(pay); err != nil {
				err = lpsErr(ErrCorrupt, at, "%s: %v", name, err)
			}
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

func decodeHLL(pay []byte, p uint8, at int, name string) (*Distinct, error) {
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
	return &Distinct{sk: sk, est: sk.Estimate(), known: true}, nil
}

func decodeFilter(pay []byte, m *Metadata, version uint16, alias *aliasing, at int, name string) (*Filter, error) {
	le := binary.LittleEndian
	if len(pay) < 16 {
		return nil, lpsErr(ErrCorrupt, at, "%s: %d bytes, too short", name, len(pay))
	}
	bits, k := le.Uint64(pay), le.Uint32(pay[8:])
	if bits > MaxFilterBits {
		return nil, lpsErr(ErrTooLarge, at, "%s: %d bits, at most %d", name, bits, uint64(MaxFilterBits))
	}
	layout := le.Uint32(pay[12:])
	pad := int(layout >> 16)
	switch {
	case version == 1 && layout != 0:
		return nil, lpsErr(ErrCorrupt, at+12, "%s: reserved bytes %#08x", name, layout)
	case layout&0xffff != layoutClassic && layout&0xffff != layoutBlocked:
		return nil, lpsErr(ErrUnsupported, at+12, "%s: filter layout %d", name, layout&0xffff)
	case layout&0xffff == layoutClassic && pad != 0, pad > 7, len(pay) < 16+pad:
		return nil, lpsErr(ErrCorrupt, at+12, "%s: padding of %d bytes", name, pad)
	}
	blocked := layout&0xffff == layoutBlocked
	if err := checkFilterParams(bits, k, blocked); err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	for _, b := range pay[16 : 16+pad] {
		if b != 0 {
			return nil, lpsErr(ErrCorrupt, at+16, "%s: padding not zero", name)
		}
	}
	words := pay[16+pad:]
	switch need := bits / 8; {
	case need > uint64(len(words)):
		return nil, lpsErr(ErrTooLarge, at, "%s: %d bits need %d bytes, have %d", name, bits, need, len(words))
	case need < uint64(len(words)):
		return nil, lpsErr(ErrCorrupt, at, "%s: %d bits need %d bytes, have %d", name, bits, need, len(words))
	}
	w, aliased := wordsOf(words, alias != nil)
	f, err := filterFromWords(w, bits, k, blocked)
	if err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	if aliased {
		f.backing = alias.owner
	}
	f.fpr = f.falsePositiveRate() // once: scoring asks for it often
	if err := checkFilterK(f, m); err != nil {
		return nil, lpsErr(ErrCorrupt, at, "%s: %v", name, err)
	}
	return f, nil
}

// wordsOf returns b as little-endian uint64s: with alias, the bytes
// themselves where they are 8-aligned and the machine is little-endian
// (blocked filters are written aligned, so a catalog read from files takes
// the memory of its files once), and else a copy; aliased says which.
func wordsOf(b []byte, alias bool) (w []uint64, aliased bool) {
	n := len(b) / 8
	if n == 0 {
		return []uint64{}, false
	}
	if alias && littleEndian && uintptr(unsafe.Pointer(&b[0]))%8 == 0 {
		return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n), true
	}
	w = make([]uint64, n)
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return w, false
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

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
