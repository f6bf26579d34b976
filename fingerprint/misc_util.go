package fingerprint

// miscTrim trims ASCII white space and no-break spaces (U+00A0) from both
// ends of s. It is shared by the date, e-mail and document canonicalisers.
func miscTrim(s string) string {
	for left := true; left; {
		switch {
		case s != "" && miscIsSpace(s[0]):
			s = s[1:]
		case len(s) >= 2 && s[0] == 0xC2 && s[1] == 0xA0:
			s = s[2:]
		default:
			left = false
		}
	}
	for {
		n := len(s)
		switch {
		case n > 0 && miscIsSpace(s[n-1]):
			s = s[:n-1]
		case n >= 2 && s[n-2] == 0xC2 && s[n-1] == 0xA0:
			s = s[:n-2]
		default:
			return s
		}
	}
}

// miscIsSpace reports whether b is ASCII white space.
func miscIsSpace(b byte) bool { return b == ' ' || (b >= '\t' && b <= '\r') }
