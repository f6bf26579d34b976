//go:build race

package canon

// nameRaceEnabled: the race detector makes sync.Pool drop values at random, so
// the pooled (non-NFKC) paths allocate now and then.
const nameRaceEnabled = true
