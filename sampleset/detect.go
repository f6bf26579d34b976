package sampleset

import (
	"slices"
	"strconv"
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// DetectOptions configure [DetectColumns].
type DetectOptions struct {
	// Region resolves national formats; "" infers it from the values.
	Region canon.Region
	// Map forces kinds: keys are column names, or 1-based column numbers
	// written in decimal ("3").
	Map map[string]canon.Kind
}

// Detection is what [DetectColumns] found.
type Detection struct {
	Columns []canon.Column
	// Region is the region given, or the one inferred from the values ("" if
	// none could be).
	Region canon.Region
}

// Detection thresholds.
const (
	// SniffRecords is the most records DetectColumns looks at; callers
	// should pass a window of about this many.
	SniffRecords = 1000
	// clearShare is the share of a column's values that must be valid for
	// a kind for the values to overrule the header.
	clearShare = 0.8
	// suggestShare is enough when no header names the column.
	suggestShare = 0.5
	// rejectShare: a header naming a strictly checked kind is ignored when
	// fewer of its values than this have that kind's shape at all.
	rejectShare = 0.05
	// regionSniffValues caps the values per column tried under every region.
	regionSniffValues = 300
)

// DetectColumns decides each column's kind from its header name (if
// hasHeader) and from the values in rows, a sniff window of up to
// [SniffRecords] records.
//
// Values win when they clearly (≥ 80%) validate as another kind; when they
// are inconclusive the header decides; when both are silent the kind is
// Other. o.Map overrides both. Single-token name columns come out as
// last_name, first_name or middle_name. With o.Region "" the region is
// inferred from phones, national IDs and letters, and returned.
func DetectColumns(names []string, hasHeader bool, rows [][]string, o DetectOptions) Detection {
	if len(rows) > SniffRecords {
		rows = rows[:SniffRecords]
	}
	regs := []canon.Region{o.Region}
	if o.Region == "" {
		regs = append(regs, canon.KnownRegions...)
	}
	cols := gatherColumns(names, hasHeader, rows, regs)
	n := len(cols)

	region := o.Region
	if region == "" {
		region = inferRegion(cols, names, hasHeader)
	}
	ri := 0
	for i, r := range regs {
		if r == region {
			ri = i
		}
	}
	for i := range cols {
		cols[i].decide(ri, region)
	}
	assignAccounts(cols)
	splitNames(cols)

	out := make([]canon.Column, n)
	for i := range cols {
		c := &cols[i]
		k := c.kind
		if mk, ok := mapped(o.Map, c.name, i); ok {
			k = mk
		}
		out[i] = canon.Column{Name: c.name, Kind: k}
		if k == canon.BirthDate {
			out[i].DateOrder = c.order
		}
	}
	return Detection{Columns: out, Region: region}
}

// gatherColumns gathers the statistics of every column under each of regs.
func gatherColumns(names []string, hasHeader bool, rows [][]string, regs []canon.Region) []colInfo {
	n := len(names)
	for _, r := range rows {
		n = max(n, len(r))
	}
	cols := make([]colInfo, n)
	for i := range cols {
		c := &cols[i]
		c.idx = i
		if i < len(names) {
			c.name = names[i]
		}
		if c.name == "" || !hasHeader && i >= len(names) {
			c.name = "column " + strconv.Itoa(i+1)
		}
		if hasHeader && i < len(names) {
			c.header, c.hasHeader = headerKind(names[i])
		}
		c.gather(rows, regs)
	}
	return cols
}

// checkRegion compares a sniff window's columns under the region given with
// the region the values themselves point to: when one of them reads a
// column's phones or national IDs as valid (at least 80%) and the region
// given reads fewer than half as many, the region given is wrong for the
// dump, and every value of that column would be misread (a Ukrainian dump
// under RU: its phones taken for passports, its RNOKPPs for invalid INNs).
// It returns the first such column, or nil.
func checkRegion(names []string, hasHeader bool, rows [][]string, region canon.Region) *RegionError {
	gi := slices.Index(canon.KnownRegions, region) + 1
	if gi == 0 || len(rows) == 0 {
		return nil
	}
	if len(rows) > SniffRecords {
		rows = rows[:SniffRecords]
	}
	regs := append([]canon.Region{""}, canon.KnownRegions...)
	cols := gatherColumns(names, hasHeader, rows, regs)
	inferred := inferRegion(cols, names, hasHeader)
	ii := slices.Index(regs, inferred)
	if inferred == "" || inferred == region || ii < 0 {
		return nil
	}
	for i := range cols {
		c := &cols[i]
		best := c.strongKind(ii, inferred)
		var given float64
		switch best.kind {
		case canon.Phone:
			given = c.regShare(c.phoneOK[gi])
		case canon.NationalID:
			given = c.regShare(float64(c.idOK[gi]))
		default:
			continue
		}
		if best.share >= clearShare && given < best.share/2 {
			return &RegionError{Column: c.name, Kind: best.kind, Region: region, Valid: given, Detected: inferred, DetectedValid: best.share}
		}
	}
	return nil
}

// mapped looks a column up in m by its name (exact, then case-insensitive)
// or its 1-based number.
func mapped(m map[string]canon.Kind, name string, i int) (canon.Kind, bool) {
	if len(m) == 0 {
		return 0, false
	}
	if k, ok := m[name]; ok {
		return k, true
	}
	if k, ok := m[strconv.Itoa(i+1)]; ok {
		return k, true
	}
	t := strings.TrimSpace(name)
	for key, k := range m {
		if strings.EqualFold(strings.TrimSpace(key), t) {
			return k, true
		}
	}
	return 0, false
}

// valueKind is a candidate kind found from values, with its share.
type valueKind struct {
	kind  canon.Kind
	share float64
	date  bool // a date column whose dates are not birth dates
}

// strongKind returns the kind the values prove best under region (regs
// index ri): e-mail, card, national ID, birth date, phone, licence or
// passport, earlier ones winning near ties. A date column whose dates are no
// birth dates comes back with date set.
func (c *colInfo) strongKind(ri int, region canon.Region) valueKind {
	passport, licence := float64(c.passport), float64(c.licence)
	switch region {
	case canon.UA, canon.KZ:
		passport += float64(c.digits9)
	case canon.RU:
		passport += 0.5 * float64(c.bare10RU)
	}
	passport += float64(c.spaced10)
	if region == canon.KZ {
		licence += float64(c.letters2) // KZ passports are N + 8 digits
	} else {
		passport += float64(c.letters2)
	}
	dateShare := c.share(float64(c.date))
	birth := c.date > 0 && float64(c.birthOK) >= clearShare*float64(c.date)
	cands := []valueKind{
		{canon.Email, c.share(float64(c.email)), false},
		{canon.CardNumber, c.share(float64(c.card)), false},
		{canon.NationalID, c.regShare(float64(c.idOK[ri])), false},
		{canon.BirthDate, dateShare, !birth},
		{canon.Phone, c.regShare(c.phoneOK[ri]), false},
		{canon.DriverLicence, c.share(licence), false},
		{canon.Passport, c.share(passport), false},
	}
	best := valueKind{kind: canon.Other}
	for _, v := range cands {
		if v.share > best.share+0.02 {
			best = v
		}
	}
	return best
}

// shapeShare is the share of values having the shape of kind k at all
// (valid or not), under any region tried.
func (c *colInfo) shapeShare(k canon.Kind) (float64, bool) {
	maxOf := func(xs []int) float64 {
		m := 0
		for _, x := range xs {
			m = max(m, x)
		}
		return float64(m)
	}
	switch k {
	case canon.Phone:
		return c.regShare(maxOf(c.phoneAny)), true
	case canon.Email:
		return c.share(float64(c.email)), true
	case canon.NationalID:
		return c.regShare(maxOf(c.idShape)), true
	case canon.CardNumber:
		return c.share(float64(c.card)), true
	case canon.BirthDate:
		return c.share(float64(c.date)), true
	}
	return 0, false
}

func (c *colInfo) decide(ri int, region canon.Region) {
	c.kind = canon.Other
	if c.n == 0 {
		if c.hasHeader {
			c.kind = c.header
		}
		return
	}
	v := c.strongKind(ri, region)
	rejected := false
	if c.hasHeader {
		h := c.header
		if v.share >= clearShare {
			switch {
			case v.kind == h:
				c.kind = h
			case isDocument(v.kind) && isDocument(h) && c.share(c.firmDocs(v.kind)) < clearShare:
				// Passports and licences are told apart by their shape
				// alone, and some shapes are shared (a Russian licence is
				// spelt like a Russian passport): unless the values have
				// a shape only the other kind has, the header knows better.
				c.kind = h
			case v.date:
				// Dates that are no birth dates: a birth-date header still
				// names them; any other header is wrong about them.
				if h == canon.BirthDate {
					c.kind = h
				}
			default:
				c.kind = v.kind
			}
			return
		}
		if s, strict := c.shapeShare(h); !strict || c.n < 10 || s >= rejectShare {
			c.kind = h
			if h == canon.Username || h == canon.Password {
				c.isTok = true
			}
			return
		}
		// The header names a checked kind the values do not have at all
		// (a flag called phone_verified, an Indian PAN under "pan"): the
		// values decide, but a token column is no password just for that.
		rejected = true
	}
	if v.share >= suggestShare {
		if !v.date {
			c.kind = v.kind
		}
		return
	}
	switch {
	case c.isNameColumn():
		c.kind = canon.Name
	case c.share(float64(c.address)) >= 0.6:
		c.kind = canon.Address
	case !rejected && c.share(float64(c.token)) >= clearShare && c.share(float64(c.letters)) >= 0.5 && c.varied(0.3):
		c.isTok = true
		if c.share(float64(c.hash)) >= clearShare {
			c.kind = canon.Password
		}
	}
}

// isNameColumn reports whether the values look like person names: letters
// only, capitalised or all caps, 1-4 words, and not a few repeated words (a
// status or gender column) unless they are patronymics.
func (c *colInfo) isNameColumn() bool {
	if c.share(float64(c.nameN)) < clearShare {
		return false
	}
	if c.single > 0 && 2*c.patronymic >= c.single {
		return true
	}
	if c.n < 20 {
		return c.distinct >= min(c.n, 3) && 2*c.topCount <= c.n
	}
	return c.distinct >= 5 && 2*c.topCount <= c.n
}

// varied reports whether the column has many distinct values: at least
// share of its values (for a column of 20 or more), half of them (smaller).
func (c *colInfo) varied(share float64) bool {
	if c.n < 20 {
		return 2*c.distinct >= c.n
	}
	return float64(c.distinct) >= share*float64(c.n)
}

// firmDocs counts the values whose shape only documents of kind k have
// (a UA licence's three letters and six digits, an Indian passport's letter
// and seven digits).
func (c *colInfo) firmDocs(k canon.Kind) float64 {
	switch k {
	case canon.DriverLicence:
		return float64(c.licence)
	case canon.Passport:
		return float64(c.passport)
	}
	return 0
}

// isDocument reports whether k is a document number recognised by its
// shape only (no check digit).
func isDocument(k canon.Kind) bool {
	return k == canon.Passport || k == canon.DriverLicence
}
