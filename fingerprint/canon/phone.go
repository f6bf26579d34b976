package canon

import (
	"github.com/nyaruka/phonenumbers"
)

// Phone canonicalisation.
//
// Numbers of Ukraine (+380), Russia and Kazakhstan (+7) and India (+91) take
// a fast path that neither allocates nor uses regular expressions: the input
// is scanned into a digit buffer, the country code and national prefixes are
// resolved by the rules below, and the national significant number is run
// through a small automaton generated from the libphonenumber metadata
// (phone_tables.go), so validity matches libphonenumber's IsValidNumber.
// Everything else goes to github.com/nyaruka/phonenumbers.
//
// Accepted spellings for the fast path:
//   - separators: space, tab, no-break space, '-', '.', '/', '(', ')' and the
//     Unicode dashes U+2010..U+2015 and U+2212;
//   - an optional "tel:" prefix and one leading '+', which may follow an
//     opening parenthesis ("(+38) 067 ...");
//   - an international prefix instead of '+': "00" (with regions UA, RU, KZ,
//     IN or none) and "810" (with regions RU and KZ);
//   - the country code without '+' ("380671234567", "79123456789",
//     "919876543210"), with any region or none;
//   - with a region: the trunk prefix (UA and IN "0", RU and KZ "8"), the
//     old Ukrainian "8 0XX" form, and the bare national number;
//   - a trailing extension (";ext=123", "ext. 123", "x123", "доб. 123"),
//     which E.164 cannot carry and is dropped.
//
// Letters anywhere else, a second '+', or more than phoneMaxDigits digits
// make the value Invalid. Without a region a national-only form is Invalid.
//
// Digits of other scripts and full-width forms are folded to ASCII first
// when the value has no canonical form as written (see numeric.go), and
// every spelling above may be written with them.

// phoneType is a number type in libphonenumber's sense; ptNone means the
// number is not valid.
type phoneType uint8

// Number types, in the values the generated tables use.
const (
	ptNone phoneType = iota
	ptFixed
	ptMobile
	ptFixedOrMobile
	ptTollFree
	ptPremium
	ptShared
	ptVoIP
	ptPersonal
	ptPager
	ptUAN
	ptVoicemail
)

// phoneDFA is a deterministic automaton over the digits of a national
// significant number. State 0 rejects, state 1 is the start; label gives the
// number type of a number that ends in a state.
type phoneDFA struct {
	next  [][10]uint16
	label []phoneType
}

// classify returns the type of the national number nat (ASCII digits).
func (d *phoneDFA) classify(nat []byte) phoneType {
	s := uint16(1)
	for _, c := range nat {
		s = d.next[s][c-'0']
		if s == 0 {
			return ptNone
		}
	}
	return d.label[s]
}

// phoneDFAFor returns the automaton of one of the fast-path regions.
func phoneDFAFor(r Region) *phoneDFA {
	switch r {
	case UA:
		return &phoneDFAUA
	case RU:
		return &phoneDFARU
	case KZ:
		return &phoneDFAKZ
	case IN:
		return &phoneDFAIN
	}
	return nil
}

// Country calling codes of the fast path.
const (
	ccNone = 0
	cc7    = 7
	cc91   = 91
	cc380  = 380
)

// phoneMaxDigits bounds the digits the fast path reads: an international
// prefix (3), a country code (3), a trunk prefix (1) and the longest national
// number of the four plans (14), with room to spare.
const phoneMaxDigits = 24

// phoneClassify returns the type of national number nat under calling code
// cc. For +7 the leading digit picks the plan the way libphonenumber's
// region metadata does: 7 is Kazakhstan, 3, 4, 8 and 9 are Russia, anything
// else belongs to neither.
func phoneClassify(cc int, nat []byte) phoneType {
	if len(nat) == 0 {
		return ptNone
	}
	switch cc {
	case cc380:
		return phoneDFAUA.classify(nat)
	case cc91:
		return phoneDFAIN.classify(nat)
	case cc7:
		switch nat[0] {
		case '7':
			return phoneDFAKZ.classify(nat)
		case '3', '4', '8', '9':
			return phoneDFARU.classify(nat)
		}
	}
	return ptNone
}

// phoneTrunk returns the national (trunk) prefix of calling code cc.
func phoneTrunk(cc int) byte {
	if cc == cc7 {
		return '8'
	}
	return '0'
}

// phoneCC splits a known calling code off the front of d.
func phoneCC(d []byte) (cc int, rest []byte) {
	switch {
	case len(d) >= 1 && d[0] == '7':
		return cc7, d[1:]
	case len(d) >= 2 && d[0] == '9' && d[1] == '1':
		return cc91, d[2:]
	case len(d) >= 3 && d[0] == '3' && d[1] == '8' && d[2] == '0':
		return cc380, d[3:]
	}
	return ccNone, d
}

// phoneCCOf returns the calling code of a fast-path region, or ccNone.
func phoneCCOf(r Region) int {
	switch r {
	case UA:
		return cc380
	case RU, KZ:
		return cc7
	case IN:
		return cc91
	}
	return ccNone
}

// phoneNational resolves the national part that follows calling code cc: as
// written when valid, else with a trunk prefix dropped ("+38 0 67...",
// "+7 8 912..."), as libphonenumber does.
func phoneNational(cc int, nat []byte) ([]byte, bool) {
	if phoneClassify(cc, nat) != ptNone {
		return nat, true
	}
	if len(nat) > 1 && nat[0] == phoneTrunk(cc) && phoneClassify(cc, nat[1:]) != ptNone {
		return nat[1:], true
	}
	return nil, false
}

// appendE164 appends "+", the calling code and the national number.
func appendE164(dst []byte, cc int, nat []byte) []byte {
	dst = append(dst, '+')
	switch cc {
	case cc7:
		dst = append(dst, '7')
	case cc91:
		dst = append(dst, "91"...)
	case cc380:
		dst = append(dst, "380"...)
	}
	return append(dst, nat...)
}

// AppendPhone appends the E.164 form of a phone number, "+380671234567", to
// dst and returns the extended buffer and Valid, or dst unchanged and
// Invalid. region resolves national formats ("067 123 45 67" with UA); with
// region "" only numbers that carry their country code are accepted.
//
// Ukrainian, Russian, Kazakh and Indian numbers are validated against the
// libphonenumber number ranges without allocating when dst has room (see
// the package notes in phone.go for the spellings accepted); numbers of
// other countries, and national numbers of other regions, are parsed with
// github.com/nyaruka/phonenumbers, which allocates. Phone numbers carry no
// check digit, so the status is never CheckFailed.
//
// Digits of any script and full-width forms read as ASCII (see
// numeric.go): "+٣٨٠ ٦٧ ١٢٣ ٤٥ ٦٧" is "+380671234567". Such a value is
// folded, with one allocation, only after the ASCII reading finds no
// number.
func AppendPhone(dst []byte, s string, region Region) ([]byte, Status) {
	var buf [phoneMaxDigits]byte
	n, plus, ok := scanPhone(&buf, s)
	own := phoneCCOf(region) != ccNone
	if !ok || n == 0 {
		if t, folded := foldNumericIfAny(s); folded {
			// Once: t has nothing left to fold.
			return AppendPhone(dst, t, region)
		}
		if own || region == "" {
			return dst, Invalid
		}
		return appendPhoneFallback(dst, s, region)
	}
	d := buf[:n]

	intl := plus
	if !plus && (own || region == "") {
		switch {
		case len(d) > 2 && d[0] == '0' && d[1] == '0' && d[2] != '0':
			d, intl = d[2:], true
		case (region == RU || region == KZ) && len(d) > 3 && d[0] == '8' && d[1] == '1' && d[2] == '0' && d[3] != '0':
			// "810" is the RU and KZ international prefix; "8 10..." is no
			// valid trunk-prefixed number, so the reading is unambiguous.
			d, intl = d[3:], true
		}
	}
	if intl {
		cc, rest := phoneCC(d)
		if cc == ccNone {
			return appendPhoneFallbackIntl(dst, d)
		}
		if nat, ok := phoneNational(cc, rest); ok {
			return appendE164(dst, cc, nat), Valid
		}
		return dst, Invalid
	}
	if !own {
		if region != "" {
			return appendPhoneFallback(dst, s, region)
		}
		// No region: only the country code without '+' can say where the
		// number belongs.
		if cc, rest := phoneCC(d); cc != ccNone {
			if nat, ok := phoneNational(cc, rest); ok {
				return appendE164(dst, cc, nat), Valid
			}
		}
		return dst, Invalid
	}

	cc := phoneCCOf(region)
	trunk := phoneTrunk(cc)
	// 1. Trunk prefix: "0671234567", "89123456789", "09876543210".
	if len(d) > 1 && d[0] == trunk && phoneClassify(cc, d[1:]) != ptNone {
		return appendE164(dst, cc, d[1:]), Valid
	}
	// 2. The old Ukrainian long-distance form "8 067 123 45 67".
	if region == UA && len(d) > 2 && d[0] == '8' && d[1] == '0' && phoneClassify(cc, d[2:]) != ptNone {
		return appendE164(dst, cc, d[2:]), Valid
	}
	// 3. The national significant number as written.
	if phoneClassify(cc, d) != ptNone {
		return appendE164(dst, cc, d), Valid
	}
	// 4. A calling code without '+': the region's own first, then the other
	// fast-path codes.
	if c, rest := phoneCC(d); c != ccNone {
		if nat, ok := phoneNational(c, rest); ok {
			return appendE164(dst, c, nat), Valid
		}
	}
	return dst, Invalid
}

// scanPhone copies the digits of s into buf. It reports whether s has a
// leading '+', and ok false when s holds anything but digits, separators,
// a "tel:" prefix and a trailing extension, or more digits than buf holds.
func scanPhone(buf *[phoneMaxDigits]byte, s string) (n int, plus, ok bool) {
	i := phoneSkipSpace(s, 0)
	if len(s)-i >= 4 && s[i+3] == ':' && (s[i]|0x20) == 't' && (s[i+1]|0x20) == 'e' && (s[i+2]|0x20) == 'l' {
		i = phoneSkipSpace(s, i+4)
	}
	if i+1 < len(s) && s[i] == '(' && s[i+1] == '+' { // "(+38) 067 ..."
		i++
	}
	if i < len(s) && s[i] == '+' {
		plus = true
		i++
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return 0, false, false
			}
			buf[n] = c
			n++
			i++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t':
			i++
		default:
			if w := phoneSeparatorWidth(s, i); w > 0 {
				i += w
				continue
			}
			if n == 0 || !phoneExtension(s[i:]) {
				return 0, false, false
			}
			return n, plus, true
		}
	}
	return n, plus, true
}

// phoneSkipSpace skips ASCII spaces, tabs and no-break spaces from i.
func phoneSkipSpace(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case s[i] == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0:
			i += 2
		default:
			return i
		}
	}
	return i
}

// phoneSeparatorWidth returns the byte width of a non-ASCII separator at
// s[i] (no-break space, U+2010..U+2015, U+2212), or 0.
func phoneSeparatorWidth(s string, i int) int {
	switch {
	case s[i] == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0:
		return 2
	case s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] >= 0x90 && s[i+2] <= 0x95:
		return 3
	case s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x88 && s[i+2] == 0x92:
		return 3
	}
	return 0
}

// phoneExtension reports whether s is exactly an extension: ";ext=" and 1
// to 20 digits, or a label ("ext", "extn", "x", "#", "доб", upper or lower
// case) with an optional '.' or ':' and spaces, 1 to 9 digits (20 after
// "ext"), and an optional closing '#', then only spaces.
func phoneExtension(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == ',' || s[i] == '\t') {
		i++
	}
	maxDigits := 9
	switch {
	case phoneHasPrefixFold(s[i:], ";ext="):
		i += 5
		maxDigits = 20
	case phoneHasPrefixFold(s[i:], "extn"):
		i += 4
		maxDigits = 20
	case phoneHasPrefixFold(s[i:], "ext"):
		i += 3
		maxDigits = 20
	case phoneHasPrefixFold(s[i:], "доб"), phoneHasPrefixFold(s[i:], "ДОБ"):
		i += len("доб")
		maxDigits = 20
	case i < len(s) && (s[i]|0x20 == 'x' || s[i] == '#'):
		i++
	default:
		return false
	}
	if i < len(s) && (s[i] == '.' || s[i] == ':') {
		i++
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		digits++
		i++
	}
	if digits == 0 || digits > maxDigits {
		return false
	}
	if i < len(s) && s[i] == '#' {
		i++
	}
	return phoneSkipSpace(s, i) == len(s)
}

// phoneHasPrefixFold reports whether s starts with prefix, ASCII letters
// compared without case.
func phoneHasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if a >= 'A' && a <= 'Z' {
			a += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// appendPhoneFallback canonicalises s with libphonenumber under region.
func appendPhoneFallback(dst []byte, s string, region Region) ([]byte, Status) {
	num, err := phonenumbers.Parse(s, string(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return dst, Invalid
	}
	return append(dst, phonenumbers.Format(num, phonenumbers.E164)...), Valid
}

// appendPhoneFallbackIntl canonicalises an international number (its digits
// after '+' or an international prefix) whose calling code the fast path
// does not own.
func appendPhoneFallbackIntl(dst []byte, digits []byte) ([]byte, Status) {
	if len(digits) < 3 {
		return dst, Invalid
	}
	return appendPhoneFallback(dst, "+"+string(digits), "")
}

// PhoneRegion returns the region of an E.164 number produced by
// [AppendPhone]: "+380" is UA, "+91" IN, "+76" and "+77" KZ, any other "+7"
// RU; other calling codes are looked up with libphonenumber. It returns ""
// when the region is unknown or e164 is not in E.164 form.
func PhoneRegion(e164 []byte) Region {
	if len(e164) < 2 || e164[0] != '+' {
		return ""
	}
	cc, rest := phoneCC(e164[1:])
	switch cc {
	case cc380:
		return UA
	case cc91:
		return IN
	case cc7:
		if len(rest) > 0 && (rest[0] == '7' || rest[0] == '6') {
			return KZ
		}
		return RU
	}
	num, err := phonenumbers.Parse(string(e164), "")
	if err != nil {
		return ""
	}
	r := phonenumbers.GetRegionCodeForNumber(num)
	if len(r) != 2 || r == "ZZ" {
		return ""
	}
	return Region(r)
}

// phoneMobile reports whether an E.164 number is in a mobile range (or a
// range libphonenumber cannot tell from fixed lines) by the libphonenumber
// metadata. Numbers of UA, RU, KZ and IN are classified without allocating;
// others are parsed with libphonenumber.
func phoneMobile(e164 []byte) bool {
	if len(e164) < 3 || e164[0] != '+' {
		return false
	}
	cc, rest := phoneCC(e164[1:])
	if cc != ccNone {
		for _, c := range rest {
			if c < '0' || c > '9' {
				return false
			}
		}
		t := phoneClassify(cc, rest)
		return t == ptMobile || t == ptFixedOrMobile
	}
	num, err := phonenumbers.Parse(string(e164), "")
	if err != nil {
		return false
	}
	t := phonenumbers.GetNumberType(num)
	return t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE
}
