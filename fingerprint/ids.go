package fingerprint

// AppendNationalID appends the canonical digits of a national ID (STUB).
func AppendNationalID(dst []byte, s string, region Region) ([]byte, Status) {
	return dst, Invalid
}

// BirthDateFromID returns the ISO birth date embedded in a canonical
// national ID (UA RNOKPP, KZ IIN), or ok=false (STUB).
func BirthDateFromID(id []byte, region Region) (date string, ok bool) { return "", false }
