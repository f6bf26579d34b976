package fingerprint

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"unsafe"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// MaxPairIdentifiers is the most distinct strong identifiers of one record
// that go into the pair filter, two by two. A record with more (a dump of
// a thousand phone columns) adds no pairs, so that its cost stays linear in
// its width; scoring does not test such a record for joint matches.
const MaxPairIdentifiers = 16

// Defaults of BuildOptions.
const (
	DefaultFPR          = 0.001
	DefaultMinHashScale = 128
	// DefaultSpoolMemory bounds the hashes a Builder holds in memory before
	// it spools them to disk (192 MiB: 24M hashes, a 2M-record dump of five
	// columns).
	DefaultSpoolMemory = 192 << 20
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
	// SpoolDir holds the temporary hash spool once a Builder (each fork
	// counts alone) outgrows SpoolMemory bytes (default: the system temp
	// dir, DefaultSpoolMemory; at least 1 MiB).
	SpoolDir    string
	SpoolMemory int
	// Workers is how many goroutines Finish fills the filters with
	// (default: GOMAXPROCS). The result does not depend on it.
	Workers int
	// CountOnly makes a Builder that only counts: nothing is spooled, and
	// Finish fails; take its Counts instead (the first pass of a build in
	// shards without a Capacity, see Counts).
	CountOnly bool
	// Sizes, when set and Capacity is not, sizes every filter for the
	// distinct counts it holds (those of the whole dump, of which this
	// build is a shard) rather than for this build's own, so that shards
	// built apart merge into the signature one build of the whole dump
	// makes.
	Sizes *Counts
}

// Builder builds a Signature from hashed records in one pass with memory
// bounded by the options, whatever the input's length: hashes are spooled
// (to disk past SpoolMemory) until the distinct counts, or the capacity,
// size the filters, which Finish then fills 1/32 at a time, giving each
// 1/32 of the spool's memory back once it is in the filters: a
// build's peak is about the larger of its spools' memory (SpoolMemory for
// the Builder and for each fork) and its filters, not their sum. The
// result does not depend on the order of the records, nor on how they were
// shared out among forks ([Builder.Fork]). A Builder is not safe for
// concurrent use; each fork may be used by a goroutine of its own.
type Builder struct {
	o      BuildOptions
	hasher *Hasher
	fields [canon.KindCount]*FieldSketch
	pairsD *Distinct
	// The distinct counts' registers, folded into the sketches by Finish.
	counts *Counts
	// Per strong kind, the records holding each value, at the widest
	// width; Finish folds each to its kind's.
	freq   [canon.KindCount]*Frequent
	thr    uint64   // MinHashThreshold(o.MinHashScale)
	spools []*spool // this Builder's own first, then those of the forks joined
	ids    []uint64
	err    error
	done   bool
	forked bool
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
		o.SpoolMemory = DefaultSpoolMemory
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return newBuilder(h, o), nil
}

func newBuilder(h *Hasher, o BuildOptions) *Builder {
	return &Builder{o: o, hasher: h, pairsD: newDistinct(), counts: NewCounts(),
		thr: MinHashThreshold(o.MinHashScale), spools: []*spool{newSpool(o.SpoolDir, o.SpoolMemory)}}
}

// Fork returns an empty Builder with b's settings, for another goroutine
// to add records to; [Builder.Join] takes them back into b before Finish.
func (b *Builder) Fork() *Builder {
	f := newBuilder(b.hasher, b.o)
	f.o.Meta = Metadata{}
	f.forked = true
	return f
}

// Join adds what the fork f was given to b: counts, distinct counts and
// spooled hashes (from which Finish takes the MinHash too). f cannot be used afterwards; its spool is
// released when b is finished or closed.
func (b *Builder) Join(f *Builder) error {
	switch {
	case !f.forked || f.hasher != b.hasher:
		return errors.New("fingerprint: Join of a Builder that is not a fork")
	case b.done || f.done:
		return errors.New("fingerprint: Join after Finish")
	case f.err != nil:
		return f.err
	}
	f.done = true
	b.o.Meta.Records += f.o.Meta.Records
	for k, ff := range f.fields {
		if ff == nil {
			continue
		}
		bf := b.field(canon.Kind(k))
		bf.Values += ff.Values
		bf.Valid += ff.Valid
		bf.CheckFailed += ff.CheckFailed
		bf.MinDate = minDate(bf.MinDate, ff.MinDate)
		bf.MaxDate = max(bf.MaxDate, ff.MaxDate)
	}
	b.counts.Merge(f.counts)
	for k, ff := range f.freq {
		if ff != nil {
			if b.freq[k] == nil {
				b.freq[k] = ff
			} else {
				b.freq[k] = unionFrequent(b.freq[k], ff)
			}
		}
	}
	f.freq = [canon.KindCount]*Frequent{}
	b.spools = append(b.spools, f.spools...)
	f.spools = nil
	f.fields, f.counts, f.pairsD = [canon.KindCount]*FieldSketch{}, nil, nil
	return nil
}

func (b *Builder) field(k canon.Kind) *FieldSketch {
	f := b.fields[k]
	if f == nil {
		f = &FieldSketch{Kind: k, Distinct: newDistinct()}
		b.fields[k] = f
		b.counts.kinds[k] = new(registers)
		if k.Strong() && !b.o.CountOnly {
			b.freq[k] = newFrequent(frequentMaxBits)
		}
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
	sp := b.spools[0]
	for i := range rec {
		h := &rec[i]
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
		b.counts.kinds[h.Kind].insert(h.Hash) // its MinHash is taken as the spool is replayed
		if d := h.Form; h.Kind == canon.BirthDate && len(d) > 0 {
			if f.MinDate == "" || string(d) < f.MinDate {
				f.MinDate = string(d)
			}
			if string(d) > f.MaxDate {
				f.MaxDate = string(d)
			}
		}
		if !b.o.CountOnly && !sp.put(int(h.Kind), h.Hash) {
			if b.err = sp.addChunk(int(h.Kind), h.Hash); b.err != nil {
				return b.err
			}
		}
		if h.Kind.Strong() && !slices.Contains(b.ids, h.Hash) {
			b.ids = append(b.ids, h.Hash)
			if fr := b.freq[h.Kind]; fr != nil {
				fr.add(h.Hash)
			}
		}
	}
	if len(b.ids) > MaxPairIdentifiers {
		return nil // too many identifiers to pair: see MaxPairIdentifiers
	}
	for i := 0; i < len(b.ids); i++ {
		for j := i + 1; j < len(b.ids); j++ {
			p := PairHash(b.ids[i], b.ids[j])
			b.counts.pairs.insert(p)
			if !b.o.CountOnly && !sp.put(pairTarget, p) {
				if b.err = sp.addChunk(pairTarget, p); b.err != nil {
					return b.err
				}
			}
		}
	}
	return nil
}

// newFilter returns an empty filter for n values at the build's FPR: the
// filter NewFilter makes, its words (from 1 MiB) mapped outside the Go
// heap as a signature file's are (see fileBuffer), so that they take
// memory only as the replay fills them, as the spool gives its own back,
// and the garbage collector does not let as much garbage again build up
// beside them. The options were checked by NewBuilder and blocksFor clamps
// the size, so the parameters are always within the limits.
func (b *Builder) newFilter(n uint64) *Filter {
	blocks := blocksFor(n, b.o.FPR)
	mem, owner, free := fileBuffer(int(blocks * blockBits / 8))
	words := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(mem))), len(mem)/8)
	f, err := filterFromWords(words, blocks*blockBits, blockK, true)
	if err != nil {
		free()
		panic("fingerprint: filter parameters out of range: " + err.Error())
	}
	if owner != nil {
		f.backing = owner
		runtime.AddCleanup(owner, func(free func()) { free() }, free)
	}
	return f
}

// Close releases the Builder's temporary spool files, those of the forks
// it joined included. Finish closes it too; call Close (it is safe to call
// twice) when a build is abandoned.
func (b *Builder) Close() error {
	for _, s := range b.spools {
		s.close()
	}
	return nil
}

// Counts returns the distinct counts of what the Builder was given, the
// forks it joined included. The Builder may still be used.
func (b *Builder) Counts() *Counts {
	c := NewCounts()
	c.Merge(b.counts)
	return c
}

// Finish sizes the filters, fills them from the spools and returns the
// signature. The Builder cannot be used afterwards.
func (b *Builder) Finish() (*Signature, error) {
	defer b.Close()
	if b.err != nil {
		return nil, b.err
	}
	switch {
	case b.forked:
		return nil, errors.New("fingerprint: Finish of a fork: Join it instead")
	case b.o.CountOnly:
		return nil, errors.New("fingerprint: Finish of a Builder that only counts: take its Counts")
	}
	b.done = true
	s := &Signature{Meta: b.o.Meta, PairsDistinct: b.pairsD}
	if s.Meta.Tool == "" {
		s.Meta.Tool = Tool
	}
	s.Meta.CanonVersion = canon.Version
	s.Meta.HashMode = b.hasher.Mode()
	s.Meta.KeyID = b.hasher.KeyID()
	s.Meta.FPR = b.o.FPR
	s.Meta.Capacity = b.o.Capacity
	s.Meta.MinHashScale = b.o.MinHashScale
	var targets [spoolTargets]*Filter
	size := func(distinct, whole, capacity uint64) *Filter {
		switch {
		case b.o.Capacity > 0:
			return b.newFilter(capacity)
		case b.o.Sizes != nil:
			return b.newFilter(whole)
		}
		return b.newFilter(distinct)
	}
	b.counts.pairs.fold(b.pairsD)
	for k, f := range b.fields {
		if f == nil {
			continue
		}
		b.counts.kinds[k].fold(f.Distinct)
		if b.o.Sizes != nil && b.o.Sizes.kinds[k] == nil {
			return nil, fmt.Errorf("fingerprint: Sizes count no %s value, and this build has some: they are not the whole dump's", canon.Kind(k))
		}
		f.Filter = size(f.DistinctCount(), b.o.Sizes.Distinct(canon.Kind(k)), b.o.Capacity)
		targets[k] = f.Filter
		if fr := b.freq[k]; fr != nil {
			// Sized as the filter is, so that shards merge.
			d := f.DistinctCount()
			switch {
			case b.o.Capacity > 0:
				d = b.o.Capacity
			case b.o.Sizes != nil:
				d = b.o.Sizes.Distinct(canon.Kind(k))
			}
			f.Frequent = fr.fold(frequentBits(d))
		}
		s.Fields = append(s.Fields, f)
	}
	s.coarsenDates()
	s.Pairs = size(b.pairsD.Estimate(), b.o.Sizes.Pairs(), 3*b.o.Capacity)
	targets[pairTarget] = s.Pairs
	minHash, err := replay(b.spools, &targets, b.o.Workers, b.thr)
	if err != nil {
		return nil, err
	}
	for _, f := range s.Fields {
		f.MinHash = minHash[f.Kind]
		if f.MinHash == nil {
			f.MinHash = []uint64{}
		}
	}
	return s, nil
}
