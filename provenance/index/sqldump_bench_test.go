package index

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// sqlDumpStream generates a mysqldump of rows rows, one extended INSERT
// per perInsert rows, as the stream is read, so a dump of any size costs
// no disk and no memory.
type sqlDumpStream struct {
	rows, perInsert, i int
	csv                bool // the same rows as CSV instead
	buf                []byte
	done               bool
	n                  int64
}

var benchNames = []string{"Шевченко Тарас", "Коваленко Олена", "Бондаренко Іван", "Ткаченко Марія", "Kowalski Jan", "Smith John"}

func (s *sqlDumpStream) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.done {
			return 0, io.EOF
		}
		s.fill()
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	s.n += int64(n)
	return n, nil
}

// fill appends the next statement (or the preamble) to the buffer.
func (s *sqlDumpStream) fill() {
	b := s.buf[:0]
	if s.csv {
		s.fillCSV()
		return
	}
	if s.i == 0 {
		b = append(b, "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: shop\n"+
			"/*!40101 SET NAMES utf8mb4 */;\nDROP TABLE IF EXISTS `customers`;\nCREATE TABLE `customers` (\n"+
			"  `id` int NOT NULL AUTO_INCREMENT,\n  `name` varchar(255) DEFAULT NULL,\n  `phone` varchar(32) DEFAULT NULL,\n"+
			"  `email` varchar(255) DEFAULT NULL,\n  `birth_date` date DEFAULT NULL,\n  PRIMARY KEY (`id`)\n"+
			") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nLOCK TABLES `customers` WRITE;\n"...)
	}
	if s.i >= s.rows {
		s.buf, s.done = append(b, "UNLOCK TABLES;\n"...), true
		return
	}
	b = append(b, "INSERT INTO `customers` VALUES "...)
	for k := 0; k < s.perInsert && s.i < s.rows; k++ {
		if k > 0 {
			b = append(b, ',')
		}
		s.i++
		b = append(b, '(')
		b = s.appendRow(b, "'")
		b = append(b, ')')
	}
	s.buf = append(b, ";\n"...)
}

// fillCSV appends the next rows as CSV, the same values as fill's.
func (s *sqlDumpStream) fillCSV() {
	b := s.buf[:0]
	if s.i == 0 {
		b = append(b, "id,name,phone,email,birth_date\n"...)
	}
	if s.i >= s.rows {
		s.buf, s.done = b, true
		return
	}
	for k := 0; k < s.perInsert && s.i < s.rows; k++ {
		s.i++
		b = s.appendRow(b, "")
		b = append(b, '\n')
	}
	s.buf = b
}

// appendRow appends row s.i's fields, comma-separated, every one but the
// id between quotes q: the same values in the SQL tuples and in the CSV.
func (s *sqlDumpStream) appendRow(b []byte, q string) []byte {
	b = strconv.AppendInt(b, int64(s.i), 10)
	b = append(b, ',')
	b = append(b, q...)
	b = append(b, benchNames[s.i%len(benchNames)]...)
	b = append(b, q+","+q+"+38050"...)
	b = fmt.Appendf(b, "%07d", s.i%10_000_000)
	b = append(b, q+","+q+"user"...)
	b = strconv.AppendInt(b, int64(s.i), 10)
	b = append(b, "@example.com"+q+","+q+"19"...)
	b = fmt.Appendf(b, "%02d-%02d-%02d", 40+s.i%60, 1+s.i%12, 1+s.i%28)
	return append(b, q...)
}

// peakRSS returns the process's peak resident set, in MiB, where the
// system says it (Linux), else 0.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkIndexSQLDump indexes a generated mysqldump (one extended INSERT
// per 10,000 rows, every phone and e-mail distinct) streamed from memory,
// reporting records/s, the process's peak RSS and the signature's size
// (which the builder holds until it is written). LEAKPROV_BENCH_SQL_ROWS sets its size (default
// 1,000,000 rows, about 100 MB; 20,000,000 is about 2 GB):
//
//	LEAKPROV_BENCH_SQL_ROWS=20000000 go test -run '^$' -bench IndexSQLDump -benchtime 1x ./provenance/index
func BenchmarkIndexSQLDump(b *testing.B) { benchmarkIndexStream(b, false) }

// BenchmarkIndexSQLDumpAsCSV indexes the same rows as
// BenchmarkIndexSQLDump written as CSV, for comparison (run it in a process
// of its own: the peak RSS is the process's).
func BenchmarkIndexSQLDumpAsCSV(b *testing.B) { benchmarkIndexStream(b, true) }

func benchmarkIndexStream(b *testing.B, asCSV bool) {
	rows := 1_000_000
	if v := os.Getenv("LEAKPROV_BENCH_SQL_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("LEAKPROV_BENCH_SQL_ROWS=%q: want a positive number", v)
		}
		rows = n
	}
	var bytes, sigBytes int64
	for b.Loop() {
		s := &sqlDumpStream{rows: rows, perInsert: 10_000, csv: asCSV}
		sig, err := Build(context.Background(), Options{Name: "shop"}, Reader("dump.sql", s))
		if err != nil {
			b.Fatal(err)
		}
		if sig.Meta.Records != uint64(rows) {
			b.Fatalf("%d records indexed, want %d", sig.Meta.Records, rows)
		}
		bytes = s.n
		if sigBytes, err = sig.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(bytes)
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	b.ReportMetric(float64(sigBytes)/(1<<20), "signature-MiB")
}

// BenchmarkBuild indexes 200,000 generated rows of CSV (the columns of
// BenchmarkIndexSQLDump) held in memory, with -benchmem's figures and the
// allocations per record (at most one: the record's string).
func BenchmarkBuild(b *testing.B) {
	const rows = 200_000
	data, err := io.ReadAll(&sqlDumpStream{rows: rows, perInsert: 10_000, csv: true})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		sig, err := Build(context.Background(), Options{Name: "shop"}, Reader("dump.csv", bytes.NewReader(data)))
		if err != nil {
			b.Fatal(err)
		}
		if sig.Meta.Records != rows {
			b.Fatalf("%d records indexed, want %d", sig.Meta.Records, rows)
		}
	}
	runtime.ReadMemStats(&m1)
	n := float64(b.N) * rows
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/record")
	b.ReportMetric(n/b.Elapsed().Seconds(), "records/s")
}
