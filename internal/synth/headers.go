package synth

import "github.com/leakprov/leakprov/fingerprint/canon"

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

var headerTable = map[Lang]map[canon.Kind]string{
	English: {
		canon.Name: "full_name", canon.FirstName: "first_name",
		canon.LastName: "last_name", canon.MiddleName: "middle_name",
		canon.Phone: "phone", canon.Email: "email",
		canon.BirthDate: "birth_date", canon.NationalID: "national_id",
		canon.Passport: "passport", canon.DriverLicence: "driver_licence",
		canon.CardNumber: "card_number", canon.Address: "address",
		canon.Password: "password", canon.Username: "username",
	},
	Ukrainian: {
		canon.Name: "ПІБ", canon.FirstName: "Ім'я",
		canon.LastName: "Прізвище", canon.MiddleName: "По батькові",
		canon.Phone: "Телефон", canon.Email: "Електронна пошта",
		canon.BirthDate: "Дата народження", canon.NationalID: "РНОКПП",
		canon.Passport: "Паспорт", canon.DriverLicence: "Посвідчення водія",
		canon.CardNumber: "Номер картки", canon.Address: "Адреса",
		canon.Password: "Пароль", canon.Username: "Логін",
	},
	Russian: {
		canon.Name: "ФИО", canon.FirstName: "Имя",
		canon.LastName: "Фамилия", canon.MiddleName: "Отчество",
		canon.Phone: "Телефон", canon.Email: "Электронная почта",
		canon.BirthDate: "Дата рождения", canon.NationalID: "ИНН",
		canon.Passport: "Паспорт", canon.DriverLicence: "Номер ВУ",
		canon.CardNumber: "Номер карты", canon.Address: "Адрес",
		canon.Password: "Пароль", canon.Username: "Логин",
	},
	Kazakh: {
		canon.Name: "Аты-жөні", canon.FirstName: "Аты",
		canon.LastName: "Тегі", canon.MiddleName: "Әкесінің аты",
		canon.Phone: "Телефон нөмірі", canon.Email: "Электрондық пошта",
		canon.BirthDate: "Туған күні", canon.NationalID: "ЖСН",
		canon.Passport: "Төлқұжат", canon.DriverLicence: "Жүргізуші куәлігі",
		canon.CardNumber: "Карта нөмірі", canon.Address: "Мекенжай",
		canon.Password: "Құпия сөз", canon.Username: "Пайдаланушы",
	},
	Hindi: {
		canon.Name: "पूरा नाम", canon.FirstName: "पहला नाम",
		canon.LastName: "उपनाम", canon.MiddleName: "मध्य नाम",
		canon.Phone: "मोबाइल नंबर", canon.Email: "ईमेल",
		canon.BirthDate: "जन्म तिथि", canon.NationalID: "आधार संख्या",
		canon.Passport: "पासपोर्ट", canon.DriverLicence: "ड्राइविंग लाइसेंस",
		canon.CardNumber: "कार्ड नंबर", canon.Address: "पता",
		canon.Password: "पासवर्ड", canon.Username: "उपयोगकर्ता नाम",
	},
}

// HeaderFor returns the usual header word for a column of kind k in
// language lang (English when lang is unknown), or the kind's name.
func HeaderFor(k canon.Kind, lang Lang) string {
	t, ok := headerTable[lang]
	if !ok {
		t = headerTable[English]
	}
	if h, ok := t[k]; ok {
		return h
	}
	return k.String()
}
