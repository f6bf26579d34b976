package canon

// Transliteration of Cyrillic names to Latin and the Latin "skeleton" on
// which the Ukrainian national standard and the ICAO passport standard
// agree. See AppendName for the design.

// cyrLatin maps a lower-case Cyrillic letter U+0400..U+04FF to its
// transliteration under ICAO Doc 9303 (the Russian passport standard since
// 2014, which also covers Ukrainian Ґ Є І Ї and Belarusian Ў), with the
// Kazakh letters folded first to their Russian counterparts
// (Ә→А, Ғ→Г, Қ→К, Ң→Н, Ө→О, Ұ Ү→У, Һ→Х; Kazakh І is Ukrainian і).
// cyrSilent marks the soft sign, a letter that ICAO does not reproduce.
// Letters not in the table (historic and minority-language letters) are kept
// as they are.
var cyrLatin = [0x100]string{
	0x430 - 0x400: "a",       // а
	0x431 - 0x400: "b",       // б
	0x432 - 0x400: "v",       // в
	0x433 - 0x400: "g",       // г
	0x434 - 0x400: "d",       // д
	0x435 - 0x400: "e",       // е
	0x436 - 0x400: "zh",      // ж
	0x437 - 0x400: "z",       // з
	0x438 - 0x400: "i",       // и
	0x439 - 0x400: "i",       // й
	0x43A - 0x400: "k",       // к
	0x43B - 0x400: "l",       // л
	0x43C - 0x400: "m",       // м
	0x43D - 0x400: "n",       // н
	0x43E - 0x400: "o",       // о
	0x43F - 0x400: "p",       // п
	0x440 - 0x400: "r",       // р
	0x441 - 0x400: "s",       // с
	0x442 - 0x400: "t",       // т
	0x443 - 0x400: "u",       // у
	0x444 - 0x400: "f",       // ф
	0x445 - 0x400: "kh",      // х
	0x446 - 0x400: "ts",      // ц
	0x447 - 0x400: "ch",      // ч
	0x448 - 0x400: "sh",      // ш
	0x449 - 0x400: "shch",    // щ
	0x44A - 0x400: "ie",      // ъ
	0x44B - 0x400: "y",       // ы
	0x44C - 0x400: cyrSilent, // ь
	0x44D - 0x400: "e",       // э
	0x44E - 0x400: "iu",      // ю
	0x44F - 0x400: "ia",      // я
	0x450 - 0x400: "e",       // ѐ
	0x451 - 0x400: "e",       // ё
	0x452 - 0x400: "d",       // ђ
	0x453 - 0x400: "g",       // ѓ
	0x454 - 0x400: "ie",      // є
	0x455 - 0x400: "dz",      // ѕ
	0x456 - 0x400: "i",       // і (Ukrainian, Belarusian, Kazakh)
	0x457 - 0x400: "i",       // ї
	0x458 - 0x400: "j",       // ј
	0x459 - 0x400: "lj",      // љ
	0x45A - 0x400: "nj",      // њ
	0x45B - 0x400: "c",       // ћ
	0x45C - 0x400: "k",       // ќ
	0x45D - 0x400: "i",       // ѝ
	0x45E - 0x400: "u",       // ў
	0x45F - 0x400: "dz",      // џ
	0x491 - 0x400: "g",       // ґ
	0x493 - 0x400: "g",       // ғ (Kazakh) → г
	0x49B - 0x400: "k",       // қ (Kazakh) → к
	0x4A3 - 0x400: "n",       // ң (Kazakh) → н
	0x4AF - 0x400: "u",       // ү (Kazakh) → у
	0x4B1 - 0x400: "u",       // ұ (Kazakh) → у
	0x4BB - 0x400: "kh",      // һ (Kazakh) → х
	0x4D9 - 0x400: "a",       // ә (Kazakh) → а
	0x4E9 - 0x400: "o",       // ө (Kazakh) → о
}

// cyrFold and cyrKey are built from cyrLatin for the fast path: indexed by
// any rune U+0400..U+04FF, cyrFold holds its case-folded form and cyrKey the
// transliteration of that (empty when the letter is kept as it is).
var cyrFold, cyrKey = func() (f [0x100]rune, k [0x100]string) {
	for i := range f {
		r := foldNameRune(rune(0x400 + i))
		f[i] = r
		if 0x400 <= r && r < 0x500 {
			k[i] = cyrLatin[r-0x400]
		}
	}
	return f, k
}()

// cyrLetter reports whether c, d are the UTF-8 encoding of a Cyrillic
// letter U+0400..U+04FF (all of the block except the sign ҂ and the
// combining marks U+0483..U+0489), and returns its offset from U+0400.
func cyrLetter(c, d byte) (int, bool) {
	if c < 0xD0 || c > 0xD3 || d&0xC0 != 0x80 {
		return 0, false
	}
	r := int(c&0x1F)<<6 | int(d&0x3F)
	if 0x482 <= r && r <= 0x489 {
		return 0, false
	}
	return r - 0x400, true
}

// cyrSilent is the cyrLatin entry of a letter that is written as nothing.
const cyrSilent = "-"

// Skeleton element codes for the digraphs; any byte that is not a
// lower-case ASCII letter will do, as they are only compared.
const (
	elemShch byte = 1 + iota
	elemSh
	elemCh
	elemZh
	elemKh
	elemTs
)

// skelPlain marks the ASCII bytes that skeleton copies as they are (all but
// the digraph starters s c z k t and h, y, which it rewrites).
var skelPlain = func() (p [0x80]bool) {
	for c := range p {
		p[c] = true
	}
	for _, c := range "sczkthy" {
		p[c] = false
	}
	return p
}()

// skeleton rewrites the token b (lower-case Latin produced by the
// transliteration, or any Latin spelling of a name) in place into the
// spelling on which KMU 55 and ICAO 9303 agree, and returns its new length:
//
//  1. the digraphs shch, sh, ch, zh, kh and ts are read first, greedily from
//     the left, and kept as they are;
//  2. any other h becomes g (Г is H under KMU 55 and G under ICAO; KMU's
//     zgh for ЗГ so becomes zgg and then zg, ICAO's spelling);
//  3. y becomes i (И is Y under KMU, I under ICAO; Й, Ї and the initial
//     Ye/Yi/Yu/Ya of KMU become ie/i/iu/ia, the ICAO spellings);
//  4. runs of one element collapse to one (KMU Yuliia = ICAO IULIIA = iulia,
//     Oleksii = oleksi).
//
// Bytes that are not ASCII (letters of other scripts, kept as written) are
// copied and break runs. The result is a fixed point: skeleton of a skeleton
// changes nothing, because h and y never survive outside a digraph and the
// digraphs are written back as read.
func skeleton(b []byte) int {
	w := 0
	var last byte
	for r := 0; r < len(b); {
		c := b[r]
		if c >= 0x80 { // a byte of a letter of another script
			b[w] = c
			w++
			r++
			last = 0
			continue
		}
		if skelPlain[c] { // most letters: only the run collapse applies
			r++
			if c != last {
				b[w] = c
				w++
				last = c
			}
			continue
		}
		e, k := c, 1
		var next byte
		if r+1 < len(b) {
			next = b[r+1]
		}
		switch c {
		case 's':
			if next == 'h' {
				if r+3 < len(b) && b[r+2] == 'c' && b[r+3] == 'h' {
					e, k = elemShch, 4
				} else {
					e, k = elemSh, 2
				}
			}
		case 'c':
			if next == 'h' {
				e, k = elemCh, 2
			}
		case 'z':
			if next == 'h' {
				e, k = elemZh, 2
			}
		case 'k':
			if next == 'h' {
				e, k = elemKh, 2
			}
		case 't':
			if next == 's' {
				e, k = elemTs, 2
			}
		case 'h':
			e = 'g'
		case 'y':
			e = 'i'
		}
		r += k
		if e == last {
			continue
		}
		last = e
		if k > 1 {
			w += copy(b[w:], b[r-k:r]) // a digraph is written as read
		} else {
			b[w] = e
			w++
		}
	}
	return w
}

// Patronymic ranks of a canonical token; 0 is "not a patronymic".
const (
	patNone   uint8 = iota
	patWeak         // -ич: also a common surname ending (Бабич, Маринич)
	patKazakh       // -ұлы, -қызы joined to the father's name
	patStrong       // -ович, -евич, -івна, -ївна, -овна, -евна, -ична
)

// patSuffix is one ending of patronymics as it reads in a skeleton, with
// the shortest token that may carry it. In a skeleton the Cyrillic, KMU and
// ICAO spellings coincide: -ович, -ovych, -ovich and -йович all end in
// "ovich"; -ївна (Andriivna) ends in "ivna" once ii collapses.
type patSuffix struct {
	suffix string
	minLen int
	rank   uint8
}

// The endings, by their last letter.
var (
	patSuffixesH = [...]patSuffix{
		{"ovich", 7, patStrong}, // -ович, -йович
		{"evich", 7, patStrong}, // -евич, -ьевич, -ievych
		{"ich", 5, patWeak},     // -ич (Ильич, Кузьмич)
	}
	patSuffixesA = [...]patSuffix{
		{"ivna", 6, patStrong},  // -івна, -ївна
		{"ovna", 6, patStrong},  // -овна
		{"evna", 6, patStrong},  // -евна
		{"ichna", 7, patStrong}, // -ична, -инична
	}
	patSuffixesI = [...]patSuffix{
		{"uli", 6, patKazakh},  // -ұлы, -улы
		{"kizi", 7, patKazakh}, // -қызы, -кызы
		{"qizi", 7, patKazakh}, // -qyzy (Kazakh Latin)
	}
)

// patronymicRank classifies a canonical token by its ending.
func patronymicRank(tok []byte) uint8 {
	if len(tok) < 5 {
		return patNone
	}
	var list []patSuffix
	switch tok[len(tok)-1] {
	case 'h':
		list = patSuffixesH[:]
	case 'a':
		list = patSuffixesA[:]
	case 'i':
		list = patSuffixesI[:]
	default:
		return patNone
	}
	for i := range list {
		if p := &list[i]; len(tok) >= p.minLen && skelHasSuffix(tok, p.suffix) {
			return p.rank
		}
	}
	return patNone
}

// skelHasSuffix is bytes.HasSuffix for a string suffix, without the call to
// the general comparison for these few bytes.
func skelHasSuffix(b []byte, suffix string) bool {
	if len(b) < len(suffix) {
		return false
	}
	b = b[len(b)-len(suffix):]
	for i := 0; i < len(suffix); i++ {
		if b[i] != suffix[i] {
			return false
		}
	}
	return true
}

// isKazakhPatronymicWord reports whether a transliterated token (before the
// skeleton) is the separate word ұлы/улы ("son of") or қызы/кызы
// ("daughter of"), in Cyrillic or in Latin with a y. The Latin spelling
// "uli" is not taken, as it is also a given name; a canonical key never
// holds a y, so keys are not joined again when re-canonicalised.
func isKazakhPatronymicWord(tok []byte) bool {
	switch string(tok) {
	case "uly", "kyzy", "qyzy":
		return true
	}
	return false
}
