//go:build race

package fingerprint

// raceEnabled: the race detector makes sync.Pool drop values at random, so
// the pooled (non-NFKC) paths allocate now and then.
const raceEnabled = true
