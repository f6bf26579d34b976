package canon

import (
	"encoding/binary"
	"unicode/utf8"
)

// The fast path of AppendName, for the values nearly every dump holds:
// ASCII and the Cyrillic letters of U+0400..U+04FF, which are NFKC already
// and stay so once keyed (TestCyrFastPlain). appendNamePlain reads them as
// appendName does, without the normaliser, the rune decoding and the
// settling that other values need, and makes each word's skeleton while
// it transliterates, instead of in a second pass. It gives up on anything
// else, leaving the value to appendNameSlow, the reference it is tested
// against (name_fast_test.go).

// nameFastBuf is the size of the fast path's word buffer. A value whose
// key does not fit is left to the slow path.
const nameFastBuf = 256

// nameFastRoom is the room the fast path wants left in its buffer before
// it reads a letter: at most 7 bytes for the letter (a pending "shc"
// written out, then "shch") and 3 for the letters still pending then,
// written when the word ends.
const nameFastRoom = 10

// Classes of an ASCII byte in a name (nameASCIIClass).
const (
	nameSep      = iota // space, punctuation, symbols, controls: ends a word
	nameLetter          // A-Z, a-z
	nameBad             // a digit or '@': the value is Invalid
	nameApos            // ' and `: dropped inside a word
	nameQuestion        // '?': a lost apostrophe inside a word, else a separator
)

// nameASCIIClass classifies the ASCII bytes as the ASCII branch of
// appendName's loop does on NFKC input (where a space is never followed
// by U+0301).
var nameASCIIClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = nameLetter
		case '0' <= c && c <= '9', c == '@':
			t[c] = nameBad
		case c == '\'', c == '`':
			t[c] = nameApos
		case c == '?':
			t[c] = nameQuestion
		}
	}
	return t
}()

// skelMap maps a lower-case ASCII letter to what skeleton makes of it when
// it starts no digraph: itself, g for h, i for y; and the letters that may
// start one (s c z k t) to 0.
var skelMap = func() (m [utf8.RuneSelf]byte) {
	for c := 'a'; c <= 'z'; c++ {
		m[c] = byte(c)
	}
	m['h'], m['y'] = 'g', 'i'
	for _, c := range "sczkt" {
		m[c] = 0
	}
	return m
}()

// The fast path makes a word's skeleton as the word's transliteration is
// read, a byte at a time, with the result skeleton gives for the whole
// word. skeleton reads ahead at most three bytes, so a letter that may
// start a digraph is held pending until the bytes after it decide: pend is
// 0, one of s c z k t, or skelPendSh or skelPendShc. last is the element
// written last, for the collapse of runs, as in skeleton.
const (
	skelPendSh  = 1 // "sh", which "ch" may make shch
	skelPendShc = 2 // "shc"
)

// nameBuf is the fast path's buffer of skeletons.
type nameBuf = [nameFastBuf]byte

// skelPut1 writes the one-byte element e at t[w] unless it repeats last,
// and returns the new w and last.
func skelPut1(t *nameBuf, w int, last, e byte) (int, byte) {
	if e != last {
		t[w] = e
		w++
	}
	return w, e
}

// skelPut writes the element e, whose bytes are b, unless it repeats last.
func skelPut(t *nameBuf, w int, last, e byte, b string) (int, byte) {
	if e != last {
		w += copy(t[w:], b)
	}
	return w, e
}

// skelFeed takes the next byte c of a word, a lower-case ASCII letter or a
// byte of a letter of another script (which skeleton copies), in state w,
// last, pend, and returns the new state. It takes any such byte; for a
// letter that starts no digraph, with nothing pending, skelPut1 is all it
// does, and the callers call that themselves.
func skelFeed(t *nameBuf, w int, last, pend, c byte) (int, byte, byte) {
	switch pend {
	case 's':
		if c == 'h' {
			return w, last, skelPendSh
		}
		w, last = skelPut1(t, w, last, 's')
	case 'c', 'z', 'k':
		if c == 'h' {
			w, last = skelPut(t, w, last, skelDigraph[pend], skelDigraphText[pend])
			return w, last, 0
		}
		w, last = skelPut1(t, w, last, pend)
	case 't':
		if c == 's' {
			w, last = skelPut(t, w, last, elemTs, "ts")
			return w, last, 0
		}
		w, last = skelPut1(t, w, last, 't')
	case skelPendSh:
		if c == 'c' {
			return w, last, skelPendShc
		}
		w, last = skelPut(t, w, last, elemSh, "sh")
	case skelPendShc:
		if c == 'h' {
			w, last = skelPut(t, w, last, elemShch, "shch")
			return w, last, 0
		}
		w, last = skelPut(t, w, last, elemSh, "sh")
		return skelFeed(t, w, last, 'c', c) // the c is read again, before c
	}
	// Nothing pending now: c starts afresh.
	switch {
	case c >= utf8.RuneSelf:
		t[w] = c
		return w + 1, 0, 0
	case skelMap[c] == 0:
		return w, last, c
	}
	w, last = skelPut1(t, w, last, skelMap[c])
	return w, last, 0
}

// skelEnd writes the letters still pending as themselves, when a word
// ends or the next letter cannot continue them, and returns the new w and
// last.
func skelEnd(t *nameBuf, w int, last, pend byte) (int, byte) {
	switch pend {
	case 0:
	case skelPendSh:
		w, last = skelPut(t, w, last, elemSh, "sh")
	case skelPendShc:
		w, last = skelPut(t, w, last, elemSh, "sh")
		w, last = skelPut1(t, w, last, 'c')
	default:
		w, last = skelPut1(t, w, last, pend)
	}
	return w, last
}

// skelNext is, for each pending state, the byte that continues it into a
// digraph: h after s, c, z, k and shc, s after t, c after sh.
var skelNext = [utf8.RuneSelf]byte{'s': 'h', 'c': 'h', 'z': 'h', 'k': 'h', 't': 's', skelPendSh: 'c', skelPendShc: 'h'}

// cyrOut is what the fast path makes of a Cyrillic letter. raw holds the
// first rn bytes appendName writes for it before the skeleton: its cyrKey
// transliteration, nothing for cyrSilent, or the UTF-8 of its cyrFold for
// a letter kept as it is. sk holds (little-endian) the first sn bytes of
// the skeleton of raw read with nothing pending, whose first element e0
// is n1 bytes long and is left out when it repeats the element before;
// elast is the element written last then (0 after a byte of another
// script, as in skeleton), and pend what is left pending. e0 is the
// byte itself when that is not ASCII, as it never repeats. bad marks the
// offsets that are no letter (cyrLetter refuses them).
type cyrOut struct {
	sk              uint32
	raw             [4]byte
	rn, sn, n1      uint8
	e0, elast, pend byte
	bad             bool
}

// cyrFast holds a cyrOut for every offset from U+0400. The offset of a
// two-byte sequence c, d (c in 0xD0..0xD3, d a continuation byte) is
// (c-0xD0)<<6 | d&0x3F.
var cyrFast = func() (t [0x100]cyrOut) {
	for x := range t {
		o := &t[x]
		if _, ok := cyrLetter(byte(0xD0+x>>6), byte(0x80|x&0x3F)); !ok {
			o.bad = true
			continue
		}
		var raw []byte
		switch l := cyrKey[x]; {
		case l == cyrSilent:
		case l == "":
			raw = utf8.AppendRune(nil, cyrFold[x])
		default:
			raw = []byte(l)
		}
		o.rn = uint8(copy(o.raw[:], raw))
		var sk nameBuf
		w, last, pend := 0, byte(0xFF), byte(0) // 0xFF: no element repeats it
		for _, c := range raw {
			w0 := w
			if pend == 0 && c < utf8.RuneSelf && skelMap[c] != 0 {
				w, last = skelPut1(&sk, w, last, skelMap[c])
			} else {
				w, last, pend = skelFeed(&sk, w, last, pend, c)
			}
			if w0 == 0 && w > 0 {
				o.n1, o.e0 = uint8(w), last
				if last == 0 {
					o.e0 = sk[0]
				}
			}
		}
		o.sk = uint32(sk[0]) | uint32(sk[1])<<8 | uint32(sk[2])<<16 | uint32(sk[3])<<24
		o.sn, o.elast, o.pend = uint8(w), last, pend
	}
	return t
}()

// skelDigraph and skelDigraphText are the element and the bytes of the
// digraph that c, z or k makes with a following h.
var (
	skelDigraph     = [utf8.RuneSelf]byte{'c': elemCh, 'z': elemZh, 'k': elemKh}
	skelDigraphText = [utf8.RuneSelf]string{'c': "ch", 'z': "zh", 'k': "kh"}
)

// appendNamePlain is AppendName for a value of ASCII and Cyrillic letters
// (plainNFKC), with the same result. ok is false, with dst unchanged, when
// the value holds anything else, a word that may be a separate Kazakh
// patronymic, or a key too long for the buffer: the caller then uses
// appendNameSlow.
func appendNamePlain(dst []byte, s string) (out []byte, st Status, ok bool) {
	if len(s) > maxNameBytes {
		return dst, Invalid, true
	}
	var t nameBuf
	var spans [MaxNameTokens]nameSpan
	n, start, w := 0, 0, 0
	var last, pend byte
	inWord := false // the last rune read was a letter (prev != prevNone)
	for i := 0; i < len(s); {
		if w > len(t)-nameFastRoom {
			return dst, Invalid, false
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch nameASCIIClass[c] {
			case nameLetter:
				c |= 0x20
				if e := skelMap[c]; pend == 0 && e != 0 {
					w, last = skelPut1(&t, w, last, e)
				} else {
					w, last, pend = skelFeed(&t, w, last, pend, c)
				}
				inWord = true
				continue
			case nameBad:
				// The slow path stops here too, having read the same
				// prefix, when the rest is plain as well.
				return dst, Invalid, plainNFKC(s[i:])
			case nameApos:
				inWord = false
				continue
			case nameQuestion:
				if inWord && letterFollows(s[i:]) {
					inWord = false
					continue
				}
			}
			// A separator ends the word (appendName's closeWord).
			inWord = false
			w, _ = skelEnd(&t, w, last, pend)
			last, pend = 0, 0
			if w == start {
				continue
			}
			if n > 0 && maybeKazakhPatronymic(t[start:w]) {
				return dst, Invalid, false // perhaps joined to the word before: see appendName
			}
			if n == MaxNameTokens {
				return dst, Invalid, plainNFKC(s[i:])
			}
			spans[n] = nameSpan{start, w}
			n++
			start = w
			continue
		}
		if c-0xD0 > 3 || i+1 == len(s) || s[i+1]&0xC0 != 0x80 {
			return dst, Invalid, false
		}
		o := &cyrFast[int(c-0xD0)<<6|int(s[i+1]&0x3F)]
		if o.bad {
			return dst, Invalid, false
		}
		i += 2
		inWord = true
		if pend != 0 {
			switch {
			case o.rn == 0: // a silent letter: what is pending waits
				continue
			case o.raw[0] == skelNext[pend]:
				for _, b := range o.raw[:o.rn] {
					w, last, pend = skelFeed(&t, w, last, pend, b)
				}
				continue
			}
			w, last = skelEnd(&t, w, last, pend)
		}
		if o.sn != 0 {
			v, m := o.sk, int(o.sn)
			if o.e0 == last {
				v >>= 8 * o.n1
				m -= int(o.n1)
			}
			binary.LittleEndian.PutUint32(t[w:], v)
			w += m
			last = o.elast
		}
		pend = o.pend
	}
	w, _ = skelEnd(&t, w, last, pend)
	if w > start {
		if n > 0 && maybeKazakhPatronymic(t[start:w]) {
			return dst, Invalid, false
		}
		if n == MaxNameTokens {
			return dst, Invalid, true
		}
		spans[n] = nameSpan{start, w}
		n++
	}
	if n == 0 {
		return dst, Invalid, true
	}
	return appendNameKey(dst, t[:w], &spans, n), Valid, true
}

// maybeKazakhPatronymic reports whether a word's skeleton is that of a
// word isKazakhPatronymicWord takes (uly, kyzy, qyzy make uli, kizi,
// qizi). It is also that of other words ("uli" itself), which the slow
// path then reads.
func maybeKazakhPatronymic(skel []byte) bool {
	switch string(skel) {
	case "uli", "kizi", "qizi":
		return true
	}
	return false
}
