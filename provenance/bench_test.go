package provenance

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// BenchmarkIndex measures index throughput end to end: read a CSV dump,
// detect its columns, canonicalise, hash and build the signature.
// allocs/record counts a build's fixed allocations too (writing the
// signature, the builder's tables: a few thousand); marginal-allocs/record
// is what each record adds, from a build of a fifth of the records.
func BenchmarkIndex(b *testing.B) {
	const records = 100000
	people := synth.People(canon.UA, 21, records)
	data := table(b, people, bankCols)
	h := unkeyed(b)
	smallData := table(b, people[:records/5], bankCols)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	index(b, h, "bench", "", canon.UA, smallData)
	runtime.ReadMemStats(&m1)
	small := float64(m1.Mallocs - m0.Mallocs)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		index(b, h, "bench", "", canon.UA, data)
	}
	runtime.ReadMemStats(&m1)
	n := float64(b.N) * records
	perBuild := float64(m1.Mallocs-m0.Mallocs) / float64(b.N)
	b.ReportMetric(perBuild/records, "allocs/record")
	b.ReportMetric((perBuild-small)/(records-records/5), "marginal-allocs/record")
	b.ReportMetric(n/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkScore measures scoring a 5,000-record sample against a catalog
// of three sources.
func BenchmarkScore(b *testing.B) {
	h := unkeyed(b)
	world := synth.People(canon.UA, 22, 30000)
	cat := &Catalog{}
	for i, name := range []string{"a", "b", "c"} {
		_ = cat.Add(index(b, h, name, "", canon.UA, table(b, world[i*8000:(i+1)*8000], bankCols)), "")
	}
	sample := table(b, world[5000:10000], []column{{canon.Name, synth.LatinKMU}, {canon.Phone, synth.PhoneParen}, {canon.BirthDate, synth.DateDots}})
	b.SetBytes(int64(len(sample)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(context.Background(), cat, reader(sample, "s", canon.UA), Options{Hasher: h}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreSources measures scoring a 50,000-record sample against 3
// and against 30 sources of 100,000 records each (a catalog of about 12 MB
// and of 120 MB, past the caches): what a record costs as sources are
// added.
func BenchmarkScoreSources(b *testing.B) {
	h := unkeyed(b)
	world := synth.People(canon.UA, 23, 400000)
	sample := table(b, world[:50000], bankCols)
	var all []*fingerprint.Signature
	for i := range 30 {
		start := (i * 12000) % (len(world) - 100000)
		all = append(all, index(b, h, fmt.Sprintf("src-%02d", i+1), "", canon.UA, table(b, world[start:start+100000], bankCols)))
	}
	for _, n := range []int{3, 30} {
		cat := &Catalog{}
		for _, s := range all[:n] {
			require.NoError(b, cat.Add(s, ""))
		}
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(sample)))
			for b.Loop() {
				if _, err := Score(context.Background(), cat, reader(sample, "s", canon.UA), Options{Hasher: h}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/50000, "ns/record")
		})
	}
}
