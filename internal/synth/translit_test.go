package synth

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// Examples from the table of KMU resolution No. 55 (27 January 2010).
func TestKMU(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Олександр", "Oleksandr"},
		{"Юлія", "Yuliia"},
		{"Згурський", "Zghurskyi"},
		{"Єнакієве", "Yenakiieve"},
		{"Щербина", "Shcherbyna"},
		{"Гаєвич", "Haievych"},
		{"Алушта", "Alushta"},
		{"Андрій", "Andrii"},
		{"Борщагівка", "Borshchahivka"},
		{"Вінниця", "Vinnytsia"},
		{"Гадяч", "Hadiach"},
		{"Розгон", "Rozghon"},
		{"Ґалаґан", "Galagan"},
		{"Короп'є", "Koropie"},
		{"Житомир", "Zhytomyr"},
		{"Закарпаття", "Zakarpattia"},
		{"Медвин", "Medvyn"},
		{"Михайленко", "Mykhailenko"},
		{"Іващенко", "Ivashchenko"},
		{"Їжакевич", "Yizhakevych"},
		{"Кадиївка", "Kadyivka"},
		{"Мар'їне", "Marine"},
		{"Йосипівка", "Yosypivka"},
		{"Стрий", "Stryi"},
		{"Олексій", "Oleksii"},
		{"Миколаїв", "Mykolaiv"},
		{"Наталія", "Nataliia"},
		{"Тернопіль", "Ternopil"},
		{"Троць", "Trots"},
		{"Ужгород", "Uzhhorod"},
		{"Уляна", "Uliana"},
		{"Христина", "Khrystyna"},
		{"Біла Церква", "Bila Tserkva"},
		{"Гоща", "Hoshcha"},
		{"Юрій", "Yurii"},
		{"Корюківка", "Koriukivka"},
		{"Яготин", "Yahotyn"},
		{"Костянтин", "Kostiantyn"},
		{"Знам’янка", "Znamianka"},
		{"Феодосія", "Feodosiia"},
		// Capitals, several words, non-letters.
		{"ЩЕРБИНА ЮЛІЯ", "SHCHERBYNA YULIIA"},
		{"ЗГУРСЬКИЙ", "ZGHURSKYI"},
		{"Петренко-Ярошенко", "Petrenko-Yaroshenko"},
		{"Ю", "Yu"},
		{"вул. Шевченка, 12", "vul. Shevchenka, 12"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, KMU(tt.in), "KMU(%q)", tt.in)
	}
}

// Examples spelt as Russian passports (ICAO Doc 9303) spell them.
func TestICAO(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Юрий", "Iurii"},
		{"Юлия", "Iuliia"},
		{"Щукин", "Shchukin"},
		{"Королёв", "Korolev"},
		{"Ульянов", "Ulianov"},
		{"Чернышёв", "Chernyshev"},
		{"Хохлов", "Khokhlov"},
		{"Цветков", "Tsvetkov"},
		{"Андрей", "Andrei"},
		{"Съедин", "Sieedin"},
		{"Эльвира", "Elvira"},
		{"Наталья", "Natalia"},
		{"ЮДИН ПЁТР", "IUDIN PETR"},
		{"Әбенов Қанат", "Abenov Kanat"},
		{"Нұрланұлы", "Nurlanuly"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ICAO(tt.in), "ICAO(%q)", tt.in)
	}
}

func FuzzTranslit(f *testing.F) {
	for _, s := range []string{"Олександр", "Мар'їне", "ЗГУРСЬКИЙ", "'Юлія'", "Әбенов", "a\xffb", "Й"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, i := KMU(s), ICAO(s)
		if utf8.ValidString(s) {
			assert.True(t, utf8.ValidString(k), "KMU(%q) = %q", s, k)
			assert.True(t, utf8.ValidString(i), "ICAO(%q) = %q", s, i)
		}
	})
}
