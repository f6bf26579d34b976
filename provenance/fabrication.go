package provenance

import (
	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// fabStats counts, per kind, values and those that pass their check, and
// how often the birth date embedded in a national ID agrees with the
// record's birth date.
type fabStats struct {
	values, valid        [canon.KindCount]int
	embedded, embeddedOK int
}

// fabricationMinValues is the least number of values a check-digit kind
// needs before its validity can raise a suspicion.
const fabricationMinValues = 30

func (f *fabStats) add(rec []fingerprint.Hashed, region canon.Region) {
	var id, date []byte
	for _, h := range rec {
		f.values[h.Kind]++
		if h.Status == canon.Valid {
			f.valid[h.Kind]++
		}
		switch {
		case h.Kind == canon.NationalID && h.Status == canon.Valid && id == nil:
			id = h.Form
		case h.Kind == canon.BirthDate && h.Status == canon.Valid && len(h.Form) == 10 && date == nil:
			date = h.Form
		}
	}
	if id != nil && date != nil {
		if d, ok := canon.BirthDateFromID(id, region); ok {
			f.embedded++
			if d == string(date) {
				f.embeddedOK++
			}
		}
	}
}

func (f *fabStats) merge(g *fabStats) {
	for k := range f.values {
		f.values[k] += g.values[k]
		f.valid[k] += g.valid[k]
	}
	f.embedded += g.embedded
	f.embeddedOK += g.embeddedOK
}

func (f *fabStats) result() Fabrication {
	out := Fabrication{Checks: []FabricationCheck{}}
	check := func(k canon.Kind, name string, passed, n int) {
		if n == 0 {
			return
		}
		out.Checks = append(out.Checks, FabricationCheck{Kind: k, Check: name,
			Valid: round4(float64(passed) / float64(n)), Values: n, Passed: passed})
	}
	for _, k := range []canon.Kind{canon.NationalID, canon.CardNumber} {
		check(k, "check-digit", f.valid[k], f.values[k])
		if f.values[k] >= fabricationMinValues && 2*f.valid[k] < f.values[k] {
			out.Suspected = true
		}
	}
	for _, k := range []canon.Kind{canon.Phone, canon.Email, canon.BirthDate,
		canon.Passport, canon.DriverLicence} {
		check(k, "format", f.valid[k], f.values[k])
	}
	check(canon.NationalID, "embedded-birth-date", f.embeddedOK, f.embedded)
	return out
}
