package provenance

import (
	"sync"

	"github.com/leakprov/leakprov/fingerprint"
)

// recordSet remembers sets of identifiers as the workers match records,
// so that two records that become the same once their frequent values are
// left out count once (exact duplicates are found earlier, by sorting the
// records' keys: markDuplicates). Two records are the same when they carry
// exactly the same strong identifiers, in any order; records of one person
// with different identifiers (one with an e-mail, one without) stay two
// records. It is safe for concurrent use.
type recordSet struct {
	shards [recordShards]struct {
		sync.Mutex
		keys map[uint64]struct{}
		_    [40]byte // a shard a cache line
	}
}

const recordShards = 64

// first reports whether no record with exactly these identifiers came
// before, and remembers them.
func (r *recordSet) first(ids []fingerprint.Hashed) bool {
	k := recordKey(ids)
	sh := &r.shards[k%recordShards]
	sh.Lock()
	defer sh.Unlock()
	if _, ok := sh.keys[k]; ok {
		return false
	}
	if sh.keys == nil {
		sh.keys = map[uint64]struct{}{}
	}
	sh.keys[k] = struct{}{}
	return true
}

// recordKey is a 64-bit key of a set of identifiers: the sum of their
// hashes, each mixed again (SplitMix64's finaliser) so that the sum of
// unrelated sets does not collide but by chance (2^-64 a pair). A value's
// hash depends on its kind, so the key does too.
func recordKey(ids []fingerprint.Hashed) uint64 {
	var k uint64
	for _, id := range ids {
		z := id.Hash + 0x9e3779b97f4a7c15
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		k += z ^ z>>31
	}
	return k
}
