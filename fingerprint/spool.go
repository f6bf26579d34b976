package fingerprint

import (
	"encoding/binary"
	"fmt"
	"os"
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
type spool struct {
	dir   string
	limit int // bytes held in memory before a run is written
	size  int
	mem   [spoolTargets][spoolBuckets][]*spoolChunk
	cur   [spoolTargets * spoolBuckets]*spoolChunk // each bucket's last chunk, while it has room
	spare []*spoolChunk                            // chunks free to use: of new slabs, or emptied by a run
	frees []func()                                 // unmap the slabs mapped outside the heap
	file  *os.File
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
	n  int
	hs [spoolChunkLen]uint64
}

const (
	spoolChunkLen   = 512
	spoolSlabChunks = 256 // 1 MiB a slab
)

// slab returns the chunks of a new slab, mapped outside the Go heap where
// it can be (see offHeap).
func (s *spool) slab() []*spoolChunk {
	chunks := make([]*spoolChunk, spoolSlabChunks)
	size := int(unsafe.Sizeof(spoolChunk{}))
	if mem, free, ok := offHeap(spoolSlabChunks * size); ok {
		s.frees = append(s.frees, free)
		for i := range chunks {
			chunks[i] = (*spoolChunk)(unsafe.Pointer(&mem[i*size]))
		}
		return chunks
	}
	all := make([]spoolChunk, spoolSlabChunks)
	for i := range chunks {
		chunks[i] = &all[i]
	}
	return chunks
}

// spoolSegment is one bucket of a run in the spool file.
type spoolSegment struct {
	off   int64
	count int
}

const (
	spoolBucketBits = 8
	spoolBuckets    = 1 << spoolBucketBits
	// spoolTargets: the kinds' filters, then the pair filter.
	spoolTargets = canon.KindCount + 1
	pairTarget   = canon.KindCount
)

// minSpoolMemory is the least a spool holds before writing a run: smaller
// runs would only cost system calls.
const minSpoolMemory = 1 << 20

func newSpool(dir string, limit int) *spool {
	s := &spool{dir: dir, limit: max(limit, minSpoolMemory)}
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
	if s.err != nil {
		return s.err
	}
	i := t*spoolBuckets + int(h>>(64-spoolBucketBits))
	if c := s.cur[i]; c != nil && c.n < spoolChunkLen {
		c.hs[c.n] = h
		c.n++
		return nil
	}
	c := s.chunk()
	b := &s.mem[t][h>>(64-spoolBucketBits)]
	*b = append(*b, c)
	s.cur[i] = c
	s.size += 8 * spoolChunkLen
	c.hs[0], c.n = h, 1
	if s.size > s.limit {
		s.err = s.spill()
	}
	return s.err
}

func (s *spool) chunk() *spoolChunk {
	if len(s.spare) == 0 {
		s.spare = s.slab()
	}
	c := s.spare[len(s.spare)-1]
	s.spare = s.spare[:len(s.spare)-1]
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
	for t := range s.mem {
		for b, chunks := range s.mem[t] {
			if len(chunks) == 0 {
				continue
			}
			s.buf = s.buf[:0]
			for _, c := range chunks {
				for _, h := range c.hs[:c.n] {
					s.buf = binary.LittleEndian.AppendUint64(s.buf, h)
				}
			}
			if _, err := s.file.WriteAt(s.buf, s.off); err != nil {
				return fmt.Errorf("fingerprint: hash spool: %w", err)
			}
			s.segs[t][b] = append(s.segs[t][b], spoolSegment{off: s.off, count: len(s.buf) / 8})
			s.off += int64(len(s.buf))
			s.spare = append(s.spare, chunks...)
			s.mem[t][b] = chunks[:0]
			s.cur[t*spoolBuckets+b] = nil
		}
	}
	s.size = 0
	return nil
}

// bucket calls fn with every hash of target t in bucket b: those in
// memory, then those of each run. scratch is reused for reading.
func (s *spool) bucket(t, b int, scratch *[]byte, fn func(uint64)) error {
	for _, c := range s.mem[t][b] {
		for _, h := range c.hs[:c.n] {
			fn(h)
		}
	}
	for _, seg := range s.segs[t][b] {
		n := 8 * seg.count
		if cap(*scratch) < n {
			*scratch = make([]byte, n)
		}
		p := (*scratch)[:n]
		if _, err := s.file.ReadAt(p, seg.off); err != nil {
			return fmt.Errorf("fingerprint: hash spool: %w", err)
		}
		for j := 0; j < n; j += 8 {
			fn(binary.LittleEndian.Uint64(p[j:]))
		}
	}
	return nil
}

func (s *spool) close() {
	if s.file != nil {
		s.file.Close()
		if !s.unlinked {
			os.Remove(s.file.Name())
		}
		s.file = nil
	}
	s.mem = [spoolTargets][spoolBuckets][]*spoolChunk{}
	s.cur = [spoolTargets * spoolBuckets]*spoolChunk{}
	s.spare, s.segs = nil, [spoolTargets][spoolBuckets][]spoolSegment{}
	for _, free := range s.frees {
		free()
	}
	s.frees = nil
}

// replay inserts the hashes of every spool into the filters, targets[t]
// for target t (nil: none spooled). It runs workers goroutines: the buckets
// are cut into stretches, and the even stretches are replayed together,
// then the odd ones, so that no two goroutines write one block. A filter
// too small for its stretches to fill a block apart is replayed by one
// goroutine first.
func replay(spools []*spool, targets *[spoolTargets]*Filter, workers int) error {
	const stretches = 16 // buckets of a stretch: spoolBuckets/stretches
	per := spoolBuckets / stretches
	// Stretches two apart share no block once a stretch covers a block or
	// more; a classic filter's positions fall anywhere.
	var small, large []int
	for t, f := range targets {
		switch {
		case f == nil:
		case workers > 1 && f.Blocked() && f.blocks >= 4*stretches:
			large = append(large, t)
		default:
			small = append(small, t)
		}
	}
	run := func(ts []int, b0, b1 int, scratch *[]byte) error {
		for _, t := range ts {
			f := targets[t]
			for b := b0; b < b1; b++ {
				for _, s := range spools {
					if err := s.bucket(t, b, scratch, f.add); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	var scratch []byte
	if err := run(small, 0, spoolBuckets, &scratch); err != nil {
		return err
	}
	if len(large) == 0 {
		return nil
	}
	for parity := range 2 {
		jobs := make(chan int, stretches)
		for i := parity; i < stretches; i += 2 {
			jobs <- i
		}
		close(jobs)
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var scratch []byte
				for i := range jobs {
					if err := run(large, i*per, (i+1)*per, &scratch); err != nil && errs[w] == nil {
						errs[w] = err
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
	}
	return nil
}
