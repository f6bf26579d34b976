package provenance

import "github.com/leakprov/leakprov/fingerprint/canon"

// valueSpace returns the number of plausible distinct values of a strong
// kind in a region: the denominator of the chance model. A source holding D
// distinct values of the kind would match a random plausible value with
// probability D / valueSpace, whatever the sample's true origin.
//
// The figures are deliberately generous (largest plausible space of values
// that real people hold), so that the chance rate is an honest lower bound
// on what overlap means:
//   - phone: mobile numbers in use-able ranges. UA: 12 operator codes × 10^7
//     (050, 063, 066, 067, 068, 073, 093, 095, 096, 097, 098, 099); RU: the
//     9xx ranges, 100 codes × 10^7; KZ: 70x/747/75x/76x/77x, about 30 × 10^7;
//     IN: ten digits led by 6 to 9, 4 × 10^9; elsewhere 10^9.
//   - national_id: UA RNOKPP: birth days 1900–2025 (≈ 46,000) × 10^4 serial
//     numbers; KZ IIN: ≈ 46,000 dates × 6 century/sex digits × 10^4; IN
//     Aadhaar: 8 × 10^10 (12 digits led by 2–9, one check digit); RU INN:
//     85 regions × 10^8; elsewhere 10^10.
//   - passport: UA 2 Cyrillic letters × 10^6 plus 10^9 ID cards; elsewhere
//     10^9. driver_licence: 3 letters (≈ 1,000 series) × 10^6.
//   - email, name+birth_date: spaces so large that chance is nil (10^12).
func valueSpace(k canon.Kind, r canon.Region) float64 {
	switch k {
	case canon.Phone:
		switch r {
		case canon.UA:
			return 12e7
		case canon.RU:
			return 1e9
		case canon.KZ:
			return 3e8
		case canon.IN:
			return 4e9
		}
		return 1e9
	case canon.NationalID:
		switch r {
		case canon.UA:
			return 4.6e8
		case canon.KZ:
			return 2.76e9
		case canon.IN:
			return 8e10
		case canon.RU:
			return 8.5e9
		}
		return 1e10
	case canon.Passport:
		if r == canon.UA {
			return 1e9 + 1089e6
		}
		return 1e9
	case canon.DriverLicence:
		return 1e9
	}
	return 1e12
}

// assigned reports whether a value of kind k belongs to one holder at a
// time: a phone number, an e-mail address, an ID or document number. A
// sample's value of such a kind that is in a source is its holder's, as
// likely as any plausible value only when it was made up (or the number
// reissued); a name and birth date are shared by namesakes, real people
// both. The correction for chance (shareOf) spans the two.
func assigned(k canon.Kind) bool {
	switch k {
	case canon.Phone, canon.Email, canon.NationalID, canon.Passport, canon.DriverLicence:
		return true
	}
	return false
}

// chanceRate is the share of a sample's values of kind k that a source with
// distinct values would match by chance alone, by the value space: what
// stands where the sample has too few values of the kind for decoys
// (decoys.go) to measure it.
func chanceRate(k canon.Kind, r canon.Region, distinct uint64) float64 {
	return min(1, float64(distinct)/valueSpace(k, r))
}
