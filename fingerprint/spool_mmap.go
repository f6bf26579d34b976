//go:build linux || darwin || freebsd || netbsd || openbsd

package fingerprint

import (
	"syscall"
	"unsafe"
)

// spoolSlab is the memory of spoolSlabChunks chunks, mapped outside the Go
// heap: a spool holds most of an index run's memory, and on the heap the
// garbage collector would let as much garbage again build up beside it.
// Chunks hold no pointers, so the collector need not see them.
type spoolSlab struct {
	mem []byte
}

func newSpoolSlab() (*spoolSlab, []*spoolChunk) {
	size := spoolSlabChunks * int(unsafe.Sizeof(spoolChunk{}))
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return heapSlab()
	}
	chunks := make([]*spoolChunk, spoolSlabChunks)
	for i := range chunks {
		chunks[i] = (*spoolChunk)(unsafe.Pointer(&mem[i*int(unsafe.Sizeof(spoolChunk{}))]))
	}
	return &spoolSlab{mem: mem}, chunks
}

func (s *spoolSlab) free() {
	if s.mem != nil {
		syscall.Munmap(s.mem)
		s.mem = nil
	}
}
