package demo

// The pilot's figures (../shared/domain/README.md, March to October 2022),
// as counts out of PilotParticipants. Generate scales every count to the
// number of participants asked for, so that the shares stay the pilot's.

// PilotParticipants is the number of people who registered in the pilot.
const PilotParticipants = 179

// country is where participants live, with what they speak and the time
// zone they write.
type country struct {
	Name     string
	Region   string
	Count    int      // participants, of 179
	Native   []string // languages people there have as mother tongue (one each)
	Second   string   // a language most also work in ("" for none)
	TimeZone []string // IANA names; the first is the most common
	Groups   []string // affiliates people there belong to
}

// countries: 25 countries, 61% of participants in the Middle East and
// Africa (over half of them from Nigeria, then Tanzania and Ghana), then
// the other regions in the pilot's order. Their languages make the pilot's
// 14: en, fr, ar, sw, yo, ha, ig, tw, pt, es, hi, bn, id, uk.
var countries = []country{
	{"Nigeria", "Middle East and Africa", 56, []string{"yo", "ha", "ig", "en"}, "en", []string{"Africa/Lagos"}, []string{"Wikimedia User Group Nigeria", "Igbo Wikimedians User Group", "Hausa Wikimedians User Group", "Yoruba Wikimedians User Group"}},
	{"Tanzania", "Middle East and Africa", 14, []string{"sw"}, "en", []string{"Africa/Dar_es_Salaam"}, []string{"Wikimedia Community User Group Tanzania"}},
	{"Ghana", "Middle East and Africa", 12, []string{"tw", "en"}, "en", []string{"Africa/Accra"}, []string{"Wikimedians of Ghana User Group", "Dagbani Wikimedians User Group"}},
	{"Kenya", "Middle East and Africa", 7, []string{"sw"}, "en", []string{"Africa/Nairobi"}, []string{"Wikimedia Community User Group Kenya"}},
	{"Uganda", "Middle East and Africa", 5, []string{"en"}, "", []string{"Africa/Kampala"}, []string{"Wikimedians of Uganda User Group"}},
	{"Cameroon", "Middle East and Africa", 5, []string{"fr"}, "en", []string{"Africa/Douala"}, []string{"Wikimedians of Cameroon User Group"}},
	{"Egypt", "Middle East and Africa", 4, []string{"ar"}, "en", []string{"Africa/Cairo"}, []string{"Wikimedians of Egypt User Group"}},
	{"Morocco", "Middle East and Africa", 3, []string{"ar"}, "fr", []string{"Africa/Casablanca"}, []string{"Moroccan Wikimedians User Group"}},
	{"South Africa", "Middle East and Africa", 3, []string{"en"}, "", []string{"Africa/Johannesburg"}, []string{"Wikimedia ZA"}},
	{"Brazil", "Latin America and the Caribbean", 7, []string{"pt"}, "es", []string{"America/Sao_Paulo"}, []string{"Wiki Movimento Brasil"}},
	{"Mexico", "Latin America and the Caribbean", 5, []string{"es"}, "en", []string{"America/Mexico_City"}, []string{"Wikimedia México"}},
	{"Argentina", "Latin America and the Caribbean", 3, []string{"es"}, "en", []string{"America/Argentina/Buenos_Aires"}, []string{"Wikimedia Argentina"}},
	{"Peru", "Latin America and the Caribbean", 3, []string{"es"}, "", []string{"America/Lima"}, []string{"Wikimedia Peru"}},
	{"Colombia", "Latin America and the Caribbean", 2, []string{"es"}, "en", []string{"America/Bogota"}, []string{"Wikimedia Colombia"}},
	{"Bolivia", "Latin America and the Caribbean", 2, []string{"es"}, "", []string{"America/La_Paz"}, []string{"Wikimedistas de Bolivia"}},
	{"India", "South Asia", 10, []string{"hi", "en"}, "en", []string{"Asia/Kolkata"}, []string{"Hindi Wikimedians User Group", "The Centre for Internet and Society"}},
	{"Bangladesh", "South Asia", 6, []string{"bn"}, "en", []string{"Asia/Dhaka"}, []string{"Wikimedia Bangladesh", "NDEC Wikipedia Editorial and Research Team"}},
	{"Indonesia", "East, Southeast Asia and Pacific", 7, []string{"id"}, "en", []string{"Asia/Jakarta"}, []string{"Wikimedia Indonesia"}},
	{"Philippines", "East, Southeast Asia and Pacific", 5, []string{"en"}, "", []string{"Asia/Manila"}, []string{"Wikimedia Community User Group Philippines"}},
	{"Malaysia", "East, Southeast Asia and Pacific", 2, []string{"en"}, "", []string{"Asia/Kuala_Lumpur"}, []string{"Wikimedia Community User Group Malaysia"}},
	{"Ukraine", "Central and Eastern Europe", 5, []string{"uk"}, "en", []string{"Europe/Kyiv"}, []string{"Wikimedia Ukraine"}},
	{"Serbia", "Central and Eastern Europe", 2, []string{"en"}, "", []string{"Europe/Belgrade"}, []string{"Wikimedia Serbia"}},
	{"France", "North and Western Europe", 4, []string{"fr"}, "en", []string{"Europe/Paris"}, []string{"Wikimédia France"}},
	{"United Kingdom", "North and Western Europe", 3, []string{"en"}, "fr", []string{"Europe/London"}, []string{"Wikimedia UK"}},
	{"United States", "United States and Canada", 4, []string{"en"}, "es", []string{"America/New_York", "America/Chicago", "America/Los_Angeles"}, []string{"Wikimedia New York City", "Art+Feminism"}},
}

// extraWikipedias are language Wikipedias people contribute to beyond the
// languages they list: with the 14 above they make the pilot's 28.
var extraWikipedias = []string{"pcm", "dag", "ak", "ee", "ff", "lg", "rw", "zu", "xh", "ln", "wo", "gn", "qu", "ny"}

// otherProjects are the sister projects people list after their Wikipedias.
var otherProjects = []string{"Wikidata", "Commons", "Wikisource", "Wiktionary", "Wikivoyage", "Wikiquote"}

// Experience was asked of 75 of the 179: about 60% under 2 years in the
// movement, 8% over 5 years, the rest in between.
const (
	experienceAsked = 75
	experienceUnder = 45 // 60% of 75
	experienceOver  = 6  // 8% of 75
)

// interests: thematic interests with the share of participants (of 179).
var interests = []struct {
	Name  string
	Count int
}{
	{"education", 125},     // 70%
	{"GLAM", 91},           // 51%
	{"human rights", 70},   // 39%
	{"climate change", 54}, // 30%
	{"advocacy", 47},       // 26%
	{"gender gap", 30},     // not in the report's list
	{"open knowledge", 20}, // idem
	{"health", 12},         // idem
	{"indigenous languages", 9},
}

// Counts of 179 for the yes/no questions.
const (
	pilotIndividuals = 129 // 72% registered as individuals
	pilotAmbassadors = 107 // 60% interested in being a Learning Ambassador
	pilotFinancial   = 90  // 50% asked for financial support
	pilotConnection  = 72  // 40% had connectivity problems
	pilotPaused      = 9   // not in the report: a few people pause
	pilotEmail       = 25  // not in the report: some prefer email
)

// wantToLearn: the pilot's most wanted skills, by taxonomy id, with the
// number of the 179 who wanted to learn each.
var wantToLearn = map[string]int{
	"org-plan": 101, "org-proposal": 88, "eval-plans": 87, "wiki-queries": 82,
	"eval-quant": 78, "wiki-wikisource": 78, "org-leadership": 73, "org-finance": 72,
	"eval-qual": 72, "org-governance": 71, "inter-inclusive": 68, "inter-conflict": 67,
	"prog-glam": 64, "prog-volunteers": 63, "inter-teams": 62, "wiki-wikidata": 61,
	"prog-campaigns": 60, "prog-glam-innovation": 58, "eval-docs": 54,
}

// wantToShare: the skills most offered, with the number who offered each.
var wantToShare = map[string]int{
	"prog-newcomers": 68, "wiki-wikidata": 67, "prog-volunteers": 63, "inter-teams": 62,
	"eval-social": 58, "prog-small-events": 53, "org-proposal": 44, "inter-inclusive": 44,
	"org-plan": 41, "org-program": 41, "org-knowledge": 40, "eval-docs": 39,
	"inter-healthy": 38, "eval-quant": 37, "eval-retro": 37, "wiki-topics": 37,
	"wiki-wikisource": 36,
}

// nobodyShares: wanted skills that no participant offered, so that the
// directory and the report have real gaps, as the pilot did (it covered
// only 30% of the prioritised skills).
var nobodyShares = map[string]bool{
	"wiki-queries": true, "eval-plans": true, "org-finance": true,
	"inter-conflict": true, "prog-glam": true, "prog-campaigns": true,
}

// The pilot gives no figure for the other skills: fewer people want them
// than the least wanted above, and fewer offer them than the least offered.
const (
	otherLearnMax = 50
	otherShareMax = 30
)
