package sampleset

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Synthetic fixture generator for the detection tests: invented names,
// numbers with valid check digits, and the renderings real dumps use. No
// value here belongs to a real person.

type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, 0x5eed))} }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// withCheck appends the check digit that makes valid(prefix+d) true, or
// returns "" when no digit does.
func withCheck(prefix string, valid func(string) bool) string {
	for d := '0'; d <= '9'; d++ {
		if s := prefix + string(d); valid(s) {
			return s
		}
	}
	return ""
}

func (g *gen) rnokpp() string {
	for {
		if s := withCheck(g.digits(9), canon.ValidRNOKPP[string]); s != "" && s[0] != '0' {
			return s
		}
	}
}

// fakeRNOKPP is 10 digits whose check digit is wrong.
func (g *gen) fakeRNOKPP() string {
	for {
		s := g.digits(10)
		if s[0] != '0' && !canon.ValidRNOKPP(s) {
			return s
		}
	}
}

func (g *gen) aadhaar() string {
	for {
		p := string(byte('2'+g.r.IntN(8))) + g.digits(10)
		if s := withCheck(p, canon.ValidAadhaar[string]); s != "" {
			return s
		}
	}
}

func (g *gen) iin() string {
	for {
		y := 1950 + g.r.IntN(50)
		p := fmt.Sprintf("%02d%02d%02d%d%s", y%100, 1+g.r.IntN(12), 1+g.r.IntN(28), 3+g.r.IntN(2), g.digits(4))
		if s := withCheck(p, canon.ValidIIN[string]); s != "" {
			return s
		}
	}
}

func (g *gen) luhn16() string {
	for {
		if s := withCheck("4"+g.digits(14), canon.ValidLuhn[string]); s != "" {
			return s
		}
	}
}

func (g *gen) birth(layout string) string {
	y, m, d := 1940+g.r.IntN(64), 1+g.r.IntN(12), 1+g.r.IntN(28)
	switch layout {
	case "dmy.":
		return fmt.Sprintf("%02d.%02d.%d", d, m, y)
	case "dmy-":
		return fmt.Sprintf("%02d-%02d-%d", d, m, y)
	case "mdy/":
		return fmt.Sprintf("%d/%d/%d", m, d, y)
	}
	return fmt.Sprintf("%d-%02d-%02d", y, m, d)
}

// phone returns a valid phone number of region in one of the dump styles.
func (g *gen) phone(region canon.Region, style int) string {
	for {
		var s string
		switch region {
		case canon.UA:
			op := g.pick([]string{"50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"})
			n := g.digits(7)
			switch style % 5 {
			case 0:
				s = fmt.Sprintf("(0%s) %s-%s-%s", op, n[:3], n[3:5], n[5:])
			case 1:
				s = "+380" + op + n
			case 2:
				s = fmt.Sprintf("0%s %s %s %s", op, n[:3], n[3:5], n[5:])
			case 3:
				s = "0" + op + n
			default:
				s = "380" + op + n
			}
		case canon.RU:
			op := g.pick([]string{"903", "905", "909", "915", "916", "926", "985"})
			n := g.digits(7)
			if style%2 == 0 {
				s = fmt.Sprintf("+7 %s %s-%s-%s", op, n[:3], n[3:5], n[5:])
			} else {
				s = fmt.Sprintf("8 (%s) %s-%s-%s", op, n[:3], n[3:5], n[5:])
			}
		case canon.KZ:
			op := g.pick([]string{"701", "702", "705", "707", "747", "771", "777", "778"})
			n := g.digits(7)
			if style%2 == 0 {
				s = fmt.Sprintf("+7 %s %s %s %s", op, n[:3], n[3:5], n[5:])
			} else {
				s = "8" + op + n
			}
		case canon.IN:
			n := string(byte('7'+g.r.IntN(3))) + g.digits(9)
			if style%2 == 0 {
				s = "+91 " + n[:5] + " " + n[5:]
			} else {
				s = n
			}
		}
		if _, st := canon.AppendPhone(nil, s, region); st == canon.Valid {
			return s
		}
	}
}

var (
	uaStems = []string{"Петр", "Коваль", "Бондар", "Ткач", "Кравч", "Шевч", "Лис", "Руд",
		"Марч", "Дорош", "Яков", "Левч", "Кузьм", "Гнат", "Павл", "Тимош", "Вакул", "Сидор",
		"Харч", "Зінч", "Кост", "Литвин", "Остап", "Савч", "Гончар", "Мельн", "Олійн",
		"Данил", "Головч", "Ярош", "Мирош", "Гордій", "Панас", "Нестер", "Гумен", "Дяч",
		"Білоус", "Прокоп", "Стець", "Калин"}
	uaSuffixes = []string{"енко", "ук", "юк", "ський", "ов", "ко", "ишин", "ець"}
	uaMale     = []string{"Іван", "Петро", "Олександр", "Андрій", "Сергій", "Богдан", "Остап",
		"Тарас", "Юрій", "Василь", "Микола", "Дмитро", "Олег", "Євген", "Ігор", "Роман"}
	uaFemale = []string{"Олена", "Марія", "Ірина", "Наталія", "Оксана", "Тетяна", "Соломія",
		"Христина", "Ганна", "Людмила", "Вікторія", "Юлія", "Орися", "Марта"}
	uaPatron = map[string][2]string{"Іван": {"Іванович", "Іванівна"}, "Петро": {"Петрович", "Петрівна"},
		"Олександр": {"Олександрович", "Олександрівна"}, "Андрій": {"Андрійович", "Андріївна"},
		"Сергій": {"Сергійович", "Сергіївна"}, "Богдан": {"Богданович", "Богданівна"},
		"Остап": {"Остапович", "Остапівна"}, "Тарас": {"Тарасович", "Тарасівна"},
		"Юрій": {"Юрійович", "Юріївна"}, "Василь": {"Васильович", "Василівна"},
		"Микола": {"Миколайович", "Миколаївна"}, "Дмитро": {"Дмитрович", "Дмитрівна"}}
	latStems  = []string{"Petr", "Koval", "Bondar", "Tkach", "Kravch", "Shevch", "Lys", "Rud", "March", "Dorosh", "Yakov", "Levch", "Kuzm", "Hnat", "Pavl", "Tymosh", "Vakul", "Sydor", "Kharch", "Zinch", "Kost", "Lytvyn", "Ostap", "Savch", "Honchar", "Meln", "Oliin", "Danyl", "Yarosh", "Myrosh"}
	latSuffix = []string{"enko", "uk", "iuk", "skyi", "ov", "ko", "ets"}
	latFirst  = []string{"Ivan", "Petro", "Oleksandr", "Andrii", "Serhii", "Bohdan", "Ostap", "Taras", "Yurii", "Vasyl", "Mykola", "Olena", "Mariia", "Iryna", "Oksana", "Yarema", "Varvara", "Solomiia"}
	inFirst   = []string{"Aadity", "Rjnii", "Shkti", "Vivek", "Amitaa", "Riyaa", "Mukesh", "Jitendr", "Kailaash", "Lilaa", "Prbhaakr", "Aashaa", "Gautm", "Rshmii", "Neehaa", "Sunil"}
	inLast    = []string{"Shrmaa", "Guptaa", "Paattil", "Diikssit", "Daadaa", "Chaabraa", "Bhaart", "Aacaary", "Duube", "Cauhaan", "Maan", "Kumaar", "Baabuu", "Hegdde", "Mjuumdaar", "Vrmaa", "Siinh", "Raav", "Naayr", "Ahluvaaliyaa", "Gaangulii", "Maane", "Pusskr", "Shirole"}
	inStreet  = []string{"कान्ती मंगत", "अभय बक्षी", "मान", "लोदी", "रश्मी ज़ाल", "लता बसु", "इन्द्रजित नाम"}
	inCity    = []string{"आदिलाबाद", "दालखोला", "धारवाड", "देवगढ़", "अहमदाबाद", "फतहपुर", "अजमेर"}
	uaCity    = []string{"Київ", "Львів", "Одеса", "Харків", "Дніпро", "Полтава", "Чернігів"}
	uaStreet  = []string{"Шевченка", "Франка", "Лесі Українки", "Грушевського", "Соборна", "Садова"}
	pwWords   = []string{"dragon", "password", "iloveyou", "qwerty", "monkey", "sunshine", "shadow"}
	kzFirst   = []string{"Асқар", "Нұрлан", "Айгүл", "Жанар", "Ерлан", "Гүлнар", "Дәурен", "Сәуле", "Бауыржан", "Әсел"}
	kzLast    = []string{"Жұмабаев", "Сәрсенов", "Қасымов", "Нұрланова", "Әбілов", "Төлеуова", "Оспанов", "Серікбаева", "Ахметов", "Бекова", "Омаров", "Құнанбаев"}
	ruFirst   = []string{"Алексей", "Дмитрий", "Сергей", "Наталья", "Елена", "Юлия", "Максим", "Татьяна", "Андрей", "Ольга"}
	ruLast    = []string{"Смирнов", "Кузнецов", "Попов", "Васильев", "Соколова", "Морозова", "Новиков", "Фёдоров", "Лебедева", "Егоров", "Козлов", "Волкова", "Зайцев", "Быков", "Крылов"}
	ruPatron  = []string{"Алексеевич", "Дмитриевич", "Сергеевна", "Андреевич", "Олеговна", "Игоревич", "Петровна"}
)

func (g *gen) uaSurname() string { return g.pick(uaStems) + g.pick(uaSuffixes) }
func (g *gen) latSurname() string {
	return g.pick(latStems) + g.pick(latSuffix)
}

// uaPerson returns a surname, a given name and a patronymic.
func (g *gen) uaPerson() (last, first, middle string) {
	last = g.uaSurname()
	keys := []string{"Іван", "Петро", "Олександр", "Андрій", "Сергій", "Богдан", "Остап", "Тарас", "Юрій", "Василь", "Микола", "Дмитро"}
	father := g.pick(keys)
	if g.r.IntN(2) == 0 {
		first = g.pick(uaMale)
		middle = uaPatron[father][0]
	} else {
		first = g.pick(uaFemale)
		middle = uaPatron[father][1]
		if strings.HasSuffix(last, "ський") {
			last = strings.TrimSuffix(last, "ий") + "а"
		}
	}
	return
}

func (g *gen) email(first, last string) string {
	dom := g.pick([]string{"gmail.com", "ukr.net", "i.ua", "mail.ru", "yahoo.com"})
	return fmt.Sprintf("%s.%s%d@%s", strings.ToLower(first), strings.ToLower(last), g.r.IntN(10000), dom)
}

func (g *gen) password() string {
	if g.r.IntN(2) == 0 {
		return g.pick(pwWords) + fmt.Sprint(g.r.IntN(1000))
	}
	const a = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8+g.r.IntN(5))
	for i := range b {
		b[i] = a[g.r.IntN(len(a))]
	}
	return string(b)
}

// uaLetters are the Cyrillic letters UA licence and passport series use.
var uaLetters = []rune("АВЕІКМНОРСТХ")

func (g *gen) uaSeries(n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(uaLetters[g.r.IntN(len(uaLetters))])
	}
	return b.String()
}

func (g *gen) uaLicence() string  { return g.uaSeries(3) + g.digits(6) }
func (g *gen) uaPassport() string { return g.uaSeries(2) + g.digits(6) }

func (g *gen) inLicence() string {
	return g.pick([]string{"MH", "DL", "KA", "TN", "UP"}) + fmt.Sprintf("%02d%d", 1+g.r.IntN(50), 1995+g.r.IntN(25)) + g.digits(7)
}

func (g *gen) inPassport() string {
	return string(rune('A'+g.r.IntN(26))) + g.digits(7)
}

func (g *gen) uaAddress() string {
	return fmt.Sprintf("м. %s, вул. %s, %d, кв. %d", g.pick(uaCity), g.pick(uaStreet), 1+g.r.IntN(120), 1+g.r.IntN(200))
}

func (g *gen) inAddress() string {
	sep := g.pick([]string{", ", "-", " "})
	return fmt.Sprintf("%d/%d %s, %s%s%s", 1+g.r.IntN(90), g.r.IntN(9000), g.pick(inStreet), g.pick(inCity), sep, g.digits(6))
}

// rowsOf builds n rows with row.
func rowsOf(n int, row func() []string) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = row()
	}
	return rows
}

// kinds lists the kinds of a detection.
func kinds(d Detection) []string {
	out := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = c.Kind.String()
	}
	return out
}
