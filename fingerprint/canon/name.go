package canon

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// MaxNameTokens is the most words a name may have; a value with more is
// Invalid (it is more likely a sentence or an address than a name).
const MaxNameTokens = 8

// maxNameBytes bounds the length of a name value; longer values are Invalid.
const maxNameBytes = 1024

// nameSpan is one token of a name: bytes [lo, hi) of the token buffer.
type nameSpan struct{ lo, hi int }

// letter classes of the previous rune, deciding whether a combining mark is
// kept.
const (
	prevNone     = iota // start, separator, apostrophe
	prevLatin           // ASCII letter
	prevCyrillic        // Cyrillic letter
	prevOther           // letter of another script, or a mark kept after one
)

// AppendName appends the canonical key of a person's name to dst and
// returns the extended buffer and Valid, or dst unchanged and Invalid. The
// same name gets the same key however a dump spelled it: in Cyrillic, or in
// Latin under the Ukrainian national standard (KMU resolution No. 55 of
// 2010) or the passport standard ICAO Doc 9303 (used by Russia since 2014),
// in any case, with any apostrophe, in any word order, with or without a
// patronymic. The key is for hashing, not for display.
//
// The steps:
//
//  1. Unicode NFKC, then case folding of every letter before it is
//     transliterated (so ОЛЕКСАНДР, Олександр, OLEKSANDR and Oleksandr agree).
//  2. Words: apostrophes (' ’ ʼ ` ´ and their kin) are dropped inside a word;
//     format characters (zero-width joiners, soft hyphens) are dropped;
//     spaces, hyphens, commas, dots and any other punctuation or symbol
//     separate words. A combining mark left after NFKC is kept only after a
//     letter that is neither ASCII nor Cyrillic: after Cyrillic it is a
//     stress mark, after ASCII an odd pair that does not compose. Й, Ї, Ё
//     and the like are single precomposed runes after NFKC (even when the
//     dump had them decomposed) and are transliterated as themselves, never
//     stripped to И, І, Е.
//  3. Cyrillic letters are transliterated with the ICAO 9303 table, Kazakh
//     letters folded first (Ә→А, Ғ→Г, Қ→К, Ң→Н, Ө→О, Ұ Ү→У, Һ→Х); ё reads
//     as е.
//  4. Each word becomes a skeleton (see skeleton): digraphs shch, sh, ch, zh,
//     kh, ts are kept; other h→g, y→i; runs of one letter collapse. In the
//     skeleton the KMU 55 and ICAO spellings of a Ukrainian or Russian name
//     coincide with each other and with the Cyrillic original: Юлія, Yuliia
//     and IULIIA are all "iulia", Згурський and Zghurskyi "zgurski".
//     Letters of other scripts (Latin with diacritics, Devanagari, ...) are
//     kept NFKC-normalised and case-folded.
//  5. Kazakh patronymics: a separate ұлы/улы ("son of") or қызы/кызы
//     ("daughter of") word, or its Latin uly/kyzy/qyzy, is joined to the
//     word before it, so "Әбіш ұлы" keys like "Әбішұлы" (Latin "uli" is
//     left alone: it is also a given name).
//  6. Patronymics: dumps often lack the middle name, so with three or more
//     words at most one patronymic word is dropped; see IsPatronymic for the
//     endings. Never the first word; the strongest ending wins (-ович,
//     -евич, -івна, -ївна, -овна, -евна, -ична, then Kazakh -ұлы/-қызы, then
//     a bare -ич), then the earliest. "Петренко Іван Олександрович" keys
//     like "Іван Петренко". With four or more words a word is dropped only
//     when at most two words carry a patronymic ending; this and the order
//     below keep the key a fixed point (canonicalising a key gives the key).
//     Two-word names are never shortened (Гаєвич Іван keeps Гаєвич).
//  7. The words are sorted, those with a patronymic ending first and then
//     bytewise, and joined with single spaces.
//
// A value is Invalid when it has no letter, holds a digit or '@', has more
// than MaxNameTokens words (counted after step 5), or is longer than 1024
// bytes. A single word is valid (first-name columns). It does not allocate
// when dst has room (a value that is not already NFKC borrows a pooled
// scratch).
//
// What the key cannot tell apart, by design: letters that ICAO or KMU 55
// themselves write alike (И, Й, І, Ї and Ы are all i; Е and Э are e; Г and
// Ґ are g once KMU's h is read) and doubled letters (Анна and Ана). These
// cost a little precision; the alternative, missing the same person spelt
// by another office, costs recall. Known misses: the rare clusters that KMU
// writes like a digraph (к+г as kh, с+г as sh; only з+г has KMU's own zgh)
// read as х and ш, so such a KMU spelling does not match its Cyrillic
// original.
func AppendName(dst []byte, s string) ([]byte, Status) {
	if out, st, ok := appendNamePlain(dst, s); ok {
		return out, st
	}
	return appendNameSlow(dst, s)
}

// appendNameSlow is AppendName for any value: NFKC first, then one pass of
// appendName, then settleNFKC. It is the reference the fast path
// appendNamePlain is tested against.
func appendNameSlow(dst []byte, s string) ([]byte, Status) {
	start := len(dst)
	dst, st := appendName(dst, s)
	if st == Valid {
		dst, st = settleNFKC(dst, start, true)
	}
	return dst, st
}

// appendName is one pass of AppendName.
func appendName(dst []byte, s string) ([]byte, Status) {
	if len(s) > maxNameBytes {
		return dst, Invalid
	}
	src, sc := nfkcString(s)
	defer releaseNFKC(sc)

	var tbuf [256]byte
	t := tbuf[:0]
	var spans [MaxNameTokens]nameSpan
	n, start, prev := 0, 0, prevNone

	// closeWord ends the word being built in t[start:]; it returns false
	// when the value has too many words.
	closeWord := func() bool {
		prev = prevNone
		if len(t) == start {
			return true
		}
		if n > 0 && isKazakhPatronymicWord(t[start:]) {
			spans[n-1].hi = len(t)
		} else {
			if n == MaxNameTokens {
				return false
			}
			spans[n] = nameSpan{start, len(t)}
			n++
		}
		start = len(t)
		return true
	}

	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
				t = append(t, c)
				prev = prevLatin
			case 'A' <= c && c <= 'Z':
				t = append(t, c+('a'-'A'))
				prev = prevLatin
			case '0' <= c && c <= '9' || c == '@':
				return dst, Invalid
			case c == '\'' || c == '`':
				prev = prevNone
			case c == '?' && prev != prevNone && letterFollows(src[i:]):
				// An encoder that could not write the Ukrainian apostrophe ʼ
				// in Windows-1251 or KOI8 left '?' in its place: inside a
				// word it can only be a lost apostrophe.
				prev = prevNone
			case c == ' ' && acuteAfterSpace(src, i):
				i += 2 // ´ after NFKC: an apostrophe
				prev = prevNone
			default:
				if !closeWord() {
					return dst, Invalid
				}
			}
			continue
		}
		if i+1 < len(src) {
			if x, ok := cyrLetter(c, src[i+1]); ok {
				i += 2
				switch l := cyrKey[x]; {
				case len(l) == 1 && l != cyrSilent:
					t = append(t, l[0])
				case l == "":
					t = utf8.AppendRune(t, cyrFold[x])
				case l != cyrSilent:
					t = append(t, l...)
				}
				prev = prevCyrillic
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		i += size
		switch {
		case isNameApostrophe(r):
			prev = prevNone
		case r == utf8.RuneError && size == 3 && prev != prevNone && letterFollows(src[i:]):
			// A decoder's replacement character U+FFFD inside a word stands
			// for a character lost in transcoding, as '?' does above.
			prev = prevNone
		case unicode.IsLetter(r):
			if r == 0xDF || r == 0x1E9E { // ß, ẞ
				t = append(t, 's', 's')
				prev = prevLatin
				break
			}
			r = foldNameRune(r)
			switch {
			case r < utf8.RuneSelf:
				t = append(t, byte(r))
				prev = prevLatin
			case 0x400 <= r && r < 0x500:
				if l := cyrLatin[r-0x400]; l != "" {
					if l != cyrSilent {
						t = append(t, l...)
					}
				} else {
					t = utf8.AppendRune(t, r)
				}
				prev = prevCyrillic
			default:
				t = utf8.AppendRune(t, r)
				prev = prevOther
			}
		case unicode.IsDigit(r):
			return dst, Invalid
		case unicode.IsMark(r):
			if prev == prevOther {
				t = utf8.AppendRune(t, r)
			}
		case unicode.Is(unicode.Cf, r):
			// zero-width joiners, soft hyphens, marks of direction: dropped
		default:
			if !closeWord() {
				return dst, Invalid
			}
		}
	}
	if !closeWord() || n == 0 {
		return dst, Invalid
	}
	for k := 0; k < n; k++ {
		sp := &spans[k]
		sp.hi = sp.lo + skeleton(t[sp.lo:sp.hi])
	}
	return appendNameKey(dst, t, &spans, n), Valid
}

// appendNameKey appends the key of the n words of t that spans holds, in
// the value's order, each a skeleton already: a patronymic dropped
// (dropPatronymic), the rest sorted and joined with single spaces. It
// reorders spans.
func appendNameKey(dst, t []byte, spans *[MaxNameTokens]nameSpan, n int) []byte {
	var rank [MaxNameTokens]uint8
	cands := 0
	for k := 0; k < n; k++ {
		rank[k] = patronymicRank(t[spans[k].lo:spans[k].hi])
		if rank[k] != patNone {
			cands++
		}
	}
	n = dropPatronymic(spans[:n], rank[:n], cands)

	// Insertion sort: patronymic-shaped words first, then bytewise.
	for k := 1; k < n; k++ {
		for j := k; j > 0 && wordLess(t, spans[j], rank[j], spans[j-1], rank[j-1]); j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
			rank[j], rank[j-1] = rank[j-1], rank[j]
		}
	}
	for k := 0; k < n; k++ {
		if k > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, t[spans[k].lo:spans[k].hi]...)
	}
	return dst
}

// dropPatronymic removes at most one patronymic word from spans (in the
// value's word order) and returns the new word count. cands is the number of
// words with a patronymic ending.
//
// The conditions make the key a fixed point. The key lists the
// patronymic-shaped words first, so when one survives it is the protected
// first word of the key. With three words a drop leaves two (never
// shortened again); with four or more, a drop is allowed only when at most
// two words carry an ending, so at most one, the protected first, is left.
func dropPatronymic(spans []nameSpan, rank []uint8, cands int) int {
	n := len(spans)
	if n < 3 {
		return n
	}
	droppable := cands // the first word is never dropped
	if rank[0] != patNone {
		droppable--
	}
	if droppable < 1 || (n > 3 && cands > 2) {
		return n
	}
	best := -1
	for k := 1; k < n; k++ {
		if rank[k] != patNone && (best < 0 || rank[k] > rank[best]) {
			best = k
		}
	}
	copy(spans[best:], spans[best+1:])
	copy(rank[best:], rank[best+1:])
	return n - 1
}

// wordLess orders the words of a key: words with a patronymic ending first,
// then bytewise.
func wordLess(t []byte, a nameSpan, ra uint8, b nameSpan, rb uint8) bool {
	if (ra != patNone) != (rb != patNone) {
		return ra != patNone
	}
	return bytes.Compare(t[a.lo:a.hi], t[b.lo:b.hi]) < 0
}

// IsPatronymic reports whether token, one word of a name in any script or
// spelling AppendName accepts, ends like a patronymic: Ukrainian or Russian
// -ович, -евич, -йович, -івна, -ївна, -овна, -евна, -ична (and their KMU and
// ICAO spellings, -ovych, -ovich, -ivna, ...), or Kazakh -ұлы/-қызы, joined
// or as a separate word ("Әбіш ұлы"). A bare -ич is not enough: it ends as
// many surnames (Бабич) as patronymics (Ильич). Surnames such as Гаєвич end
// like patronymics too, so use it on a column's share of values, not on one
// value. It does not allocate.
func IsPatronymic(token string) bool {
	var buf [128]byte
	k, st := AppendName(buf[:0], token)
	if st != Valid || bytes.IndexByte(k, ' ') >= 0 {
		return false
	}
	return patronymicRank(k) >= patKazakh
}

// AppendText appends a normalised free-text value (an address, a user name)
// to dst: NFKC, case-folded, apostrophes dropped inside words, format
// characters dropped, and every run of spaces, controls and punctuation
// turned into one space, trimmed at both ends. Letters, digits, marks and
// symbols are kept. It returns dst unchanged and Invalid when nothing is
// left. It does not allocate when dst has room.
func AppendText(dst []byte, s string) ([]byte, Status) {
	start := len(dst)
	dst, st := appendText(dst, s)
	if st == Valid {
		dst, st = settleNFKC(dst, start, false)
	}
	return dst, st
}

// appendText is one pass of AppendText.
func appendText(dst []byte, s string) ([]byte, Status) {
	src, sc := nfkcString(s)
	defer releaseNFKC(sc)

	start := len(dst)
	space, keepMark := false, false
	emit := func() {
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
	}
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				emit()
				dst = append(dst, c)
				keepMark = true
			case 'A' <= c && c <= 'Z':
				emit()
				dst = append(dst, c+('a'-'A'))
				keepMark = true
			case c == '\'' || c == '`':
				keepMark = false
			case c == ' ' && acuteAfterSpace(src, i):
				i += 2
				keepMark = false
			case c < ' ' || c == 0x7F || c == ' ' || unicode.IsPunct(rune(c)):
				space, keepMark = true, false
			default: // ASCII symbols: $ + < = > ^ | ~
				emit()
				dst = append(dst, c)
				keepMark = true
			}
			continue
		}
		if i+1 < len(src) {
			if x, ok := cyrLetter(c, src[i+1]); ok {
				i += 2
				emit()
				dst = utf8.AppendRune(dst, cyrFold[x])
				keepMark = true
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		i += size
		switch {
		case isNameApostrophe(r):
			keepMark = false
		case unicode.IsLetter(r):
			emit()
			if r == 0xDF || r == 0x1E9E {
				dst = append(dst, 's', 's')
			} else {
				dst = utf8.AppendRune(dst, foldNameRune(r))
			}
			keepMark = true
		case unicode.IsMark(r):
			if keepMark {
				dst = utf8.AppendRune(dst, r)
			}
		case unicode.Is(unicode.Cf, r):
		case unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.Is(unicode.Z, r) ||
			unicode.IsControl(r) || r == utf8.RuneError:
			space, keepMark = true, false
		default: // numbers, symbols, private use
			emit()
			dst = utf8.AppendRune(dst, r)
			keepMark = true
		}
	}
	if len(dst) == start {
		return dst, Invalid
	}
	return dst, Valid
}

// letterFollows reports whether s starts with a letter.
func letterFollows(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}
