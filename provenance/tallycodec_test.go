package provenance

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readStateTime is the time the reports of the read-state tests say they
// were made.
var readStateTime = reportTime

// readParts is a sample read as the parts of a distributed score: its
// records dealt round robin among scorers of one scoring.
type readParts struct {
	sc      *scoring
	recs    *sampleset.Reader
	cols    []canon.Column
	parts   []*scorer
	options Options
}

// readInto reads data (a file called name) under region, with the schema
// called schema ("" for none), into n scorers, as Score sets them up.
// limit, when positive, reads that many records only. With rows, the
// scorers keep rows, each record placed as if in a member of 25 rows.
func readInto(t testing.TB, cat *Catalog, data []byte, name string, region canon.Region, force bool, schema string, n, limit int, rows bool) *readParts {
	t.Helper()
	o := Options{Region: region, SamplePath: name, Created: readStateTime}
	o.Thresholds = o.Thresholds.withDefaults()
	if schema != "" {
		var err error
		o.Schema, err = LoadSchema(schema)
		require.NoError(t, err, "schema %s", schema)
	}
	recs := reader(data, name, region)
	recs.ForceRegion = force
	cols, err := recs.Columns()
	require.NoError(t, err, "%s: columns", name)
	h := unkeyed(t)
	require.NoError(t, cat.CheckHasher(h))
	sc, err := newScoring(cat, region, o.Schema, h)
	require.NoError(t, err, "%s: scoring", name)
	p := &readParts{sc: sc, recs: recs, cols: cols, options: o}
	encs := make([]*fingerprint.Encoder, n)
	for i := range n {
		p.parts = append(p.parts, newScorer(sc, len(cols)))
		encs[i] = fingerprint.NewEncoder(h, region, cols)
		if rows {
			p.parts[i].rows = &rowLog{}
		}
	}
	i := 0
	for rec, err := range recs.All(context.Background()) {
		require.NoError(t, err, "%s: record %d", name, i)
		if limit > 0 && i == limit {
			break
		}
		if l := p.parts[i%n].rows; l != nil {
			l.where = append(l.where, sampleset.Position{Member: i / 25, Row: int64(i%25 + 1)})
		}
		p.parts[i%n].add(encs[i%n], rec)
		i++
	}
	return p
}

// finish runs the rest of Score on the parts (which it changes) and
// returns the report as JSON.
func (p *readParts) finish(t testing.TB, parts []*scorer) []byte {
	t.Helper()
	measureChance(parts)
	freq := findFrequent(parts)
	reduced := &recordSet{}
	for _, s := range parts {
		s.match(freq, reduced)
	}
	s := parts[0]
	for _, u := range parts[1:] {
		s.merge(u)
	}
	s.settle()
	s.frequent = freq
	r := s.report(p.recs.Info(), p.cols, nil, p.options)
	r.Sample.Files = files(p.recs, p.cols, p.options.SamplePath, s.region)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return b
}

// roundTrip encodes every part and decodes it into a fresh scorer,
// checking that the decoded state is the encoded one and encodes to the
// same bytes.
func (p *readParts) roundTrip(t testing.TB) ([]*scorer, [][]byte) {
	t.Helper()
	var out []*scorer
	var encs [][]byte
	for i, s := range p.parts {
		enc, err := s.appendReadState(nil)
		require.NoError(t, err, "part %d: encode", i)
		d := newScorer(p.sc, len(p.cols))
		require.NoError(t, d.decodeReadState(enc), "part %d: decode", i)
		assertSameReadState(t, s, d, i)
		again, err := d.appendReadState(nil)
		require.NoError(t, err, "part %d: encode the decoded state", i)
		assert.Truef(t, bytes.Equal(enc, again), "part %d: the decoded state encodes to the same bytes", i)
		out = append(out, d)
		encs = append(encs, enc)
	}
	return out, encs
}

// dateCounts is a dateStats' histogram, its dense slots included, without
// changing it.
func dateCounts(d *dateStats) map[uint32]int {
	out := map[uint32]int{}
	for k, n := range d.days {
		out[k] += n
	}
	for i, n := range d.dense {
		if n > 0 {
			out[uint32((denseFrom+i/372)*10000+(i%372/31+1)*100+i%31+1)] += int(n)
		}
	}
	return out
}

// assertSameReadState checks every read-phase field of d against s's.
func assertSameReadState(t testing.TB, s, d *scorer, part int) {
	t.Helper()
	assert.Equalf(t, s.total, d.total, "part %d: total", part)
	assert.Equalf(t, s.identRows, d.identRows, "part %d: identRows", part)
	assert.Equalf(t, s.colNon, d.colNon, "part %d: colNon", part)
	assert.Equalf(t, s.colVal, d.colVal, "part %d: colVal", part)
	assert.Equalf(t, dateCounts(&s.dates), dateCounts(&d.dates), "part %d: dates", part)
	assert.Nilf(t, d.dates.dense, "part %d: decoded dates are all in days", part)
	assert.Equalf(t, s.fab, d.fab, "part %d: fab", part)
	assert.Equalf(t, s.conf, d.conf, "part %d: conf", part)
	assert.Truef(t, *s.freq == *d.freq, "part %d: freq", part)
	assert.Equalf(t, s.held, d.held, "part %d: held (keys computed again)", part)
	assert.Equalf(t, s.kept, d.kept, "part %d: the values kept for decoys", part)
}

// readStateCases are the samples the round trip reads, with what each
// fills.
var readStateCases = []struct {
	name   string
	file   string // under ../testdata, or "" for synthetic people or data
	data   string
	synth  canon.Region
	people int
	parts  int // 0: 3
	region canon.Region
	force  bool
	schema string
}{
	{name: "leak", file: "leak.csv", region: canon.UA},
	{name: "leak, schema", file: "leak.csv", region: canon.UA, schema: "diia-driver-licence"},
	{name: "ua", file: "ua/sample.csv", region: canon.UA},
	{name: "rp, schema", file: "rp/sample.csv", region: canon.UA, schema: "diia-driver-licence"},
	{name: "kz", file: "kz/sample.csv", region: canon.KZ},
	// Past fabSampleCap distinct IDs, phones and blocks in a part: the
	// samples raise their levels.
	{name: "UA people", synth: canon.UA, people: 9000, parts: 2, region: canon.UA},
	// IINs read under RU fail the INN check and pass the KZ rules.
	{name: "KZ people under RU", synth: canon.KZ, people: 400, region: canon.RU, force: true},
	{name: "RU people", synth: canon.RU, people: 400, region: canon.RU},
	// Values that are no values, a year alone, a date outside the dense
	// slots, an ID under two names and a wrong check digit, the rows of
	// each part three apart.
	{name: "odd values", region: canon.UA, schema: "diia-driver-licence", data: "ПІБ,Дата народження,РНОКПП,Телефон,Email\n" +
		"Вовк Людмила Петрівна,14.12.1947,1751433946,+380733142784,vovk@ukr.net\n" +
		"Гаєвич Григорій,1988,3238195694,not a phone,bad@@mail\n" +
		"Михайленко Юрій,31.02.1990,3230378950,0970409277,\n" +
		"Коваль Олена Іванівна,01.01.1947,1751433946,+380733142784,\n" +
		"Юрченко Андрій,29.10.1992,3390589592,12,yurchenko@gmail.com\n" +
		"Кириленко Єгор,12.06.2004,3814977031,+380634599712,\n" +
		"Лисенко Зиновій,04.06.2061,0928628034,+380664277526,lysenko@i.ua\n" +
		"Гаєвич Григорій,1988,3238195694,0968465506,\n" +
		"Михайленко Юрій,10.06.1988,3230378950,0970409277,\n"},
}

// readStateFilled names the sub-structures of the read state, each with
// whether a scorer fills it.
var readStateFilled = []struct {
	what   string
	filled func(s *scorer) bool
}{
	{"total", func(s *scorer) bool { return s.total > 0 }},
	{"identRows", func(s *scorer) bool { return s.identRows > 0 }},
	{"colNon", func(s *scorer) bool { return anyPositive(s.colNon) }},
	{"colVal", func(s *scorer) bool { return anyPositive(s.colVal) }},
	{"dates", func(s *scorer) bool { return len(dateCounts(&s.dates)) > 0 }},
	{"dates.dense", func(s *scorer) bool { return s.dates.dense != nil }},
	{"dates.days", func(s *scorer) bool { return len(s.dates.days) > 0 }},
	{"fab.region", func(s *scorer) bool { return s.fab.region != "" }},
	{"fab.values", func(s *scorer) bool { return anyPositive(s.fab.values[:]) }},
	{"fab.valid", func(s *scorer) bool { return anyPositive(s.fab.valid[:]) }},
	{"fab.malformed", func(s *scorer) bool { return anyPositive(s.fab.malformed[:]) }},
	{"fab.idFailed", func(s *scorer) bool { return s.fab.idFailed > 0 }},
	{"fab.underRegion", func(s *scorer) bool { return anyPositive(s.fab.underRegion[:]) }},
	{"fab.embedded", func(s *scorer) bool { return s.fab.embedded > 0 }},
	{"fab.embeddedOK", func(s *scorer) bool { return s.fab.embeddedOK > 0 }},
	{"fab.embYears", func(s *scorer) bool { return s.fab.embYears.total() > 0 }},
	{"fab.innCoded", func(s *scorer) bool { return s.fab.innCoded > 0 }},
	{"fab.innCodeOK", func(s *scorer) bool { return s.fab.innCodeOK > 0 }},
	{"fab.birthYears", func(s *scorer) bool { return s.fab.birthYears.total() > 0 }},
	{"fab.fullDates", func(s *scorer) bool { return s.fab.fullDates > 0 }},
	{"fab.jan1", func(s *scorer) bool { return s.fab.jan1 > 0 }},
	{"fab.spreadDates", func(s *scorer) bool { return s.fab.spreadDates > 0 }},
	{"fab.lateDays", func(s *scorer) bool { return s.fab.lateDays > 0 }},
	{"kept values", func(s *scorer) bool { return len(s.kept[0].e) > 0 }},
	{"kept values, all of them", func(s *scorer) bool { return len(s.kept[0].e) == decoyKeep }},
	{"kept name+birth_date", func(s *scorer) bool { return len(s.kept[len(decoyKinds)-1].e) > 0 }},
	{"fab.seq", func(s *scorer) bool { return s.fab.seq.n > 0 }},
	{"fab.seq level", func(s *scorer) bool { return s.fab.seq.level > 0 }},
	{"fab.idNames", func(s *scorer) bool { return s.fab.idNames.n > 0 }},
	{"fab.idNames level", func(s *scorer) bool { return s.fab.idNames.level > 0 }},
	{"fab.phoneNames", func(s *scorer) bool { return s.fab.phoneNames.n > 0 }},
	{"fab.phoneNames level", func(s *scorer) bool { return s.fab.phoneNames.level > 0 }},
	{"a name state of rows", func(s *scorer) bool {
		repeated := false
		s.fab.idNames.each(func(v nameState) { repeated = repeated || v.rows > 1 })
		return repeated
	}},
	{"a name state of mixed names", func(s *scorer) bool {
		mixed := false
		s.fab.idNames.each(func(v nameState) { mixed = mixed || v.mixed })
		return mixed
	}},
	{"conf.values", func(s *scorer) bool { return anyPositive(s.conf.values[:]) }},
	{"conf.ok", func(s *scorer) bool { return anyPositive(s.conf.ok[:]) }},
	{"conf.dates", func(s *scorer) bool { return s.conf.dates > 0 }},
	{"conf.dayDates", func(s *scorer) bool { return s.conf.dayDates > 0 }},
	{"freq", func(s *scorer) bool { return s.freq.estimate(s.held.hashes[0]) > 0 }},
	{"held", func(s *scorer) bool { return len(s.held.hashes) > len(s.held.ends) }},
}

func anyPositive(ns []int) bool {
	for _, n := range ns {
		if n > 0 {
			return true
		}
	}
	return false
}

// caseData returns one of readStateCases' sample and the catalog it is
// scored against.
func caseData(t testing.TB, cat *Catalog, i int) (*Catalog, []byte) {
	t.Helper()
	c := readStateCases[i]
	switch {
	case c.data != "":
		return cat, []byte(c.data)
	case c.file == "":
		return fabCatalog(t, c.synth), table(t, synth.People(c.synth, 7, c.people), fabCols)
	}
	data, err := os.ReadFile("../testdata/" + c.file)
	require.NoError(t, err)
	return cat, data
}

// caseParts reads one of readStateCases into n parts.
func caseParts(t testing.TB, cat *Catalog, i, n, limit int) *readParts {
	t.Helper()
	c := readStateCases[i]
	cat, data := caseData(t, cat, i)
	return readInto(t, cat, data, c.file, c.region, c.force, c.schema, n, limit, false)
}

// The rest of a score run on the decoded states of three parts gives the
// report the parts themselves give, byte for byte, and the one Score gives;
// and the samples fill every part of the read state.
func TestReadStateRoundTrip(t *testing.T) {
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(t, err)
	filled := map[string]bool{}
	for i, c := range readStateCases {
		t.Run(c.name, func(t *testing.T) {
			p := caseParts(t, cat, i, cmp.Or(c.parts, 3), 0)
			for _, s := range p.parts {
				require.Positive(t, s.identRows, "every part has identified records")
				for _, f := range readStateFilled {
					filled[f.what] = filled[f.what] || f.filled(s)
				}
			}
			decoded, encs := p.roundTrip(t)
			size := 0
			for _, e := range encs {
				size += len(e)
			}
			records := 0
			for _, s := range p.parts {
				records += s.total
			}
			t.Logf("%d records, %d bytes in %d parts", records, size, len(p.parts))
			want := p.finish(t, p.parts)
			got := p.finish(t, decoded)
			assert.Equal(t, string(want), string(got), "the report of the decoded parts")

			// The pipeline of this test is Score's.
			_, data := caseData(t, cat, i)
			recs := reader(data, c.file, c.region)
			recs.ForceRegion = c.force
			o := p.options
			o.Workers = len(p.parts)
			rep, err := Score(context.Background(), p.sc.cat, recs, o)
			require.NoError(t, err)
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(want), "Score's report")
		})
	}
	var missing []string
	for _, f := range readStateFilled {
		if !filled[f.what] {
			missing = append(missing, f.what)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "parts of the read state no sample fills")
}

// smallState is a real encoding small enough to damage at every byte: the
// first 40 records of the rp sample, with a schema, in one part.
func smallState(t testing.TB) (*readParts, []byte) {
	t.Helper()
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(t, err)
	p := caseParts(t, cat, 3, 1, 40)
	enc, err := p.parts[0].appendReadState(nil)
	require.NoError(t, err)
	require.Positive(t, p.parts[0].fab.seq.n, "the small state has a sample")
	return p, enc
}

// assertFresh checks that a failed decode left s as newScorer made it.
func assertFresh(t testing.TB, s *scorer, freq *countMin, what string) {
	t.Helper()
	ok := s.total == 0 && s.identRows == 0 && len(s.held.ends) == 0 && s.dates.days == nil &&
		s.fab.region == "" && s.fab.seq.keys == nil && s.freq == freq && s.colNon[0] == 0
	assert.Truef(t, ok, "%s: the scorer is untouched", what)
}

// Every truncation of a real encoding, and the encoding with a byte more,
// is an error, and leaves the scorer untouched.
func TestReadStateTruncated(t *testing.T) {
	p, enc := smallState(t)
	s := newScorer(p.sc, len(p.cols))
	freq := s.freq
	for i := range enc {
		err := s.decodeReadState(enc[:i])
		if !assert.ErrorIsf(t, err, errReadState, "truncated to %d of %d bytes", i, len(enc)) {
			break
		}
		assertFresh(t, s, freq, "truncated")
	}
	assert.ErrorIs(t, s.decodeReadState(append(bytes.Clone(enc), 0)), errReadState, "a byte after the state")
	assertFresh(t, s, freq, "a byte more")
	assert.NoError(t, s.decodeReadState(enc), "the whole encoding")
}

func TestReadStateVersion(t *testing.T) {
	p, enc := smallState(t)
	require.Equal(t, byte(readStateVersion), enc[0], "the version comes first")
	for _, v := range []byte{0, readStateVersion + 1, 255} {
		bad := bytes.Clone(enc)
		bad[0] = v
		err := newScorer(p.sc, len(p.cols)).decodeReadState(bad)
		assert.ErrorIsf(t, err, errReadState, "version %d", v)
		assert.ErrorContainsf(t, err, "version", "version %d", v)
	}
}

// stateSections returns the offsets of the sections of an encoding: of
// its tag, its length and its body.
func stateSections(t testing.TB, enc []byte) map[byte][3]int {
	t.Helper()
	off := 1
	for range 1 + len(readStateDims) {
		_, n := binary.Uvarint(enc[off:])
		require.Positive(t, n)
		off += n
	}
	off++ // flags
	out := map[byte][3]int{}
	for off < len(enc) {
		tag := enc[off]
		l, n := binary.Uvarint(enc[off+1:])
		require.Positive(t, n)
		out[tag] = [3]int{off, off + 1, off + 1 + n}
		off += 1 + n + int(l)
	}
	require.Equal(t, len(enc), off, "the sections end the encoding")
	require.Len(t, out, 6, "six sections")
	return out
}

// splice replaces the uvarint at off with v.
func splice(enc []byte, off int, v uint64) []byte {
	_, n := binary.Uvarint(enc[off:])
	if n <= 0 {
		n = 1 // no uvarint there: replace the byte
	}
	out := append(bytes.Clone(enc[:off]), binary.AppendUvarint(nil, v)...)
	return append(out, enc[off+n:]...)
}

// allocated is the bytes f allocates (on this goroutine or any other).
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// Counts far beyond the bytes (2^40 records, identifiers, dates, cells;
// a section of 2^40 bytes) are refused before anything of their size is
// allocated.
func TestReadStateInflatedCounts(t *testing.T) {
	p, enc := smallState(t)
	sec := stateSections(t, enc)
	// The held records' count comes first: one byte, for so few.
	require.Less(t, p.parts[0].identRows, 128)
	for _, c := range []struct {
		what string
		off  int
		want string
	}{
		{"held records", sec[tagHeld][2], "claims"},
		{"held identifiers", sec[tagHeld][2] + 1, "claims"},
		{"dates", sec[tagDates][2], "claims"},
		{"held section", sec[tagHeld][1], "claims"},
		{"fab section", sec[tagFab][1], "claims"},
		{"ncols", 1, "columns"},
	} {
		for _, v := range []uint64{1 << 40, 1 << 62, 1<<64 - 1} {
			bad := splice(enc, c.off, v)
			s := newScorer(p.sc, len(p.cols))
			var err error
			n := allocated(func() { err = s.decodeReadState(bad) })
			assert.ErrorIsf(t, err, errReadState, "%s of %d", c.what, v)
			if v < maxReadCount {
				assert.ErrorContainsf(t, err, c.want, "%s of %d", c.what, v)
			} else {
				assert.ErrorContainsf(t, err, "out of range", "%s of %d", c.what, v)
			}
			assert.Lessf(t, n, uint64(64<<10), "%s of %d: bytes allocated", c.what, v)
		}
	}
}

// Damage anywhere (a byte flipped, a huge count spliced in) is an error or
// a state that encodes to the damaged bytes; it never panics, never
// allocates beyond the input's size, and every error wraps errReadState.
func TestReadStateDamagedAnywhere(t *testing.T) {
	p, enc := smallState(t)
	offsets := len(enc)
	if testing.Short() {
		offsets = min(offsets, 600)
	}
	s := newScorer(p.sc, len(p.cols)) // a failed decode leaves it fresh
	for i := range offsets {
		flipped := bytes.Clone(enc)
		flipped[i] ^= 0xff
		// The allocations are measured where a count is spliced in (reading
		// the memory statistics stops the world: slow).
		for _, bad := range []struct {
			b       []byte
			measure bool
		}{{flipped, false}, {splice(enc, i, 1<<40), true}} {
			var err error
			if bad.measure {
				n := allocated(func() { err = s.decodeReadState(bad.b) })
				assert.Lessf(t, n, uint64(1<<20+16*len(enc)), "damage at %d: bytes allocated", i)
			} else {
				err = s.decodeReadState(bad.b)
			}
			if err != nil {
				if !assert.ErrorIsf(t, err, errReadState, "damage at %d", i) {
					return
				}
				continue
			}
			again, err := s.appendReadState(nil)
			require.NoErrorf(t, err, "damage at %d: the decoded state encodes", i)
			assert.Truef(t, bytes.Equal(bad.b, again), "damage at %d: decoded, it encodes to the same bytes", i)
			s = newScorer(p.sc, len(p.cols))
		}
	}
}

// A hash sample's table is checked slot for slot.
func TestReadStateSampleTable(t *testing.T) {
	var blocks blockSample
	for i := range uint64(200) {
		blocks.add(i*977, uint(i%64))
	}
	var names nameSample
	for i := range uint64(200) {
		names.add(i%150, i)
	}
	require.Zero(t, blocks.level, "200 blocks fit at level 0")
	encodeBlocks := func(s *blockSample) []byte {
		w := &stateWriter{}
		appendSample(w, &s.hashSample, w.block)
		require.NoError(t, w.err)
		return w.b
	}
	decodeBlocks := func(b []byte) (*blockSample, error) {
		r := &stateReader{b: b, end: len(b)}
		var s blockSample
		readSample(r, &s.hashSample, 8, r.block)
		if r.err == nil && r.off != len(b) {
			r.fail("unread")
		}
		return &s, r.err
	}
	got, err := decodeBlocks(encodeBlocks(&blocks))
	require.NoError(t, err, "the sample as add left it")
	assert.Equal(t, blocks, *got, "decoded slot for slot")

	// clone copies a sample's table, to damage.
	clone := func() *blockSample {
		c := blocks
		c.keys, c.vals = bytes8(blocks.keys), bytes8(blocks.vals)
		return &c
	}
	// an occupied slot, and the empty slot just before its home.
	mask := uint64(len(blocks.keys) - 1)
	var at, before uint64
	for i, m := range blocks.keys {
		if m != 0 && blocks.keys[(m>>32-1)&mask] == 0 {
			at, before = uint64(i), (m>>32-1)&mask
			break
		}
	}
	require.NotZero(t, blocks.keys[at], "a key whose home follows an empty slot")
	for _, c := range []struct {
		what   string
		damage func(s *blockSample)
		want   string
	}{
		{"a key before its home", func(s *blockSample) {
			s.keys[before], s.vals[before] = s.keys[at], s.vals[at]
			s.keys[at], s.vals[at] = 0, 0
		}, "out of its probe's reach"},
		{"a key twice", func(s *blockSample) {
			for j := at; ; j = (j + 1) & mask {
				if s.keys[j] == 0 {
					s.keys[j], s.vals[j] = s.keys[at], s.vals[at]
					return
				}
			}
		}, "twice"},
		{"a key the level does not admit", func(s *blockSample) { s.level = 63 }, "not admitted"},
		{"a level past 64", func(s *blockSample) { s.level = 65 }, "level 65"},
		{"a table too small", func(s *blockSample) { s.keys, s.vals = s.keys[:32], s.vals[:32] }, "slots"},
		{"a table too large", func(s *blockSample) {
			s.keys, s.vals = make([]uint64, 4*fabSampleCap), make([]uint64, 4*fabSampleCap)
		}, "slots"},
		{"a table of 2^65 slots", func(s *blockSample) { s.keys, s.vals = nil, nil }, "2^65"},
		{"a table more than half full", func(s *blockSample) {
			s.keys, s.vals = s.keys[:64], s.vals[:64]
			for i := range s.keys {
				s.keys[i], s.vals[i] = uint64(i)<<32|1, 1
			}
		}, "keys in 64 slots"},
		{"a block with no ID", func(s *blockSample) { s.vals[at] = 0 }, "no ID"},
	} {
		s := clone()
		c.damage(s)
		enc := encodeBlocks(s)
		if s.keys == nil {
			enc[1] = 65 // the size: 1<<65 is 0 in an int
		}
		_, err := decodeBlocks(enc)
		assert.ErrorIsf(t, err, errReadState, "%s", c.what)
		assert.ErrorContainsf(t, err, c.want, "%s", c.what)
	}
	// More than fabSampleCap keys in the largest table, each where its
	// probe finds it.
	big := &blockSample{}
	big.keys, big.vals = make([]uint64, 2*fabSampleCap), make([]uint64, 2*fabSampleCap)
	for i := range uint64(fabSampleCap + 1) {
		m := mix64(i)
		j := m >> 32 & uint64(2*fabSampleCap-1)
		for big.keys[j] != 0 {
			j = (j + 1) & uint64(2*fabSampleCap-1)
		}
		big.keys[j], big.vals[j] = m, 1
	}
	_, err = decodeBlocks(encodeBlocks(big))
	assert.ErrorContains(t, err, "4097 keys", "more keys than the cap")

	for _, c := range []struct {
		what string
		v    nameState
	}{{"no rows", nameState{name: 1}}, {"mixed names in one row", nameState{name: 1, rows: 1, mixed: true}}} {
		s := names
		s.keys, s.vals = bytes8(names.keys), append([]nameState(nil), names.vals...)
		for i, m := range s.keys {
			if m != 0 {
				s.vals[i] = c.v
				break
			}
		}
		w := &stateWriter{}
		appendSample(w, &s.hashSample, w.nameState)
		r := &stateReader{b: w.b, end: len(w.b)}
		var fab fabStats
		readSample(r, &fab.idNames.hashSample, 10, r.nameState)
		assert.ErrorContainsf(t, r.err, "a name state", "%s", c.what)
	}
}

func bytes8(s []uint64) []uint64 { return append([]uint64(nil), s...) }

// A state whose parts do not add up, or whose values no add gives, is
// refused; the scorer's own state, as a control, is not.
func TestReadStateInconsistent(t *testing.T) {
	for _, c := range []struct {
		what   string
		damage func(s *scorer)
		want   string
	}{
		{"nothing (the control)", func(*scorer) {}, ""},
		{"a column with more valid values than values", func(s *scorer) { s.colVal[0] = s.colNon[0] + 1 }, "column 0"},
		{"more identified records than records", func(s *scorer) { s.total = s.identRows - 1 }, "identified records"},
		{"a date too many", func(s *scorer) { s.dates.flush(); s.dates.days[19991231]++ }, "valid birth dates"},
		{"a date that is none", func(s *scorer) {
			s.dates.flush()
			s.dates.days[19991331] = 1
			s.fab.valid[canon.BirthDate]++
			s.fab.values[canon.BirthDate]++
			s.conf.dates++
		}, "no date"},
		{"more valid than values", func(s *scorer) { s.fab.valid[canon.Phone] = s.fab.values[canon.Phone] + 1 }, "valid and"},
		{"more under another region than failed", func(s *scorer) { s.fab.underRegion[2] = s.fab.idFailed + 1 }, "failed IDs"},
		{"more embedded dates agreeing than checked", func(s *scorer) { s.fab.embeddedOK = s.fab.embedded + 1 }, "agreeing"},
		{"more late days than spread", func(s *scorer) { s.fab.lateDays = s.fab.spreadDates + 1 }, "birth days"},
		{"more full dates than years", func(s *scorer) { s.fab.fullDates, s.fab.spreadDates, s.fab.lateDays = s.total+1, 0, 0 }, "full birth dates"},
		{"a held record less", func(s *scorer) { s.identRows-- }, "past the read phase"},
		{"a held identifier of a weak kind", func(s *scorer) { s.held.kinds[0] = canon.Name }, "of kind 1"},
		{"a held record holding an identifier twice", func(s *scorer) { s.held.hashes[1] = s.held.hashes[0] }, "twice"},
		{"another region", func(s *scorer) { s.fab.region = canon.KZ }, "region"},
		{"conformance that does not conform", func(s *scorer) { s.conf.ok[canon.BirthDate] = s.conf.values[canon.BirthDate] + 1 }, "conform"},
		{"precision of more dates than dates", func(s *scorer) { s.conf.dayDates = s.conf.dates + 1 }, "give the day"},
	} {
		p, _ := smallState(t)
		s := p.parts[0]
		require.Greater(t, s.held.ends[0], int32(1), "the first record holds two identifiers")
		c.damage(s)
		enc, err := s.appendReadState(nil)
		if err == nil {
			err = newScorer(p.sc, len(p.cols)).decodeReadState(enc)
		}
		if c.want == "" {
			assert.NoErrorf(t, err, "%s", c.what)
			continue
		}
		assert.ErrorIsf(t, err, errReadState, "%s", c.what)
		assert.ErrorContainsf(t, err, c.want, "%s", c.what)
	}
}

// A state read with a schema decodes only into a scorer with one, and
// conformance counted without a schema is refused.
func TestReadStateSchemaMustAgree(t *testing.T) {
	p, enc := smallState(t)
	noSchema, err := newScoring(p.sc.cat, p.sc.region, nil, p.sc.hasher)
	require.NoError(t, err)
	err = newScorer(noSchema, len(p.cols)).decodeReadState(enc)
	assert.ErrorIs(t, err, errReadState)
	assert.ErrorContains(t, err, "schema")

	s := newScorer(noSchema, len(p.cols))
	s.conf.values[canon.Name] = 1
	bad, err := s.appendReadState(nil)
	require.NoError(t, err)
	err = newScorer(noSchema, len(p.cols)).decodeReadState(bad)
	assert.ErrorContains(t, err, "without a schema")
}

// What is not the read state is not encoded: rows, held records marked by
// markDuplicates, a scorer past match; nor decoded into a scorer that is
// not fresh or has other columns or another region.
func TestReadStateRefusals(t *testing.T) {
	p, enc := smallState(t)
	s := p.parts[0]

	withRows := newScorer(p.sc, len(p.cols))
	withRows.rows = &rowLog{where: []sampleset.Position{{Row: 1}}}
	_, err := withRows.appendReadState(nil)
	assert.ErrorContains(t, err, "not those of its records", "a place of no record")
	assert.ErrorContains(t, withRows.decodeReadState(enc), "not fresh")

	dup := caseParts(t, p.sc.cat, 0, 1, 40).parts[0] // leak.csv's records repeat an earlier one's
	dup2 := caseParts(t, p.sc.cat, 0, 1, 40).parts[0]
	markDuplicates([]*scorer{dup, dup2})
	_, err = dup2.appendReadState(nil)
	assert.ErrorContains(t, err, "past the read phase", "held records marked as duplicates")

	freq := findFrequent([]*scorer{s})
	s.match(freq, &recordSet{})
	_, err = s.appendReadState(nil)
	assert.ErrorContains(t, err, "past the read phase", "after match")

	full := newScorer(p.sc, len(p.cols))
	require.NoError(t, full.decodeReadState(enc))
	assert.ErrorContains(t, full.decodeReadState(enc), "not fresh", "decoded twice")

	assert.ErrorContains(t, newScorer(p.sc, len(p.cols)+1).decodeReadState(enc), "columns")

	kz, err := newScoring(p.sc.cat, canon.KZ, p.sc.schema, p.sc.hasher)
	require.NoError(t, err)
	assert.ErrorContains(t, newScorer(kz, len(p.cols)).decodeReadState(enc), "region")

	neg := newScorer(p.sc, len(p.cols))
	neg.total = -1
	_, err = neg.appendReadState(nil)
	assert.ErrorIs(t, err, errReadState, "a negative count")
	assert.ErrorContains(t, err, "out of range")
}

// An empty scorer's state is small, and round trips.
func TestReadStateEmpty(t *testing.T) {
	p, _ := smallState(t)
	s := newScorer(p.sc, len(p.cols))
	enc, err := s.appendReadState(nil)
	require.NoError(t, err)
	assert.Less(t, len(enc), 200, "an empty state is small")
	d := newScorer(p.sc, len(p.cols))
	require.NoError(t, d.decodeReadState(enc))
	assertSameReadState(t, s, d, 0)
	// appendReadState appends.
	two, err := s.appendReadState([]byte("xy"))
	require.NoError(t, err)
	assert.Equal(t, append([]byte("xy"), enc...), two)
}

// Decoding never panics; a state it accepts encodes to the same bytes,
// and the rest of the score runs on it.
func FuzzReadState(f *testing.F) {
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(f, err)
	p := caseParts(f, cat, 3, 3, 60)
	for _, s := range p.parts {
		enc, err := s.appendReadState(nil)
		require.NoError(f, err)
		f.Add(enc)
	}
	empty, err := newScorer(p.sc, len(p.cols)).appendReadState(nil)
	require.NoError(f, err)
	f.Add(empty)
	c := readStateCases[3]
	_, data := caseData(f, cat, 3)
	withRows, err := readInto(f, cat, data, c.file, c.region, c.force, c.schema, 1, 60, true).parts[0].appendReadState(nil)
	require.NoError(f, err)
	f.Add(withRows)
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newScorer(p.sc, len(p.cols))
		if err := s.decodeReadState(data); err != nil {
			if !errors.Is(err, errReadState) {
				t.Fatalf("an error that does not wrap errReadState: %v", err)
			}
			return
		}
		again, err := s.appendReadState(nil)
		if err != nil {
			t.Fatalf("a decoded state does not encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("a decoded state encodes to other bytes")
		}
		p.finish(t, []*scorer{s})
	})
}

// Years outside a yearCounts' span, which canon's dates never give, round
// trip too.
func TestReadStateYearsOutside(t *testing.T) {
	p, _ := smallState(t)
	s := p.parts[0]
	s.fab.birthYears.outside, s.fab.embYears.outside = 2, 3
	s.total += 2 // a birth year a record
	enc, err := s.appendReadState(nil)
	require.NoError(t, err)
	d := newScorer(p.sc, len(p.cols))
	require.NoError(t, d.decodeReadState(enc))
	assertSameReadState(t, s, d, 0)
	assert.Equal(t, 2, d.fab.birthYears.outside, "birth years outside")
	assert.Equal(t, 3, d.fab.embYears.outside, "encoded years outside")
}

// A count written longer than it needs (a byte 0x80 more, and a zero) is
// refused: decoding accepts one form of each state, so a state decoded
// encodes to the bytes it came from.
func TestReadStateVarintsInTheirShortestForm(t *testing.T) {
	p, enc := smallState(t)
	sec := stateSections(t, enc)
	for _, c := range []struct {
		what string
		off  int
	}{{"ncols", 1}, {"a section's length", sec[tagFab][1]}, {"the held records", sec[tagHeld][2]}, {"the total", sec[tagCounts][2]}} {
		v, n := binary.Uvarint(enc[c.off:])
		require.Positive(t, n)
		long := binary.AppendUvarint(nil, v)
		long[len(long)-1] |= 0x80
		long = append(long, 0)
		bad := append(append(bytes.Clone(enc[:c.off]), long...), enc[c.off+n:]...)
		err := newScorer(p.sc, len(p.cols)).decodeReadState(bad)
		assert.ErrorIsf(t, err, errReadState, "%s", c.what)
		assert.ErrorContainsf(t, err, "shortest form", "%s", c.what)
	}
}

// The Count-Min sketch is not carried: it is what add gave it, every held
// identifier once, and decoding rebuilds it so; a sketch damaged before
// encoding does not travel.
func TestReadStateRebuildsTheSketch(t *testing.T) {
	p, enc := smallState(t)
	want := newScorer(p.sc, len(p.cols))
	require.NoError(t, want.decodeReadState(enc))
	require.Positive(t, want.freq.estimate(want.held.hashes[0]), "a held identifier is counted")

	s := p.parts[0]
	saved := *s.freq
	s.freq.c[2][7]++
	damaged, err := s.appendReadState(nil)
	*s.freq = saved
	require.NoError(t, err)
	assert.Equal(t, enc, damaged, "the sketch is not in the encoding")
	got := newScorer(p.sc, len(p.cols))
	require.NoError(t, got.decodeReadState(damaged))
	assert.True(t, *want.freq == *got.freq, "the decoded sketch is the one the held identifiers give")
	assert.True(t, saved == *got.freq, "and the one add made")
}

// A scorer that keeps rows carries every record, those of no identifier
// too, and where each comes from; the rest of a score on the decoded
// state attributes the rows as the scorer itself does.
func TestReadStateWithRows(t *testing.T) {
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(t, err)
	c := readStateCases[0]
	_, data := caseData(t, cat, 0)
	// Every 7th record keeps its name only.
	lines := strings.Split(string(data), "\n")
	for i := 1; i < len(lines); i += 7 {
		if f := strings.Split(lines[i], ","); len(f) == 5 {
			lines[i] = f[0] + ",,,,"
		}
	}
	p := readInto(t, cat, []byte(strings.Join(lines, "\n")), c.file, c.region, c.force, c.schema, 1, 0, true)
	s := p.parts[0]
	require.Greater(t, s.total, s.identRows, "%s: records of no identifier", c.file)
	require.Greater(t, s.total, 25, "%s: records in two members", c.file)
	enc, err := s.appendReadState(nil)
	require.NoError(t, err)
	d := newScorer(p.sc, len(p.cols))
	require.NoError(t, d.decodeReadState(enc))
	assertSameReadState(t, s, d, 0)
	require.NotNil(t, d.rows, "the decoded scorer keeps rows")
	assert.Equal(t, s.rows.where, d.rows.where, "the places")
	assert.Equal(t, s.held.state, d.held.state, "the held records, of no identifier too")
	again, err := d.appendReadState(nil)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(enc, again), "the decoded state encodes to the same bytes")
	assert.Equal(t, p.finish(t, []*scorer{s}), p.finish(t, []*scorer{d}), "the report")
	assert.Equal(t, s.rows.ident, d.rows.ident, "each record identified or not")
	assert.Equal(t, s.rows.hits, d.rows.hits, "each record's matches")

	bad := newScorer(p.sc, len(p.cols))
	bad.rows = &rowLog{}
	for i := range 3 {
		bad.rows.where = append(bad.rows.where, sampleset.Position{Row: int64(3 - i)})
		bad.total++
		bad.held.add(heldNone, nil)
	}
	_, err = bad.appendReadState(nil)
	assert.ErrorContains(t, err, "after member 0, row 3", "places out of order")
}

// The values kept for decoys are checked whole: each form canonical and
// valid (a name and a date for name+birth_date), the hasher's hash of it,
// in increasing order, at most decoyKeep.
func TestReadStateKeptValuesChecked(t *testing.T) {
	p, _ := smallState(t)
	h := p.sc.hasher
	nbd := len(decoyKinds) - 1
	pair := func(name, date string) keptValue {
		f := canon.AppendNameBirthDate(nil, []byte(name), []byte(date))
		return keptValue{hash: h.Sum64(canon.NameBirthDate, f), form: f}
	}
	phone := func(v string) keptValue {
		return keptValue{hash: h.Sum64(canon.Phone, []byte(v)), form: []byte(v)}
	}
	a, b := pair("ivanov ivan", "1970-01-01"), pair("petrenko petro", "1980-01-01")
	if a.hash > b.hash {
		a, b = b, a
	}
	noDate := keptValue{hash: h.Sum64(canon.NameBirthDate, []byte("ivanov ivan")), form: []byte("ivanov ivan")}
	for name, c := range map[string]struct {
		kind int
		e    []keptValue
		want string
	}{
		"in order":          {nbd, []keptValue{a, b}, ""},
		"a phone":           {0, []keptValue{phone("+380671234567")}, ""},
		"a phone unwritten": {0, []keptValue{phone("0671234567")}, "not a canonical valid value"},
		"out of order":      {nbd, []keptValue{b, a}, "not after"},
		"twice":             {nbd, []keptValue{a, a}, "not after"},
		"another's hash":    {nbd, []keptValue{{hash: b.hash, form: a.form}}, "is not its form's"},
		"no date":           {nbd, []keptValue{noDate}, "not a canonical valid value"},
		"more than kept":    {nbd, slices.Repeat([]keptValue{a}, decoyKeep+1), "at most"},
		"an oversized form": {nbd, []keptValue{{hash: 1, form: make([]byte, maxKeptForm+1)}}, "bytes"},
	} {
		s := newScorer(p.sc, len(p.cols))
		s.kept[c.kind].e = c.e
		enc, err := s.appendReadState(nil)
		require.NoError(t, err, name)
		d := newScorer(p.sc, len(p.cols))
		err = d.decodeReadState(enc)
		if c.want == "" {
			require.NoError(t, err, name)
			assert.Equal(t, s.kept, d.kept, name)
			continue
		}
		assert.ErrorContains(t, err, c.want, name)
		assert.Empty(t, d.kept[c.kind].e, "%s: the scorer is untouched", name)
	}
}
