package sampleset

import (
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longLine is an io.Reader serving prefix, then n bytes of 'a', then
// suffix, without ever holding the long line in memory.
type longLine struct {
	prefix, suffix string
	n              int64 // 'a' bytes left
	served         int64 // bytes handed out so far
	block          []byte
}

func newLongLine(prefix string, n int64, suffix string) *longLine {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = 'a'
	}
	return &longLine{prefix: prefix, n: n, suffix: suffix, block: b}
}

func (l *longLine) Read(p []byte) (int, error) {
	var k int
	switch {
	case l.prefix != "":
		k = copy(p, l.prefix)
		l.prefix = l.prefix[k:]
	case l.n > 0:
		k = copy(p, l.block[:min(int64(len(l.block)), l.n)])
		l.n -= int64(k)
	case l.suffix != "":
		k = copy(p, l.suffix)
		l.suffix = l.suffix[k:]
	default:
		return 0, io.EOF
	}
	l.served += int64(k)
	return k, nil
}

const gib = 1 << 30

// heapGrowth runs f and returns how much the heap grew and how much was
// allocated in total meanwhile.
func heapGrowth(f func()) (heapSys, totalAlloc uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	if after.HeapSys > before.HeapSys {
		heapSys = after.HeapSys - before.HeapSys
	}
	return heapSys, after.TotalAlloc - before.TotalAlloc
}

// TestGiantLineFailsFast reads a 1 GiB line: the reader must give up after
// about MaxRecordBytes, with the line number, not buffer the line.
func TestGiantLineFailsFast(t *testing.T) {
	src := newLongLine("name,email\n", gib, "\nx,y\n")
	r := NewReader(src)
	r.Name = "giant.csv"
	var err error
	sys, total := heapGrowth(func() { _, err = r.Read() })
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, ErrRecordTooLarge)
	assert.Equal(t, 2, pe.Line)
	assert.Less(t, src.served, int64(4<<20), "bytes read before failing")
	assert.Less(t, total, uint64(64<<20), "bytes allocated")
	assert.Less(t, sys, uint64(64<<20), "heap growth")
}

// TestGiantLineSkipped skips a 1 GiB line and reads on, in bounded memory.
func TestGiantLineSkipped(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1 GiB")
	}
	src := newLongLine("name,email\n", gib, "\nx,y\nz,w\n")
	r := NewReader(src)
	r.SkipBad = true
	var recs [][]string
	sys, total := heapGrowth(func() { recs = readAll(t, r) })
	assert.Equal(t, [][]string{{"x", "y"}, {"z", "w"}}, recs)
	assert.Equal(t, int64(1), r.Info().Skipped)
	assert.Less(t, total, uint64(64<<20), "bytes allocated while reading 1 GiB")
	assert.Less(t, sys, uint64(64<<20), "heap growth while reading 1 GiB")
}

// TestGiantQuotedField opens a quote that never closes in front of a long
// stream of short lines: one bounded failure, then the lines are read again.
func TestGiantQuotedField(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\n1,\"never closed\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("x,y\n")
	}
	r := NewReader(strings.NewReader(b.String()))
	r.MaxRecordBytes = 1000
	r.SkipBad = true
	r.Header = HeaderPresent
	recs := readAll(t, r)
	assert.Equal(t, 100000, len(recs), "records after the bad one")
	assert.Equal(t, int64(1), r.Info().Skipped)
}

// TestGiantJSONLine: the same for a JSON line.
func TestGiantJSONLine(t *testing.T) {
	src := newLongLine("{\"a\":\"", gib, "\"}\n")
	r := NewReader(src)
	_, err := r.Read()
	assert.ErrorIs(t, err, ErrRecordTooLarge)
	assert.Less(t, src.served, int64(4<<20), "bytes read before failing")
}

// TestBadFirstRecord: with SkipBad off, a bad first record is reported by
// Columns and Read, and reading goes on after it.
func TestBadFirstRecord(t *testing.T) {
	r := NewReader(strings.NewReader(strings.Repeat("x", 300) + "\nname,email\nИван,i@example.com\n"))
	r.MaxRecordBytes = 100
	_, err := r.Columns()
	assert.ErrorIs(t, err, ErrRecordTooLarge)
	_, err = r.Read()
	assert.ErrorIs(t, err, ErrRecordTooLarge)
	rec, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, []string{"Иван", "i@example.com"}, rec)
	cols, err := r.Columns()
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "email"}, columnNames(cols))
}

// TestManyBadRecordsFirst: with SkipBad, bad records ahead of the first
// good one are counted, and the records held ahead stay bounded.
func TestManyBadRecordsFirst(t *testing.T) {
	in := strings.Repeat(strings.Repeat("x", 50)+",y\n", 5000) + "a,b\n1,2\n"
	r := NewReader(strings.NewReader(in))
	r.MaxRecordBytes = 20
	r.SniffRecords = 10
	r.SkipBad = true
	_, err := r.Columns()
	require.NoError(t, err)
	assert.LessOrEqual(t, len(r.pending), 20, "records held ahead")
	assert.Equal(t, [][]string{{"1", "2"}}, readAll(t, r))
	assert.Equal(t, int64(5000), r.Info().Skipped)
}
