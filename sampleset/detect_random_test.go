package sampleset

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// Randomised detection test: dumps shaped like the ones incident responders
// receive, in random regions, column sets, spellings, layouts, encodings and
// header languages, read with the real Reader. Every column must come out
// as the kind it was written as, and the region as the one the values name.
// The seeds are fixed, so a failure reproduces; LEAKPROV_RANDOM_DETECT=N
// runs N files instead of the default and LEAKPROV_RANDOM_VERBOSE=1 lists
// every failing file.

const randomDetectFiles = 300

// randCol is one column of a random dump.
type randCol struct {
	kind   canon.Kind
	styles []synth.Style
	mask   int // card masking: 0 none, else a maskCard pattern
	blank  float64
}

// randCase is one random dump.
type randCase struct {
	seed   uint64
	region canon.Region
	cols   []randCol
	format synth.Format
	lang   synth.Lang // "" for no header (opaque keys in JSON lines)
	rows   int
	given  bool // the Reader is told the region
}

func (rc randCase) layout() string {
	switch rc.format.Layout {
	case synth.JSONL:
		if rc.format.Nested {
			return "jsonl-nested"
		}
		return "jsonl"
	case synth.Combo:
		return "combo" + string(rc.format.Delimiter)
	}
	switch rc.format.Delimiter {
	case '\t':
		return "csv-tab"
	}
	return "csv" + string(rc.format.Delimiter)
}

func (rc randCase) langName() string {
	if rc.lang == "" {
		return "none"
	}
	return string(rc.lang)
}

func (rc randCase) rowBucket() string {
	switch {
	case rc.rows < 100:
		return "30-99"
	case rc.rows < 500:
		return "100-499"
	}
	return "500-2000"
}

func (rc randCase) String() string {
	ks := make([]string, len(rc.cols))
	for i, c := range rc.cols {
		ks[i] = fmt.Sprintf("%s%v", c.kind, c.styles)
		if c.mask != 0 {
			ks[i] += fmt.Sprintf("mask%d", c.mask)
		}
	}
	enc := rc.format.Encoding
	if enc == "" {
		enc = synth.UTF8
	}
	return fmt.Sprintf("seed=%d %s %s %s header=%s rows=%d given=%v cols=[%s]",
		rc.seed, rc.region, rc.layout(), enc, rc.langName(), rc.rows, rc.given, strings.Join(ks, " "))
}

var randRegions = []canon.Region{canon.UA, canon.RU, canon.KZ, canon.IN}

// pickStyles returns 1 to n distinct styles of opts.
func pickStyles(r *rand.Rand, opts []synth.Style, n int) []synth.Style {
	k := 1 + r.IntN(n)
	perm := r.Perm(len(opts))
	out := make([]synth.Style, 0, k)
	for _, i := range perm[:min(k, len(opts))] {
		out = append(out, opts[i])
	}
	return out
}

// nameStyles returns the spelling of a name column: an optional script
// change and case, the same across the column (a dump is written by one
// program); full names also get an order and maybe a patronymic.
func nameStyles(r *rand.Rand, region canon.Region, full bool) []synth.Style {
	var s synth.Style
	if full {
		if r.IntN(2) == 0 {
			s |= synth.FamilyFirst
		}
		if region != canon.IN && r.IntN(2) == 0 {
			s |= synth.WithPatronymic
		}
	}
	if region != canon.IN {
		switch r.IntN(6) {
		case 0:
			s |= synth.LatinICAO
		case 1:
			if region == canon.UA {
				s |= synth.LatinKMU
			}
		}
	}
	switch r.IntN(5) {
	case 0:
		s |= synth.Upper
	case 1:
		s |= synth.Lower
	}
	return []synth.Style{s}
}

func genRandCase(seed uint64) randCase {
	r := rand.New(rand.NewPCG(seed, 0x72616e64))
	rc := randCase{seed: seed, region: randRegions[r.IntN(len(randRegions))]}
	reg := rc.region
	var cols []randCol
	add := func(k canon.Kind, styles []synth.Style) {
		c := randCol{kind: k, styles: styles}
		if r.IntN(4) == 0 {
			c.blank = 0.2 * r.Float64()
		}
		cols = append(cols, c)
	}
	// Names: whole, split, or none.
	switch r.IntN(3) {
	case 0:
		add(canon.Name, nameStyles(r, reg, true))
	case 1:
		st := nameStyles(r, reg, false)
		add(canon.LastName, st)
		add(canon.FirstName, st)
		if reg != canon.IN && r.IntN(2) == 0 {
			add(canon.MiddleName, st)
		}
	}
	docStyles := []synth.Style{synth.DocNative, synth.DocLatin, synth.DocMixed,
		synth.DocNative | synth.DocSpaced, synth.DocLatin | synth.DocSpaced}
	others := []struct {
		k      canon.Kind
		styles []synth.Style
		n      int
	}{
		{canon.Phone, []synth.Style{synth.PhoneE164, synth.PhoneDigits, synth.PhoneNational,
			synth.PhoneParen, synth.PhoneSpaced, synth.PhoneIntl, synth.PhoneTrunk8}, 3},
		{canon.Email, []synth.Style{synth.EmailPlain, synth.EmailUpper}, 1},
		{canon.BirthDate, []synth.Style{synth.DateISO, synth.DateDots, synth.DateSlash, synth.DateDash}, 1},
		{canon.NationalID, []synth.Style{synth.IDPlain, synth.IDNumber, synth.IDSpaced, synth.IDDashed}, 2},
		{canon.Passport, docStyles, 2},
		{canon.DriverLicence, docStyles, 2},
		{canon.CardNumber, []synth.Style{synth.IDPlain, synth.IDSpaced, synth.IDDashed}, 1},
		{canon.Address, nil, 1},
		{canon.Password, nil, 1},
		{canon.Username, nil, 1},
	}
	for _, o := range others {
		if r.IntN(5) < 2 {
			continue
		}
		var st []synth.Style
		if o.styles != nil {
			st = pickStyles(r, o.styles, o.n)
		}
		add(o.k, st)
		if o.k == canon.CardNumber && r.IntN(3) == 0 {
			cols[len(cols)-1].mask = 1 + r.IntN(3)
		}
	}
	if len(cols) == 0 {
		add(canon.Phone, []synth.Style{synth.PhoneE164})
	}
	r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	rc.cols = cols
	rc.rows = 30 + r.IntN(1971)
	if r.IntN(3) == 0 {
		rc.rows = 30 + r.IntN(170) // small samples are common
	}
	rc.given = r.IntN(4) == 0

	// Layout.
	switch x := r.IntN(10); {
	case x < 6:
		rc.format = synth.Format{Layout: synth.CSV, Delimiter: []rune{',', ';', '\t', '|'}[r.IntN(4)]}
	case x < 9:
		rc.format = synth.Format{Layout: synth.JSONL, Nested: r.IntN(2) == 0}
	default:
		rc.format = synth.Format{Layout: synth.Combo, Delimiter: ':'}
	}
	rc.format.CRLF = r.IntN(4) == 0
	// Encoding: Unicode always; a Cyrillic code page where it holds the
	// region's letters (cp1251 and KOI8-U have Ukrainian and Russian,
	// CP866 Russian only; Kazakh and Devanagari need Unicode).
	encs := []synth.Encoding{synth.UTF8, synth.UTF8, synth.UTF8BOM, synth.UTF16LE}
	switch reg {
	case canon.UA:
		encs = append(encs, synth.Windows1251, synth.Windows1251, synth.KOI8U)
	case canon.RU:
		encs = append(encs, synth.Windows1251, synth.Windows1251, synth.KOI8U, synth.CP866)
	}
	rc.format.Encoding = encs[r.IntN(len(encs))]
	// Header language: English or one the region speaks, or none.
	langs := []synth.Lang{"", synth.English}
	switch reg {
	case canon.UA:
		langs = append(langs, synth.Ukrainian, synth.Russian)
	case canon.RU:
		langs = append(langs, synth.Russian)
	case canon.KZ:
		langs = append(langs, synth.Kazakh, synth.Russian)
	case canon.IN:
		langs = append(langs, synth.Hindi)
	}
	rc.lang = langs[r.IntN(len(langs))]
	if rc.format.Encoding == synth.CP866 && rc.lang == synth.Ukrainian {
		rc.lang = synth.Russian
	}
	if rc.format.Layout == synth.Combo {
		rc.lang = ""
		rc.comboColumns(r)
	}
	if rc.format.Layout == synth.CSV && rc.lang == "" {
		rc.format.NoHeader = true
	}
	if reg == canon.IN && rc.lang == "" && slices.ContainsFunc(rc.cols, func(c randCol) bool { return c.kind == canon.FirstName }) {
		// Excluded: Indian given names and surnames have no telling
		// endings (unlike -enko, -ov, -ovich) and both repeat a lot
		// (Kumar, Singh); without a header, which column is which is a
		// guess. The column order is random here, so it is no clue either.
		rc.cols = slices.DeleteFunc(rc.cols, func(c randCol) bool {
			return c.kind == canon.FirstName || c.kind == canon.LastName
		})
	}
	if reg == canon.KZ && rc.lang == "" && !rc.given && !rc.regionInferable() {
		// Excluded: a Kazakh licence (two letters, six digits) is shaped
		// like an old Ukrainian passport; with no phone or ID naming the
		// region it is read as the passport.
		rc.cols = slices.DeleteFunc(rc.cols, func(c randCol) bool { return c.kind == canon.DriverLicence })
	}
	if rc.lang == "" && rc.rows < 200 && rc.format.Layout != synth.Combo {
		// Excluded: headerless usernames in small files. A few dozen
		// passwords need not repeat, and both are single tokens of
		// letters and digits, so the values cannot tell a login from a
		// password; only the position can (login:password), and it is
		// random here. A password is kept where it follows its login.
		rc.cols = slices.DeleteFunc(rc.cols, func(c randCol) bool { return c.kind == canon.Username })
		for i := 0; i < len(rc.cols); i++ {
			if rc.cols[i].kind == canon.Password && (i == 0 ||
				rc.cols[i-1].kind != canon.Email && rc.cols[i-1].kind != canon.Phone) {
				rc.cols = slices.Delete(rc.cols, i, i+1)
				i--
			}
		}
	}
	if len(rc.cols) == 0 {
		rc.cols = []randCol{{kind: canon.Email}}
	}
	if reg == canon.RU && rc.lang == "" {
		// Excluded: a Russian licence since 2011 is spelt exactly like a
		// Russian passport, "77 12 345678" (a 4-digit series and 6
		// digits, neither with a check digit); without a header no one
		// can tell the two apart, so a headerless one is taken for a
		// passport.
		rc.cols = slices.DeleteFunc(rc.cols, func(c randCol) bool { return c.kind == canon.DriverLicence })
		if !rc.given && !rc.regionInferable() && !slices.ContainsFunc(rc.cols, func(c randCol) bool {
			return c.kind == canon.Address || c.kind == canon.Name || c.kind == canon.LastName
		}) {
			// Excluded: ten bare digits with no phone, ID or Cyrillic
			// text beside them are as much Indian phone numbers as
			// Russian passports.
			rc.cols = slices.DeleteFunc(rc.cols, func(c randCol) bool { return c.kind == canon.Passport })
		}
		if len(rc.cols) == 0 {
			rc.cols = []randCol{{kind: canon.Email}}
		}
	}
	return rc
}

// comboColumns makes a combolist's columns: a login (e-mail, phone or
// username) and a password.
func (rc *randCase) comboColumns(r *rand.Rand) {
	logins := []randCol{
		{kind: canon.Email, styles: []synth.Style{synth.EmailPlain}},
		{kind: canon.Phone, styles: pickStyles(r, []synth.Style{synth.PhoneE164, synth.PhoneDigits, synth.PhoneNational}, 2)},
		{kind: canon.Username},
	}
	rc.cols = []randCol{logins[r.IntN(len(logins))], {kind: canon.Password}}
}

// maskCard masks a rendered card number as dumps and receipts do.
func maskCard(v string, pattern int) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v)
	if len(d) != 16 {
		return v
	}
	switch pattern {
	case 1:
		return d[:6] + "******" + d[12:]
	case 2:
		return "**** **** **** " + d[12:]
	}
	return d[:4] + " " + d[4:6] + "XX XXXX " + d[12:]
}

// jsonGroup is the object a nested JSON dump keeps a kind's field in.
func jsonGroup(k canon.Kind) string {
	switch k {
	case canon.Phone, canon.Email, canon.Address:
		return "contact."
	case canon.Username, canon.Password:
		return "account."
	case canon.Passport, canon.DriverLicence, canon.NationalID:
		return "docs."
	case canon.CardNumber:
		return "payment."
	}
	return "person."
}

// build renders rc's dump and returns its bytes and the column names the
// Reader will report, in written order.
func (rc randCase) build() ([]byte, []string) {
	g := synth.NewGenerator(rc.region, rc.seed)
	r := g.Rand()
	t := synth.Table{Header: make([]string, len(rc.cols))}
	for j, c := range rc.cols {
		h := synth.HeaderFor(c.kind, rc.lang)
		if rc.lang == "" {
			h = fmt.Sprintf("f%d", j+1) // opaque JSON keys
		}
		if rc.format.Layout == synth.JSONL && rc.format.Nested {
			h = jsonGroup(c.kind) + h
		}
		t.Header[j] = h
	}
	for range rc.rows {
		p := g.Person()
		row := make([]string, len(rc.cols))
		for j, c := range rc.cols {
			if c.blank > 0 && r.Float64() < c.blank {
				continue
			}
			var st synth.Style
			if len(c.styles) > 0 {
				st = c.styles[r.IntN(len(c.styles))]
			}
			v := synth.Render(r, &p, c.kind, st)
			if c.mask != 0 {
				v = maskCard(v, c.mask)
			}
			row[j] = v
		}
		t.Rows = append(t.Rows, row)
	}
	b, err := synth.Marshal(t, rc.format)
	if err != nil {
		panic(err) // a bug in the test
	}
	names := t.Header
	if rc.format.Layout != synth.JSONL && rc.lang == "" {
		names = make([]string, len(rc.cols))
		for j := range names {
			names[j] = fmt.Sprintf("column %d", j+1)
		}
	}
	return b, names
}

// regionInferable reports whether the values name rc's region: a phone or
// national-ID column, whose numbers and check digits differ by region.
func (rc randCase) regionInferable() bool {
	for _, c := range rc.cols {
		if c.kind == canon.Phone || c.kind == canon.NationalID {
			return true
		}
	}
	return false
}

// randResult is the outcome of one random dump.
type randResult struct {
	rc       randCase
	colBad   []bool
	regionOK bool
	detail   string
}

func (res randResult) failed() bool {
	if !res.regionOK {
		return true
	}
	for _, b := range res.colBad {
		if b {
			return true
		}
	}
	return false
}

func runRandCase(rc randCase) randResult {
	data, names := rc.build()
	rd := NewReader(bytes.NewReader(data))
	rd.Name = rc.String()
	if rc.given {
		rd.Region = rc.region
	}
	res := randResult{rc: rc, colBad: make([]bool, len(rc.cols)), regionOK: true}
	cols, err := rd.Columns()
	if err != nil {
		res.detail = "error: " + err.Error()
		for i := range res.colBad {
			res.colBad[i] = true
		}
		return res
	}
	byName := map[string]canon.Column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	var bad []string
	for j, c := range rc.cols {
		got, ok := byName[names[j]]
		if rc.format.Layout != synth.JSONL && j < len(cols) {
			got, ok = cols[j], true
		}
		switch {
		case !ok:
			res.colBad[j] = true
			bad = append(bad, fmt.Sprintf("%s: missing", names[j]))
		case got.Kind != c.kind:
			res.colBad[j] = true
			bad = append(bad, fmt.Sprintf("%q: got %s want %s", names[j], got.Kind, c.kind))
		}
	}
	// The region must be found when the values name it, and never be a
	// wrong one.
	switch got := rd.Info().Region; {
	case got == rc.region:
	case got == "" && !rc.given && !rc.regionInferable():
	case got == canon.RU && rc.lang == synth.Russian && !rc.given && !rc.regionInferable():
		// Excluded: a Ukrainian or Kazakh dump with Russian headers and
		// no phone or ID to say otherwise; the header's language is the
		// only evidence, and it says RU.
	default:
		res.regionOK = false
		bad = append(bad, fmt.Sprintf("region %q want %s", got, rc.region))
	}
	res.detail = strings.Join(bad, "; ")
	return res
}

// rateTable accumulates failures per value of one shape dimension.
type rateTable map[string]*[2]int // failures, total

func (t rateTable) add(key string, bad bool) {
	e := t[key]
	if e == nil {
		e = &[2]int{}
		t[key] = e
	}
	e[1]++
	if bad {
		e[0]++
	}
}

func (t rateTable) String() string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		e := t[k]
		fmt.Fprintf(&b, "  %-14s %4d/%-4d %5.1f%%\n", k, e[0], e[1], 100*float64(e[0])/float64(e[1]))
	}
	return b.String()
}

func TestDetectRandomDumps(t *testing.T) {
	n := randomDetectFiles
	if s := os.Getenv("LEAKPROV_RANDOM_DETECT"); s != "" {
		_, err := fmt.Sscan(s, &n)
		require.NoError(t, err, "LEAKPROV_RANDOM_DETECT")
	}
	if testing.Short() {
		n /= 4
	}
	verbose := os.Getenv("LEAKPROV_RANDOM_VERBOSE") != ""
	dims := []struct {
		name string
		key  func(randCase) string
		t    rateTable
	}{
		{"region", func(rc randCase) string { return string(rc.region) }, rateTable{}},
		{"layout", randCase.layout, rateTable{}},
		{"encoding", func(rc randCase) string { return string(rc.format.Encoding) }, rateTable{}},
		{"header", randCase.langName, rateTable{}},
		{"rows", randCase.rowBucket, rateTable{}},
	}
	kindRates := rateTable{}
	regionRates := rateTable{}
	failed := 0
	var failures []string
	for i := range n {
		rc := genRandCase(uint64(1000 + i))
		res := runRandCase(rc)
		bad := res.failed()
		if bad {
			failed++
			failures = append(failures, rc.String()+"\n    "+res.detail)
		}
		for _, d := range dims {
			d.t.add(d.key(rc), bad)
		}
		hdr := "hdr"
		if rc.lang == "" {
			hdr = "nohdr"
		}
		for j, c := range rc.cols {
			kindRates.add(c.kind.String()+"/"+hdr, res.colBad[j])
		}
		regionRates.add(string(rc.region), !res.regionOK)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "random dumps: %d of %d failed\n", failed, n)
	for _, d := range dims {
		fmt.Fprintf(&report, "by %s (files failed/total):\n%s", d.name, d.t)
	}
	fmt.Fprintf(&report, "by column kind (columns wrong/total):\n%s", kindRates)
	fmt.Fprintf(&report, "region wrong or missing (files/total):\n%s", regionRates)
	t.Log("\n" + report.String())
	shown := failures
	if !verbose && len(shown) > 20 {
		shown = shown[:20]
	}
	assert.Zero(t, failed, "random dumps misdetected (first %d):\n%s", len(shown), strings.Join(shown, "\n"))
}

// TestDetectRandomDumpOne shows one random dump and what the Reader made
// of it: LEAKPROV_RANDOM_SEED=1102 go test -run TestDetectRandomDumpOne -v.
func TestDetectRandomDumpOne(t *testing.T) {
	s := os.Getenv("LEAKPROV_RANDOM_SEED")
	if s == "" {
		t.Skip("LEAKPROV_RANDOM_SEED not set")
	}
	var seed uint64
	_, err := fmt.Sscan(s, &seed)
	require.NoError(t, err, "LEAKPROV_RANDOM_SEED")
	rc := genRandCase(seed)
	data, _ := rc.build()
	rd := NewReader(bytes.NewReader(data))
	cols, err := rd.Columns()
	require.NoError(t, err, rc.String())
	lines := strings.SplitN(string(data), "\n", 6)
	t.Logf("%s\n%s\ninfo %+v", rc, strings.Join(lines[:min(5, len(lines))], "\n"), rd.Info())
	for _, c := range cols {
		t.Logf("%q %s", c.Name, c.Kind)
	}
	t.Log(runRandCase(rc).detail)
}

// TestDetectRobustCases pins the general mechanisms the random test led
// to, one small input each.
func TestDetectRobustCases(t *testing.T) {
	win := []byte("A1234567\t12, MG Road, Mumbai 400001\tx@y.in\nB7654321\t5, Park Street, Delhi 110001\tz@y.in\n")
	comma, _ := sniffDelimiter(win, true, 100)
	assert.Equal(t, byte('\t'), comma, "tab-separated with commas in addresses")

	g := newGen(77)
	rows := rowsOf(100, func() []string { return []string{"77 " + g.digits(2) + " " + g.digits(6)} })
	d := DetectColumns([]string{"Номер ВУ"}, true, rows, DetectOptions{Region: canon.RU})
	assert.Equal(t, []string{"driver_licence"}, kinds(d), "RU licence under a licence header")

	// Common passwords repeat; logins never do.
	rows = rowsOf(300, func() []string { return []string{g.pick(pwWords) + g.digits(2), "user" + g.digits(7)} })
	d = DetectColumns(nil, false, rows, DetectOptions{})
	assert.Equal(t, []string{"password", "username"}, kinds(d), "repeating passwords left of distinct logins")

	rows = rowsOf(100, func() []string { return []string{strings.ToLower(g.pick(ruFirst) + " " + g.pick(ruLast))} })
	d = DetectColumns(nil, false, rows, DetectOptions{})
	assert.Equal(t, []string{"name"}, kinds(d), "lower-case names")
}
