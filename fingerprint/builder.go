package fingerprint

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Defaults of BuildOptions.
const (
	DefaultFPR          = 0.001
	DefaultMinHashScale = 128
	defaultSpoolMemory  = 32 << 20
)

// BuildOptions configure a Builder.
type BuildOptions struct {
	// Meta is copied into the signature; the builder fills in the counts,
	// parameters, hash mode and key ID, and Tool when it is empty.
	Meta Metadata
	// FPR is the target false-positive rate of every filter (default 0.001).
	FPR float64
	// Capacity, when non-zero, fixes every kind filter's size to hold
	// Capacity values (and the pair filter's to hold 3×Capacity pairs), so
	// that shards built apart merge exactly. When zero, each filter is sized
	// from its kind's distinct count once all records are in.
	Capacity uint64
	// MinHashScale keeps about one hash in MinHashScale (default 128).
	MinHashScale uint64
	// SpoolDir holds the temporary hash spool of an auto-sized build once it
	// outgrows SpoolMemory bytes (default: the system temp dir, 32 MiB).
	SpoolDir    string
	SpoolMemory int
}

// Builder builds a Signature from hashed records in one pass with memory
// bounded by the options, whatever the input's length: with a fixed
// capacity, hashes go straight into the filters; otherwise they are spooled
// (to disk past SpoolMemory) until the distinct counts size the filters.
// The result does not depend on the order of the records. A Builder is not
// safe for concurrent use.
type Builder struct {
	o      BuildOptions
	hasher *Hasher
	fields [canon.KindCount]*FieldSketch
	pairs  *Filter
	pairsD *Distinct
	minh   [canon.KindCount]map[uint64]struct{}
	spool  *spool
	ids    []uint64
	err    error
	done   bool
}

// NewBuilder returns a Builder hashing with h.
func NewBuilder(h *Hasher, o BuildOptions) (*Builder, error) {
	if o.FPR == 0 {
		o.FPR = DefaultFPR
	}
	if !(o.FPR > 0 && o.FPR < 0.5) {
		return nil, fmt.Errorf("fingerprint: false-positive rate %g outside (0, 0.5)", o.FPR)
	}
	if o.MinHashScale == 0 {
		o.MinHashScale = DefaultMinHashScale
	}
	if o.SpoolMemory == 0 {
		o.SpoolMemory = defaultSpoolMemory
	}
	b := &Builder{o: o, hasher: h, pairsD: newDistinct()}
	if o.Capacity > 0 {
		b.pairs = b.newFilter(3 * o.Capacity)
	} else {
		b.spool = &spool{dir: o.SpoolDir, limit: o.SpoolMemory}
	}
	return b, nil
}

func (b *Builder) field(k canon.Kind) *FieldSketch {
	f := b.fields[k]
	if f == nil {
		f = &FieldSketch{Kind: k, Distinct: newDistinct()}
		if b.o.Capacity > 0 {
			f.Filter = b.newFilter(b.o.Capacity)
		}
		b.fields[k] = f
		b.minh[k] = map[uint64]struct{}{}
	}
	return f
}

// Add adds one record, as returned by Encoder.Encode.
func (b *Builder) Add(rec []Hashed) error {
	if b.err != nil {
		return b.err
	}
	if b.done {
		return errors.New("fingerprint: Add after Finish")
	}
	b.o.Meta.Records++
	b.ids = b.ids[:0]
	thr := MinHashThreshold(b.o.MinHashScale)
	for _, h := range rec {
		f := b.field(h.Kind)
		if h.Kind != canon.NameBirthDate {
			f.Values++
		}
		switch h.Status {
		case canon.Valid:
			f.Valid++
		case canon.CheckFailed:
			f.CheckFailed++
		default:
			continue
		}
		if h.Kind == canon.NameBirthDate {
			f.Values++
		}
		f.Distinct.insert(h.Hash)
		if h.Hash <= thr {
			b.minh[h.Kind][h.Hash] = struct{}{}
		}
		if h.Kind == canon.BirthDate && len(h.Form) > 0 {
			d := string(h.Form)
			f.MinDate = minDate(f.MinDate, d)
			f.MaxDate = max(f.MaxDate, d)
		}
		if err := b.insert(h.Kind, h.Hash); err != nil {
			return err
		}
		if h.Kind.Strong() && !slices.Contains(b.ids, h.Hash) {
			b.ids = append(b.ids, h.Hash)
		}
	}
	for i := 0; i < len(b.ids); i++ {
		for j := i + 1; j < len(b.ids); j++ {
			p := PairHash(b.ids[i], b.ids[j])
			b.pairsD.insert(p)
			if err := b.insert(pairKind, p); err != nil {
				return err
			}
		}
	}
	return b.err
}

// newFilter returns an empty filter for n values at the build's FPR. The
// options were checked by NewBuilder and blocksFor clamps the size, so the
// parameters are always within the limits.
func (b *Builder) newFilter(n uint64) *Filter {
	f, err := NewFilter(n, b.o.FPR)
	if err != nil {
		panic("fingerprint: filter parameters out of range: " + err.Error())
	}
	return f
}

// pairKind marks pair hashes in the spool.
const pairKind = canon.Kind(255)

func (b *Builder) insert(k canon.Kind, h uint64) error {
	if b.spool != nil {
		if err := b.spool.add(k, h); err != nil {
			b.err = err
		}
		return b.err
	}
	if k == pairKind {
		b.pairs.Add(h)
	} else {
		b.fields[k].Filter.Add(h)
	}
	return nil
}

// Close releases the Builder's temporary spool file, if any. Finish closes
// it too; call Close (it is safe to call twice) when a build is abandoned.
func (b *Builder) Close() error {
	if b.spool != nil {
		b.spool.close()
	}
	return nil
}

// Finish sizes the filters (for an auto-sized build), fills them and returns
// the signature. The Builder cannot be used afterwards.
func (b *Builder) Finish() (*Signature, error) {
	defer b.Close()
	if b.err != nil {
		return nil, b.err
	}
	b.done = true
	s := &Signature{Meta: b.o.Meta, PairsDistinct: b.pairsD, Pairs: b.pairs}
	if s.Meta.Tool == "" {
		s.Meta.Tool = Tool
	}
	s.Meta.CanonVersion = canon.Version
	s.Meta.HashMode = b.hasher.Mode()
	s.Meta.KeyID = b.hasher.KeyID()
	s.Meta.FPR = b.o.FPR
	s.Meta.Capacity = b.o.Capacity
	s.Meta.MinHashScale = b.o.MinHashScale
	for k, f := range b.fields {
		if f == nil {
			continue
		}
		f.MinHash = make([]uint64, 0, len(b.minh[k]))
		for h := range b.minh[k] {
			f.MinHash = append(f.MinHash, h)
		}
		slices.Sort(f.MinHash)
		s.Fields = append(s.Fields, f)
	}
	if b.spool == nil {
		return s, nil
	}
	for _, f := range s.Fields {
		f.Filter = b.newFilter(f.DistinctCount())
	}
	s.Pairs = b.newFilter(b.pairsD.Estimate())
	err := b.spool.replay(func(k canon.Kind, h uint64) {
		if k == pairKind {
			s.Pairs.Add(h)
		} else {
			b.fields[k].Filter.Add(h)
		}
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// spool keeps (kind, hash) entries in memory up to limit bytes, then in a
// temporary file.
type spool struct {
	dir    string
	limit  int
	chunks [][]byte // in memory, each spoolChunk bytes at most
	size   int
	file   *os.File
	w      *bufio.Writer
}

const (
	spoolEntry = 9
	spoolChunk = spoolEntry << 16 // 576 KiB: whole entries, no copying on growth
)

func (s *spool) add(k canon.Kind, h uint64) error {
	if s.w == nil && s.size+spoolEntry > s.limit {
		f, err := os.CreateTemp(s.dir, "leakprov-spool-*")
		if err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 1<<20)
		for _, c := range s.chunks {
			if _, err := s.w.Write(c); err != nil {
				return fmt.Errorf("fingerprint: hash spool: %w", err)
			}
		}
		s.chunks = nil
	}
	var e [spoolEntry]byte
	e[0] = byte(k)
	binary.LittleEndian.PutUint64(e[1:], h)
	if s.w != nil {
		if _, err := s.w.Write(e[:]); err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		return nil
	}
	if n := len(s.chunks); n == 0 || len(s.chunks[n-1])+spoolEntry > spoolChunk {
		s.chunks = append(s.chunks, make([]byte, 0, min(spoolChunk, max(s.limit, spoolEntry))))
	}
	c := &s.chunks[len(s.chunks)-1]
	*c = append(*c, e[:]...)
	s.size += spoolEntry
	return nil
}

func (s *spool) replay(fn func(canon.Kind, uint64)) error {
	var r io.Reader
	if s.w != nil {
		if err := s.w.Flush(); err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		r = bufio.NewReaderSize(s.file, 1<<20)
	} else {
		for _, c := range s.chunks {
			for i := 0; i+spoolEntry <= len(c); i += spoolEntry {
				fn(canon.Kind(c[i]), binary.LittleEndian.Uint64(c[i+1:]))
			}
		}
		return nil
	}
	var e [spoolEntry]byte
	for {
		if _, err := io.ReadFull(r, e[:]); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		fn(canon.Kind(e[0]), binary.LittleEndian.Uint64(e[1:]))
	}
}

func (s *spool) close() {
	if s.file != nil {
		name := s.file.Name()
		s.file.Close()
		os.Remove(name)
	}
	s.chunks = nil
}
