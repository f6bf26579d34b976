//go:build !linux

package fingerprint

// hugePages does nothing outside Linux.
func hugePages([]byte) {}
