package sampleset

import (
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// assignAccounts decides the token-shaped columns: a column whose values
// follow the e-mail's local part is a username, a column of hashes a
// password. Of two or more left, a login identifies its account, so its
// values are (nearly) all distinct, while passwords repeat ("123456"): the
// most distinct username-shaped column is the username when the others
// clearly repeat more. The rest by position and values: one right after an
// account column (e-mail, username, phone), as in login:password lists, or
// further right with repeating values, is a password; a username-shaped
// column of distinct values is a username (even right of an account column
// when it has hundreds of values: passwords repeat).
func assignAccounts(cols []colInfo) {
	emailCol := -1
	for i := range cols {
		if cols[i].kind == canon.Email {
			emailCol = i
			break
		}
	}
	var open []*colInfo
	for i := range cols {
		c := &cols[i]
		if !c.isTok || c.kind != canon.Other {
			continue
		}
		switch {
		case emailCol >= 0 && c.emailLike(cols[emailCol].cells) >= 0.3:
			c.kind = canon.Username
		case c.share(float64(c.hash)) >= suggestShare:
			c.kind = canon.Password
		default:
			open = append(open, c)
		}
	}
	if len(open) >= 2 {
		var login *colInfo
		for _, c := range open {
			if c.share(float64(c.userShape)) >= clearShare && (login == nil || c.repeated() < login.repeated()) {
				login = c
			}
		}
		clear := login != nil
		for _, c := range open {
			if clear && c != login && c.repeated() < login.repeated()+repeatGap {
				clear = false
			}
		}
		if clear {
			for _, c := range open {
				c.kind = canon.Password
			}
			login.kind = canon.Username
		}
	}
	leftAccount, prevAccount := false, false
	for i := range cols {
		c := &cols[i]
		if c.isTok && c.kind == canon.Other {
			switch {
			case c.n >= distinctLogins && c.share(float64(c.userShape)) >= clearShare && c.repeated() == 0:
				// Hundreds of passwords never all differ.
				c.kind = canon.Username
			case prevAccount, leftAccount && c.repeated() >= repeatGap:
				c.kind = canon.Password
			case c.share(float64(c.userShape)) >= clearShare && c.repeated() < repeatGap:
				c.kind = canon.Username
			default:
				c.kind = canon.Password
			}
		}
		prevAccount = false
		switch c.kind {
		case canon.Email, canon.Username, canon.Phone:
			leftAccount, prevAccount = true, true
		}
	}
}

// distinctLogins is how many values a token column needs for "all of them
// differ" to make it a login column rather than passwords.
const distinctLogins = 200

// repeatGap is how much more often a password column's values must repeat
// than a login column's for the values to tell them apart.
const repeatGap = 0.02

// repeated is the share of the column's values that repeat an earlier one.
func (c *colInfo) repeated() float64 {
	return c.share(float64(c.n - c.distinct))
}

// emailLike is the share of this column's values that follow the local
// part of the same row's e-mail (a username derived from it).
func (c *colInfo) emailLike(emails []string) float64 {
	hit := 0
	for i, v := range c.cells {
		if v == "" || i >= len(emails) {
			continue
		}
		e := emails[i]
		at := strings.IndexByte(e, '@')
		if at <= 0 {
			continue
		}
		local := strings.ToLower(e[:at])
		u := strings.ToLower(v)
		if strings.Contains(local, u) || strings.Contains(u, local) || commonPrefix(local, u) >= 4 {
			hit++
		}
	}
	return c.share(float64(hit))
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
