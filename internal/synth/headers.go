package synth

import "github.com/leakprov/leakprov/fingerprint"

// Lang is the language of a dump's header line: "en", "uk", "ru", "kk" or
// "hi".
type Lang string

// Header languages.
const (
	English   Lang = "en"
	Ukrainian Lang = "uk"
	Russian   Lang = "ru"
	Kazakh    Lang = "kk"
	Hindi     Lang = "hi"
)

var headerTable = map[Lang]map[fingerprint.Kind]string{
	English: {
		fingerprint.Name: "full_name", fingerprint.FirstName: "first_name",
		fingerprint.LastName: "last_name", fingerprint.MiddleName: "middle_name",
		fingerprint.Phone: "phone", fingerprint.Email: "email",
		fingerprint.BirthDate: "birth_date", fingerprint.NationalID: "national_id",
		fingerprint.Passport: "passport", fingerprint.DriverLicence: "driver_licence",
		fingerprint.CardNumber: "card_number", fingerprint.Address: "address",
		fingerprint.Password: "password", fingerprint.Username: "username",
	},
	Ukrainian: {
		fingerprint.Name: "ПІБ", fingerprint.FirstName: "Ім'я",
		fingerprint.LastName: "Прізвище", fingerprint.MiddleName: "По батькові",
		fingerprint.Phone: "Телефон", fingerprint.Email: "Електронна пошта",
		fingerprint.BirthDate: "Дата народження", fingerprint.NationalID: "РНОКПП",
		fingerprint.Passport: "Паспорт", fingerprint.DriverLicence: "Посвідчення водія",
		fingerprint.CardNumber: "Номер картки", fingerprint.Address: "Адреса",
		fingerprint.Password: "Пароль", fingerprint.Username: "Логін",
	},
	Russian: {
		fingerprint.Name: "ФИО", fingerprint.FirstName: "Имя",
		fingerprint.LastName: "Фамилия", fingerprint.MiddleName: "Отчество",
		fingerprint.Phone: "Телефон", fingerprint.Email: "Электронная почта",
		fingerprint.BirthDate: "Дата рождения", fingerprint.NationalID: "ИНН",
		fingerprint.Passport: "Паспорт", fingerprint.DriverLicence: "Номер ВУ",
		fingerprint.CardNumber: "Номер карты", fingerprint.Address: "Адрес",
		fingerprint.Password: "Пароль", fingerprint.Username: "Логин",
	},
	Kazakh: {
		fingerprint.Name: "Аты-жөні", fingerprint.FirstName: "Аты",
		fingerprint.LastName: "Тегі", fingerprint.MiddleName: "Әкесінің аты",
		fingerprint.Phone: "Телефон нөмірі", fingerprint.Email: "Электрондық пошта",
		fingerprint.BirthDate: "Туған күні", fingerprint.NationalID: "ЖСН",
		fingerprint.Passport: "Төлқұжат", fingerprint.DriverLicence: "Жүргізуші куәлігі",
		fingerprint.CardNumber: "Карта нөмірі", fingerprint.Address: "Мекенжай",
		fingerprint.Password: "Құпия сөз", fingerprint.Username: "Пайдаланушы",
	},
	Hindi: {
		fingerprint.Name: "पूरा नाम", fingerprint.FirstName: "पहला नाम",
		fingerprint.LastName: "उपनाम", fingerprint.MiddleName: "मध्य नाम",
		fingerprint.Phone: "मोबाइल नंबर", fingerprint.Email: "ईमेल",
		fingerprint.BirthDate: "जन्म तिथि", fingerprint.NationalID: "आधार संख्या",
		fingerprint.Passport: "पासपोर्ट", fingerprint.DriverLicence: "ड्राइविंग लाइसेंस",
		fingerprint.CardNumber: "कार्ड नंबर", fingerprint.Address: "पता",
		fingerprint.Password: "पासवर्ड", fingerprint.Username: "उपयोगकर्ता नाम",
	},
}

// HeaderFor returns the usual header word for a column of kind k in
// language lang (English when lang is unknown), or the kind's name.
func HeaderFor(k fingerprint.Kind, lang Lang) string {
	t, ok := headerTable[lang]
	if !ok {
		t = headerTable[English]
	}
	if h, ok := t[k]; ok {
		return h
	}
	return k.String()
}
