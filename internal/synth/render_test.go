package synth

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
)

func TestRenderPhone(t *testing.T) {
	tests := []struct {
		e164  string
		style Style
		want  string
	}{
		{"+380676282789", PhoneE164, "+380676282789"},
		{"+380676282789", PhoneDigits, "380676282789"},
		{"+380676282789", PhoneNational, "0676282789"},
		{"+380676282789", PhoneParen, "(067) 628-27-89"},
		{"+380678127651", PhoneSpaced, "067 812 76 51"},
		{"+380678127651", PhoneIntl, "+380 67 812 76 51"},
		{"+380678127651", PhoneTrunk8, "8 067 812 76 51"},
		{"+79161234567", PhoneNational, "89161234567"},
		{"+79161234567", PhoneParen, "8 (916) 123-45-67"},
		{"+79161234567", PhoneIntl, "+7 916 123-45-67"},
		{"+77071234567", PhoneSpaced, "8 707 123 45 67"},
		{"+919716483975", PhoneIntl, "+91 97164 83975"},
		{"+919716483975", PhoneNational, "9716483975"},
		{"+919716483975", PhoneSpaced, "97164 83975"},
		{"+919716483975", PhoneDigits, "919716483975"},
		{"+919716483975", PhoneTrunk8, "09716483975"},
		{"+441234567890", PhoneSpaced, "+441234567890"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, RenderPhone(tt.e164, "", tt.style), "RenderPhone(%q, %d)", tt.e164, tt.style)
	}
}

func TestRender(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	p := &Person{
		Region: canon.UA, Given: "Юлія", Family: "Щербина", Patronymic: "Олександрівна",
		BirthDate: time.Date(1990, 4, 3, 0, 0, 0, 0, time.UTC), Phone: "+380676282789",
		Email: "yuliia.shcherbyna90@ukr.net", NationalID: "0123456789", Passport: "СН123456",
		DriverLicence: "ВХО584508", Card: "4149123412341234",
	}
	tests := []struct {
		kind  canon.Kind
		style Style
		want  string
	}{
		{canon.Name, 0, "Юлія Щербина"},
		{canon.Name, FamilyFirst, "Щербина Юлія"},
		{canon.Name, FamilyFirst | WithPatronymic, "Щербина Юлія Олександрівна"},
		{canon.Name, WithPatronymic | Upper, "ЮЛІЯ ОЛЕКСАНДРІВНА ЩЕРБИНА"},
		{canon.Name, FamilyFirst | LatinKMU, "Shcherbyna Yuliia"},
		{canon.Name, FamilyFirst | LatinKMU | Upper, "SHCHERBYNA YULIIA"},
		{canon.Name, LatinICAO | Lower, "iuliia shcherbina"},
		{canon.FirstName, LatinKMU, "Yuliia"},
		{canon.LastName, Upper, "ЩЕРБИНА"},
		{canon.MiddleName, 0, "Олександрівна"},
		{canon.BirthDate, DateISO, "1990-04-03"},
		{canon.BirthDate, DateDots, "03.04.1990"},
		{canon.BirthDate, DateSlash, "03/04/1990"},
		{canon.BirthDate, DateDash, "03-04-1990"},
		{canon.NationalID, IDPlain, "0123456789"},
		{canon.NationalID, IDNumber, "123456789"},
		{canon.CardNumber, IDSpaced, "4149 1234 1234 1234"},
		{canon.CardNumber, IDDashed, "4149-1234-1234-1234"},
		{canon.DriverLicence, DocNative, "ВХО584508"},
		{canon.DriverLicence, DocLatin, "BXO584508"},
		{canon.DriverLicence, DocNative | DocSpaced, "ВХО 584508"},
		{canon.Passport, DocLatin | DocSpaced, "CH 123456"},
		{canon.Email, EmailUpper, "YULIIA.SHCHERBYNA90@UKR.NET"},
		{canon.Other, 0, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Render(r, p, tt.kind, tt.style), "Render(%s, %d)", tt.kind, tt.style)
	}
	// Mixed letters: each is one of the two look-alikes.
	for range 20 {
		got := []rune(Render(r, p, canon.DriverLicence, DocMixed))
		assert.Contains(t, []rune{'В', 'B'}, got[0], string(got))
		assert.Contains(t, []rune{'Х', 'X'}, got[1], string(got))
		assert.Equal(t, "ВХО584508", foldCyrillic(string(got)), string(got))
	}
	in := &Person{Region: canon.IN, DriverLicence: "MH1220110012345", Passport: "RU4567890"}
	assert.Equal(t, "MH12 20110012345", Render(r, in, canon.DriverLicence, DocSpaced))
	assert.Equal(t, "", Render(r, in, canon.MiddleName, 0), "no patronymic")
	ru := &Person{Passport: "4510123456"}
	assert.Equal(t, "45 10 123456", Render(r, ru, canon.Passport, DocSpaced))
}

// foldCyrillic is the inverse of FoldLookalikes, for tests.
func foldCyrillic(s string) string {
	cyr, lat := []rune(lookalikeCyr), []rune(lookalikeLat)
	out := []rune(s)
	for i, r := range out {
		for j, l := range lat {
			if r == l {
				out[i] = cyr[j]
			}
		}
	}
	return string(out)
}
