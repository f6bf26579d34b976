package sampleset

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeaderKind(t *testing.T) {
	tests := []struct {
		header string
		want   canon.Kind
	}{
		// English
		{"name", canon.Name},
		{"Full_Name", canon.Name},
		{"fio", canon.Name},
		{"firstName", canon.FirstName},
		{"first_name", canon.FirstName},
		{"last_name", canon.LastName},
		{"Surname", canon.LastName},
		{"middle_name", canon.MiddleName},
		{"patronymic", canon.MiddleName},
		{"phone", canon.Phone},
		{"mobile_phone", canon.Phone},
		{"Phone Number", canon.Phone},
		{"msisdn", canon.Phone},
		{"tel", canon.Phone},
		{"phone2", canon.Phone},
		{"E-mail", canon.Email},
		{"email_address", canon.Email},
		{"mail", canon.Email},
		{"birth_date", canon.BirthDate},
		{"DOB", canon.BirthDate},
		{"dateOfBirth", canon.BirthDate},
		{"birthday", canon.BirthDate},
		{"national_id", canon.NationalID},
		{"inn", canon.NationalID},
		{"rnokpp", canon.NationalID},
		{"aadhaar", canon.NationalID},
		{"id_number", canon.NationalID},
		{"passport", canon.Passport},
		{"passport_no", canon.Passport},
		{"driver_licence", canon.DriverLicence},
		{"Driver License Number", canon.DriverLicence},
		{"card_number", canon.CardNumber},
		{"card", canon.CardNumber},
		{"pan", canon.CardNumber},
		{"address", canon.Address},
		{"addr", canon.Address},
		{"password", canon.Password},
		{"pass", canon.Password},
		{"pwd", canon.Password},
		{"hash", canon.Password},
		{"username", canon.Username},
		{"login", canon.Username},
		{"nick", canon.Username},
		// Ukrainian
		{"ПІБ", canon.Name},
		{"Прізвище Ім'я По батькові", canon.Name},
		{"Прізвище, ім’я, по батькові", canon.Name},
		{"Ім'я", canon.FirstName},
		{"ІМʼЯ", canon.FirstName},
		{"Прізвище", canon.LastName},
		{"По батькові", canon.MiddleName},
		{"Телефон", canon.Phone},
		{"Телефон 2", canon.Phone},
		{"Моб. тел.", canon.Phone},
		{"Номер телефону", canon.Phone},
		{"Ел. пошта", canon.Email},
		{"Дата народження", canon.BirthDate},
		{"ІПН", canon.NationalID},
		{"РНОКПП", canon.NationalID},
		{"Паспорт", canon.Passport},
		{"Серія, номер паспорта", canon.Passport},
		{"Посвідчення водія", canon.DriverLicence},
		{"Номер ВУ", canon.DriverLicence},
		{"Картка", canon.CardNumber},
		{"Адреса", canon.Address},
		{"Пароль", canon.Password},
		{"Логін", canon.Username},
		// Russian
		{"ФИО", canon.Name},
		{"Ф.И.О.", canon.Name},
		{"Имя", canon.FirstName},
		{"Фамилия", canon.LastName},
		{"Отчество", canon.MiddleName},
		{"Эл. почта", canon.Email},
		{"Дата рождения", canon.BirthDate},
		{"ИНН", canon.NationalID},
		{"Водительское удостоверение", canon.DriverLicence},
		{"Номер карты", canon.CardNumber},
		{"Карта", canon.CardNumber},
		{"Адрес", canon.Address},
		{"Логин", canon.Username},
		// Kazakh
		{"Аты-жөні", canon.Name},
		{"Аты", canon.FirstName},
		{"Тегі", canon.LastName},
		{"Әкесінің аты", canon.MiddleName},
		{"Телефон нөмірі", canon.Phone},
		{"Туған күні", canon.BirthDate},
		{"ИИН", canon.NationalID},
		{"ЖСН", canon.NationalID},
		{"Жүргізуші куәлігі", canon.DriverLicence},
		{"Мекенжай", canon.Address},
		// Hindi, Devanagari and romanised
		{"नाम", canon.Name},
		{"पहला नाम", canon.FirstName},
		{"उपनाम", canon.LastName},
		{"मोबाइल", canon.Phone},
		{"फ़ोन", canon.Phone},
		{"ईमेल", canon.Email},
		{"जन्म तिथि", canon.BirthDate},
		{"आधार", canon.NationalID},
		{"पासपोर्ट", canon.Passport},
		{"ड्राइविंग लाइसेंस", canon.DriverLicence},
		{"पता", canon.Address},
		{"पासवर्ड", canon.Password},
		{"naam", canon.Name},
		{"janm tithi", canon.BirthDate},
		{"Aadhar No", canon.NationalID},
	}
	for _, tt := range tests {
		got, ok := headerKind(tt.header)
		assert.True(t, ok, "headerKind(%q) found no kind", tt.header)
		assert.Equal(t, tt.want, got, "headerKind(%q)", tt.header)
	}
	for _, h := range []string{"", "col1", "field_7", "id", "ID", "user_id", "company_name",
		"Дата", "Місце народження", "Father's Name", "पिता का नाम", "Дата видачі паспорта", "notes", "passport issued", "last login", "created_at", "123"} {
		got, ok := headerKind(h)
		assert.False(t, ok, "headerKind(%q) = %v, want none", h, got)
	}
}

// Dump shapes. Each returns its header and rows; the truth is in the test.

func uaBank(g *gen, n int) ([]string, [][]string) {
	return []string{"ПІБ", "Телефон", "Дата народження", "ІПН"}, rowsOf(n, func() []string {
		last, first, _ := g.uaPerson()
		name := last + " " + first
		if g.r.IntN(2) == 0 {
			name = strings.ToUpper(name)
		}
		return []string{name, g.phone(canon.UA, 2+g.r.IntN(2)), g.birth("dmy."), g.rnokpp()}
	})
}

func uaLeak(g *gen, n int) ([]string, [][]string) {
	return []string{"ФИО", "Телефон", "Дата рождения", "Номер ВУ"}, rowsOf(n, func() []string {
		last, first, _ := g.uaPerson()
		return []string{last + " " + first, g.phone(canon.UA, g.r.IntN(2)), g.birth("iso"), g.uaLicence()}
	})
}

func uaSocial(g *gen, n int) ([]string, [][]string) {
	return []string{"first_name", "last_name", "mobile", "email", "password"}, rowsOf(n, func() []string {
		first, last := g.pick(latFirst), g.latSurname()
		return []string{first, last, g.phone(canon.UA, 4), g.email(first, last), g.password()}
	})
}

func inLeak(g *gen, n int) ([]string, [][]string) {
	return []string{"full_name", "mobile", "id_number", "address"}, rowsOf(n, func() []string {
		return []string{g.pick(inLast) + " " + g.pick(inFirst), g.phone(canon.IN, 0), g.aadhaar(), g.inAddress()}
	})
}

func inBroker(g *gen, n int) ([]string, [][]string) {
	return []string{"full_name", "mobile", "id_number", "dob"}, rowsOf(n, func() []string {
		return []string{strings.ToUpper(g.pick(inLast) + " " + g.pick(inFirst)), g.phone(canon.IN, 1), g.aadhaar(), g.birth("dmy-")}
	})
}

func kzQueue(g *gen, n int) ([]string, [][]string) {
	return []string{"Аты-жөні", "Телефон нөмірі", "ЖСН", "Туған күні"}, rowsOf(n, func() []string {
		return []string{g.pick(kzLast) + " " + g.pick(kzFirst), g.phone(canon.KZ, g.r.IntN(2)), g.iin(), g.birth("dmy.")}
	})
}

func ruShop(g *gen, n int) ([]string, [][]string) {
	return []string{"Фамилия", "Имя", "Отчество", "Телефон", "Email", "Номер карты"}, rowsOf(n, func() []string {
		first, last := g.pick(ruFirst), g.pick(ruLast)
		card := g.luhn16()
		if g.r.IntN(2) == 0 {
			card = card[:6] + "******" + card[12:]
		} else {
			card = card[:4] + " " + card[4:8] + " " + card[8:12] + " " + card[12:]
		}
		return []string{last, first, g.pick(ruPatron), g.phone(canon.RU, g.r.IntN(2)), g.email("u", fmt.Sprint(g.r.IntN(1e6))), card}
	})
}

func uaRegistry(g *gen, n int) ([]string, [][]string) {
	return []string{"Прізвище", "Ім'я", "По батькові", "Паспорт", "Адреса", "Логін", "Пароль"}, rowsOf(n, func() []string {
		last, first, middle := g.uaPerson()
		pass := g.uaPassport()
		if g.r.IntN(3) == 0 {
			pass = g.digits(9)
		}
		return []string{last, first, middle, pass, g.uaAddress(), "user" + fmt.Sprint(g.r.IntN(1e6)), g.password()}
	})
}

func inDocs(g *gen, n int) ([]string, [][]string) {
	return []string{"नाम", "मोबाइल", "आधार", "पासपोर्ट", "ड्राइविंग लाइसेंस", "पता"}, rowsOf(n, func() []string {
		return []string{g.pick(inFirst) + " " + g.pick(inLast), g.phone(canon.IN, g.r.IntN(2)), g.aadhaar(), g.inPassport(), g.inLicence(), g.inAddress()}
	})
}

func useless(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "col" + strconv.Itoa(i+1)
	}
	return out
}

func TestDetectColumns(t *testing.T) {
	type shape func(*gen, int) ([]string, [][]string)
	shapes := []struct {
		name   string
		shape  shape
		want   []string
		region canon.Region
	}{
		{"ua-bank", uaBank, []string{"name", "phone", "birth_date", "national_id"}, canon.UA},
		{"ua-leak", uaLeak, []string{"name", "phone", "birth_date", "driver_licence"}, canon.UA},
		{"ua-social", uaSocial, []string{"first_name", "last_name", "phone", "email", "password"}, canon.UA},
		{"in-leak", inLeak, []string{"name", "phone", "national_id", "address"}, canon.IN},
		{"in-broker", inBroker, []string{"name", "phone", "national_id", "birth_date"}, canon.IN},
		{"kz-queue", kzQueue, []string{"name", "phone", "national_id", "birth_date"}, canon.KZ},
		{"ru-shop", ruShop, []string{"last_name", "first_name", "middle_name", "phone", "email", "card_number"}, canon.RU},
		{"ua-registry", uaRegistry, []string{"last_name", "first_name", "middle_name", "passport", "address", "username", "password"}, canon.UA},
		{"in-docs", inDocs, []string{"name", "phone", "national_id", "passport", "driver_licence", "address"}, canon.IN},
	}
	for i, s := range shapes {
		names, rows := s.shape(newGen(uint64(i)+1), 600)
		t.Run(s.name+"/header", func(t *testing.T) {
			d := DetectColumns(names, true, rows, DetectOptions{})
			assert.Equal(t, s.want, kinds(d), "kinds of %v", names)
			assert.Equal(t, s.region, d.Region, "region")
			for j, c := range d.Columns {
				assert.Equal(t, names[j], c.Name, "name of column %d", j)
			}
		})
		t.Run(s.name+"/no-header", func(t *testing.T) {
			d := DetectColumns(nil, false, rows, DetectOptions{})
			assert.Equal(t, s.want, kinds(d), "kinds from values alone")
			assert.Equal(t, s.region, d.Region, "region")
			require.NotEmpty(t, d.Columns)
			assert.Equal(t, "column 1", d.Columns[0].Name)
		})
		t.Run(s.name+"/useless-header", func(t *testing.T) {
			d := DetectColumns(useless(len(names)), true, rows, DetectOptions{})
			assert.Equal(t, s.want, kinds(d), "kinds under col1..colN")
		})
		t.Run(s.name+"/region-given", func(t *testing.T) {
			d := DetectColumns(names, true, rows, DetectOptions{Region: s.region})
			assert.Equal(t, s.want, kinds(d))
			assert.Equal(t, s.region, d.Region)
		})
		t.Run(s.name+"/small", func(t *testing.T) {
			d := DetectColumns(names, true, rows[:25], DetectOptions{})
			assert.Equal(t, s.want, kinds(d), "kinds from 25 rows")
		})
	}
}

func TestDetectColumnsDisagreement(t *testing.T) {
	g := newGen(42)
	_, rows := uaBank(g, 300)
	tests := []struct {
		name  string
		names []string
		rows  [][]string
		want  []string
	}{
		{
			// Values clearly of another kind overrule the header.
			name:  "shuffled headers",
			names: []string{"Дата народження", "ІПН", "ПІБ", "Телефон"},
			rows:  rows,
			want:  []string{"name", "phone", "birth_date", "national_id"},
		},
		{
			name:  "passport header over licence numbers",
			names: []string{"passport", "email"},
			rows: rowsOf(200, func() []string {
				return []string{g.uaLicence(), g.email("a", g.digits(5))}
			}),
			want: []string{"driver_licence", "email"},
		},
		{
			// Fabricated IDs fail their check digits: the values are
			// inconclusive and the header decides (fabrication shows later).
			name:  "fabricated ids keep the header",
			names: []string{"ІПН", "Телефон"},
			rows: rowsOf(200, func() []string {
				return []string{g.fakeRNOKPP(), g.phone(canon.UA, 3)}
			}),
			want: []string{"national_id", "phone"},
		},
		{
			name:  "header over values of no kind",
			names: []string{"Адреса", "Пароль", "Телефон"},
			rows: rowsOf(200, func() []string {
				return []string{"невідомо", "x", g.phone(canon.UA, 1)}
			}),
			want: []string{"address", "password", "phone"},
		},
		{
			// A strictly checked kind named by the header but absent from
			// the values: a flag column called "phone_verified".
			name:  "header of a strict kind over flags",
			names: []string{"phone_verified", "mobile"},
			rows: rowsOf(200, func() []string {
				return []string{[]string{"true", "false"}[g.r.IntN(2)], g.phone(canon.UA, 1)}
			}),
			want: []string{"other", "phone"},
		},
		{
			name:  "indian PAN under a card header",
			names: []string{"pan", "mobile"},
			rows: rowsOf(200, func() []string {
				return []string{"ABCPK" + g.digits(4) + "L", g.phone(canon.IN, 1)}
			}),
			want: []string{"other", "phone"},
		},
		{
			name:  "both silent",
			names: []string{"notes", "status"},
			rows: rowsOf(200, func() []string {
				return []string{g.pick([]string{"дзвонив", "не відповідає", "ok", ""}), g.pick([]string{"active", "blocked"})}
			}),
			want: []string{"other", "other"},
		},
		{
			name:  "dates that are no birth dates",
			names: []string{"created", "Дата"},
			rows: rowsOf(200, func() []string {
				return []string{fmt.Sprintf("2024-%02d-%02d 10:00:00", 1+g.r.IntN(12), 1+g.r.IntN(28)), g.birth("dmy.")}
			}),
			want: []string{"other", "birth_date"},
		},
		{
			name:  "row numbers",
			names: []string{"id", "email"},
			rows: func() [][]string {
				r := rowsOf(200, func() []string { return []string{"", g.email("b", g.digits(4))} })
				for i := range r {
					r[i][0] = strconv.Itoa(i + 1)
				}
				return r
			}(),
			want: []string{"other", "email"},
		},
	}
	for _, tt := range tests {
		d := DetectColumns(tt.names, true, tt.rows, DetectOptions{})
		assert.Equal(t, tt.want, kinds(d), tt.name)
	}
}

func TestDetectColumnsSplitNames(t *testing.T) {
	g := newGen(7)
	tests := []struct {
		name string
		rows [][]string
		want []string
	}{
		{
			name: "ua surname, given name, patronymic",
			rows: rowsOf(400, func() []string {
				l, f, m := g.uaPerson()
				return []string{l, f, m}
			}),
			want: []string{"last_name", "first_name", "middle_name"},
		},
		{
			name: "ua given name, patronymic, surname (upper case)",
			rows: rowsOf(400, func() []string {
				l, f, m := g.uaPerson()
				return []string{strings.ToUpper(f), strings.ToUpper(m), strings.ToUpper(l)}
			}),
			want: []string{"first_name", "middle_name", "last_name"},
		},
		{
			name: "latin given name then surname",
			rows: rowsOf(400, func() []string { return []string{g.pick(latFirst), g.latSurname()} }),
			want: []string{"first_name", "last_name"},
		},
		{
			name: "latin surname then given name",
			rows: rowsOf(400, func() []string { return []string{g.latSurname(), g.pick(latFirst)} }),
			want: []string{"last_name", "first_name"},
		},
		{
			// No surname suffixes: given names repeat more.
			name: "indian given name then surname",
			rows: rowsOf(400, func() []string { return []string{g.pick(inFirst), g.pick(inLast)} }),
			want: []string{"first_name", "last_name"},
		},
		{
			name: "single surname column",
			rows: rowsOf(400, func() []string { return []string{g.uaSurname(), g.phone(canon.UA, 1)} }),
			want: []string{"last_name", "phone"},
		},
		{
			name: "full names stay whole",
			rows: rowsOf(400, func() []string {
				l, f, m := g.uaPerson()
				return []string{l + " " + f + " " + m}
			}),
			want: []string{"name"},
		},
	}
	for _, tt := range tests {
		d := DetectColumns(nil, false, tt.rows, DetectOptions{})
		assert.Equal(t, tt.want, kinds(d), tt.name)
	}

	// A header naming one part decides the other.
	rows := rowsOf(300, func() []string { return []string{g.pick(latFirst), g.latSurname()} })
	d := DetectColumns([]string{"name", "surname"}, true, rows, DetectOptions{})
	assert.Equal(t, []string{"first_name", "last_name"}, kinds(d), "name + surname headers")
}

func TestDetectColumnsAccounts(t *testing.T) {
	g := newGen(9)
	rows := rowsOf(300, func() []string {
		f, l := g.pick(latFirst), g.latSurname()
		e := g.email(f, l)
		user := strings.ToLower(f) + "_" + strings.ToLower(l)
		return []string{e, user, g.password()}
	})
	d := DetectColumns(nil, false, rows, DetectOptions{})
	assert.Equal(t, []string{"email", "username", "password"}, kinds(d), "email, username, password")

	rows = rowsOf(300, func() []string {
		return []string{"user" + g.digits(5), g.password()}
	})
	d = DetectColumns(nil, false, rows, DetectOptions{})
	assert.Equal(t, []string{"username", "password"}, kinds(d), "login:password")

	rows = rowsOf(300, func() []string {
		return []string{g.phone(canon.UA, 1), fmt.Sprintf("%x", g.r.Uint64()) + fmt.Sprintf("%016x", g.r.Uint64())}
	})
	d = DetectColumns(nil, false, rows, DetectOptions{})
	assert.Equal(t, []string{"phone", "password"}, kinds(d), "phone:md5")
}

func TestDetectColumnsMap(t *testing.T) {
	g := newGen(11)
	names, rows := uaBank(g, 100)
	d := DetectColumns(names, true, rows, DetectOptions{Map: map[string]canon.Kind{
		"ПІБ":             canon.Other,
		"4":               canon.Passport,
		"Дата народження": canon.Other,
	}})
	assert.Equal(t, []string{"other", "phone", "other", "passport"}, kinds(d))

	d = DetectColumns(nil, false, rows, DetectOptions{Map: map[string]canon.Kind{"column 2": canon.Other}})
	assert.Equal(t, []string{"name", "other", "birth_date", "national_id"}, kinds(d), "map by generated name")
}

func TestDetectColumnsDateOrder(t *testing.T) {
	g := newGen(12)
	rows := rowsOf(200, func() []string { return []string{g.birth("mdy/"), g.birth("dmy.")} })
	d := DetectColumns([]string{"dob", "Дата народження"}, true, rows, DetectOptions{})
	require.Len(t, d.Columns, 2)
	assert.Equal(t, []string{"birth_date", "birth_date"}, kinds(d))
	assert.Equal(t, canon.MonthFirst, d.Columns[0].DateOrder, "m/d/yyyy column")
	assert.Equal(t, canon.DayFirst, d.Columns[1].DateOrder, "dd.mm.yyyy column")
}

func TestDetectColumnsRegion(t *testing.T) {
	g := newGen(13)
	tests := []struct {
		name  string
		names []string
		rows  [][]string
		want  canon.Region
	}{
		{"ua national phones", nil, rowsOf(100, func() []string { return []string{g.phone(canon.UA, 3)} }), canon.UA},
		{"kz +7 7xx", nil, rowsOf(100, func() []string { return []string{g.phone(canon.KZ, 0)} }), canon.KZ},
		{"ru +7 9xx", nil, rowsOf(100, func() []string { return []string{g.phone(canon.RU, 0)} }), canon.RU},
		{"in mobiles", nil, rowsOf(100, func() []string { return []string{g.phone(canon.IN, 1)} }), canon.IN},
		{"ua ids only", nil, rowsOf(100, func() []string { return []string{g.rnokpp()} }), canon.UA},
		{"kz iin only", nil, rowsOf(100, func() []string { return []string{g.iin()} }), canon.KZ},
		{"ukrainian letters", []string{"Прізвище"}, rowsOf(50, func() []string { return []string{g.pick(uaFemale) + "ї"} }), canon.UA},
		{"kazakh letters", nil, rowsOf(50, func() []string { return []string{g.pick(kzLast)} }), canon.KZ},
		{"devanagari", nil, rowsOf(50, func() []string { return []string{g.inAddress()} }), canon.IN},
		{"belarus +375", nil, rowsOf(100, func() []string { return []string{"+375 29 " + g.digits(3) + "-" + g.digits(2) + "-" + g.digits(2)} }), "BY"},
		{"nothing to go on", nil, rowsOf(50, func() []string { return []string{g.email("a", g.digits(3))} }), ""},
	}
	for _, tt := range tests {
		d := DetectColumns(tt.names, tt.names != nil, tt.rows, DetectOptions{})
		assert.Equal(t, tt.want, d.Region, tt.name)
	}
}

func TestDetectColumnsRagged(t *testing.T) {
	rows := [][]string{{"a"}, {"b", "c", "d"}, {}}
	d := DetectColumns([]string{"x"}, true, rows, DetectOptions{})
	require.Len(t, d.Columns, 3)
	assert.Equal(t, []string{"x", "column 2", "column 3"}, []string{d.Columns[0].Name, d.Columns[1].Name, d.Columns[2].Name})
	d = DetectColumns([]string{"Телефон", "email"}, true, nil, DetectOptions{})
	assert.Equal(t, []string{"phone", "email"}, kinds(d), "header alone")
}

func TestSniffHeader(t *testing.T) {
	g := newGen(21)
	tests := []struct {
		name  string
		shape func(*gen, int) ([]string, [][]string)
	}{
		{"ua-bank", uaBank}, {"ua-leak", uaLeak}, {"in-leak", inLeak}, {"in-broker", inBroker},
		{"kz-queue", kzQueue}, {"ru-shop", ruShop}, {"ua-registry", uaRegistry}, {"in-docs", inDocs},
		{"ua-social", uaSocial},
	}
	for _, tt := range tests {
		names, rows := tt.shape(g, 100)
		assert.True(t, SniffHeader(names, rows[1:]), "%s: header row", tt.name)
		assert.False(t, SniffHeader(rows[0], rows[1:]), "%s: data row", tt.name)
		assert.True(t, SniffHeader(useless(len(names)), rows), "%s: col1..colN over values", tt.name)
		unknown := make([]string, len(names))
		for i := range unknown {
			unknown[i] = "поле" + string(rune('А'+i))
		}
		assert.True(t, SniffHeader(unknown, rows), "%s: unknown words over values", tt.name)
	}

	// Files of names only.
	people := rowsOf(50, func() []string { l, f, _ := g.uaPerson(); return []string{l + " " + f} })
	assert.True(t, SniffHeader([]string{"ПІБ"}, people), "ПІБ over names")
	assert.True(t, SniffHeader([]string{"Name"}, people), "Name over names")
	assert.False(t, SniffHeader(people[0], people[1:]), "a name over names")

	// A password that happens to be a header word does not make a header.
	acc := rowsOf(50, func() []string { return []string{g.email("c", g.digits(4)), g.password()} })
	assert.False(t, SniffHeader([]string{"someone@example.com", "password"}, acc), "email + 'password' value")
	assert.True(t, SniffHeader([]string{"email", "password"}, acc), "email, password header")
	assert.False(t, SniffHeader([]string{"a", "b"}, nil), "no rows, no header words")
	assert.True(t, SniffHeader([]string{"email", "phone"}, nil), "no rows, header words")
}

func FuzzDetectColumns(f *testing.F) {
	f.Add("ПІБ;Телефон;Дата народження;ІПН\nБАТЮК СОЛОМІЯ;(067) 628-27-89;21.01.1990;3727614985\n;;;")
	f.Add("full_name\tmobile\nShkti Daadaa\t+91 97164 83975\nx")
	f.Add("a,b\n414949******1234,$2y$10$abc\n\"\",\xff\xfe")
	f.Add("Прізвище Ім'я По батькові\nПетренко Іван Іванович")
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		for line := range strings.SplitSeq(s, "\n") {
			rows = append(rows, strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' || r == '\t' }))
		}
		if len(rows) == 0 {
			return
		}
		_ = SniffHeader(rows[0], rows[1:])
		d := DetectColumns(rows[0], true, rows[1:], DetectOptions{})
		for _, c := range d.Columns {
			if !c.Kind.Valid() {
				t.Fatalf("invalid kind %v", c.Kind)
			}
		}
		_ = DetectColumns(nil, false, rows, DetectOptions{Region: canon.UA})
	})
}

func BenchmarkDetectColumns(b *testing.B) {
	for _, s := range []struct {
		name  string
		shape func(*gen, int) ([]string, [][]string)
	}{{"ua-bank", uaBank}, {"ua-social", uaSocial}, {"in-docs", inDocs}} {
		names, rows := s.shape(newGen(1), SniffRecords)
		b.Run(s.name+"/infer", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				DetectColumns(names, true, rows, DetectOptions{})
			}
		})
		b.Run(s.name+"/region", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				DetectColumns(names, true, rows, DetectOptions{Region: canon.UA})
			}
		})
	}
}

func BenchmarkSniffHeader(b *testing.B) {
	names, rows := uaBank(newGen(1), 200)
	b.ReportAllocs()
	for b.Loop() {
		SniffHeader(names, rows)
	}
}

func TestTimeOfDay(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"1990-04-03", false},
		{"1990-04-03 00:00:00", false},
		{"1990-04-03T00:00:00Z", false},
		{"1990-04-03T00:00:00.000+03:00", false},
		{"4/3/1990 12:00:00 AM", false},
		{"03.04.1990 0:00", false},
		{"2019-05-01 10:13:00", true},
		{"2019-05-01T00:00:01Z", true},
		{"4/3/2019 12:00:00 PM", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, timeOfDay(tt.v), "timeOfDay(%q)", tt.v)
	}
}

func TestDetectColumnsOtherDates(t *testing.T) {
	g := newGen(14)
	rows := rowsOf(200, func() []string {
		return []string{
			fmt.Sprintf("%d-%02d-%02d %02d:%02d:%02d", 2008+g.r.IntN(4), 1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60)),
			fmt.Sprintf("%02d.%02d.%d", 1+g.r.IntN(28), 1+g.r.IntN(12), 2000+g.r.IntN(24)),
			g.birth("dmy."),
			g.birth("iso") + " 00:00:00",
		}
	})
	d := DetectColumns(nil, false, rows, DetectOptions{})
	assert.Equal(t, []string{"other", "other", "birth_date", "birth_date"}, kinds(d), "timestamps, issue dates, birth dates")
	d = DetectColumns([]string{"Дата народження", "Дата рождения", "dob", "created"}, true, rows, DetectOptions{})
	assert.Equal(t, []string{"birth_date", "birth_date", "birth_date", "birth_date"}, kinds(d), "birth-date headers keep any dates")
}
