package synth

import "strings"

// Built-in lists of common given names, surnames and fathers' names. Names
// are not personal data; a person is made by combining them at random.
// Surnames are written in their masculine form; feminine forms come from
// feminineSurname. Patronymic pairs are (masculine, feminine).
type nameLists struct {
	male, female, surnames []string
	patronymics            [][2]string
	cities, streets        []string
	mailDomains            []string
}

var uaNames = nameLists{
	male: strings.Fields(`Олександр Андрій Сергій Володимир Дмитро Іван Михайло Микола Юрій
		Олег Богдан Тарас Василь Петро Віктор Євген Ігор Роман Максим Артем Назар Ярослав
		Степан Григорій Костянтин Анатолій Леонід Остап Віталій Павло Федір Данило Єгор
		Олексій Святослав Валентин Зиновій Гнат Орест Юліан`),
	female: strings.Fields(`Олена Наталія Тетяна Оксана Ірина Юлія Світлана Марія Ганна
		Людмила Галина Катерина Вікторія Ольга Анастасія Дарина Софія Христина Соломія Уляна
		Ярослава Богдана Лариса Надія Віра Любов Зоряна Мирослава Євгенія Інна Алла Тамара
		Жанна Валентина Олександра Ксенія Поліна Ївга Леся Роксолана`),
	surnames: strings.Fields(`Шевченко Коваленко Бондаренко Ткаченко Кравченко Олійник Шевчук
		Поліщук Бойко Ткачук Мельник Коваль Лисенко Марченко Руденко Савченко Петренко
		Клименко Павленко Кузьменко Мороз Кравчук Романенко Гончаренко Левченко Харченко
		Карпенко Кириленко Ярошенко Онищенко Гаращенко Іващенко Михайленко Борисенко Стеценко
		Філіпчук Казимирчук Щербина Гаєвич Згурський Рибчинський Заєць Дорошенко Литвиненко
		Яковенко Зінченко Гуменюк Данилюк Василенко Приходько Лук'яненко Юрченко Вовк Демченко
		Сидоренко Білоус Гаврилюк Остапчук Андрієнко Федоренко Мазур Павлюк Савчук Осадчий
		Білецький Грищенко Чорновол Їжакевич Єрмоленко Ющенко Тимошенко Жук Цибуля Хоменко
		Розгон Зозуля Яремчук Гнатюк`),
	patronymics: pairs(`Олександрович Олександрівна Андрійович Андріївна Сергійович Сергіївна
		Володимирович Володимирівна Іванович Іванівна Михайлович Михайлівна Миколайович
		Миколаївна Юрійович Юріївна Олегович Олегівна Богданович Богданівна Тарасович
		Тарасівна Васильович Василівна Петрович Петрівна Вікторович Вікторівна Євгенович
		Євгенівна Ігорович Ігорівна Романович Романівна Степанович Степанівна Григорович
		Григорівна Анатолійович Анатоліївна Леонідович Леонідівна Віталійович Віталіївна
		Павлович Павлівна Федорович Федорівна Данилович Данилівна Олексійович Олексіївна
		Ярославович Ярославівна Костянтинович Костянтинівна Валентинович Валентинівна
		Дмитрович Дмитрівна`),
	cities: strings.Fields(`Київ Харків Одеса Дніпро Львів Запоріжжя Вінниця Полтава Чернігів
		Житомир Суми Рівне Тернопіль Ужгород Луцьк Черкаси Хмельницький Ніжин Фастів`),
	streets: strings.Fields(`Шевченка Франка Хрещатик Садова Лесі_Українки Грушевського
		Соборна Миру Незалежності Зелена Шкільна Центральна Київська Польова Лугова`),
	mailDomains: []string{"ukr.net", "gmail.com", "i.ua", "meta.ua", "ukr.net", "gmail.com", "bigmir.net"},
}

var ruNames = nameLists{
	male: strings.Fields(`Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий
		Виктор Виталий Владимир Владислав Вячеслав Геннадий Георгий Григорий Денис Дмитрий
		Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим Михаил Никита Николай
		Олег Павел Пётр Роман Сергей Станислав Степан Юрий Ярослав`),
	female: strings.Fields(`Александра Алёна Алла Анастасия Анна Валентина Валерия Вера
		Виктория Галина Дарья Екатерина Елена Елизавета Жанна Зоя Инна Ирина Кристина Ксения
		Лариса Любовь Людмила Маргарита Марина Мария Надежда Наталья Нина Ольга Полина
		Светлана Софья Тамара Татьяна Юлия Яна Эльвира Ульяна Оксана`),
	surnames: strings.Fields(`Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов
		Новиков Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов
		Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев
		Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев
		Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов
		Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
		Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов
		Покровский Щукин Ульянов Юдин Чернышёв Съедин`),
	patronymics: pairs(`Александрович Александровна Алексеевич Алексеевна Андреевич Андреевна
		Борисович Борисовна Викторович Викторовна Владимирович Владимировна Дмитриевич
		Дмитриевна Евгеньевич Евгеньевна Иванович Ивановна Игоревич Игоревна Михайлович
		Михайловна Николаевич Николаевна Олегович Олеговна Павлович Павловна Петрович
		Петровна Сергеевич Сергеевна Юрьевич Юрьевна Анатольевич Анатольевна Валерьевич
		Валерьевна Геннадьевич Геннадьевна Васильевич Васильевна Григорьевич Григорьевна
		Константинович Константиновна Леонидович Леонидовна Романович Романовна Степанович
		Степановна Фёдорович Фёдоровна Вячеславович Вячеславовна Станиславович Станиславовна
		Максимович Максимовна`),
	cities: strings.Fields(`Москва Санкт-Петербург Новосибирск Екатеринбург Казань Самара Омск
		Ростов-на-Дону Уфа Красноярск Пермь Воронеж Волгоград Тюмень Иркутск`),
	streets: strings.Fields(`Ленина Мира Советская Садовая Центральная Молодёжная Школьная
		Лесная Новая Гагарина Пушкина Лермонтова Победы Строителей Набережная`),
	mailDomains: []string{"mail.ru", "yandex.ru", "gmail.com", "rambler.ru", "bk.ru", "mail.ru", "list.ru"},
}

var kzNames = nameLists{
	male: strings.Fields(`Айдар Айбек Арман Асхат Бауыржан Берік Болат Ғалым Дархан Дәурен
		Ерлан Ержан Жандос Жәнібек Қайрат Қанат Марат Мұрат Нұрлан Нұрсұлтан Олжас Руслан
		Самат Серік Талғат Тимур Ұлан Ернар Әлібек Азамат Бақытжан Дамир Ерболат Мирас Санжар`),
	female: strings.Fields(`Айгүл Айжан Айнұр Ақмарал Әлия Әсел Әсем Балжан Гүлнар Гүлмира
		Дана Дариға Динара Жанар Жанна Зарина Индира Қарлығаш Камила Ләззат Мадина Меруерт
		Назерке Нұргүл Сәуле Салтанат Толқын Ұлжан Әйгерім Аружан Гаухар Жібек Мөлдір Томирис Ақбота`),
	surnames: strings.Fields(`Ахметов Әбенов Байжанов Бекмағамбетов Жұмабаев Жақсылықов Исаев
		Қасымов Омаров Сәрсенбаев Тоқаев Нұрғалиев Сейітов Кенжебаев Мұхамеджанов Оспанов
		Серікбаев Тұрсынов Ермеков Жолдасбеков Әлиев Бекенов Дүйсенов Есенов Жантасов Ибраев
		Қалиев Мамыров Нұрпейісов Рахимов Сұлтанов Төлегенов Уәлиханов Шайхин Ысқақов Абдуллин
		Аманов Бердібеков Ғабдуллин Досмағамбетов Ержанов Жексенбаев Зейнуллин Иманов Кәрімов
		Құнанбаев Мусин Нұрланов Оразов Сапаров Тәжібаев Әбдірахманов Бәйдібеков Байтұрсынов
		Есімов Қожахметов Мұқанов Сатпаев Шәкенов Жанұзақов Әуезов Кемелов Нысанбаев Смағұлов
		Темірбеков`),
	cities: strings.Fields(`Алматы Астана Шымкент Қарағанды Ақтөбе Тараз Павлодар Өскемен Семей
		Атырау Қостанай Қызылорда Орал Петропавл Ақтау`),
	streets: strings.Fields(`Абай Сәтпаев Төле_би Желтоқсан Жібек_жолы Назарбаев Достық
		Әл-Фараби Республика Бейбітшілік Тәуелсіздік Мәңгілік_Ел Сейфуллин Қабанбай_батыр`),
	mailDomains: []string{"mail.ru", "gmail.com", "mail.kz", "inbox.ru", "mail.ru", "yandex.kz"},
}

var inNames = nameLists{
	male: strings.Fields(`Aarav Aditya Ajay Akash Amit Anil Arjun Ashok Deepak Dinesh Ganesh
		Gaurav Harish Karan Kiran Krishna Manoj Mohan Mukesh Naveen Nikhil Pankaj Prakash Rahul
		Rajesh Rakesh Ramesh Ravi Rohit Sachin Sandeep Sanjay Satish Shankar Sunil Suresh Vikas
		Vijay Vinod Yogesh`),
	female: strings.Fields(`Aarti Aishwarya Anita Anjali Ankita Asha Deepika Divya Geeta Isha
		Jyoti Kavita Lakshmi Madhuri Meena Neha Nisha Pooja Priya Radha Rekha Ritu Sangeeta
		Sarita Shweta Sneha Sunita Swati Usha Vandana Anusha Bhavna Lata Mamta Pallavi Preeti
		Rashmi Seema Shalini Tanvi`),
	surnames: strings.Fields(`Sharma Verma Gupta Singh Kumar Patel Shah Mehta Joshi Desai Reddy
		Rao Naidu Nair Menon Pillai Iyer Iyengar Chopra Kapoor Malhotra Khanna Bhatia Saxena
		Srivastava Mishra Pandey Tiwari Dubey Tripathi Chauhan Yadav Jain Agarwal Bansal Goyal
		Mittal Sinha Das Bose Banerjee Chatterjee Mukherjee Ghosh Sen Dutta Roy Patil Kulkarni
		Deshpande Jadhav Pawar Shinde Gaikwad Naik Hegde Shetty Kamath Gowda Murthy Krishnan
		Subramanian Rajan Thakur Rathore Chaudhary Gill Sandhu Grewal Dhillon Ahmed Khan
		Qureshi Ansari Sheikh`),
	cities: []string{"Mumbai 400001", "Delhi 110001", "Bengaluru 560001", "Hyderabad 500001",
		"Ahmedabad 380001", "Chennai 600001", "Kolkata 700001", "Pune 411001", "Jaipur 302001",
		"Lucknow 226001", "Kanpur 208001", "Nagpur 440001", "Indore 452001", "Bhopal 462001",
		"Patna 800001", "Vadodara 390001", "Ludhiana 141001", "Agra 282001", "Nashik 422001"},
	streets: []string{"MG Road", "Station Road", "Gandhi Nagar", "Nehru Street", "Park Street",
		"Civil Lines", "Church Street", "Main Bazaar", "Shivaji Nagar", "Tilak Road",
		"Ring Road", "Model Town", "Rajendra Nagar", "Sector 14", "Anna Salai"},
	mailDomains: []string{"gmail.com", "yahoo.co.in", "rediffmail.com", "gmail.com", "outlook.com", "hotmail.com"},
}

func pairs(s string) [][2]string {
	f := strings.Fields(s)
	out := make([][2]string, 0, len(f)/2)
	for i := 0; i+1 < len(f); i += 2 {
		out = append(out, [2]string{f[i], f[i+1]})
	}
	return out
}

// feminineSurname returns the feminine form of a masculine surname of
// region: Ukrainian -ський/-цький → -ська/-цька and -ий → -а; Russian and
// Kazakh -ов/-ев/-ёв/-ин/-ын → +а, -ский → -ская. Others do not change.
func feminineSurname(region string, s string) string {
	switch region {
	case "UA":
		switch {
		case strings.HasSuffix(s, "ький"):
			return strings.TrimSuffix(s, "ий") + "а"
		case strings.HasSuffix(s, "ий"):
			return strings.TrimSuffix(s, "ий") + "а"
		}
	case "RU", "KZ":
		switch {
		case strings.HasSuffix(s, "ский"):
			return strings.TrimSuffix(s, "ий") + "ая"
		case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ёв"),
			strings.HasSuffix(s, "ин"), strings.HasSuffix(s, "ын"):
			return s + "а"
		}
	}
	return s
}

// listsFor returns the name lists of a region.
func listsFor(region string) *nameLists {
	switch region {
	case "RU":
		return &ruNames
	case "KZ":
		return &kzNames
	case "IN":
		return &inNames
	}
	return &uaNames
}
