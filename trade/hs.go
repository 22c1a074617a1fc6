package trade

import (
	"fmt"
	"strings"
)

// Level is a level of the Harmonized System's product tree.
type Level int

// The levels of the Harmonized System, from the finest.
const (
	HS6     Level = iota // subheading, 6 digits (BACI's products)
	HS4                  // heading, 4 digits
	HS2                  // chapter, 2 digits
	Section              // one of the 21 sections (I–XXI), grouping chapters into fields
)

// ParseLevel parses "hs6", "hs4", "hs2" (or "chapter") and "section".
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "hs6", "product", "6":
		return HS6, nil
	case "hs4", "heading", "4":
		return HS4, nil
	case "hs2", "chapter", "2":
		return HS2, nil
	case "section":
		return Section, nil
	}
	return 0, fmt.Errorf("unknown product level %q (want hs6, hs4, hs2 or section)", s)
}

// String returns the level's name as ParseLevel reads it.
func (l Level) String() string {
	return [...]string{"hs6", "hs4", "hs2", "section"}[l]
}

// HSSection is one section of the Harmonized System: a field of goods
// spanning consecutive chapters.
type HSSection struct {
	Number      int    // 1..21
	Roman       string // "I" .. "XXI"
	Name        string // short English name
	First, Last int    // its chapters
}

// Sections lists the 21 sections of the Harmonized System (editions 1992–2022).
var Sections = []HSSection{
	{1, "I", "Live animals; animal products", 1, 5},
	{2, "II", "Vegetable products", 6, 14},
	{3, "III", "Animal or vegetable fats and oils", 15, 15},
	{4, "IV", "Prepared foodstuffs; beverages, spirits, tobacco", 16, 24},
	{5, "V", "Mineral products", 25, 27},
	{6, "VI", "Products of the chemical or allied industries", 28, 38},
	{7, "VII", "Plastics and rubber", 39, 40},
	{8, "VIII", "Raw hides and skins, leather, furskins", 41, 43},
	{9, "IX", "Wood, cork, straw and basketware", 44, 46},
	{10, "X", "Pulp of wood, paper and paperboard", 47, 49},
	{11, "XI", "Textiles and textile articles", 50, 63},
	{12, "XII", "Footwear, headgear, umbrellas", 64, 67},
	{13, "XIII", "Articles of stone, ceramics and glass", 68, 70},
	{14, "XIV", "Pearls, precious stones and metals", 71, 71},
	{15, "XV", "Base metals and articles thereof", 72, 83},
	{16, "XVI", "Machinery and electrical equipment", 84, 85},
	{17, "XVII", "Vehicles, aircraft, vessels", 86, 89},
	{18, "XVIII", "Optical, medical and precision instruments; clocks; musical instruments", 90, 92},
	{19, "XIX", "Arms and ammunition", 93, 93},
	{20, "XX", "Miscellaneous manufactured articles", 94, 96},
	{21, "XXI", "Works of art and antiques", 97, 97},
}

// chapterNames holds the short English names of HS chapters 1..97 (77 is reserved).
var chapterNames = [98]string{
	1: "Live animals", 2: "Meat and edible meat offal", 3: "Fish and crustaceans", 4: "Dairy produce, eggs, honey",
	5: "Other products of animal origin", 6: "Live trees and plants, cut flowers", 7: "Edible vegetables",
	8: "Edible fruit and nuts", 9: "Coffee, tea, mate and spices", 10: "Cereals", 11: "Milling products, malt, starches",
	12: "Oil seeds and oleaginous fruits", 13: "Lac, gums, resins", 14: "Vegetable plaiting materials",
	15: "Animal or vegetable fats and oils", 16: "Preparations of meat or fish", 17: "Sugars and sugar confectionery",
	18: "Cocoa and cocoa preparations", 19: "Preparations of cereals, flour, starch or milk", 20: "Preparations of vegetables, fruit or nuts",
	21: "Miscellaneous edible preparations", 22: "Beverages, spirits and vinegar", 23: "Food industry residues, animal fodder",
	24: "Tobacco", 25: "Salt, sulphur, earths and stone, cement", 26: "Ores, slag and ash",
	27: "Mineral fuels, oils and waxes", 28: "Inorganic chemicals", 29: "Organic chemicals", 30: "Pharmaceutical products",
	31: "Fertilisers", 32: "Tanning or dyeing extracts, paints", 33: "Essential oils, perfumery, cosmetics",
	34: "Soap, washing preparations, waxes", 35: "Albuminoidal substances, glues, enzymes", 36: "Explosives, matches",
	37: "Photographic or cinematographic goods", 38: "Miscellaneous chemical products", 39: "Plastics and articles thereof",
	40: "Rubber and articles thereof", 41: "Raw hides and skins, leather", 42: "Articles of leather, travel goods, handbags",
	43: "Furskins and artificial fur", 44: "Wood and articles of wood", 45: "Cork and articles of cork",
	46: "Manufactures of straw, basketware", 47: "Pulp of wood, recovered paper", 48: "Paper and paperboard",
	49: "Printed books, newspapers, pictures", 50: "Silk", 51: "Wool, animal hair", 52: "Cotton",
	53: "Other vegetable textile fibres", 54: "Man-made filaments", 55: "Man-made staple fibres",
	56: "Wadding, felt, nonwovens, twine, ropes", 57: "Carpets", 58: "Special woven fabrics, lace, embroidery",
	59: "Coated or laminated textile fabrics", 60: "Knitted or crocheted fabrics", 61: "Apparel, knitted or crocheted",
	62: "Apparel, not knitted", 63: "Other made-up textile articles, worn clothing", 64: "Footwear",
	65: "Headgear", 66: "Umbrellas, walking sticks", 67: "Prepared feathers, artificial flowers",
	68: "Articles of stone, plaster, cement", 69: "Ceramic products", 70: "Glass and glassware",
	71: "Pearls, precious stones and metals, jewellery, coin", 72: "Iron and steel", 73: "Articles of iron or steel",
	74: "Copper", 75: "Nickel", 76: "Aluminium", 77: "(reserved)", 78: "Lead", 79: "Zinc", 80: "Tin",
	81: "Other base metals, cermets", 82: "Tools, implements, cutlery of base metal", 83: "Miscellaneous articles of base metal",
	84: "Machinery, mechanical appliances, nuclear reactors, boilers", 85: "Electrical machinery and equipment",
	86: "Railway locomotives and rolling stock", 87: "Vehicles other than railway", 88: "Aircraft, spacecraft",
	89: "Ships, boats", 90: "Optical, photographic, medical and precision instruments", 91: "Clocks and watches",
	92: "Musical instruments", 93: "Arms and ammunition", 94: "Furniture, bedding, lamps, prefabricated buildings",
	95: "Toys, games and sports equipment", 96: "Miscellaneous manufactured articles", 97: "Works of art, antiques",
}

// ChapterName returns the short English name of HS chapter ch (1..97), or "".
func ChapterName(ch int) string {
	if ch < 1 || ch >= len(chapterNames) {
		return ""
	}
	return chapterNames[ch]
}

// Chapter returns the HS chapter (the first two digits) of an HS code of 2, 4
// or 6 digits, or 0 when code is not one.
func Chapter(code string) int {
	if len(code) < 2 || len(code)%2 != 0 {
		return 0
	}
	c0, c1 := code[0], code[1]
	if c0 < '0' || c0 > '9' || c1 < '0' || c1 > '9' {
		return 0
	}
	return int(c0-'0')*10 + int(c1-'0')
}

// SectionOf returns the HS section of chapter ch, or false when ch is in none.
func SectionOf(ch int) (HSSection, bool) {
	for _, s := range Sections {
		if ch >= s.First && ch <= s.Last {
			return s, true
		}
	}
	return HSSection{}, false
}

// Up returns the code of HS code code (6, 4 or 2 digits) at the coarser
// level l: "010121" → "0101" (HS4), "01" (HS2), "I" (section). It returns
// code unchanged for HS6, and "" when code is not an HS code of that level
// or finer.
func Up(code string, l Level) string {
	switch l {
	case HS6:
		return code
	case HS4:
		if len(code) >= 4 {
			return code[:4]
		}
	case HS2:
		if Chapter(code) > 0 {
			return code[:2]
		}
	case Section:
		if s, ok := SectionOf(Chapter(code)); ok {
			return s.Roman
		}
	}
	return ""
}

// GroupName returns the name of a group code at level l: the chapter or
// section name; for HS6 and HS4 codes, names[code] when given, else the name
// of the chapter.
func GroupName(code string, l Level, names map[string]string) string {
	switch l {
	case Section:
		for _, s := range Sections {
			if s.Roman == code {
				return s.Name
			}
		}
		return ""
	case HS2:
		return ChapterName(Chapter(code))
	}
	if n := names[code]; n != "" {
		return n
	}
	return ChapterName(Chapter(code))
}
