package canon

// Shared Unicode helpers for the name and free-text canonicalisers:
// allocation-free NFKC, case folding and apostrophe detection.

import (
	"sync"
	"unicode"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// nfkcScratch holds a normalisation iterator and its output buffer. The
// x/text normaliser allocates its reorder buffer on every call unless it
// already lives on the heap, so scratches are pooled.
type nfkcScratch struct {
	it  norm.Iter
	in  []byte // a copy of the input, so that the caller's string never reaches the heap
	buf []byte
}

var nfkcPool = sync.Pool{New: func() any { return new(nfkcScratch) }}

// nfkcString returns s in Unicode NFKC. Most values are already normal: those
// made only of ASCII and Cyrillic letters (U+0400..U+04FF without the
// combining marks U+0483..U+0489), every one of which is NFKC-stable and
// none of which composes with its neighbours, are returned as they are.
// Other values are normalised into a pooled scratch, which the caller must
// hand back with releaseNFKC once it no longer reads the returned string
// (sc is nil when no scratch was taken). s itself is never handed to the
// normaliser, so that it does not escape.
func nfkcString(s string) (string, *nfkcScratch) {
	if plainNFKC(s) {
		return s, nil
	}
	sc := nfkcPool.Get().(*nfkcScratch)
	sc.in = append(sc.in[:0], s...)
	if norm.NFKC.QuickSpan(sc.in) == len(sc.in) {
		return unsafe.String(unsafe.SliceData(sc.in), len(sc.in)), sc
	}
	b := sc.buf[:0]
	sc.it.Init(norm.NFKC, sc.in)
	for !sc.it.Done() {
		b = append(b, sc.it.Next()...)
	}
	sc.buf = b
	// The string aliases the scratch buffer, which is not written again
	// until the scratch is released.
	return unsafe.String(unsafe.SliceData(b), len(b)), sc
}

// plainNFKC reports whether s holds only ASCII and the Cyrillic letters of
// U+0400..U+04FF (so is NFKC already).
func plainNFKC(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			continue
		}
		if c < 0xD0 || c > 0xD3 || i+1 == len(s) {
			return false
		}
		i++
		d := s[i]
		if d < 0x80 || d > 0xBF || c == 0xD2 && d >= 0x83 && d <= 0x89 {
			return false
		}
	}
	return true
}

// releaseNFKC hands a scratch taken by nfkcString back to the pool.
func releaseNFKC(sc *nfkcScratch) {
	if sc == nil {
		return
	}
	if cap(sc.buf) > 64<<10 || cap(sc.in) > 64<<10 {
		*sc = nfkcScratch{} // do not pin one huge value's buffers
	}
	nfkcPool.Put(sc)
}

// foldNameRune case-folds a letter (simple folding: the lower case of its upper
// case, so ς folds to σ and ſ to s). ß and ẞ fold to "ss" and are handled by
// the callers; foldNameRune returns them unchanged.
func foldNameRune(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	case 0x410 <= r && r <= 0x42F: // А..Я
		return r + 0x20
	case 0x400 <= r && r <= 0x40F: // Ѐ..Џ (Ukrainian Є, І, Ї, Belarusian Ў)
		return r + 0x50
	case 0x430 <= r && r <= 0x45F:
		return r
	case r == 0xDF || r == 0x1E9E:
		return r
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// isNameApostrophe reports whether r is one of the characters that dumps use
// for the Ukrainian apostrophe (and for apostrophes in Latin names):
// ' ’ ‘ ʼ ʻ ʹ ʽ ` ´ ′ ‛ Ꞌ ꞌ ˈ and the full-width '. They are dropped without
// splitting the word, so Мар'їне, Мар’їне and Марʼїне agree.
func isNameApostrophe(r rune) bool {
	switch r {
	case '\'', '`', 0x2019, 0x2018, 0x02BC, 0x02BB, 0x02B9, 0x02BD, 0x00B4,
		0x2032, 0x201B, 0xA78B, 0xA78C, 0x02C8, 0xFF07:
		return true
	}
	return false
}

// acuteAfterSpace reports whether src[i:] starts with U+0301, the combining
// acute accent. NFKC turns the acute accent ´ (often typed as an
// apostrophe) into a space followed by U+0301; the pair is read as an
// apostrophe.
func acuteAfterSpace(src string, i int) bool {
	return i+1 < len(src) && src[i] == 0xCC && src[i+1] == 0x81
}

// settleNFKC makes the key dst[start:], written by one pass of appendName
// (name) or appendText, a fixed point of that pass. Case folding after NFKC can leave a sequence that
// NFKC changes (a folded letter that now composes with the mark after it,
// as İ + ◌́ → i + ◌́ → í); such a key is canonicalised again, at most a few
// times. Keys that are NFKC already (all keys of ASCII and Cyrillic letters) are returned as they
// are, at the cost of one quick check.
func settleNFKC(dst []byte, start int, name bool) ([]byte, Status) {
	for range 4 {
		key := dst[start:]
		if plainNFKC(unsafe.String(unsafe.SliceData(key), len(key))) {
			return dst, Valid // ASCII and Cyrillic letters only
		}
		// The check runs on a copy: handing dst itself to the normaliser
		// would make every caller's buffer escape to the heap.
		sc := nfkcPool.Get().(*nfkcScratch)
		sc.buf = append(sc.buf[:0], key...)
		if norm.NFKC.QuickSpan(sc.buf) == len(sc.buf) {
			releaseNFKC(sc)
			return dst, Valid
		}
		var st Status
		again := unsafe.String(unsafe.SliceData(sc.buf), len(sc.buf))
		if name {
			dst, st = appendName(dst[:start], again)
		} else {
			dst, st = appendText(dst[:start], again)
		}
		releaseNFKC(sc)
		if st != Valid {
			return dst[:start], Invalid
		}
	}
	return dst, Valid
}
