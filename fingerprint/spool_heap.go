//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package fingerprint

// spoolSlab is the memory of spoolSlabChunks chunks; without mmap it is on
// the Go heap.
type spoolSlab struct{}

func newSpoolSlab() (*spoolSlab, []*spoolChunk) { return heapSlab() }

func (s *spoolSlab) free() {}
