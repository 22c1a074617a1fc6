package events

// stateTable is concord's own table of capitals and adjectives (demonyms) of
// states, by ISO alpha-3 code: "CODE|Capital[,other seat]|Adjective[,Adjective]".
// Capitals used as metonyms ("Tehran said") stand for the state's government.
// State names and their spellings come from package countries.
const stateTable = `AFG|Kabul|Afghan
ALB|Tirana|Albanian
DZA|Algiers|Algerian
AGO|Luanda|Angolan
ARG|Buenos Aires|Argentine,Argentinian
ARM|Yerevan|Armenian
AUS|Canberra|Australian
AUT|Vienna|Austrian
AZE|Baku|Azerbaijani
BHR|Manama|Bahraini
BGD|Dhaka|Bangladeshi
BLR|Minsk|Belarusian
BEL|Brussels|Belgian
BEN|Porto-Novo,Cotonou|Beninese
BTN|Thimphu|Bhutanese
BOL|La Paz,Sucre|Bolivian
BIH|Sarajevo|Bosnian
BWA|Gaborone|Botswanan,Motswana
BRA|Brasilia,Brasília|Brazilian
BRN|Bandar Seri Begawan|Bruneian
BGR|Sofia|Bulgarian
BFA|Ouagadougou|Burkinabe
BDI|Gitega,Bujumbura|Burundian
KHM|Phnom Penh|Cambodian
CMR|Yaounde,Yaoundé|Cameroonian
CAN|Ottawa|Canadian
CPV|Praia|Cape Verdean
CAF|Bangui|Central African
TCD|N'Djamena|Chadian
CHL|Santiago|Chilean
CHN|Beijing|Chinese
COL|Bogota,Bogotá|Colombian
COM|Moroni|Comorian
COD|Kinshasa|Congolese
COG|Brazzaville|
CRI|San Jose,San José|Costa Rican
CIV|Yamoussoukro,Abidjan|Ivorian
HRV|Zagreb|Croatian
CUB|Havana|Cuban
CYP|Nicosia|Cypriot
CZE|Prague|Czech
DNK|Copenhagen|Danish
DJI|Djibouti|Djiboutian
DOM|Santo Domingo|Dominican
ECU|Quito|Ecuadorian,Ecuadoran
EGY|Cairo|Egyptian
SLV|San Salvador|Salvadoran
GNQ|Malabo|Equatorial Guinean
ERI|Asmara|Eritrean
EST|Tallinn|Estonian
SWZ|Mbabane|Swazi
ETH|Addis Ababa|Ethiopian
FJI|Suva|Fijian
FIN|Helsinki|Finnish
FRA|Paris|French
GAB|Libreville|Gabonese
GMB|Banjul|Gambian
GEO|Tbilisi|Georgian
DEU|Berlin|German
GHA|Accra|Ghanaian
GRC|Athens|Greek
GTM|Guatemala City|Guatemalan
GIN|Conakry|Guinean
GNB|Bissau|Bissau-Guinean
GUY|Georgetown|Guyanese
HTI|Port-au-Prince|Haitian
HND|Tegucigalpa|Honduran
HUN|Budapest|Hungarian
ISL|Reykjavik|Icelandic
IND|New Delhi|Indian
IDN|Jakarta|Indonesian
IRN|Tehran|Iranian
IRQ|Baghdad|Iraqi
IRL|Dublin|Irish
ISR|Jerusalem|Israeli
ITA|Rome|Italian
JAM|Kingston|Jamaican
JPN|Tokyo|Japanese
JOR|Amman|Jordanian
KAZ|Astana|Kazakh,Kazakhstani
KEN|Nairobi|Kenyan
KIR|Tarawa|I-Kiribati
PRK|Pyongyang|North Korean
KOR|Seoul|South Korean
KWT|Kuwait City|Kuwaiti
KGZ|Bishkek|Kyrgyz
LAO|Vientiane|Lao,Laotian
LVA|Riga|Latvian
LBN|Beirut|Lebanese
LSO|Maseru|Basotho
LBR|Monrovia|Liberian
LBY|Tripoli|Libyan
LTU|Vilnius|Lithuanian
LUX|Luxembourg|Luxembourgish
MDG|Antananarivo|Malagasy
MWI|Lilongwe|Malawian
MYS|Kuala Lumpur|Malaysian
MDV|Male|Maldivian
MLI|Bamako|Malian
MLT|Valletta|Maltese
MRT|Nouakchott|Mauritanian
MUS|Port Louis|Mauritian
MEX|Mexico City|Mexican
MDA|Chisinau|Moldovan
MNG|Ulaanbaatar,Ulan Bator|Mongolian
MNE|Podgorica|Montenegrin
MAR|Rabat|Moroccan
MOZ|Maputo|Mozambican
MMR|Naypyidaw,Naypyitaw|Myanmar,Burmese
NAM|Windhoek|Namibian
NPL|Kathmandu|Nepalese,Nepali
NLD|Amsterdam,The Hague|Dutch
NZL|Wellington|New Zealand
NIC|Managua|Nicaraguan
NER|Niamey|Nigerien
NGA|Abuja|Nigerian
MKD|Skopje|Macedonian
NOR|Oslo|Norwegian
OMN|Muscat|Omani
PAK|Islamabad|Pakistani
PSE|Ramallah|Palestinian
PAN|Panama City|Panamanian
PNG|Port Moresby|Papua New Guinean
PRY|Asuncion,Asunción|Paraguayan
PER|Lima|Peruvian
PHL|Manila|Filipino,Philippine
POL|Warsaw|Polish
PRT|Lisbon|Portuguese
QAT|Doha|Qatari
ROU|Bucharest|Romanian
RUS|Moscow|Russian
RWA|Kigali|Rwandan
SAU|Riyadh|Saudi
SEN|Dakar|Senegalese
SRB|Belgrade|Serbian
SLE|Freetown|Sierra Leonean
SGP|Singapore|Singaporean
SVK|Bratislava|Slovak
SVN|Ljubljana|Slovenian
SLB|Honiara|Solomon Islands
SOM|Mogadishu|Somali
ZAF|Pretoria|South African
SSD|Juba|South Sudanese
ESP|Madrid|Spanish
LKA|Colombo|Sri Lankan
SDN|Khartoum|Sudanese
SUR|Paramaribo|Surinamese
SWE|Stockholm|Swedish
CHE|Bern|Swiss
SYR|Damascus|Syrian
TWN|Taipei|Taiwanese
TJK|Dushanbe|Tajik
TZA|Dodoma|Tanzanian
THA|Bangkok|Thai
TLS|Dili|Timorese
TGO|Lome,Lomé|Togolese
TON|Nuku'alofa|Tongan
TTO|Port of Spain|Trinidadian
TUN|Tunis|Tunisian
TUR|Ankara|Turkish
TKM|Ashgabat|Turkmen
UGA|Kampala|Ugandan
UKR|Kyiv,Kiev|Ukrainian
ARE|Abu Dhabi,Abu-Dhabi|Emirati
GBR|London|British
USA|Washington|American
URY|Montevideo|Uruguayan
UZB|Tashkent|Uzbek
VUT|Port Vila|Vanuatuan
VEN|Caracas|Venezuelan
VNM|Hanoi|Vietnamese
YEM|Sanaa|Yemeni
ZMB|Lusaka|Zambian
ZWE|Harare|Zimbabwean
WSM|Apia|Samoan
VAT|Vatican City|Vatican
`

// extraNames are short names and abbreviations newsrooms use that the country table may lack.
var extraNames = map[string]string{
	"U.S.": "USA", "US": "USA", "USA": "USA", "U.S.A.": "USA", "United States": "USA", "America": "USA", "Washington": "USA",
	"UK": "GBR", "U.K.": "GBR", "Britain": "GBR", "Great Britain": "GBR", "United Kingdom": "GBR",
	"DRC": "COD", "DR Congo": "COD", "Democratic Republic of Congo": "COD", "Democratic Republic of the Congo": "COD",
	"UAE": "ARE", "Emirates": "ARE", "Russian Federation": "RUS", "People's Republic of China": "CHN",
	"Republic of Honduras": "HND", "Islamic Republic of Iran": "IRN", "Republic of Cuba": "CUB",
	"South Korea": "KOR", "North Korea": "PRK", "Vietnam": "VNM", "Viet Nam": "VNM", "Taiwan": "TWN",
	"Palestine": "PSE", "Ivory Coast": "CIV", "Czechia": "CZE", "Turkiye": "TUR", "Türkiye": "TUR", "Burma": "MMR",
	"Holland": "NLD", "Kremlin": "RUS", "White House": "USA", "Pentagon": "USA", "Downing Street": "GBR", "Elysee": "FRA",
}

// igoTable lists international organisations: canonical name and the spellings that refer to it.
var igoTable = [][]string{
	{"United Nations", "UN", "U.N.", "United Nations Organization"},
	{"UN Security Council", "Security Council", "UNSC"},
	{"UN General Assembly", "General Assembly"},
	{"European Union", "EU", "E.U."},
	{"European Commission"},
	{"NATO", "North Atlantic Treaty Organization"},
	{"African Union", "AU"},
	{"ASEAN", "Association of Southeast Asian Nations"},
	{"Arab League", "League of Arab States"},
	{"Organization of American States", "OAS"},
	{"Pacific Islands Forum", "Forum Leaders"},
	{"ECOWAS", "Economic Community of West African States"},
	{"East African Community", "EAC"},
	{"SADC", "Southern African Development Community"},
	{"Gulf Cooperation Council", "GCC"},
	{"Shanghai Cooperation Organisation", "Shanghai Cooperation Organization", "SCO"},
	{"BRICS"}, {"G7", "G-7", "Group of Seven"}, {"G20", "G-20", "Group of 20"},
	{"World Health Organization", "WHO"}, {"International Monetary Fund", "IMF"}, {"World Bank"},
	{"World Trade Organization", "WTO"}, {"OPEC"}, {"International Atomic Energy Agency", "IAEA"},
	{"International Criminal Court", "ICC"}, {"International Court of Justice", "ICJ"},
	{"Organisation of Islamic Cooperation", "Organization of Islamic Cooperation", "OIC"},
	{"CARICOM"}, {"Mercosur"}, {"OSCE"}, {"Council of Europe"},
	{"international organizations", "international organisations", "international community"},
}

// titleTable lists roles of officials, longest first within each line's reading; matched case-insensitively.
var titleTable = []string{
	"Leader of the Islamic Revolution", "Supreme Leader", "President", "Vice President", "Vice-President", "Prime Minister",
	"Deputy Prime Minister", "First Deputy Prime Minister", "Premier", "Chancellor", "King", "Queen", "Emperor", "Crown Prince",
	"Emir", "Sultan", "Sheikh", "Foreign Minister", "Foreign Affairs Minister", "Foreign Affairs Minster", "Minister of Foreign Affairs",
	"Defence Minister", "Defense Minister", "Defense Secretary", "Interior Minister", "Finance Minister", "Trade Minister",
	"Minister", "Deputy Foreign Minister", "Assistant Foreign Minister", "Secretary of State", "Foreign Secretary",
	"State Councilor", "State Councillor", "Ambassador", "ambassador", "envoy", "Envoy", "Special Envoy", "Spokesperson",
	"spokesperson", "spokesman", "spokeswoman", "Government Spokesperson", "government spokesperson",
	"foreign ministry spokesperson", "Foreign Ministry spokesperson", "Foreign Ministry spokeswoman", "Foreign Ministry spokesman",
	"Undersecretary", "Under-Secretary", "Secretary-General", "Secretary General", "Director", "Deputy Director",
	"Governor", "Senator", "Speaker", "General", "Gen.", "Admiral", "leader", "Leader", "Ayatollah", "Commissioner",
}

// agentTable lists collective agents of a state; "Iranian Foreign Ministry" is IRN with this role.
var agentTable = []string{
	"government", "Government", "administration", "Foreign Ministry", "foreign ministry", "Ministry of Foreign Affairs",
	"State Department", "Foreign Office", "Defence Ministry", "Defense Ministry", "Ministry of Defence", "Ministry of Defense",
	"military", "army", "armed forces", "navy", "parliament", "Parliament", "Congress", "delegation", "delegations",
	"authorities", "regime", "side", "cabinet", "Cabinet", "embassy", "Embassy", "forces", "troops", "officials", "leaders", "leadership",
}
