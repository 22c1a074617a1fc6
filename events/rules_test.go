package events

import (
	"fmt"
	"strings"
	"testing"

	concord "github.com/concord-project/concord"
)

// ev is a coded event in short: "SRC>TGT root date" (date "" when unknown).
func ev(e concord.Event) string {
	return fmt.Sprintf("%s>%s %s %s", predActor(e.Source), predActor(e.Target), e.Root, e.Date)
}

// TestCoderRules checks each general rule of the coder on sentences written for
// the test (not taken from the development articles): want lists events that
// must be coded, not events that must not ("SRC>TGT root date"; a prefix
// without the date matches any date).
func TestCoderRules(t *testing.T) {
	for _, c := range []struct {
		rule, url, pub, text string
		want, not            []string
	}{
		{rule: "an actor after \"against\" is no partner of cooperation", pub: "2024-03-06",
			text: "Venezuela and Bolivia agreed on Monday to form an alliance against the United States.",
			want: []string{"VEN>BOL 03 2024-03-04"}, not: []string{"BOL>USA 03", "VEN>USA 03", "USA>"}},
		{rule: "the bare noun \"sanctions\" is no act of imposing them", pub: "2024-03-06",
			text: "Norway said it was studying the effects of sanctions imposed by Canada on Syria.",
			not:  []string{"CAN>SYR 16", "NOR>SYR 16", "CAN>NOR 16"}},
		{rule: "new sanctions are imposed", pub: "2024-03-06",
			text: "Canada announced new sanctions against Belarus on Tuesday.",
			want: []string{"CAN>BLR 16 2024-03-05"}},
		{rule: "rejecting a narrative of blame is denying responsibility (016)", pub: "2024-03-06",
			text: "Uganda rejected what it called a false narrative from Kenya blaming Kampala for the border clashes.",
			want: []string{"UGA>KEN 01 "}, not: []string{"UGA>KEN 12"}},
		{rule: "what is discussed is a topic, not a partner", pub: "2024-03-06",
			text: "Ghanaian President John Mahama discussed investment, tourism and World Bank loans on Tuesday.",
			not:  []string{"GHA>IGO 04", "IGO>GHA 04"}},
		{rule: "the partner of a discussion comes after \"with\"", pub: "2024-03-06",
			text: "Ghanaian President John Mahama discussed investment with Togolese President Faure Gnassingbe on Tuesday.",
			want: []string{"GHA>TGO 04 2024-03-05"}},
		{rule: "an intent to cooperate is not a past participle (\"expanded cooperation\")", pub: "2024-03-06",
			text: "Chile praised Peru on Monday for the expanded cooperation on fisheries.",
			want: []string{"CHL>PER 05 2024-03-04"}, not: []string{"CHL>PER 03", "PER>CHL 03"}},
		{rule: "\"the President\" is the one president the article named", pub: "2024-03-06",
			text: "Kenyan President William Ruto met Ugandan Foreign Minister Jeje Odongo on Monday.\nOdongo thanked Kenya for the invitation.\nThe President praised Uganda for its hospitality.",
			want: []string{"KEN>UGA 05 2024-03-04"}},
		{rule: "among several presidents, the one of the sentence's state; an object of the source's side ends the search", pub: "2024-03-06",
			text: "US President Joe Biden met Mexican President Claudia Sheinbaum on Monday.\nMexican lawmakers urged the president to condemn Washington.",
			not:  []string{"MEX>USA 02"}},
		{rule: "an event introduced by \"in response to\" happened before: no day", pub: "2024-03-06",
			text: "Turkey summoned the Swedish ambassador on Monday in response to criticism by Sweden.",
			want: []string{"TUR>SWE 11 2024-03-04", "SWE>TUR 11 "}, not: []string{"SWE>TUR 11 2024-03-04"}},
		{rule: "a speaker is not the source of a material act he reports in the third person", pub: "2024-03-06",
			text: "Chinese spokesman Li Wei said on Monday that by selling weapons to Taiwan, the United States had damaged relations.",
			not:  []string{"CHN>TWN 06"}},
		{rule: "a speaker is the source of a material act told in the first person", pub: "2024-03-06",
			text: "“We are sending humanitarian supplies to Haiti,” Chilean Foreign Minister Javier Soto said on Monday.",
			want: []string{"CHL>HTI 07 2024-03-04"}},
		{rule: "an official of no named state is of the outlet's state (country-code domain)", url: "https://news.example.co.ke/2024/03/visit", pub: "2024-03-09",
			text: "President William Ruto received Tanzanian President Samia Suluhu Hassan on Friday.",
			want: []string{"KEN>TZA 04 2024-03-08"}},
		{rule: "a generic domain says nothing of the state", url: "https://news.example.tv/2024/03/visit", pub: "2024-03-09",
			text: "President William Ruto received Tanzanian President Samia Suluhu Hassan on Friday.",
			not:  []string{"KEN>TZA"}},
		{rule: "\"he\"/\"she\" is the sentence's first person", pub: "2024-03-06",
			text: "Peruvian President Dina Boluarte told Chilean President Gabriel Boric on Monday that she will invite Argentina's president to Lima.",
			want: []string{"PER>ARG 03 2024-03-04"}, not: []string{"CHL>ARG 03"}},
		{rule: "a planned encounter has not happened", pub: "2024-03-06",
			text: "Kenya invited Ethiopia on Monday to attend a summit in Nairobi.\nVietnamese Prime Minister Pham Minh Chinh will visit Japan.",
			want: []string{"KEN>ETH 03 2024-03-04"}, not: []string{"KEN>ETH 04", "ETH>KEN 04", "VNM>JPN 04"}},
	} {
		a := &Article{ID: "t", URL: c.url, Published: day(c.pub), Text: c.text}
		var got []string
		for _, e := range NewCoder().Code(a) {
			got = append(got, ev(e))
		}
		all := strings.Join(got, "; ")
		for _, w := range c.want {
			found := false
			for _, g := range got {
				if g == w || strings.HasSuffix(w, " ") && g == strings.TrimSuffix(w, " ")+" " {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: want %q in [%s]", c.rule, w, all)
			}
		}
		for _, n := range c.not {
			for _, g := range got {
				if strings.HasPrefix(g, n) {
					t.Errorf("%s: want no %q, got [%s]", c.rule, n, all)
				}
			}
		}
	}
}

func TestHomeState(t *testing.T) {
	for addr, want := range map[string]string{
		"https://www.fbcnews.com.fj/news/x": "FJI", "http://en.people.cn/n3/x.html": "CHN", "https://www.bbc.co.uk/news": "GBR",
		"https://example.com/x": "", "https://radio.example.fm/x": "", "": "", "not a url %%": "",
	} {
		if got := homeState(addr); got != want {
			t.Errorf("homeState(%q) = %q, want %q", addr, got, want)
		}
	}
}

// An article copied without header lines takes its address from a line that holds only one; with a URL header, the header wins.
func TestReadArticleAddressLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Headline\n\nBody text with a link https://a.example/x inside.\n<https://news.example/story-1>\n\n**Outlet**\n", "https://news.example/story-1"},
		{"Headline\n\nBody.\nhttps://news.example/story-2\n", "https://news.example/story-2"},
		{"URL: https://header.example/s\n\nBody.\n<https://news.example/story-3>\n", "https://header.example/s"},
		{"Headline\n\nBody naming https://a.example/x in a sentence.\n", ""},
	} {
		a, err := ReadArticle(strings.NewReader(c.in), "")
		if err != nil {
			t.Fatal(err)
		}
		if a.URL != c.want {
			t.Errorf("ReadArticle(%q).URL = %q, want %q", c.in, a.URL, c.want)
		}
	}
}

// TestMeetingPlace: a meeting in one party's capital is a consultation (040),
// one in another state's capital a meeting at a third location (044).
func TestMeetingPlace(t *testing.T) {
	for text, want := range map[string]string{
		"Kenyan President William Ruto met Ugandan President Yoweri Museveni in Nairobi on Monday.":     "040",
		"Kenyan President William Ruto met Ugandan President Yoweri Museveni in Addis Ababa on Monday.": "044",
	} {
		a := &Article{ID: "t", Published: day("2024-03-06"), Text: text}
		var codes []string
		for _, e := range NewCoder().Code(a) {
			if e.Root == "04" {
				codes = append(codes, e.Code)
			}
		}
		if len(codes) != 1 || codes[0] != want {
			t.Errorf("%s\ncoded %v, want one meeting coded %s", text, codes, want)
		}
	}
}
