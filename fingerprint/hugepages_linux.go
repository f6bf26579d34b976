package fingerprint

import "syscall"

// hugePages asks for transparent huge pages (MADV_HUGEPAGE) on memory that
// offHeap returned and that is about to be filled whole, as a signature
// file read for scoring is: its filters are then probed with fewer TLB
// misses. Not for memory that fills a part at a time (a filter being
// built), which huge pages would make resident 2 MiB at a time (60 MiB
// more at the peak of a 20M-row build).
func hugePages(mem []byte) {
	if len(mem) >= 4<<20 {
		_ = syscall.Madvise(mem, madvHugepage) // advice: refused is fine
	}
}

// madvHugepage is Linux's MADV_HUGEPAGE.
const madvHugepage = 14
