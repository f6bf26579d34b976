package fingerprint

import (
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"sync"
	"unsafe"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// A spool holds a build's hashes until the filters can be sized: per target
// (a kind's filter, or the pair filter) and per bucket of the hash's top
// bits. A filter picks a hash's block from its top bits, so a bucket's
// hashes fill one stretch of each filter: the replay fills the filters a
// cache-sized stretch at a time, and workers replaying different buckets
// touch different blocks. Past its memory limit a spool writes its buckets
// to a temporary file as a run, and the replay reads them back bucket by
// bucket.
//
// The memory of each stretch of buckets (spoolStretches of them) comes from
// slabs of its own, which the replay gives back to the system as soon as
// the stretch is in the filters: the filters fill while the spool empties,
// so that a build's peak is about the larger of the two, not their sum.
type spool struct {
	dir   string
	limit int // bytes of slabs held in memory before a run is written
	size  int // bytes of the chunks in use
	slabs int // slabs made
	mem   [spoolTargets][spoolBuckets][]*spoolChunk
	cur   [spoolTargets * spoolBuckets]*spoolChunk // each bucket's last chunk, or fullChunk
	// Per stretch: chunks free to use (of new slabs, or emptied by a run),
	// the part of its last mapping no slab uses yet, and the functions
	// that unmap its mappings outside the heap.
	spare  [spoolStretches][]*spoolChunk
	unused [spoolStretches][]byte
	frees  [spoolStretches][]func()
	file   *os.File
	// unlinked: the spool file has no name left to remove.
	unlinked bool
	segs     [spoolTargets][spoolBuckets][]spoolSegment // on disk, run after run
	off      int64
	buf      []byte
	err      error
}

// spoolChunk holds a bucket's hashes in memory, a fixed block at a time, so
// that a growing bucket is never copied and wastes at most one part-filled
// chunk.
type spoolChunk struct {
	n  uint
	hs [spoolChunkLen]uint64
}

const (
	spoolChunkLen = 512
	// spoolSlabChunks: 128 KiB a slab, so that the part-used slabs of a
	// spool's stretches come to at most 4 MiB (within its limit).
	spoolSlabChunks = 32
)

// slabSize is the bytes of a slab.
const slabSize = spoolSlabChunks * int(unsafe.Sizeof(spoolChunk{}))

// spoolMapSlabs is how many slabs one mapping holds: unmapping costs
// about three times as much per page in pieces of 128 KiB as in pieces of
// 1 MiB or more (1.2 to 1.9 µs against 0.4 µs on the 2-core machine of
// docs/benchmarks.md). Pages of a mapping no slab has used yet are not
// touched, so they take no memory.
const spoolMapSlabs = 8

// slab returns the chunks of a new slab for stretch i, mapped outside the
// Go heap where it can be (see offHeap).
func (s *spool) slab(i int) []*spoolChunk {
	s.slabs++
	chunks := make([]*spoolChunk, spoolSlabChunks)
	size := int(unsafe.Sizeof(spoolChunk{}))
	if len(s.unused[i]) < slabSize {
		if mem, free, ok := offHeap(spoolMapSlabs * slabSize); ok {
			s.frees[i] = append(s.frees[i], free)
			s.unused[i] = mem
		}
	}
	if len(s.unused[i]) >= slabSize {
		mem := s.unused[i][:slabSize:slabSize]
		s.unused[i] = s.unused[i][slabSize:]
		for j := range chunks {
			chunks[j] = (*spoolChunk)(unsafe.Pointer(&mem[j*size]))
		}
		return chunks
	}
	all := make([]spoolChunk, spoolSlabChunks)
	for j := range chunks {
		chunks[j] = &all[j]
	}
	return chunks
}

// spoolSegment is one bucket of a run in the spool file.
type spoolSegment struct {
	off   int64
	count int
}

const (
	spoolBucketBits = 6
	spoolBuckets    = 1 << spoolBucketBits
	// spoolStretches is how many stretches of buckets the replay cuts the
	// buckets into: a job of a replaying goroutine, and the unit in which
	// the spool's memory is given back.
	spoolStretches = 32
	stretchBuckets = spoolBuckets / spoolStretches
	// spoolTargets: the kinds' filters, then the pair filter.
	spoolTargets = canon.KindCount + 1
	pairTarget   = canon.KindCount
)

// fullChunk stands in the spool's cur for a bucket with no chunk to add
// to, so that add needs no nil check; emptyCur is a cur of it alone.
var (
	fullChunk = spoolChunk{n: spoolChunkLen}
	emptyCur  = func() (c [spoolTargets * spoolBuckets]*spoolChunk) {
		for i := range c {
			c[i] = &fullChunk
		}
		return c
	}()
)

// minSpoolMemory is the least a spool holds before writing a run: smaller
// runs would only cost system calls.
const minSpoolMemory = 1 << 20

func newSpool(dir string, limit int) *spool {
	s := &spool{dir: dir, limit: max(limit, minSpoolMemory), cur: emptyCur}
	// Room for each bucket's first chunks in one allocation: a small dump
	// would otherwise allocate a list for every bucket it touches.
	const first = 2
	lists := make([]*spoolChunk, spoolTargets*spoolBuckets*first)
	for t := range s.mem {
		for b := range s.mem[t] {
			i := (t*spoolBuckets + b) * first
			s.mem[t][b] = lists[i : i : i+first]
		}
	}
	return s
}

// add spools hash h for target t.
func (s *spool) add(t int, h uint64) error {
	if s.put(t, h) {
		return nil
	}
	return s.addChunk(t, h)
}

// put adds h to its bucket's last chunk and reports whether there was
// room: add's common case, small enough to be inlined in a caller that
// calls addChunk when it returns false.
func (s *spool) put(t int, h uint64) bool {
	c := s.cur[uint(t)<<spoolBucketBits|uint(h>>(64-spoolBucketBits))]
	if c.n < spoolChunkLen {
		c.hs[c.n] = h
		c.n++
		return true
	}
	return false
}

// addChunk adds h to a new chunk of its bucket, spilling the spool to
// disk when that makes it outgrow its limit.
func (s *spool) addChunk(t int, h uint64) error {
	if s.err != nil {
		return s.err
	}
	b := int(h >> (64 - spoolBucketBits))
	st := b / stretchBuckets
	if len(s.spare[st]) == 0 && (s.slabs+1)*slabSize > s.limit && s.size > 0 {
		// A new slab would pass the limit: write a run, which frees
		// every chunk (and the slabs stay, for the next run).
		if s.err = s.spill(); s.err != nil {
			s.cur = emptyCur
			return s.err
		}
	}
	c := s.chunk(st)
	s.mem[t][b] = append(s.mem[t][b], c)
	s.cur[t*spoolBuckets+b] = c
	s.size += 8 * spoolChunkLen
	c.hs[0], c.n = h, 1
	return nil
}

// chunk returns a free chunk of stretch i.
func (s *spool) chunk(i int) *spoolChunk {
	sp := &s.spare[i]
	if len(*sp) == 0 {
		*sp = s.slab(i)
	}
	c := (*sp)[len(*sp)-1]
	*sp = (*sp)[:len(*sp)-1]
	c.n = 0
	return c
}

// spill writes every bucket held in memory to the spool file as one run.
func (s *spool) spill() error {
	if s.file == nil {
		f, err := os.CreateTemp(s.dir, "leakprov-spool-*")
		if err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		// Unlinked at once where the system allows (the open file stays
		// usable): a build that is killed leaves no hashes behind, which
		// unkeyed would enumerate back to the dump's values.
		if os.Remove(f.Name()) == nil {
			s.unlinked = true
		}
		s.file = f
	}
	if cap(s.buf) < spoolIO {
		s.buf = make([]byte, 0, spoolIO)
	}
	for t := range s.mem {
		for b, chunks := range s.mem[t] {
			if len(chunks) == 0 {
				continue
			}
			seg := spoolSegment{off: s.off}
			for _, c := range chunks {
				for _, h := range c.hs[:c.n] {
					if len(s.buf) == spoolIO {
						if err := s.write(); err != nil {
							return err
						}
					}
					s.buf = binary.LittleEndian.AppendUint64(s.buf, h)
				}
				seg.count += int(c.n)
			}
			if err := s.write(); err != nil {
				return err
			}
			s.segs[t][b] = append(s.segs[t][b], seg)
			s.spare[b/stretchBuckets] = append(s.spare[b/stretchBuckets], chunks...)
			s.mem[t][b] = chunks[:0]
			s.cur[t*spoolBuckets+b] = &fullChunk
		}
	}
	s.size = 0
	return nil
}

// freeStretch gives back the memory of stretch i's buckets, which must
// not be read again. Goroutines may free different stretches at once.
func (s *spool) freeStretch(i int) {
	for t := range s.mem {
		for b := i * stretchBuckets; b < (i+1)*stretchBuckets; b++ {
			s.mem[t][b] = nil
			s.cur[t*spoolBuckets+b] = &fullChunk
		}
	}
	s.spare[i], s.unused[i] = nil, nil
	for _, free := range s.frees[i] {
		free()
	}
	s.frees[i] = nil
}

// spoolIO is the most bytes a spool writes or reads at once: a bucket of a
// kind of few distinct values (a column of six names) holds far more than
// its share, and is moved in pieces.
const spoolIO = 64 << 10

// write appends the buffer to the spool file.
func (s *spool) write() error {
	if _, err := s.file.WriteAt(s.buf, s.off); err != nil {
		return fmt.Errorf("fingerprint: hash spool: %w", err)
	}
	s.off += int64(len(s.buf))
	s.buf = s.buf[:0]
	return nil
}

// bucket calls fn with the hashes of target t in bucket b, a slice at a
// time (valid during the call): those in memory, then those of each run.
// scratch is reused for reading.
func (s *spool) bucket(t, b int, scratch *spoolScratch, fn func([]uint64)) error {
	for _, c := range s.mem[t][b] {
		fn(c.hs[:c.n])
	}
	if len(s.segs[t][b]) > 0 && cap(scratch.b) < spoolIO {
		scratch.b, scratch.h = make([]byte, spoolIO), make([]uint64, spoolIO/8)
	}
	for _, seg := range s.segs[t][b] {
		for off, end := seg.off, seg.off+8*int64(seg.count); off < end; {
			p := scratch.b[:min(spoolIO, end-off)]
			if _, err := s.file.ReadAt(p, off); err != nil {
				return fmt.Errorf("fingerprint: hash spool: %w", err)
			}
			hs := scratch.h[:len(p)/8]
			for j := range hs {
				hs[j] = binary.LittleEndian.Uint64(p[8*j:])
			}
			fn(hs)
			off += int64(len(p))
		}
	}
	return nil
}

// spoolScratch is what bucket reads a run's hashes into.
type spoolScratch struct {
	b []byte
	h []uint64
}

func (s *spool) close() {
	if s.file != nil {
		s.file.Close()
		if !s.unlinked {
			os.Remove(s.file.Name())
		}
		s.file = nil
	}
	s.cur = emptyCur
	s.segs = [spoolTargets][spoolBuckets][]spoolSegment{}
	for i := range spoolStretches {
		s.freeStretch(i)
	}
}

// minHashSet collects the MinHash of each kind target: the distinct
// hashes at or below the threshold.
type minHashSet [spoolTargets]map[uint64]struct{}

// replay inserts the hashes of every spool into the filters, targets[t]
// for target t (nil: none spooled), and empties the spools. It returns,
// for every kind target, the distinct hashes at or below thr (its MinHash)
// sorted: every hash of the build passes through here, so the Builder
// keeps no set of them while records are added. It runs workers
// goroutines, each replaying a stretch of buckets at a time into every
// filter and then freeing the stretch's memory: the even stretches first,
// then the odd ones, so that no two goroutines write one block. A filter
// too small for its stretches to fill a block apart (of under
// 4×spoolStretches blocks, 8 KiB), or a classic one, whose positions fall
// anywhere, is replayed first by one goroutine.
func replay(spools []*spool, targets *[spoolTargets]*Filter, workers int, thr uint64) ([spoolTargets][]uint64, error) {
	var small, large []int
	for t, f := range targets {
		switch {
		case f == nil:
		case f.Blocked() && f.blocks >= 4*spoolStretches:
			large = append(large, t)
		default:
			small = append(small, t)
		}
	}
	// Only the buckets below thr's can hold a MinHash hash (the buckets
	// are the top bits): the others are replayed straight into the filter.
	lastMin := int(thr >> (64 - spoolBucketBits))
	run := func(ts []int, b0, b1 int, scratch *spoolScratch, mh *minHashSet) error {
		for _, t := range ts {
			f := targets[t]
			for b := b0; b < b1; b++ {
				fn := f.addAll
				if b <= lastMin && t != pairTarget {
					if mh[t] == nil {
						mh[t] = map[uint64]struct{}{}
					}
					m := mh[t]
					fn = func(hs []uint64) {
						f.addAll(hs)
						for _, h := range hs {
							if h <= thr {
								m[h] = struct{}{}
							}
						}
					}
				}
				for _, s := range spools {
					if err := s.bucket(t, b, scratch, fn); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	var scratch spoolScratch
	// One set for the small filters, one for each stretch.
	var sets [1 + spoolStretches]minHashSet
	if err := run(small, 0, spoolBuckets, &scratch, &sets[0]); err != nil {
		return [spoolTargets][]uint64{}, err
	}
	workers = max(workers, 1)
	for parity := range 2 {
		jobs := make(chan int, spoolStretches)
		for i := parity; i < spoolStretches; i += 2 {
			jobs <- i
		}
		close(jobs)
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var scratch spoolScratch
				for i := range jobs {
					if errs[w] != nil {
						continue
					}
					if errs[w] = run(large, i*stretchBuckets, (i+1)*stretchBuckets, &scratch, &sets[1+i]); errs[w] == nil {
						for _, s := range spools {
							s.freeStretch(i)
						}
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return [spoolTargets][]uint64{}, err
			}
		}
	}
	var minHash [spoolTargets][]uint64
	for t := range minHash {
		n := 0
		for i := range sets {
			n += len(sets[i][t])
		}
		if n == 0 {
			continue
		}
		mh := make([]uint64, 0, n)
		for i := range sets {
			for h := range sets[i][t] {
				mh = append(mh, h)
			}
		}
		slices.Sort(mh)
		minHash[t] = slices.Compact(mh) // a stretch's hashes are its own
	}
	return minHash, nil
}
