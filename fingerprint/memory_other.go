//go:build !linux

package fingerprint

// physicalMemory returns 0: the machine's RAM is not known here, so only
// MaxFileSize bounds what ReadFile reads.
var physicalMemory = func() uint64 { return 0 }
