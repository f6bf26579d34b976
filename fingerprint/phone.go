package fingerprint

// AppendPhone appends the E.164 form of a phone number, "+380671234567"
// (STUB: to be replaced by the phones work).
func AppendPhone(dst []byte, s string, region Region) ([]byte, Status) { return dst, Invalid }

// PhoneRegion returns the region of an E.164 number produced by
// [AppendPhone] ("+7 7xx" is KZ, other "+7" RU), or "" when unknown (STUB).
func PhoneRegion(e164 []byte) Region { return "" }
