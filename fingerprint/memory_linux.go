package fingerprint

import "syscall"

// physicalMemory returns the machine's RAM in bytes, or 0 when it cannot
// be told. A variable so that tests can pretend to a small machine.
var physicalMemory = func() uint64 {
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) != nil {
		return 0
	}
	return uint64(info.Totalram) * uint64(info.Unit)
}
