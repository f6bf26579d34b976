package fingerprint

// AppendDate appends the ISO 8601 form of a date, "1990-04-03" (STUB).
func AppendDate(dst []byte, s string, order DateOrder) ([]byte, Status) { return dst, Invalid }

// DetectDateOrder decides from a column's values whether ambiguous dates
// are day-first or month-first (STUB).
func DetectDateOrder(values []string) DateOrder { return DayFirst }
