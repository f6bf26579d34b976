package canon

import "testing"

// nameTable are names as the benchmark dumps (internal/cmd/genbench) and
// real ones write them: those the fast path reads, then those it leaves to
// the slow path (slow/...).
var nameTable = []struct{ name, in string }{
	{"cyrillic-2", "Їжакевич Роксолана"},
	{"cyrillic-3", "Петренко Олександр Іванович"},
	{"cyrillic-caps", "ШЕВЧЕНКО ЮЛІЯ ВІКТОРІВНА"},
	{"kmu-latin", "Shcherbyna Yuliia"},
	{"icao-caps", "SHCHERBINA IULIIA"},
	{"kazakh", "Сейтқали Нұрлан Әбішұлы"},
	{"apostrophe", "Мар'яна Коваль-Зінченко"},
	{"slow/nfd", "И\u0306осип Петренко"},
	{"slow/nbsp", "Іван\u00a0Петренко"},
	{"slow/latin-accents", "Renée Müller"},
}

// BenchmarkAppendNameTable runs AppendName over nameTable, each
// sub-benchmark's bytes per op the value's length.
func BenchmarkAppendNameTable(b *testing.B) { benchmarkNames(b, AppendName) }

// BenchmarkAppendNameTableSlow runs the slow path alone over nameTable,
// for the fast path's gain.
func BenchmarkAppendNameTableSlow(b *testing.B) { benchmarkNames(b, appendNameSlow) }

func benchmarkNames(b *testing.B, fn func([]byte, string) ([]byte, Status)) {
	for _, c := range nameTable {
		b.Run(c.name, func(b *testing.B) {
			dst := make([]byte, 0, 256)
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			for b.Loop() {
				dst, _ = fn(dst[:0], c.in)
			}
		})
	}
}
