package provenance

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// The read-phase state of a scorer, in binary: what add fills (counts,
// dates, fabrication and conformance counts and the held records; the
// Count-Min sketch is not carried: add gives it exactly the held
// identifiers, so decoding rebuilds it from them), so that the records of a sample can be read on several
// machines and the rest of scoring (findFrequent, match, merge, settle,
// report) run in one place on the decoded scorers.
//
// Layout (uvarint: encoding/binary's unsigned varint, always the shortest
// form; u64: 8 bytes, little-endian):
//
//	version        byte, readStateVersion
//	ncols          uvarint
//	dimensions     uvarint each: canon.KindCount, len(fabRegions), the
//	               years of a yearCounts, firstYear, fabSampleCap; they must be the decoder's own
//	flags          byte: bit 0, a schema was set (conformance counted);
//	               bit 1, the scorer keeps rows (ReadPartRows)
//	then six sections (seven with rows), in this order, each a tag byte,
//	the uvarint length of its body, and its body:
//	'c' counts     total, identRows, colNon[ncols], colVal[ncols]
//	'd' dates      n, then n × (key gap, count): the birth dates by
//	               dateKey, ascending (dense slots and days together)
//	'f' fab        region (uvarint length, bytes), values, valid and
//	               malformed [KindCount] each, idFailed,
//	               underRegion[len(fabRegions)], embedded, embeddedOK,
//	               embYears, innCoded, innCodeOK, birthYears, fullDates,
//	               jan1, spreadDates, lateDays, then the samples seq,
//	               idNames, phoneNames
//	'k' conf       values[KindCount], ok[KindCount], dayDates, dates
//	'h' held       records, hashes, per record the number of its
//	               identifiers (uvarint) then per record its state (byte),
//	               per identifier its kind (byte), then per identifier its
//	               hash (u64)
//	'v' kept       the values decoys are made of (decoys.go), per kind of
//	               decoyKinds in order: n, then per value in hash order its
//	               hash (u64), the length of its form (uvarint) and the
//	               form, canonical and valid (for name+birth_date: a name,
//	               a zero byte, a date); each hash the hasher's of its form
//	'p' places     with rows only: per record held, its member gap and
//	               row gap (below)
//
// Every count is a uvarint; a "gap" is the distance to the previous entry
// less one (to −1 for the first), so entries are strictly increasing. A
// yearCounts is its non-zero years as n × (gap, count), then outside. A
// hash sample is its level (byte), its table's size (byte: 0 for none,
// else log2 of the slots), the entries kept n, then per entry in slot
// order its slot gap, its mixed key (u64) and its value: a block's bit set
// (u64), or a name state's name (u64), rows (byte) and mixed (byte, 0 or
// 1). The table is carried slot for slot, so a decoded sample is the
// encoded one, not merely one holding the same keys.
//
// The held records' keys are not carried: they are recordKey of each
// record's identifiers, and are computed again on decoding. A scorer that
// keeps rows holds every record, those without identifiers too (in state
// heldNone, of no identifier), and the places section says where each
// comes from: its member less the previous record's (the first's less 0),
// then its row less one, less the previous record's too when both are of
// one member; so places strictly increase.
//
// Decoding checks everything before it touches the scorer: the lengths
// against the bytes left (before allocating), the dimensions, every kind,
// state and date, the hash samples' tables (level, size, each key
// admitted, unique and where its probe finds it), and the sums that add
// ties together (the dates add up to the valid birth dates, and so on). Any mistake is an error
// wrapping errReadState.

// readStateVersion is the version of the read-state encoding, its first
// byte.
const readStateVersion = 2

// errReadState is wrapped by every error of encoding or decoding a read
// state.
var errReadState = errors.New("provenance: read state")

// maxReadCount bounds every count of a read state: far above any sample,
// and low enough that the sums of the parts of a distributed score cannot
// overflow.
const maxReadCount = min(1<<48, math.MaxInt)

// The section tags, in the order they come.
const (
	tagCounts = 'c'
	tagDates  = 'd'
	tagFab    = 'f'
	tagConf   = 'k'
	tagHeld   = 'h'
	tagKept   = 'v'
	tagPlaces = 'p'
)

// readStateDims are the dimensions the encoding's fixed-size tables
// depend on, in the order the header gives them.
var readStateDims = [...]uint64{canon.KindCount, uint64(len(fabRegions)), uint64(len(yearCounts{}.n)), firstYear,
	fabSampleCap}

// The flags of a read state: counted with a schema; keeping rows.
const (
	flagSchema = 1 << iota
	flagRows
)

// appendReadState appends s's read-phase state to dst. It fails (dst
// unchanged) for a scorer past the read phase (its held records no longer
// those add left), and for counts out of range.
func (s *scorer) appendReadState(dst []byte) ([]byte, error) {
	h := &s.held
	want := s.identRows
	if s.rows != nil {
		want = s.total
		if len(s.rows.where) != s.total || len(s.rows.ident) != 0 {
			return dst, fmt.Errorf("%w: the scorer's rows are not those of its records (%d places of %d records)", errReadState, len(s.rows.where), s.total)
		}
	}
	if len(h.ends) != want || len(h.state) != len(h.ends) || len(h.kinds) != len(h.hashes) {
		return dst, fmt.Errorf("%w: the scorer is past the read phase (%d records held, %d identified)", errReadState, len(h.ends), s.identRows)
	}
	w := &stateWriter{b: dst}
	w.b = append(w.b, readStateVersion)
	w.uvarint(uint64(len(s.colVal)))
	for _, d := range readStateDims {
		w.uvarint(d)
	}
	var flags byte
	if s.schema != nil {
		flags |= flagSchema
	}
	if s.rows != nil {
		flags |= flagRows
	}
	w.b = append(w.b, flags)

	w.section(tagCounts, func() {
		w.count(s.total)
		w.count(s.identRows)
		w.counts(s.colNon)
		w.counts(s.colVal)
	})
	w.section(tagDates, func() { w.dates(&s.dates) })
	w.section(tagFab, func() { w.fab(&s.fab) })
	w.section(tagConf, func() {
		w.counts(s.conf.values[:])
		w.counts(s.conf.ok[:])
		w.count(s.conf.dayDates)
		w.count(s.conf.dates)
	})
	w.section(tagHeld, func() { w.held(h, s.rows != nil) })
	w.section(tagKept, func() {
		for i := range s.kept {
			w.kept(&s.kept[i])
		}
	})
	if s.rows != nil {
		w.section(tagPlaces, func() { w.places(s.rows.where) })
	}
	if w.err != nil {
		return dst, w.err
	}
	return w.b, nil
}

// stateWriter appends a read state, keeping the first error.
type stateWriter struct {
	b   []byte
	err error
}

func (w *stateWriter) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

func (w *stateWriter) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }

// count appends a count, which must be within [0, maxReadCount].
func (w *stateWriter) count(n int) {
	if (n < 0 || n > maxReadCount) && w.err == nil {
		w.err = fmt.Errorf("%w: count %d out of range", errReadState, n)
	}
	w.uvarint(uint64(max(n, 0)))
}

func (w *stateWriter) counts(ns []int) {
	for _, n := range ns {
		w.count(n)
	}
}

// section appends a tag, the length of what body appends, and that.
func (w *stateWriter) section(tag byte, body func()) {
	w.b = append(w.b, tag)
	at := len(w.b)
	w.b = append(w.b, make([]byte, binary.MaxVarintLen64)...)
	start := len(w.b)
	body()
	n := len(w.b) - start
	var l [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(l[:], uint64(n))
	copy(w.b[at:], l[:k])
	copy(w.b[at+k:], w.b[start:])
	w.b = w.b[:at+k+n]
}

// appendSparse appends the non-zero entries of a table: their number,
// then each one's index gap and value.
func appendSparse(w *stateWriter, table []int) {
	nz := 0
	for _, v := range table {
		if v != 0 {
			nz++
		}
	}
	w.uvarint(uint64(nz))
	prev := -1
	for i, v := range table {
		if v != 0 {
			w.uvarint(uint64(i - prev - 1))
			w.uvarint(uint64(v))
			prev = i
		}
	}
}

// dates appends the birth dates, those of the dense slots and of days
// together, by key.
func (w *stateWriter) dates(d *dateStats) {
	all := make(map[uint32]int, len(d.days))
	for k, n := range d.days {
		all[k] += n
	}
	for i, n := range d.dense {
		if n > 0 {
			y, m, day := denseFrom+i/372, i%372/31+1, i%31+1
			all[uint32(y*10000+m*100+day)] += int(n)
		}
	}
	keys := make([]uint32, 0, len(all))
	for k, n := range all {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	w.uvarint(uint64(len(keys)))
	prev := int64(-1)
	for _, k := range keys {
		w.uvarint(uint64(int64(k) - prev - 1))
		w.count(all[k])
		prev = int64(k)
	}
}

func (w *stateWriter) years(y *yearCounts) {
	for _, n := range y.n {
		if (n < 0 || n > maxReadCount) && w.err == nil {
			w.err = fmt.Errorf("%w: year count %d out of range", errReadState, n)
		}
	}
	appendSparse(w, y.n[:])
	w.count(y.outside)
}

func (w *stateWriter) fab(f *fabStats) {
	w.uvarint(uint64(len(f.region)))
	w.b = append(w.b, f.region...)
	w.counts(f.values[:])
	w.counts(f.valid[:])
	w.counts(f.malformed[:])
	w.count(f.idFailed)
	w.counts(f.underRegion[:])
	w.count(f.embedded)
	w.count(f.embeddedOK)
	w.years(&f.embYears)
	w.count(f.innCoded)
	w.count(f.innCodeOK)
	w.years(&f.birthYears)
	w.count(f.fullDates)
	w.count(f.jan1)
	w.count(f.spreadDates)
	w.count(f.lateDays)
	appendSample(w, &f.seq.hashSample, w.block)
	appendSample(w, &f.idNames.hashSample, w.nameState)
	appendSample(w, &f.phoneNames.hashSample, w.nameState)
}

// block appends a block sample's value: the offsets seen, as a bit set.
func (w *stateWriter) block(v uint64) { w.u64(v) }

// nameState appends a name sample's value.
func (w *stateWriter) nameState(v nameState) {
	w.u64(v.name)
	mixed := byte(0)
	if v.mixed {
		mixed = 1
	}
	w.b = append(w.b, v.rows, mixed)
}

// appendSample appends a hash sample, slot for slot.
func appendSample[V any](w *stateWriter, s *hashSample[V], put func(V)) {
	size := byte(0)
	if len(s.keys) > 0 {
		size = byte(bits.TrailingZeros(uint(len(s.keys))))
	}
	w.b = append(w.b, s.level, size)
	n := 0
	for _, m := range s.keys {
		if m != 0 {
			n++
		}
	}
	w.uvarint(uint64(n))
	prev := -1
	for i, m := range s.keys {
		if m == 0 {
			continue
		}
		w.uvarint(uint64(i - prev - 1))
		w.u64(m)
		put(s.vals[i])
		prev = i
	}
}

func (w *stateWriter) held(h *held, rows bool) {
	w.count(len(h.ends))
	w.count(len(h.hashes))
	start := int32(0)
	for _, end := range h.ends {
		w.uvarint(uint64(max(end-start, 0)))
		start = end
	}
	for _, st := range h.state {
		if st != heldFirst && (st != heldNone || !rows) && w.err == nil {
			w.err = fmt.Errorf("%w: the scorer is past the read phase (a held record marked %d)", errReadState, st)
		}
		w.b = append(w.b, byte(st))
	}
	for _, k := range h.kinds {
		w.b = append(w.b, byte(k))
	}
	for _, x := range h.hashes {
		w.u64(x)
	}
}

// kept appends the values of a kind decoys are made of.
func (w *stateWriter) kept(n *keptValues) {
	n.settle()
	w.count(len(n.e))
	for _, x := range n.e {
		w.u64(x.hash)
		w.uvarint(uint64(len(x.form)))
		w.b = append(w.b, x.form...)
	}
}

// places appends where each record comes from (see the layout).
func (w *stateWriter) places(where []sampleset.Position) {
	prev := sampleset.Position{}
	for i, p := range where {
		switch {
		case p.Member < prev.Member || p.Row < 1 || i > 0 && p.Member == prev.Member && p.Row <= prev.Row:
			if w.err == nil {
				w.err = fmt.Errorf("%w: record %d at member %d, row %d, after member %d, row %d", errReadState, i, p.Member, p.Row, prev.Member, prev.Row)
			}
			return
		case i > 0 && p.Member == prev.Member:
			w.uvarint(0)
			w.uvarint(uint64(p.Row - prev.Row - 1))
		default:
			w.uvarint(uint64(p.Member - prev.Member))
			w.uvarint(uint64(p.Row - 1))
		}
		prev = p
	}
}

// readState is a decoded read state, checked, not yet in a scorer.
type readState struct {
	total, identRows int
	rows             bool                 // the scorer kept rows
	where            []sampleset.Position // with rows: per record
	colNon, colVal   []int
	days             map[uint32]int
	fab              fabStats
	conf             conformance
	held             held
	kept             [len(decoyKinds)]keptValues
}

// decodeReadState fills s, a fresh scorer of the same scoring and columns
// as the one encoded, with the read-phase state data holds. It checks all
// of data first and leaves s untouched when it fails.
func (s *scorer) decodeReadState(data []byte) error {
	if s.total != 0 || s.identRows != 0 || len(s.held.ends) != 0 || s.rows != nil {
		return fmt.Errorf("%w: decoding into a scorer that is not fresh", errReadState)
	}
	r := &stateReader{b: data, end: len(data)}
	st, err := r.state(s)
	if err != nil {
		return err
	}
	s.total, s.identRows = st.total, st.identRows
	copy(s.colNon, st.colNon)
	copy(s.colVal, st.colVal)
	s.dates = dateStats{days: st.days}
	s.fab = st.fab
	s.conf = st.conf
	freq := &countMin{} // what add gave it: every held identifier
	for _, h := range st.held.hashes {
		freq.add(h)
	}
	s.freq = freq
	s.held = st.held
	s.kept = st.kept
	if st.rows {
		s.rows = &rowLog{where: st.where}
	}
	return nil
}

// stateReader reads a read state, keeping the first error; once it has
// one, every read returns zero.
type stateReader struct {
	b        []byte
	off, end int // end: of the section being read
	err      error
}

func (r *stateReader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: at byte %d: %s", errReadState, r.off, fmt.Sprintf(format, a...))
	}
}

func (r *stateReader) left() int { return r.end - r.off }

func (r *stateReader) u8() byte {
	if r.err != nil {
		return 0
	}
	if r.left() < 1 {
		r.fail("truncated")
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

func (r *stateReader) u64() uint64 {
	if r.err != nil {
		return 0
	}
	if r.left() < 8 {
		r.fail("truncated")
		return 0
	}
	r.off += 8
	return binary.LittleEndian.Uint64(r.b[r.off-8:])
}

// uvarint reads a uvarint in its shortest form.
func (r *stateReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:r.end])
	switch {
	case n == 0:
		r.fail("truncated")
		return 0
	case n < 0:
		r.fail("a varint overflows 64 bits")
		return 0
	case n > 1 && r.b[r.off+n-1] == 0:
		r.fail("a varint not in its shortest form")
		return 0
	}
	r.off += n
	return v
}

// count reads a count within [0, maxReadCount].
func (r *stateReader) count() int {
	v := r.uvarint()
	if v > maxReadCount {
		r.fail("count %d out of range", v)
		return 0
	}
	return int(v)
}

// length reads the number of entries that follow, each at least per
// bytes long, and checks that the bytes left can hold them.
func (r *stateReader) length(per int, what string) int {
	n := r.count()
	if n > r.left()/per {
		r.fail("%s claims %d entries, %d bytes left", what, n, r.left())
		return 0
	}
	return n
}

// flag reads a byte that must be 0 or 1.
func (r *stateReader) flag() bool {
	b := r.u8()
	if b > 1 {
		r.fail("a flag of %d", b)
	}
	return b == 1
}

func (r *stateReader) counts(ns []int) {
	for i := range ns {
		ns[i] = r.count()
	}
}

// section reads a section's tag and length and limits the reads to its
// body; done checks that the body was read to its end.
func (r *stateReader) section(tag byte) {
	if t := r.u8(); t != tag && r.err == nil {
		r.fail("section %q where %q was due", t, tag)
	}
	n := r.count()
	if n > r.left() {
		r.fail("section %q claims %d bytes, %d left", tag, n, r.left())
	}
	if r.err == nil {
		r.end = r.off + n
	}
}

func (r *stateReader) done(tag byte) {
	if r.err == nil && r.off != r.end {
		r.fail("section %q has %d bytes unread", tag, r.end-r.off)
	}
	r.end = len(r.b)
}

// sparse reads the non-zero entries of a table of n, calling set with
// each one's index and value.
func (r *stateReader) sparse(n int, what string, set func(i int, v uint64)) {
	nz := r.length(2, what)
	if nz > n {
		r.fail("%s has %d entries, at most %d", what, nz, n)
		return
	}
	prev := -1
	for range nz {
		gap, v := r.uvarint(), r.uvarint()
		if r.err != nil {
			return
		}
		if gap >= uint64(n-prev-1) {
			r.fail("%s: an entry beyond %d", what, n)
			return
		}
		if v == 0 {
			r.fail("%s: a zero entry", what)
			return
		}
		prev += int(gap) + 1
		set(prev, v)
	}
}

// state reads and checks a whole read state for s.
func (r *stateReader) state(s *scorer) (*readState, error) {
	if v := r.u8(); v != readStateVersion && r.err == nil {
		r.fail("version %d, want %d", v, readStateVersion)
	}
	ncols := r.count()
	if r.err == nil && ncols != len(s.colVal) {
		r.fail("%d columns, the scorer has %d", ncols, len(s.colVal))
	}
	for i, want := range readStateDims {
		if d := r.uvarint(); d != want && r.err == nil {
			r.fail("dimension %d is %d, want %d", i, d, want)
		}
	}
	flags := r.u8()
	if r.err == nil && flags&^(flagSchema|flagRows) != 0 {
		r.fail("unknown flags %#x", flags)
	}
	if r.err == nil && (flags&flagSchema != 0) != (s.schema != nil) {
		r.fail("encoded with schema %v, decoded with %v", flags&flagSchema != 0, s.schema != nil)
	}
	if r.err != nil {
		return nil, r.err
	}
	st := &readState{rows: flags&flagRows != 0, colNon: make([]int, ncols), colVal: make([]int, ncols)}

	r.section(tagCounts)
	st.total, st.identRows = r.count(), r.count()
	r.counts(st.colNon)
	r.counts(st.colVal)
	r.done(tagCounts)

	r.section(tagDates)
	r.dates(st)
	r.done(tagDates)

	r.section(tagFab)
	r.fab(&st.fab, s.region)
	r.done(tagFab)

	r.section(tagConf)
	r.counts(st.conf.values[:])
	r.counts(st.conf.ok[:])
	st.conf.dayDates, st.conf.dates = r.count(), r.count()
	r.done(tagConf)

	r.section(tagHeld)
	r.held(&st.held, st.rows)
	r.done(tagHeld)

	r.section(tagKept)
	for i, k := range decoyKinds {
		r.kept(&st.kept[i], k, s.region, s.hasher)
	}
	r.done(tagKept)

	if st.rows {
		r.section(tagPlaces)
		st.where = r.places(len(st.held.ends))
		r.done(tagPlaces)
	}

	if r.err == nil && r.off != len(r.b) {
		r.fail("%d bytes after the state", len(r.b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	if err := st.check(s.schema != nil); err != nil {
		return nil, fmt.Errorf("%w: %v", errReadState, err)
	}
	return st, nil
}

// dates reads the birth dates by key.
func (r *stateReader) dates(st *readState) {
	n := r.length(2, "the dates")
	if n > 0 {
		st.days = make(map[uint32]int, n)
	}
	prev := int64(-1)
	for range n {
		gap, c := r.uvarint(), r.count()
		if r.err != nil {
			return
		}
		if gap > math.MaxUint32 || prev+1+int64(gap) > math.MaxUint32 {
			r.fail("a date key beyond 32 bits")
			return
		}
		k := uint32(prev + 1 + int64(gap))
		if !validDateKey(k) {
			r.fail("date key %d is no date", k)
			return
		}
		if c == 0 {
			r.fail("date %d counted 0 times", k)
			return
		}
		st.days[k] = c
		prev = int64(k)
	}
}

// validDateKey reports whether k is a dateKey of a canonical date: a year
// alone (below 10000), or a year, a month from 1 to 12 and a day from 1 to
// 31.
func validDateKey(k uint32) bool {
	if k < 10000 {
		return true
	}
	m, d := k/100%100, k%100
	return k/10000 <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

func (r *stateReader) years(y *yearCounts) {
	r.sparse(len(y.n), "a year count", func(i int, v uint64) {
		if v > maxReadCount {
			r.fail("a year counted %d times", v)
			return
		}
		y.n[i] = int(v)
	})
	y.outside = r.count()
}

// fab reads the fabrication counts, of a scorer of region.
func (r *stateReader) fab(f *fabStats, region canon.Region) {
	n := r.length(1, "the region")
	if r.err != nil {
		return
	}
	reg := canon.Region(r.b[r.off : r.off+n])
	r.off += n
	if reg != "" && reg != region {
		r.fail("region %q, the scorer's is %q", reg, region)
		return
	}
	f.region = reg
	r.counts(f.values[:])
	r.counts(f.valid[:])
	r.counts(f.malformed[:])
	f.idFailed = r.count()
	r.counts(f.underRegion[:])
	f.embedded, f.embeddedOK = r.count(), r.count()
	r.years(&f.embYears)
	f.innCoded, f.innCodeOK = r.count(), r.count()
	r.years(&f.birthYears)
	f.fullDates, f.jan1, f.spreadDates, f.lateDays = r.count(), r.count(), r.count(), r.count()
	readSample(r, &f.seq.hashSample, 8, r.block)
	readSample(r, &f.idNames.hashSample, 10, r.nameState)
	readSample(r, &f.phoneNames.hashSample, 10, r.nameState)
}

// block reads a block sample's value, which holds at least one offset.
func (r *stateReader) block() uint64 {
	v := r.u64()
	if v == 0 && r.err == nil {
		r.fail("a block with no ID")
	}
	return v
}

// nameState reads a name sample's value: of at least one row, and of two
// when the names are mixed.
func (r *stateReader) nameState() nameState {
	v := nameState{name: r.u64(), rows: r.u8(), mixed: r.flag()}
	if (v.rows == 0 || v.mixed && v.rows < 2) && r.err == nil {
		r.fail("a name state of %d rows, mixed %v", v.rows, v.mixed)
	}
	return v
}

// readSample reads a hash sample whose values are at least per bytes
// long, and checks its table: a size linear probing can use, at most
// fabSampleCap keys, every key admitted at the level, unique and in the
// run of occupied slots its probe starts in.
func readSample[V any](r *stateReader, s *hashSample[V], per int, get func() V) {
	level, size := r.u8(), r.u8()
	if r.err != nil {
		return
	}
	if level > 64 {
		r.fail("a sample of level %d", level)
		return
	}
	slots := 0
	if size != 0 {
		if size < 6 || int(size) > bits.TrailingZeros(2*fabSampleCap) {
			r.fail("a sample table of 2^%d slots", size)
			return
		}
		slots = 1 << size
	}
	n := r.length(1+8+per, "a sample")
	if r.err == nil && (n > fabSampleCap || 2*n > slots) {
		r.fail("a sample of %d keys in %d slots", n, slots)
	}
	if r.err != nil {
		return
	}
	s.level = level
	if slots == 0 {
		return
	}
	s.keys, s.vals, s.n = make([]uint64, slots), make([]V, slots), n
	prev := -1
	for range n {
		gap, m := r.uvarint(), r.u64()
		v := get()
		if r.err != nil {
			return
		}
		if gap >= uint64(slots-prev-1) {
			r.fail("a sample entry beyond its table")
			return
		}
		prev += int(gap) + 1
		if m == 0 || !admits(m, level) {
			r.fail("sample key %#x is not admitted at level %d", m, level)
			return
		}
		s.keys[prev], s.vals[prev] = m, v
	}
	// Each key must be where a probe from its home slot finds it: in the
	// run of occupied slots that holds its home, at or after it. The table
	// is at most half full, so an empty slot starts the scan.
	mask := slots - 1
	empty := slices.Index(s.keys, 0)
	run := 0 // occupied slots before the one scanned, since an empty one
	seen := make(map[uint64]struct{}, n)
	for j := 1; j <= slots; j++ {
		i := (empty + j) & mask
		m := s.keys[i]
		if m == 0 {
			run = 0
			continue
		}
		if home := int(m>>32) & mask; (i-home)&mask > run {
			r.fail("sample key %#x at slot %d is out of its probe's reach", m, i)
			return
		}
		if _, dup := seen[m]; dup {
			r.fail("sample key %#x twice", m)
			return
		}
		seen[m] = struct{}{}
		run++
	}
}

// held reads the held records, and computes their keys.
// held reads the held records; with rows, a record of no identifier is
// one in state heldNone.
func (r *stateReader) held(h *held, rows bool) {
	nrec := r.length(2, "the held records")
	nhash := r.length(9, "the held identifiers")
	if r.err == nil && nhash > math.MaxInt32 {
		r.fail("%d held identifiers", nhash)
	}
	if r.err != nil || nrec == 0 && nhash == 0 {
		return
	}
	h.ends = make([]int32, nrec)
	end := 0
	for i := range h.ends {
		d := r.count()
		if r.err != nil {
			return
		}
		if d == 0 && !rows || d > nhash-end {
			r.fail("held record %d of %d identifiers, %d left", i, d, nhash-end)
			return
		}
		end += d
		h.ends[i] = int32(end)
	}
	if end != nhash {
		r.fail("the held records have %d identifiers, not %d", end, nhash)
		return
	}
	h.state = make([]heldState, nrec)
	for i := range h.state {
		want := heldFirst
		if i == 0 && h.ends[0] == 0 || i > 0 && h.ends[i] == h.ends[i-1] {
			want = heldNone
		}
		if h.state[i] = heldState(r.u8()); h.state[i] != want && r.err == nil {
			r.fail("held record %d in state %d, want %d", i, h.state[i], want)
		}
	}
	h.kinds = make([]canon.Kind, nhash)
	for i := range h.kinds {
		if h.kinds[i] = canon.Kind(r.u8()); !h.kinds[i].Strong() && r.err == nil {
			r.fail("held identifier %d of kind %d", i, h.kinds[i])
		}
	}
	h.hashes = make([]uint64, nhash)
	for i := range h.hashes {
		h.hashes[i] = r.u64()
	}
	if r.err != nil {
		return
	}
	h.keys = make([]uint64, nrec)
	var ids []fingerprint.Hashed
	var sorted []uint64
	start := int32(0)
	for i, end := range h.ends {
		ids = ids[:0]
		sorted = append(sorted[:0], h.hashes[start:end]...)
		slices.Sort(sorted)
		for j, x := range sorted {
			if j > 0 && x == sorted[j-1] {
				r.fail("held record %d holds identifier %#x twice", i, x)
				return
			}
		}
		for j := start; j < end; j++ {
			ids = append(ids, fingerprint.Hashed{Value: canon.Value{Kind: h.kinds[j]}, Hash: h.hashes[j]})
		}
		if len(ids) > 0 { // as held.add keys them
			h.keys[i] = recordKey(ids)
		}
		start = end
	}
}

// maxKeptForm bounds a kept value's form.
const maxKeptForm = 1024

// kept reads the values of kind k decoys are made of: at most decoyKeep,
// in strictly increasing hash order, each form canonical and valid under
// region (for name+birth_date: a name, a zero byte and a date), hashed by
// h to its hash.
func (r *stateReader) kept(n *keptValues, k canon.Kind, region canon.Region, h *fingerprint.Hasher) {
	c := r.length(9, "the kept values")
	if r.err == nil && c > decoyKeep {
		r.fail("%d %s values kept, at most %d", c, k, decoyKeep)
	}
	if r.err != nil || c == 0 {
		return
	}
	n.e = make([]keptValue, 0, c)
	for i := range c {
		hash, l := r.u64(), r.count()
		switch {
		case r.err != nil:
			return
		case l > maxKeptForm || l > r.left():
			r.fail("kept %s %d of %d bytes, %d left", k, i, l, r.left())
			return
		}
		form := r.b[r.off : r.off+l]
		r.off += l
		switch {
		case !keptForm(k, region, form):
			r.fail("kept %s %d is not a canonical valid value", k, i)
			return
		case i > 0 && hash <= n.e[i-1].hash:
			r.fail("kept %s %d (%#x) not after %#x", k, i, hash, n.e[i-1].hash)
			return
		case h != nil && h.Sum64(k, form) != hash:
			r.fail("kept %s %d: hash %#x is not its form's", k, i, hash)
			return
		}
		n.e = append(n.e, keptValue{hash: hash, form: bytes.Clone(form)})
	}
}

// keptForm reports whether form is what the scorer keeps of kind k: a
// canonical valid value under region, or for name+birth_date a name, a
// zero byte and a date.
func keptForm(k canon.Kind, region canon.Region, form []byte) bool {
	if k == canon.NameBirthDate {
		z := bytes.IndexByte(form, 0)
		return z > 0 && z < len(form)-1 && bytes.IndexByte(form[z+1:], 0) < 0
	}
	v, st := canon.Append(nil, k, string(form), canon.Options{Region: region})
	return st == canon.Valid && bytes.Equal(v, form)
}

// places reads where each of n records comes from.
func (r *stateReader) places(n int) []sampleset.Position {
	if r.err != nil {
		return nil
	}
	if n > r.left()/2 {
		r.fail("places of %d records in %d bytes", n, r.left())
		return nil
	}
	where := make([]sampleset.Position, n)
	prev := sampleset.Position{}
	for i := range where {
		dm, dr := r.uvarint(), r.uvarint()
		if r.err != nil {
			return nil
		}
		p := prev
		if i > 0 && dm == 0 {
			p.Row += 1 // past the previous record of the member
		} else {
			p.Row = 1
		}
		if dm > maxReadCount-uint64(prev.Member) || dr > maxReadCount-uint64(p.Row) {
			r.fail("record %d beyond member %d, row %d", i, maxReadCount, maxReadCount)
			return nil
		}
		p.Member += int(dm)
		p.Row += int64(dr)
		where[i], prev = p, p
	}
	return where
}

// check tests the sums that add ties together in every read state.
func (st *readState) check(schema bool) error {
	if st.identRows > st.total {
		return fmt.Errorf("%d identified records of %d", st.identRows, st.total)
	}
	for i := range st.colNon {
		if st.colVal[i] > st.colNon[i] || st.colNon[i] > st.total {
			return fmt.Errorf("column %d: %d valid of %d values, %d records", i, st.colVal[i], st.colNon[i], st.total)
		}
	}
	if !st.rows && len(st.held.ends) != st.identRows {
		return fmt.Errorf("%d held records, %d identified", len(st.held.ends), st.identRows)
	}
	if st.rows {
		none := 0
		for _, h := range st.held.state {
			if h == heldNone {
				none++
			}
		}
		if len(st.held.ends) != st.total || st.total-none != st.identRows {
			return fmt.Errorf("%d held records, %d of no identifier, of %d records, %d identified", len(st.held.ends), none, st.total, st.identRows)
		}
	}
	dated := 0
	for _, n := range st.days {
		if dated += n; dated > maxReadCount {
			return fmt.Errorf("more than %d dates", maxReadCount)
		}
	}
	f := &st.fab
	if dated != f.valid[canon.BirthDate] {
		return fmt.Errorf("%d dates, %d valid birth dates", dated, f.valid[canon.BirthDate])
	}
	for k := range f.values {
		if f.valid[k] > f.values[k]-f.malformed[k] {
			return fmt.Errorf("kind %d: %d valid and %d malformed of %d values", k, f.valid[k], f.malformed[k], f.values[k])
		}
	}
	for i, n := range f.underRegion {
		if n > f.idFailed {
			return fmt.Errorf("%d of %d failed IDs valid under region %s", n, f.idFailed, fabRegions[i])
		}
	}
	years := 0
	for _, n := range f.birthYears.n {
		years += n // at most 400 counts of 2^48: no overflow
	}
	years += f.birthYears.outside
	switch {
	case f.embeddedOK > f.embedded, f.innCodeOK > f.innCoded:
		return fmt.Errorf("more IDs agreeing than checked")
	case f.jan1 > f.fullDates, f.lateDays > f.spreadDates, f.spreadDates > f.fullDates:
		return fmt.Errorf("birth days: %d on 1 January, %d late of %d spread, of %d full dates", f.jan1, f.lateDays, f.spreadDates, f.fullDates)
	case f.fullDates > years || years > st.total:
		return fmt.Errorf("%d full birth dates, %d years, %d records", f.fullDates, years, st.total)
	}
	c := &st.conf
	for k := range c.values {
		if c.ok[k] > c.values[k] {
			return fmt.Errorf("kind %d: %d of %d values conform", k, c.ok[k], c.values[k])
		}
		if !schema && c.values[k] != 0 {
			return fmt.Errorf("conformance counted without a schema")
		}
	}
	switch {
	case c.dayDates > c.dates:
		return fmt.Errorf("%d of %d dates give the day", c.dayDates, c.dates)
	case schema && c.dates != dated, !schema && c.dates != 0:
		return fmt.Errorf("%d dates checked for conformance, %d dates", c.dates, dated)
	}
	return nil
}
