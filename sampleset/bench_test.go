package sampleset

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// benchSize is the size of the generated benchmark inputs.
const benchSize = 64 << 20

var (
	benchOnce sync.Once
	benchUTF8 []byte
	bench1251 []byte
)

// writeSynthetic writes synthetic dump rows (name, phone, email, birth
// date, address; Cyrillic names and addresses) to w until about size bytes.
func writeSynthetic(w io.Writer, size int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	first := []string{"Олександр", "Марія", "Іван", "Олена", "Дмитро", "Анна", "Сергій", "Наталія", "Андрій", "Юлія"}
	last := []string{"Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Петренко", "Іваненко", "Савченко"}
	city := []string{"Київ", "Харків", "Одеса", "Дніпро", "Львів", "Запоріжжя"}
	street := []string{"вул. Хрещатик", "просп. Науки", "вул. Шевченка", "вул. Городоцька", "бул. Лесі Українки"}
	rng := rand.New(rand.NewPCG(1, 2))
	var n int64
	line := []byte("name,phone,email,birth_date,address\n")
	for n < size {
		if _, err := bw.Write(line); err != nil {
			return err
		}
		n += int64(len(line))
		line = line[:0]
		line = append(line, last[rng.IntN(len(last))]...)
		line = append(line, ' ')
		line = append(line, first[rng.IntN(len(first))]...)
		line = append(line, ",+38050"...)
		line = strconv.AppendInt(line, 1000000+rng.Int64N(9000000), 10)
		line = append(line, ",user"...)
		line = strconv.AppendInt(line, rng.Int64N(1e8), 10)
		line = append(line, "@example.com,"...)
		line = fmt.Appendf(line, "%02d.%02d.%d", 1+rng.IntN(28), 1+rng.IntN(12), 1940+rng.IntN(65))
		line = append(line, ",\""...)
		line = append(line, city[rng.IntN(len(city))]...)
		line = append(line, ", "...)
		line = append(line, street[rng.IntN(len(street))]...)
		line = append(line, ' ')
		line = strconv.AppendInt(line, 1+rng.Int64N(200), 10)
		line = append(line, "\"\n"...)
	}
	return bw.Flush()
}

func benchData(b *testing.B) {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if err := writeSynthetic(&buf, benchSize); err != nil {
			b.Fatal(err)
		}
		benchUTF8 = buf.Bytes()
		enc, err := charmap.Windows1251.NewEncoder().Bytes(benchUTF8)
		if err != nil {
			b.Fatal(err)
		}
		bench1251 = enc
	})
}

func benchRead(b *testing.B, src func() io.Reader, size int64, reuse bool, wantEnc string) {
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := NewReader(src())
		r.ReuseRecord = reuse
		var n int
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if r.Info().Encoding != wantEnc || n == 0 {
			b.Fatalf("read %d records as %s, want %s", n, r.Info().Encoding, wantEnc)
		}
	}
}

// BenchmarkRead reads a generated 64 MB CSV in UTF-8 and in Windows-1251.
func BenchmarkRead(b *testing.B) {
	benchData(b)
	for _, bc := range []struct {
		name  string
		data  []byte
		enc   string
		reuse bool
	}{
		{"utf-8", benchUTF8, "utf-8", false},
		{"utf-8/reuse", benchUTF8, "utf-8", true},
		{"windows-1251", bench1251, "windows-1251", false},
		{"windows-1251/reuse", bench1251, "windows-1251", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchRead(b, func() io.Reader { return bytes.NewReader(bc.data) }, int64(len(bc.data)), bc.reuse, bc.enc)
		})
	}
}

// BenchmarkReadFile reads a generated file of LEAKPROV_BENCH_SIZE bytes
// (e.g. 1G) from disk; it is skipped when the variable is unset.
func BenchmarkReadFile(b *testing.B) {
	size, ok := parseSize(os.Getenv("LEAKPROV_BENCH_SIZE"))
	if !ok {
		b.Skip("set LEAKPROV_BENCH_SIZE (e.g. 1G) to run")
	}
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeSynthetic(f, size); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	var open *os.File
	defer func() {
		if open != nil {
			open.Close()
		}
	}()
	benchRead(b, func() io.Reader {
		if open != nil {
			open.Close()
		}
		open, err = os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		return open
	}, st.Size(), true, "utf-8")
}

// parseSize reads "1G", "512M", "64K" or a plain byte count.
func parseSize(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	mult := int64(1)
	switch s[len(s)-1] {
	case 'G', 'g':
		mult = 1 << 30
	case 'M', 'm':
		mult = 1 << 20
	case 'K', 'k':
		mult = 1 << 10
	}
	if mult != 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err == nil && n > 0
}

// TestReadAllocs: with ReuseRecord, a record costs one allocation (its
// string), quoted or not, in UTF-8 or in a code page.
func TestReadAllocs(t *testing.T) {
	for _, tc := range []struct {
		name, line, enc string
	}{
		{"plain", "Іваненко Олена,+380501234567,olena@example.com\n", "utf-8"},
		{"quoted", "Іваненко Олена,+380501234567,\"Київ, вул. Хрещатик 1\"\n", "utf-8"},
		{"windows-1251", "Иваненко Елена,+380501234567,\"Киев, ул. Крещатик 1\"\n", "windows-1251"},
	} {
		line := tc.line
		if tc.enc == "windows-1251" {
			b, err := charmap.Windows1251.NewEncoder().String(line)
			if err != nil {
				t.Fatal(err)
			}
			line = b
		}
		const runs = 1000
		in := bytes.Repeat([]byte(line), runs+100)
		r := NewReader(bytes.NewReader(in))
		r.ReuseRecord = true
		r.Header = HeaderAbsent
		r.SniffRecords = 10
		for range 20 { // past the records read ahead
			if _, err := r.Read(); err != nil {
				t.Fatal(err)
			}
		}
		allocs := testing.AllocsPerRun(runs, func() {
			if _, err := r.Read(); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 1 {
			t.Errorf("%s: %.1f allocations per record, want 1", tc.name, allocs)
		}
		if got := r.Info().Encoding; got != tc.enc {
			t.Errorf("%s: encoding %s, want %s", tc.name, got, tc.enc)
		}
	}
}
