package synth

import (
	"strings"
	"unicode"
)

// kmuTable maps lower-case Ukrainian Cyrillic letters to their Latin
// spelling under the Ukrainian national standard (Cabinet of Ministers
// resolution No. 55 of 27 January 2010). kmuInitial holds the spellings used
// at the start of a word, where they differ.
var (
	kmuTable = map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e",
		'є': "ie", 'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i",
		'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
		'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch",
		'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu", 'я': "ia",
		// Letters outside the Ukrainian alphabet, spelt as ICAO 9303 does.
		'ё': "e", 'ъ': "ie", 'ы': "y", 'э': "e",
	}
	kmuInitial = map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"}

	// icaoTable maps lower-case Cyrillic letters to their Latin spelling
	// under ICAO Doc 9303 (part 3, the table for Cyrillic used in Russian
	// passports since 2014), plus the Ukrainian and Kazakh letters.
	icaoTable = map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
		'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m",
		'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
		'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
		'ъ': "ie", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
		'є': "ie", 'і': "i", 'ї': "i", 'ґ': "g",
		'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h",
	}
)

// isApostrophe reports whether r is one of the apostrophes Ukrainian text
// uses inside words (dropped by both standards).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '`', '´', 'ʹ', '‘':
		return true
	}
	return false
}

// KMU transliterates Ukrainian Cyrillic text into Latin under the Ukrainian
// national standard (KMU resolution 55, 2010): Є, Ї, Й, Ю, Я are Ye, Yi, Y,
// Yu, Ya at the start of a word and ie, i, i, iu, ia elsewhere; Г is h, Ґ g,
// И y, І i, Х kh, Ц ts, Щ shch; the soft sign and apostrophes are dropped;
// зг is zgh. A word written in capitals stays in capitals, a capital letter
// in a mixed-case word becomes a capitalised spelling (Щ → Shch). Characters
// that are not Cyrillic letters are copied.
func KMU(s string) string {
	return translit(s, kmuTable, kmuInitial, true)
}

// ICAO transliterates Cyrillic text into Latin under ICAO Doc 9303, the
// standard of Russian (since 2014) and Ukrainian passports' machine zone:
// Ю iu, Я ia, Й i, Х kh, Ъ ie, Ы y, Ё and Е e, Ц ts, Щ shch; the soft sign and
// apostrophes are dropped. Kazakh letters are folded to their base letters
// (Ә a, Қ k, Ұ u, ...). Capitalisation follows [KMU].
func ICAO(s string) string {
	return translit(s, icaoTable, nil, false)
}

func translit(s string, table, initial map[rune]string, zgh bool) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	wordStart := 0
	for i, r := range rs {
		if !unicode.IsLetter(r) && !isApostrophe(r) {
			b.WriteRune(r)
			wordStart = i + 1
			continue
		}
		if isApostrophe(r) {
			if i == wordStart || i+1 >= len(rs) || !unicode.IsLetter(rs[i+1]) {
				b.WriteRune(r) // a quote, not an apostrophe inside a word
			}
			continue
		}
		lr := unicode.ToLower(r)
		lat, ok := table[lr]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if i == wordStart && initial != nil {
			if v, ok := initial[lr]; ok {
				lat = v
			}
		}
		if zgh && lr == 'г' && i > wordStart && unicode.ToLower(rs[i-1]) == 'з' {
			lat = "gh"
		}
		if lat == "" {
			continue
		}
		if r != lr { // capital letter
			if wordUpper(rs, wordStart, i) {
				lat = strings.ToUpper(lat)
			} else {
				lat = strings.ToUpper(lat[:1]) + lat[1:]
			}
		}
		b.WriteString(lat)
	}
	return b.String()
}

// wordUpper reports whether the word starting at rs[start] and holding
// rs[i] is written in capitals: it has no lower-case letter and at least
// two letters.
func wordUpper(rs []rune, start, i int) bool {
	letters := 0
	for j := start; j < len(rs); j++ {
		r := rs[j]
		if isApostrophe(r) {
			continue
		}
		if !unicode.IsLetter(r) {
			break
		}
		if unicode.IsLower(r) {
			return false
		}
		letters++
	}
	return letters > 1
}
