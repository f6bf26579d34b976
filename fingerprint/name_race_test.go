//go:build race

package fingerprint

// nameRaceEnabled: the race detector makes sync.Pool drop values at random, so
// the pooled (non-NFKC) paths allocate now and then.
const nameRaceEnabled = true
