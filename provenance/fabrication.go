package provenance

import "github.com/leakprov/leakprov/fingerprint"

// fabStats counts, per kind, values and those that pass their check, and
// how often the birth date embedded in a national ID agrees with the
// record's birth date.
type fabStats struct {
	values, valid        [32]int
	embedded, embeddedOK int
}

// fabricationMinValues is the least number of values a check-digit kind
// needs before its validity can raise a suspicion.
const fabricationMinValues = 30

func (f *fabStats) add(rec []fingerprint.Hashed, region fingerprint.Region) {
	var id, date []byte
	for _, h := range rec {
		f.values[h.Kind]++
		if h.Status == fingerprint.Valid {
			f.valid[h.Kind]++
		}
		switch {
		case h.Kind == fingerprint.NationalID && h.Status == fingerprint.Valid && id == nil:
			id = h.Canonical
		case h.Kind == fingerprint.BirthDate && h.Status == fingerprint.Valid && len(h.Canonical) == 10 && date == nil:
			date = h.Canonical
		}
	}
	if id != nil && date != nil {
		if d, ok := fingerprint.BirthDateFromID(id, region); ok {
			f.embedded++
			if d == string(date) {
				f.embeddedOK++
			}
		}
	}
}

func (f *fabStats) result() Fabrication {
	out := Fabrication{Checks: []FabricationCheck{}}
	check := func(k fingerprint.Kind, name string, passed, n int) {
		if n == 0 {
			return
		}
		out.Checks = append(out.Checks, FabricationCheck{Kind: k.String(), Check: name,
			Valid: round4(float64(passed) / float64(n)), Values: n, Passed: passed})
	}
	for _, k := range []fingerprint.Kind{fingerprint.NationalID, fingerprint.CardNumber} {
		check(k, "check-digit", f.valid[k], f.values[k])
		if f.values[k] >= fabricationMinValues && 2*f.valid[k] < f.values[k] {
			out.Suspected = true
		}
	}
	for _, k := range []fingerprint.Kind{fingerprint.Phone, fingerprint.Email, fingerprint.BirthDate,
		fingerprint.Passport, fingerprint.DriverLicence} {
		check(k, "format", f.valid[k], f.values[k])
	}
	check(fingerprint.NationalID, "embedded-birth-date", f.embeddedOK, f.embedded)
	return out
}
