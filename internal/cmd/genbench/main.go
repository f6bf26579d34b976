// Command genbench writes the leak-scale benchmark fixtures of
// scripts/bench: large synthetic source dumps and a leaked sample with known
// truth (no real personal data).
//
//	go run ./internal/cmd/genbench [-dir DIR] [-rows N] [-sample M] [-sources S]
//	    [-shares 0.4,0.2] [-overlap 0.1] [-seed SEED]
//
// It writes DIR/sources/src-1.csv … src-S.csv of N rows each, DIR/sample.csv
// of M rows, and DIR/truth.txt. Every file is a UTF-8 CSV with the header
// name,phone,email,birth_date,national_id and one Ukrainian person a row.
//
// Every field has exactly one spelling, the same in every file: the name is
// "Family Given" in Ukrainian Cyrillic, the phone E.164 (+380 and nine
// digits, in real mobile operator ranges), the e-mail lower case, the birth
// date ISO (YYYY-MM-DD) and the national ID a 10-digit RNOKPP whose birth
// date digits and check digit are valid. So a plain SQL query or a shell
// pipeline (cut, sort -u, comm) answers the same question as leakprov
// without leakprov's canonicalisation: the competitors are benchmarked on
// their best case.
//
// Truth: consecutive sources share a fraction -overlap of their people (the
// last rows of source K are the first rows of source K+1), and the sample
// draws a share -shares[K] of its rows from source K+1 (by default 40% from
// src-1 and 20% from src-2; the draws of different sources are disjoint) and
// the rest from new people. truth.txt gives, per source, how many sample
// records have their phone in the source and that share of the sample (the
// phone containment that leakprov's report estimates as
// sources[].fields.phone.estimate):
//
//	# comment lines
//	src-1	200000	0.400000
//
// People are not made by [synth.Generator], whose uniqueness bookkeeping is
// too slow and too large for millions of people. Instead person i's fields
// are functions of i: the phone, the RNOKPP (with the birth date and sex it
// encodes) and the e-mail number each come from a keyed bijective
// permutation (a cycle-walking Feistel network) of i, so no two people share
// a phone, ID or e-mail; given names and surnames are drawn by hash from a
// pool of [synth.People]. The output is deterministic from -seed, each file
// is streamed through a buffer and no row is held in memory, so millions of
// rows take seconds (the files are written in parallel).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

func main() {
	var c Config
	flag.StringVar(&c.Dir, "dir", "bench-data", "directory to write the fixtures into")
	flag.IntVar(&c.Rows, "rows", 2_000_000, "rows in each source")
	flag.IntVar(&c.Sample, "sample", 500_000, "rows in the sample")
	flag.IntVar(&c.Sources, "sources", 3, "number of sources")
	shares := flag.String("shares", "0.4,0.2", "comma-separated share of the sample drawn from source 1, 2, …")
	flag.Float64Var(&c.Overlap, "overlap", 0.1, "share of each source's people also in the next source, in [0, 0.5)")
	flag.Uint64Var(&c.Seed, "seed", 20250101, "seed")
	flag.Parse()
	var err error
	if c.Shares, err = parseShares(*shares); err == nil {
		err = Generate(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbench:", err)
		os.Exit(2)
	}
}

func parseShares(s string) ([]float64, error) {
	var out []float64
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, fmt.Errorf("-shares: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Config is what to generate.
type Config struct {
	Dir     string
	Rows    int       // rows in each source
	Sample  int       // rows in the sample
	Sources int       // number of sources
	Shares  []float64 // share of the sample drawn from source 1, 2, …
	Overlap float64   // share of a source's people also in the next one
	Seed    uint64
}

// Header is the header row of every file.
const Header = "name,phone,email,birth_date,national_id"

// Mobile operator codes in use in Ukraine (Kyivstar, Vodafone, lifecell):
// the phone space is len(uaOperators) × 10⁷ numbers.
var uaOperators = []string{"50", "66", "95", "99", "67", "68", "96", "97", "98", "63", "73", "93"}

var mailDomains = []string{"ukr.net", "gmail.com", "i.ua", "meta.ua", "ukr.net", "gmail.com", "bigmir.net"}

const phoneSpace = 12 * 10_000_000

// Birth dates: 1921-01-01 … 2005-12-31, as RNOKPP day numbers (days since
// 1899-12-31).
var (
	rnokppEpoch = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	bornFrom    = time.Date(1921, 1, 1, 0, 0, 0, 0, time.UTC)
	bornTo      = time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)
)

// layout is where people are: source k (0-based) holds ids
// [k·step, k·step+rows), so consecutive sources share rows−step people; new
// people have ids from span on.
type layout struct {
	rows, step, span int
	// draws[k] is how many sample rows come from source k, drawn among its
	// ids [drawLo(k), start(k)+rows) so that no two sources' draws meet.
	draws []int
	drawn int // sum of draws
}

func (l *layout) start(k int) int { return k * l.step }

func (l *layout) drawLo(k int) int {
	if k == 0 {
		return 0
	}
	return l.start(k) + l.rows - l.step
}

// contains reports whether source k holds person id.
func (l *layout) contains(k, id int) bool { return id >= l.start(k) && id < l.start(k)+l.rows }

func plan(c Config) (*layout, error) {
	switch {
	case c.Rows < 1 || c.Sample < 1 || c.Sources < 1:
		return nil, errors.New("-rows, -sample and -sources must be positive")
	case len(c.Shares) > c.Sources:
		return nil, fmt.Errorf("%d shares for %d sources", len(c.Shares), c.Sources)
	case c.Overlap < 0 || c.Overlap >= 0.5:
		return nil, errors.New("-overlap must be in [0, 0.5)")
	}
	l := &layout{rows: c.Rows}
	l.step = c.Rows - int(math.Round(c.Overlap*float64(c.Rows)))
	l.span = (c.Sources-1)*l.step + c.Rows
	total := 0.0
	for k, s := range c.Shares {
		if s < 0 {
			return nil, errors.New("shares must not be negative")
		}
		total += s
		n := int(math.Round(s * float64(c.Sample)))
		if avail := l.start(k) + l.rows - l.drawLo(k); n > avail {
			return nil, fmt.Errorf("a share %g of %d sample rows is %d people, but source %d has only %d to draw from", s, c.Sample, n, k+1, avail)
		}
		l.draws = append(l.draws, n)
		l.drawn += n
	}
	if total > 1+1e-9 || l.drawn > c.Sample {
		return nil, errors.New("shares add up to more than 1")
	}
	if people := l.span + c.Sample - l.drawn; people > phoneSpace {
		return nil, fmt.Errorf("%d people do not fit in %d phone numbers", people, phoneSpace)
	}
	return l, nil
}

// Generate writes the fixtures of c.
func Generate(c Config) error {
	l, err := plan(c)
	if err != nil {
		return err
	}
	w := newWorld(c.Seed)
	if err := os.MkdirAll(filepath.Join(c.Dir, "sources"), 0o755); err != nil {
		return err
	}
	// Each source, and the sample, is one job; up to GOMAXPROCS run at once.
	jobs := make([]func() error, 0, c.Sources+1)
	for k := range c.Sources {
		jobs = append(jobs, func() error {
			return writeCSV(filepath.Join(c.Dir, "sources", SourceFile(k)), w, c.Rows, func(j int) int {
				return l.start(k) + j
			})
		})
	}
	sampleIDs := w.sampleIDs(l, c.Sample)
	jobs = append(jobs, func() error {
		return writeCSV(filepath.Join(c.Dir, "sample.csv"), w, c.Sample, sampleIDs)
	})
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = job()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return writeTruth(filepath.Join(c.Dir, "truth.txt"), c, l, sampleIDs)
}

// SourceFile is the file name of source k (0-based): src-1.csv, src-2.csv, …
func SourceFile(k int) string { return "src-" + strconv.Itoa(k+1) + ".csv" }

// sampleIDs returns the person id of each sample row: the rows are shuffled
// by a permutation, then the first draws[0] positions take people of source
// 1, and so on, and the rest new people.
func (w *world) sampleIDs(l *layout, n int) func(int) int {
	order := newPerm(uint64(n), w.seed^0x73616d706c65) // "sample"
	drawPerms := make([]perm, len(l.draws))
	for k := range l.draws {
		avail := l.start(k) + l.rows - l.drawLo(k)
		drawPerms[k] = newPerm(uint64(avail), w.seed^uint64(k+1)*0x9e3779b97f4a7c15)
	}
	return func(r int) int {
		p := int(order.apply(uint64(r)))
		for k, d := range l.draws {
			if p < d {
				return l.drawLo(k) + int(drawPerms[k].apply(uint64(p)))
			}
			p -= d
		}
		return l.span + p
	}
}

func writeTruth(path string, c Config, l *layout, sampleIDs func(int) int) error {
	counts := make([]int, c.Sources)
	for r := range c.Sample {
		id := sampleIDs(r)
		// Only sources whose range can hold id: at most two when overlap < ½.
		k0 := min(id/max(1, l.step), c.Sources-1)
		for k := max(0, k0-1); k <= k0; k++ {
			if l.contains(k, id) {
				counts[k]++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# genbench truth: per source, the sample records whose phone is in the source, and their share of the sample\n")
	fmt.Fprintf(&b, "# rows=%d sample=%d sources=%d shares=%s overlap=%g seed=%d\n",
		c.Rows, c.Sample, c.Sources, formatShares(c.Shares), c.Overlap, c.Seed)
	for k, n := range counts {
		fmt.Fprintf(&b, "src-%d\t%d\t%.6f\n", k+1, n, float64(n)/float64(c.Sample))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func formatShares(s []float64) string {
	f := make([]string, len(s))
	for i, v := range s {
		f[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(f, ",")
}

func writeCSV(path string, w *world, n int, id func(int) int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString(Header + "\n")
	line := make([]byte, 0, 256)
	for j := range n {
		line = w.appendRow(line[:0], id(j))
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// name is one pool entry: a given name or surname and its lower-case Latin
// spelling for e-mail addresses.
type name struct{ native, latin string }

// world turns person ids into people.
type world struct {
	seed                  uint64
	phones, ids, emails   perm
	given, family         [2][]name // by sex: 0 male, 1 female
	dayFrom, days         int
	isoDates              []string // by day − dayFrom
	operators, mailDomain []string
}

func newWorld(seed uint64) *world {
	w := &world{seed: seed, operators: uaOperators, mailDomain: mailDomains}
	w.dayFrom = int(bornFrom.Sub(rnokppEpoch).Hours() / 24)
	w.days = int(bornTo.Sub(bornFrom).Hours()/24) + 1
	w.isoDates = make([]string, w.days)
	for d := range w.days {
		w.isoDates[d] = bornFrom.AddDate(0, 0, d).Format(time.DateOnly)
	}
	w.phones = newPerm(phoneSpace, seed^0x70686f6e65)           // "phone"
	w.ids = newPerm(uint64(w.days)*10_000, seed^0x726e6f6b7070) // "rnokpp"
	w.emails = newPerm(phoneSpace, seed^0x656d61696c)           // "email"
	seenGiven, seenFamily := [2]map[string]bool{{}, {}}, [2]map[string]bool{{}, {}}
	for _, p := range synth.People(canon.UA, seed, 4000) {
		s := int(p.Sex)
		if !seenGiven[s][p.Given] {
			seenGiven[s][p.Given] = true
			w.given[s] = append(w.given[s], name{p.Given, strings.ToLower(synth.KMU(p.Given))})
		}
		if !seenFamily[s][p.Family] {
			seenFamily[s][p.Family] = true
			w.family[s] = append(w.family[s], name{p.Family, strings.ToLower(synth.KMU(p.Family))})
		}
	}
	return w
}

// appendRow appends person id's CSV row to b.
func (w *world) appendRow(b []byte, id int) []byte {
	// RNOKPP: digits 1-5 the birth day, 6-9 a serial whose last digit is odd
	// for men, then the check digit.
	x := w.ids.apply(uint64(id))
	day := w.dayFrom + int(x/10_000)
	serial := int(x % 10_000)
	sex := 1 - serial%2 // odd ninth digit: male (0)
	var nid [10]byte
	putDigits(nid[:5], day)
	putDigits(nid[5:9], serial)
	for c := byte('0'); c <= '9'; c++ {
		nid[9] = c
		if canon.ValidRNOKPP(nid[:]) {
			break
		}
	}
	h := mix(uint64(id) ^ w.seed)
	given := w.given[sex][h%uint64(len(w.given[sex]))]
	family := w.family[sex][(h>>20)%uint64(len(w.family[sex]))]
	domain := w.mailDomain[(h>>40)%uint64(len(w.mailDomain))]

	b = append(b, family.native...)
	b = append(b, ' ')
	b = append(b, given.native...)
	b = append(b, ",+380"...)
	ph := w.phones.apply(uint64(id))
	b = append(b, w.operators[ph/10_000_000]...)
	var d7 [7]byte
	putDigits(d7[:], int(ph%10_000_000))
	b = append(b, d7[:]...)
	b = append(b, ',')
	b = append(b, given.latin...)
	b = append(b, '.')
	b = append(b, family.latin...)
	b = strconv.AppendUint(b, w.emails.apply(uint64(id)), 10)
	b = append(b, '@')
	b = append(b, domain...)
	b = append(b, ',')
	b = append(b, w.isoDates[day-w.dayFrom]...)
	b = append(b, ',')
	b = append(b, nid[:]...)
	return append(b, '\n')
}

// putDigits writes v in decimal into d, zero-padded to len(d).
func putDigits(d []byte, v int) {
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
}

// perm is a keyed bijection of [0, n): a four-round balanced Feistel network
// on the smallest even number of bits that covers n, cycle-walked back into
// range.
type perm struct {
	n    uint64
	half uint
	keys [4]uint64
}

func newPerm(n, seed uint64) perm {
	bits := uint(2)
	for uint64(1)<<bits < n {
		bits += 2
	}
	p := perm{n: n, half: bits / 2}
	for i := range p.keys {
		seed = mix(seed + uint64(i) + 1)
		p.keys[i] = seed
	}
	return p
}

func (p perm) apply(x uint64) uint64 {
	mask := uint64(1)<<p.half - 1
	for {
		l, r := x>>p.half, x&mask
		for _, k := range p.keys {
			l, r = r, l^(mix(r^k)&mask)
		}
		x = l<<p.half | r
		if x < p.n {
			return x
		}
	}
}

// mix is SplitMix64's finaliser.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
