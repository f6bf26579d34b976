package sampleset

import (
	"context"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Set is a uniform random sample of an input's records, held in memory in
// input order. It iterates like the [Reader] it was drawn from. A Set is
// safe for concurrent reads.
type Set struct {
	cols    []canon.Column
	info    Info
	recs    [][]string
	seed    uint64
	members []MemberInfo
	where   []Position // per record, when drawn from a Joined
	pos     Position   // of the record All yielded last
}

// Columns returns the columns of the input the set was drawn from.
func (s *Set) Columns() ([]canon.Column, error) { return s.cols, nil }

// Info describes the input the set was drawn from, read to its end: its
// Records count the whole input.
func (s *Set) Info() Info { return s.info }

// Members describes the members of the input the set was drawn from,
// read to their end, when it was drawn from a [Joined]; else nil.
func (s *Set) Members() []MemberInfo { return s.members }

// Len returns the number of records in the set.
func (s *Set) Len() int { return len(s.recs) }

// Seed returns the seed the set was drawn with.
func (s *Set) Seed() uint64 { return s.seed }

// All returns an iterator over the set's records in input order; it stops
// early, yielding ctx's error, when ctx is done.
func (s *Set) All(ctx context.Context) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		for i, rec := range s.recs {
			if i%ctxCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
			}
			if s.where != nil {
				s.pos = s.where[i]
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// Position returns where the record All yielded last comes from in the
// input the set was drawn from, when it was a [Joined] (else the zero
// Position).
func (s *Set) Position() Position { return s.pos }

// Sample draws a uniform random sample of n records from r, a stream of
// unknown length, reading it to the end: every set of n records is equally
// likely. It uses reservoir sampling (Li's Algorithm L) driven by a PCG
// generator seeded with seed, so the same input, n and seed give the same
// sample; record the seed to make a sample reproducible. The records are
// returned in input order; fewer than n when the input holds fewer.
//
// Bad records are skipped or fail as the reader's SkipBad says. Reading
// stops with ctx's error when ctx is done.
func Sample(ctx context.Context, r Records, n int, seed uint64) (*Set, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: sample size %d", ErrConfig, n)
	}
	cols, err := r.Columns()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// u returns a uniform number in (0, 1].
	u := func() float64 { return 1 - rng.Float64() }
	res := make([][]string, 0, min(n, 1<<16))
	pos := make([]int64, 0, cap(res))
	// Where each kept record comes from, when r can say.
	pr, _ := r.(interface{ Position() Position })
	var where, whereOut []Position
	var i int64 = -1 // records read, less one
	var w float64
	var next int64 // index of the next record to enter the reservoir
	for rec, err := range r.All(ctx) {
		if err != nil {
			return nil, err
		}
		i++
		if n == 0 {
			continue
		}
		if i < int64(n) {
			res = append(res, keep(r, rec))
			if pr != nil {
				where = append(where, pr.Position())
			}
			pos = append(pos, i)
			if i == int64(n)-1 {
				w = math.Exp(math.Log(u()) / float64(n))
				next = i + skip(u(), w) + 1
			}
			continue
		}
		if i == next {
			j := rng.IntN(n)
			res[j] = keep(r, rec)
			if pr != nil {
				where[j] = pr.Position()
			}
			pos[j] = i
			w *= math.Exp(math.Log(u()) / float64(n))
			next = i + skip(u(), w) + 1
		}
	}
	// Back to input order.
	idx := make([]int, len(res))
	for k := range idx {
		idx[k] = k
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case pos[a] < pos[b]:
			return -1
		case pos[a] > pos[b]:
			return 1
		}
		return 0
	})
	out := make([][]string, len(res))
	if pr != nil {
		whereOut = make([]Position, len(res))
	}
	for k, j := range idx {
		out[k] = res[j]
		if pr != nil {
			whereOut[k] = where[j]
		}
	}
	set := &Set{cols: cols, info: r.Info(), recs: out, seed: seed, where: whereOut}
	if l, ok := r.(interface{ Members() []MemberInfo }); ok {
		set.members = l.Members()
	}
	return set, nil
}

// skip returns Algorithm L's number of records to pass over:
// floor(log(u) / log(1-w)).
func skip(u, w float64) int64 {
	s := math.Floor(math.Log(u) / math.Log1p(-w))
	if s > math.MaxInt64/2 || math.IsNaN(s) {
		return math.MaxInt64 / 2
	}
	return int64(s)
}

// keep returns rec in a form that outlives the next iteration: a
// Reader's record as it is unless ReuseRecord, any other's copied.
func keep(r Records, rec []string) []string {
	if rd, ok := r.(*Reader); ok && !rd.ReuseRecord {
		return rec
	}
	return slices.Clone(rec)
}
