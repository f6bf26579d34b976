package canon

import "testing"

// nameBenchInputs are the shapes of name values seen in dumps.
var nameBenchInputs = []struct{ name, in string }{
	{"latin-short", "Ivan Petrenko"},
	{"latin-full", "Petrenko Oleksandr Ivanovych"},
	{"cyrillic-full-patronymic", "Петренко Олександр Іванович"},
	{"cyrillic-caps", "ПЕТРЕНКО ОЛЕКСАНДР ІВАНОВИЧ"},
	{"latin-caps", "SHCHERBYNA YULIIA"},
	{"kazakh", "Сейтқали Нұрлан Әбішұлы"},
	{"nfd-cyrillic", "И\u0306осип Петренко"},
	{"devanagari", "राम कुमार"},
}

func BenchmarkAppendName(b *testing.B) {
	for _, c := range nameBenchInputs {
		b.Run(c.name, func(b *testing.B) {
			dst := make([]byte, 0, 256)
			b.ReportAllocs()
			b.SetBytes(int64(len(c.in)))
			for b.Loop() {
				dst, _ = AppendName(dst[:0], c.in)
			}
		})
	}
}

func BenchmarkIsPatronymic(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = IsPatronymic("Олександрович")
	}
}

func BenchmarkAppendText(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"address-cyrillic", "м. Київ, вул. Хрещатик, буд. 22, кв. 1"},
		{"username", "Ivan_Petrenko.1990"},
		{"fullwidth", "Ｉｖａｎ Ｐｅｔｒｅｎｋｏ"},
	} {
		b.Run(c.name, func(b *testing.B) {
			dst := make([]byte, 0, 256)
			b.ReportAllocs()
			b.SetBytes(int64(len(c.in)))
			for b.Loop() {
				dst, _ = AppendText(dst[:0], c.in)
			}
		})
	}
}
