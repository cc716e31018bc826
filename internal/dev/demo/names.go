package demo

// Given and family names by region, to make user names that look like the
// program's. A user name is "Given Family", with a number after it when
// that pair is taken (at 100,000 participants most are).
var givenNames = map[string][]string{
	"Middle East and Africa":           {"Adaeze", "Aisha", "Amaka", "Babajide", "Chinedu", "Chioma", "Efua", "Emeka", "Fatima", "Folake", "Halima", "Ibrahim", "Kwabena", "Kwame", "Ngozi", "Nnamdi", "Olamide", "Oluwaseun", "Yaw", "Zainab", "Baraka", "Neema", "Juma", "Amina", "Youssef", "Salma", "Thandiwe", "Sipho", "Mbali", "Achieng"},
	"Latin America and the Caribbean":  {"Ana", "Camila", "Diego", "Florencia", "Gabriel", "Joaquín", "Lucía", "Mateo", "Renata", "Sebastián", "Valentina", "Thiago", "Mariana", "Pilar", "Nicolás"},
	"South Asia":                       {"Aarav", "Ananya", "Farhana", "Ishaan", "Nusrat", "Priya", "Rahul", "Sadia", "Tanvir", "Deepa"},
	"East, Southeast Asia and Pacific": {"Ayu", "Bayu", "Dewi", "Jose", "Maria", "Rizal", "Siti", "Wei Ling", "Putri", "Andre"},
	"Central and Eastern Europe":       {"Olena", "Taras", "Milica", "Nikola", "Oksana", "Marko"},
	"North and Western Europe":         {"Camille", "Hugo", "Siobhan", "Oliver", "Élodie", "Niamh"},
	"United States and Canada":         {"Emily", "Marcus", "Rosa", "Jamal", "Megan"},
}

var familyNames = map[string][]string{
	"Middle East and Africa":           {"Adeyemi", "Okafor", "Mensah", "Bello", "Eze", "Abubakar", "Okonkwo", "Owusu", "Mwangi", "Mushi", "Ouma", "Nakato", "Fotso", "El-Sayed", "Benali", "Ndlovu", "Boateng", "Danjuma", "Adebayo", "Nwosu", "Kimaro", "Asante", "Salisu", "Oyelaran"},
	"Latin America and the Caribbean":  {"Silva", "González", "Pérez", "Rodríguez", "Quispe", "Mamani", "Oliveira", "Fernández", "Castillo", "Morales", "Santos", "Gómez"},
	"South Asia":                       {"Sharma", "Rahman", "Das", "Gupta", "Hossain", "Iyer", "Chowdhury", "Patel"},
	"East, Southeast Asia and Pacific": {"Santoso", "Reyes", "Wijaya", "Tan", "Cruz", "Lim", "Hidayat"},
	"Central and Eastern Europe":       {"Kovalenko", "Petrović", "Shevchenko", "Jovanović", "Bondarenko"},
	"North and Western Europe":         {"Martin", "O'Brien", "Dubois", "Murphy", "Lefèvre"},
	"United States and Canada":         {"Johnson", "Garcia", "Williams", "Nguyen"},
}
