package sampleset

import (
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// SniffHeader reports whether first, the first record of a delimited file,
// is a header rather than data, judging by rest, the records after it. It
// is a header when its cells are header words, or when the columns below
// hold values of a kind (phones, dates, IDs ...) that its cells are not;
// it is data when its cells are valid values of their columns' kinds.
func SniffHeader(first []string, rest [][]string) bool {
	if len(rest) > 200 {
		rest = rest[:200]
	}
	regs := append([]canon.Region{""}, canon.KnownRegions...)
	header, data := 0, 0
	buf := make([]byte, 0, 64)
	for i, cell := range first {
		v := strings.TrimSpace(cell)
		_, isWord := headerKind(v)
		if isWord {
			header++
		}
		if len(rest) == 0 {
			continue
		}
		c := colInfo{idx: i}
		c.gather(rest, regs)
		if c.n == 0 {
			continue
		}
		best, bestShare, bestReg := canon.Other, 0.0, canon.Region("")
		for ri, reg := range regs {
			vk := c.strongKind(ri, reg)
			if vk.share > bestShare+0.02 {
				best, bestShare, bestReg = vk.kind, vk.share, reg
			}
		}
		if bestShare >= clearShare {
			if v == "" {
				continue
			}
			if valueValid(buf, best, bestReg, c.order, v) {
				data++
			} else if !isWord {
				header++
			}
			continue
		}
		// No kind below: compare shapes. Numbers below a word are a header.
		if c.share(float64(c.digitsOnly)) >= 0.9 && v != "" && !hasDigit(v) && hasLetter(v) {
			if !isWord {
				header++
			}
		}
	}
	return header > data
}

// valueValid reports whether v is a valid value of kind k.
func valueValid(buf []byte, k canon.Kind, reg canon.Region, order canon.DateOrder, v string) bool {
	switch k {
	case canon.DriverLicence:
		s := canon.DocumentPattern(v)
		return s == canon.DocLicence || s == canon.DocLetters2
	case canon.Passport:
		s := canon.DocumentPattern(v)
		return s == canon.DocPassport || s == canon.DocDigits9 || s == canon.DocRU10 || s == canon.DocLetters2 || s == canon.DocSpaced10
	}
	_, st := canon.Append(buf[:0], k, v, canon.Options{Region: reg, DateOrder: order})
	return st == canon.Valid
}
