package provenance

import (
	"context"
	"runtime"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// BenchmarkIndex measures index throughput end to end: read a CSV dump,
// detect its columns, canonicalise, hash and build the signature.
func BenchmarkIndex(b *testing.B) {
	const records = 100000
	data := table(b, synth.People(canon.UA, 21, records), bankCols)
	h := unkeyed(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		index(b, h, "bench", "", canon.UA, data)
	}
	runtime.ReadMemStats(&m1)
	n := float64(b.N) * records
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/record")
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
