//go:build linux || darwin || freebsd || netbsd || openbsd

package fingerprint

import "syscall"

// offHeap returns size bytes of zeroed memory mapped outside the Go heap,
// and the function that unmaps it; ok is false when the mapping failed.
// What a spool or a loaded catalog holds is most of a run's memory: on the
// heap, the garbage collector would let as much garbage again build up
// beside it. The memory must hold no Go pointers.
func offHeap(size int) (mem []byte, free func(), ok bool) {
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	return mem, func() { syscall.Munmap(mem) }, true
}
