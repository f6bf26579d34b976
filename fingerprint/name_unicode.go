package fingerprint

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
	buf []byte
}

var nfkcPool = sync.Pool{New: func() any { return &nfkcScratch{buf: make([]byte, 0, 256)} }}

// nfkc returns s in Unicode NFKC. Most values are already normal (NFC
// Cyrillic, ASCII); those are returned as they are. Otherwise s is
// normalised into a pooled scratch, which the caller must hand back with
// releaseNFKC once it no longer reads the returned string (sc is nil when
// no scratch was taken).
func nfkc(s string) (string, *nfkcScratch) {
	if norm.NFKC.QuickSpanString(s) == len(s) {
		return s, nil
	}
	sc := nfkcPool.Get().(*nfkcScratch)
	b := sc.buf[:0]
	sc.it.InitString(norm.NFKC, s)
	for !sc.it.Done() {
		b = append(b, sc.it.Next()...)
	}
	sc.buf = b
	// The string aliases the scratch buffer, which is not written again
	// until the scratch is released.
	return unsafe.String(unsafe.SliceData(b), len(b)), sc
}

// releaseNFKC hands a scratch taken by nfkc back to the pool.
func releaseNFKC(sc *nfkcScratch) {
	if sc == nil {
		return
	}
	if cap(sc.buf) > 64<<10 {
		sc.buf = make([]byte, 0, 256) // do not pin one huge value's buffer
	}
	nfkcPool.Put(sc)
}

// foldRune case-folds a letter (simple folding: the lower case of its upper
// case, so ς folds to σ and ſ to s). ß and ẞ fold to "ss" and are handled by
// the callers; foldRune returns them unchanged.
func foldRune(r rune) rune {
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

// isApostrophe reports whether r is one of the characters that dumps use
// for the Ukrainian apostrophe (and for apostrophes in Latin names):
// ' ’ ‘ ʼ ʻ ʹ ʽ ` ´ ′ ‛ ꞌ ˈ and the full-width '. They are dropped without
// splitting the word, so Мар'їне, Мар’їне and Марʼїне agree.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', 0x2019, 0x2018, 0x02BC, 0x02BB, 0x02B9, 0x02BD, 0x00B4,
		0x2032, 0x201B, 0xA78C, 0x02C8, 0xFF07:
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
