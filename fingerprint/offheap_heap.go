//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package fingerprint

// offHeap is not available without mmap: callers use the Go heap.
func offHeap(size int) (mem []byte, free func(), ok bool) { return nil, nil, false }
