package sampleset

import "github.com/leakprov/leakprov/fingerprint/canon"

// inferRegion picks the region under which the phone and national-ID
// columns validate best, with letters (Ukrainian, Kazakh, Russian-only,
// Devanagari) in values and headers as lesser evidence. regs[0] of every
// column is "" and regs[1:] are canon.KnownRegions.
func inferRegion(cols []colInfo, names []string, hasHeader bool) canon.Region {
	score := make([]float64, len(canon.KnownRegions))
	ruledOut := make([]bool, len(canon.KnownRegions))
	for i := range cols {
		c := &cols[i]
		if c.n == 0 {
			continue
		}
		for j := range canon.KnownRegions {
			p := c.regShare(float64(c.phoneVote[j+1]))
			id := c.regShare(float64(c.idOK[j+1]))
			// Numbers written with their country code name the region
			// outright; bare numbers of other kinds (passports) may be
			// valid phones of a wrong region by chance.
			cc := c.regShare(float64(c.ccVote[canon.KnownRegions[j]]))
			score[j] += max(p, id) + cc
		}
		letters := min(c.letters, regionSniffValues)
		if letters > 0 {
			// A column of Cyrillic text rules India out, one of
			// Devanagari the Cyrillic regions, however the numbers
			// happen to validate.
			cyr := float64(c.cyrillic) / float64(letters)
			deva := float64(c.script[canon.IN]) / float64(letters)
			for j, r := range canon.KnownRegions {
				score[j] += 0.5 * float64(c.script[r]) / float64(letters)
				if r == canon.IN && cyr >= suggestShare || r != canon.IN && deva >= suggestShare {
					ruledOut[j] = true
				}
			}
		}
	}
	if hasHeader {
		cyr, deva := 0, 0
		for _, h := range names {
			sr := scriptRegion(h)
			if sr != "" {
				for j, r := range canon.KnownRegions {
					if r == sr {
						score[j] += 0.1
					}
				}
			}
			switch {
			case sr == canon.IN:
				deva++
			case firstLetterCyrillic(h):
				cyr++
			}
		}
		// Headers written in Cyrillic (or Devanagari) rule out the
		// regions that do not write in it, as values do.
		for j, r := range canon.KnownRegions {
			if r == canon.IN && 2*cyr > len(names) || r != canon.IN && 2*deva > len(names) {
				ruledOut[j] = true
			}
		}
	}
	best, bestScore := canon.Region(""), 0.1
	for j, r := range canon.KnownRegions {
		if score[j] > bestScore && !ruledOut[j] {
			best, bestScore = r, score[j]
		}
	}
	if bestScore >= 0.5 {
		return best
	}
	// No region with rules of its own fits: phones that carry the country
	// code of another one name it.
	for i := range cols {
		c := &cols[i]
		for r, v := range c.ccVote {
			if s := c.regShare(float64(v)); s > bestScore && r != "" {
				best, bestScore = r, s
			}
		}
	}
	return best
}
