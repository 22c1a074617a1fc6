package concord

// State is one state, present or historical, with its codes in every scheme
// concord reads. Code is the key used everywhere in concord: the ISO 3166-1
// alpha-3 code, or for a state that has none the Correlates of War (COW)
// abbreviation.
type State struct {
	Code       string   // ISO alpha-3, else COW abbreviation; unique
	Name       string   // English short name
	ISO2       string   // ISO 3166-1 alpha-2 (3166-3 former code for dissolved states), or ""
	ISO3       string   // ISO 3166-1 alpha-3 (3166-3 former code for dissolved states), or ""
	ISONumeric int      // ISO 3166-1 numeric, or 0
	COW        int      // COW country code (CCode), or 0
	COWAbbr    string   // COW state abbreviation (StateAbb), or ""
	Variants   []string // other English names and spellings that resolve to this state
	From, To   int      // years of membership of the state system; To is 0 while it lasts
	UNFrom     int      // year of admission to the United Nations, or 0
	UNTo       int      // year the state left the United Nations (dissolution, merger), or 0
	Historical bool     // the state no longer exists
	Successors []string // codes of the states that succeeded it
	Note       string   // anything a user should know, e.g. whose UN seat it holds
}
