package sampleset

import (
	"strings"
	"unicode"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// splitNames turns single-token name columns into name parts: the header
// decides where it names a part; patronymics make a middle name; of the
// rest, surname suffixes (-енко, -ук, -ов, -skyi ...) mark the last name and
// the column whose values repeat more is the first name (given names repeat
// much more than surnames).
func splitNames(cols []colInfo) {
	taken := map[canon.Kind]bool{}
	var undecided []*colInfo
	for i := range cols {
		c := &cols[i]
		switch c.kind {
		case canon.FirstName, canon.LastName, canon.MiddleName:
			taken[c.kind] = true
		case canon.Name:
			if c.nameN > 0 && float64(c.single) >= clearShare*float64(c.nameN) {
				undecided = append(undecided, c)
			}
		}
	}
	if len(undecided) == 0 {
		return
	}
	rest := undecided[:0:0]
	for _, c := range undecided {
		if !taken[canon.MiddleName] && c.single > 0 && 2*c.patronymic >= c.single {
			c.kind = canon.MiddleName
			taken[canon.MiddleName] = true
			continue
		}
		rest = append(rest, c)
	}
	ratio := func(c *colInfo) float64 { return float64(c.distinct) / float64(max(c.n, 1)) }
	suffix := func(c *colInfo) float64 { return float64(c.surname) / float64(max(c.single, 1)) }
	for len(rest) > 0 {
		switch {
		case taken[canon.FirstName] && taken[canon.LastName]:
			for _, c := range rest {
				if !taken[canon.MiddleName] {
					c.kind = canon.MiddleName
					taken[canon.MiddleName] = true
				}
			}
			return
		case taken[canon.LastName]:
			rest[0].kind = canon.FirstName
			taken[canon.FirstName] = true
			rest = rest[1:]
			continue
		case taken[canon.FirstName]:
			rest[0].kind = canon.LastName
			taken[canon.LastName] = true
			rest = rest[1:]
			continue
		}
		if len(rest) == 1 {
			c := rest[0]
			if suffix(c) >= 0.25 {
				c.kind = canon.LastName
			} else {
				c.kind = canon.FirstName
			}
			return
		}
		// Two or more candidates: pick the last name among them.
		a, b := rest[0], rest[1]
		var last *colInfo
		switch sa, sb := suffix(a), suffix(b); {
		case sa-sb >= 0.15:
			last = a
		case sb-sa >= 0.15:
			last = b
		case ratio(a)-ratio(b) >= 0.05:
			last = a
		case ratio(b)-ratio(a) >= 0.05:
			last = b
		case cyrillicShare(a) >= 0.5:
			last = a // East Slavic order: surname first
		default:
			last = b // given name first
		}
		last.kind = canon.LastName
		taken[canon.LastName] = true
		rest2 := rest[:0:0]
		for _, c := range rest {
			if c != last {
				rest2 = append(rest2, c)
			}
		}
		rest = rest2
	}
}

// firstLetterCyrillic reports whether the first letter of v is Cyrillic.
func firstLetterCyrillic(v string) bool {
	for _, r := range v {
		if unicode.IsLetter(r) {
			return unicode.Is(unicode.Cyrillic, r)
		}
	}
	return false
}

// cyrillicShare is the share of the column's values written in Cyrillic.
func cyrillicShare(c *colInfo) float64 {
	n := 0
	for _, v := range c.cells {
		if firstLetterCyrillic(v) {
			n++
		}
	}
	return c.share(float64(n))
}

// isPatronymic reports whether a single word is a patronymic.
func isPatronymic(s string) bool { return canon.IsPatronymic(s) }

// surnameSuffix reports whether a single word ends like an East Slavic
// surname.
func surnameSuffix(s string) bool {
	return hasSuffixFold(s, surnameSuffixes)
}

var surnameSuffixes = []string{
	"енко", "ук", "юк", "ський", "цький", "ська", "цька", "ов", "ова", "ев", "ева", "єв",
	"єва", "ёв", "ёва", "ко", "ич", "ець", "як", "ак", "ишин", "ін", "ина",
	"enko", "uk", "iuk", "yuk", "skyi", "tskyi", "ska", "tska", "ov", "ova", "ev", "eva",
	"ko", "ych", "ets", "iak", "ak", "skiy", "sky", "ski", "in",
}

func hasSuffixFold(s string, suffixes []string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) && len(s) > len(x)+1 {
			return true
		}
	}
	return false
}
