package sampleset

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"golang.org/x/text/unicode/norm"
)

// Header words and phrases, in English, Ukrainian, Russian, Kazakh and Hindi
// (Devanagari and romanised). Entries are written as people write them; they
// are normalised by the same rules as the header text they are matched
// against (see headerTokens), so "Ім'я", "ІМ’Я" and "имя" need no variants.
// A phrase mapped to Other blocks its words: "company name" is not a name.
var headerWords = map[canon.Kind][]string{
	canon.Name: {
		"name", "full name", "fullname", "fio", "f i o", "person", "person name", "client name",
		"customer name", "holder name", "cardholder", "card holder", "owner name",
		"contact name", "display name", "real name", "name surname", "surname name",
		"first last name", "last first name", "first and last name",
		// Ukrainian
		"піб", "п і б", "прізвище ім'я по батькові", "прізвище ім'я", "ім'я прізвище",
		"прізвище та ім'я", "прізвище, ім'я, по батькові", "повне ім'я", "клієнт", "власник",
		// Russian
		"фио", "ф и о", "фамилия имя отчество", "фамилия имя", "имя фамилия", "фамилия и имя",
		"полное имя", "клиент", "владелец",
		// Kazakh
		"аты-жөні", "аты жөні", "тегі аты", "толық аты", "тегі аты әкесінің аты",
		// Hindi
		"नाम", "पूरा नाम", "ग्राहक का नाम", "naam", "pura naam", "poora naam", "full naam",
	},
	canon.FirstName: {
		"first name", "firstname", "given name", "givenname", "forename", "fname",

		"ім'я", "імя", "имя", "аты",
		"पहला नाम", "प्रथम नाम", "pahla naam", "pehla naam",
	},
	canon.LastName: {
		"last name", "lastname", "surname", "family name", "familyname", "lname",
		"second name",
		"прізвище", "фамилия", "тегі", "उपनाम", "अंतिम नाम", "upnaam", "surnaam",
	},
	canon.MiddleName: {
		"middle name", "middlename", "patronymic", "mname",
		"по батькові", "побатькові", "отчество", "әкесінің аты", "әкесі",
		"मध्य नाम", "madhya naam",
	},
	canon.Phone: {
		"phone", "phones", "telephone", "tel", "mobile", "mob", "cell", "cellphone",
		"msisdn", "gsm", "mobile phone", "phone number", "contact number", "mobile no",
		"whatsapp", "viber", "telegram phone",
		"телефон", "телефони", "тел", "моб", "моб тел", "мобільний", "мобільний телефон",
		"номер телефону", "контактний телефон", "телефоны", "мобильный", "мобильный телефон",
		"номер телефона", "сотовый", "контактный телефон", "телефон нөмірі", "ұялы телефон",
		"मोबाइल", "फ़ोन", "फोन", "मोबाइल नंबर", "फ़ोन नंबर", "दूरभाष", "mobile number",
	},
	canon.Email: {
		"email", "e mail", "mail", "emails", "email address", "e mail address", "mail address",
		"ел пошта", "електронна пошта", "пошта", "емейл", "імейл", "эл почта",
		"электронная почта", "почта", "емайл", "имейл", "электрондық пошта", "эл пошта",
		"ईमेल", "ई मेल", "ईमेल पता",
	},
	canon.BirthDate: {
		"birth date", "birthdate", "dob", "d o b", "birthday", "date of birth", "born",
		"birth", "bdate", "bday", "date birth",
		"дата народження", "народження", "день народження", "др", "д р",
		"дата рождения", "рождения", "день рождения", "туған күні", "туған күн", "туылған күні",
		"जन्म तिथि", "जन्मतिथि", "जन्म दिनांक", "जन्म की तारीख", "जन्म", "janm tithi",
		"janam tithi", "janmtithi",
	},
	canon.NationalID: {
		"national id", "nationalid", "inn", "ipn", "rnokpp", "rnukpn", "tin", "tax id",
		"tax number", "taxpayer id", "id number", "id no", "id code", "identification number",
		"personal number", "personal code", "iin", "aadhaar", "aadhar", "adhaar", "adhar",
		"aadhaar number", "uid", "uidai", "snils", "ssn", "nin", "pin code person",
		"іпн", "рнокпп", "інн", "ідентифікаційний код", "ідентифікаційний номер", "код",
		"податковий номер", "инн", "иин", "снилс", "идентификационный номер",
		"жсн", "жеке сәйкестендіру нөмірі",
		"आधार", "आधार संख्या", "आधार नंबर", "आधार कार्ड",
	},
	canon.Passport: {
		"passport", "passport number", "passport no", "passport series", "passport id",
		"id card", "document", "document number", "doc number",
		"паспорт", "паспорта", "серія паспорта", "номер паспорта", "серія номер паспорта",
		"серия паспорта", "серия номер паспорта", "серия и номер паспорта", "серія та номер паспорта",
		"документ", "номер документа", "id картка", "удостоверение личности", "посвідчення особи",
		"жеке куәлік", "жеке куәлік нөмірі", "төлқұжат",
		"पासपोर्ट", "पासपोर्ट संख्या", "पासपोर्ट नंबर",
	},
	canon.DriverLicence: {
		"driver licence", "driver license", "drivers licence", "drivers license",
		"driving licence", "driving license", "licence", "license", "licence number",
		"license number", "dl", "dl number", "dl no", "driver", "driving",
		"ву", "номер ву", "посвідчення водія", "водійське посвідчення", "водія",
		"водительское удостоверение", "водительское", "права", "жүргізуші куәлігі", "жүргізуші",
		"ड्राइविंग लाइसेंस", "ड्राइविंग", "लाइसेंस", "चालक लाइसेंस",
	},
	canon.CardNumber: {
		"card number", "card", "cardnumber", "card no", "pan", "cc", "cc number",
		"credit card", "bank card",
		"картка", "номер картки", "карта", "номер карты", "банківська картка", "банковская карта",
		"карточка", "карта нөмірі", "कार्ड", "कार्ड नंबर",
	},
	canon.Address: {
		"address", "addr", "street address", "home address", "postal address", "residence",
		"адреса", "адрес", "адреса проживання", "адреса реєстрації", "адрес регистрации",
		"адрес проживания", "місце проживання", "место жительства", "мекенжай", "мекен жай",
		"पता", "स्थायी पता", "pata",
	},
	canon.Password: {
		"password", "pass", "pwd", "passwd", "hash", "password hash", "pass hash", "pw",
		"пароль", "хеш", "хэш", "құпия сөз", "құпиясөз", "पासवर्ड",
	},
	canon.Username: {
		"username", "user name", "login", "nick", "nickname",
		"screen name", "handle",
		"логін", "логин", "нік", "нікнейм", "ник", "никнейм", "ім'я користувача",
		"имя пользователя", "пайдаланушы", "लॉगिन", "उपयोगकर्ता नाम", "उपयोगकर्ता",
	},
	canon.Other: {
		"company name", "company", "org name", "organisation name", "organization name",
		"file name", "filename", "host name", "hostname", "domain name", "product name",
		"bank name", "city name", "street name", "region name", "country name", "place name",
		"place of birth", "birth place", "birthplace", "ip address", "mac address",
		"father name", "fathers name", "father's name", "mother name", "mothers name",
		"husband name", "guardian name", "pita ka naam", "पिता का नाम", "माता का नाम",
		"पति का नाम", "last login", "login date", "login time", "login count", "card type", "card expiry",
		"card expiration", "password date", "name id", "id", "user id", "phone type",
		"місце народження", "место рождения", "туған жері", "назва", "название",
		"назва компанії", "название компании", "code", "passport issued", "ким виданий",
		"кем выдан", "дата видачі", "дата выдачи", "issue date",
	},
}

// headerFiller words carry no kind of their own ("phone number" is a phone).
var headerFiller = map[string]bool{}

// headerDict maps a normalised phrase (tokens joined without separators) to
// its kind; headerMaxTokens is the longest phrase in tokens.
var (
	headerDict      = map[string]canon.Kind{}
	headerMaxTokens = 1
)

func init() {
	for k, list := range headerWords {
		for _, w := range list {
			toks := headerTokens(w, nil)
			if len(toks) == 0 {
				continue
			}
			headerDict[strings.Join(toks, "")] = k
			if len(toks) > headerMaxTokens {
				headerMaxTokens = len(toks)
			}
		}
	}
	for _, w := range []string{"number", "no", "nr", "num", "номер", "нөмірі", "नंबर", "संख्या"} {
		headerFiller[w] = true
	}
}

// isApostrophe reports whether r joins the parts of one word, as in Ім'я.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '`', 'ʹ', '′', '‘':
		return true
	}
	return false
}

// headerTokens normalises a header (NFKC, camelCase split, case-folded) and
// appends its words to dst: runs of letters, marks and digits, with
// apostrophes inside words dropped and trailing digits ("phone2") removed;
// number-only words are left out.
func headerTokens(h string, dst []string) []string {
	h = norm.NFKC.String(h)
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		t := strings.TrimRightFunc(b.String(), unicode.IsDigit)
		b.Reset()
		if t != "" {
			dst = append(dst, t)
		}
	}
	prevLower := false
	for _, r := range h {
		switch {
		case isApostrophe(r) && b.Len() > 0:
			// inside a word: Ім'я
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush() // camelCase: firstName
			}
			prevLower = unicode.IsLower(r)
			b.WriteRune(unicode.ToLower(r))
		default:
			prevLower = false
			flush()
		}
	}
	flush()
	return dst
}

// headerKind returns the kind a header names. It matches the longest known
// phrase made of consecutive words of the header; between matches of one
// length the rightmost wins ("email phone" is rare, "mobile phone" common).
// Filler words ("number") are skipped when nothing else matches. ok is false
// when the header names no kind (or names Other explicitly).
func headerKind(h string) (canon.Kind, bool) {
	var arr [16]string
	toks := headerTokens(h, arr[:0])
	if len(toks) == 0 {
		return canon.Other, false
	}
	// The whole header without separators: "Ф.И.О." → "фио", "e-mail" → "email".
	if k, ok := headerDict[strings.Join(toks, "")]; ok {
		return k, k != canon.Other
	}
	maxN := headerMaxTokens
	if maxN > len(toks) {
		maxN = len(toks)
	}
	for n := maxN; n >= 1; n-- {
		for i := len(toks) - n; i >= 0; i-- {
			if n == 1 && headerFiller[toks[i]] {
				continue
			}
			if k, ok := headerDict[strings.Join(toks[i:i+n], "")]; ok {
				return k, k != canon.Other
			}
		}
	}
	return canon.Other, false
}

// scriptRegion returns the region that the letters of s point to, or "":
// Ukrainian letters (і ї є ґ) → UA, Kazakh letters → KZ, Russian-only
// letters (ы э ъ ё) → RU, Devanagari → IN.
func scriptRegion(s string) canon.Region {
	ua, kz, ru, in := false, false, false, false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r < 0x400 {
			continue
		}
		switch unicode.ToLower(r) {
		case 'ї', 'є', 'ґ':
			ua = true
		case 'і':
			ua = true // also Kazakh; Kazakh letters below override
		case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ':
			kz = true
		case 'ы', 'э', 'ъ', 'ё':
			ru = true
		default:
			if r >= 0x900 && r <= 0x97F {
				in = true
			}
		}
	}
	switch {
	case in:
		return canon.IN
	case kz:
		return canon.KZ
	case ua && !ru:
		return canon.UA
	case ru && !ua:
		return canon.RU
	}
	return ""
}
