package events

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
	"july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10,
	"november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

const monthRe = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`

var (
	reMDY     = regexp.MustCompile(`\b` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`)
	reDMY     = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+` + monthRe + `(?:,?\s+(\d{4}))?\b`)
	reISO     = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reWeekday = regexp.MustCompile(`\b(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b`)
	reRel     = regexp.MustCompile(`(?i)\b(yesterday|today|tonight|this morning|this afternoon|this evening|last night|the day before)\b`)
	reVague   = regexp.MustCompile(`(?i)\b(earlier this (week|month|year)|last (week|month|year)|recently|in recent (days|weeks))\b`)
	reAgo     = regexp.MustCompile(`(?i)\b(\d+|two|three|four|five|ten|twenty)\s+(years?|months?|decades?)\s+ago\b`)
)

// DateIn finds the day a sentence dates its event, resolved against ref (the
// dateline or publication date): "on Monday" is the latest Monday on or
// before ref, "yesterday" is the day before ref, "December 4" is the latest
// such day not after ref (a year written out is kept), "2023-12-04" is itself.
// It returns ok false when the sentence names no day; vague is true when it
// says the day is unknown ("earlier this week") or in the past ("22 years ago").
func DateIn(s string, ref time.Time) (day time.Time, ok, vague bool) {
	// cheap tests first: most sentences name no day
	digits := strings.ContainsAny(s, "0123456789")
	low := strings.ToLower(s)
	if !digits && !strings.Contains(low, "day") && !strings.Contains(low, "night") && !strings.Contains(low, "morning") &&
		!strings.Contains(low, "afternoon") && !strings.Contains(low, "evening") && !strings.Contains(low, "before") &&
		!strings.Contains(low, "earlier") && !strings.Contains(low, "last") && !strings.Contains(low, "recent") && !strings.Contains(low, " ago") {
		return time.Time{}, false, false
	}
	if strings.Contains(low, " ago") && reAgo.MatchString(s) {
		return time.Time{}, false, true
	}
	if !digits {
		goto relative
	}
	if m := reISO.FindStringSubmatch(s); m != nil {
		if t, err := time.Parse("2006-01-02", m[0]); err == nil {
			return t, true, false
		}
	}
	if m := reMDY.FindStringSubmatchIndex(s); m != nil && !namedDate(s, m[1]) {
		mon := monthNames[strings.ToLower(strings.TrimSuffix(s[m[2]:m[3]], "."))]
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		y := -1
		if m[6] >= 0 {
			y, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		if t, ok := mkDay(y, mon, d, ref); ok {
			return t, true, false
		}
	}
	if m := reDMY.FindStringSubmatchIndex(s); m != nil {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		mon := monthNames[strings.ToLower(strings.TrimSuffix(s[m[4]:m[5]], "."))]
		y := -1
		if m[6] >= 0 {
			y, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		if t, ok := mkDay(y, mon, d, ref); ok {
			return t, true, false
		}
	}
relative:
	if ref.IsZero() {
		return time.Time{}, false, reVague.MatchString(s)
	}
	if m := reRel.FindString(s); m != "" {
		switch strings.ToLower(m) {
		case "yesterday", "last night":
			return ref.AddDate(0, 0, -1), true, false
		case "the day before":
			return ref.AddDate(0, 0, -1), true, false
		default:
			return ref, true, false
		}
	}
	if m := reWeekday.FindString(s); m != "" {
		wd := weekdays[strings.ToLower(m)]
		back := (int(ref.Weekday()) - int(wd) + 7) % 7
		return ref.AddDate(0, 0, -back), true, false
	}
	return time.Time{}, false, reVague.MatchString(s)
}

// mkDay builds a date; without a year, the latest such day not after ref (or ref's year when it is well after).
func mkDay(y int, mon time.Month, d int, ref time.Time) (time.Time, bool) {
	if mon == 0 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	if y < 0 {
		if ref.IsZero() {
			return time.Time{}, false
		}
		y = ref.Year()
		if t := time.Date(y, mon, d, 0, 0, 0, 0, time.UTC); t.After(ref.AddDate(0, 0, 7)) {
			y--
		}
	}
	t := time.Date(y, mon, d, 0, 0, 0, 0, time.UTC)
	if t.Month() != mon {
		return time.Time{}, false
	}
	return t, true
}

// reDateline matches a dateline at the start of a paragraph: "TEHRAN, December 5 (RHC)--",
// "NAIROBI, Kenya, May 16 —", "HANOI, Vietnam —", "BEIJING, March 26 (Xinhua) --".
var reDateline = regexp.MustCompile(`^([A-Z][\p{L}.' -]{1,30}?)(?:,\s*([A-Z][\p{L}.' ]{1,30}?))?(?:,\s*` + monthRe + `\s+(\d{1,2}))?\s*(?:\([^)]{1,30}\))?\s*(?:--|—|–|-)\s`)

// dateline is what an article's dateline says: the place, and the day when it gives one.
type dateline struct {
	city, country string
	day           time.Time
	end           int // byte offset just past the dateline in the sentence
}

func findDateline(s string, ref time.Time) (dateline, bool) {
	head := s[:min(len(s), 80)]
	if !strings.Contains(head, "-") && !strings.Contains(head, "—") && !strings.Contains(head, "–") {
		return dateline{}, false
	}
	m := reDateline.FindStringSubmatchIndex(s)
	if m == nil {
		return dateline{}, false
	}
	dl := dateline{city: strings.TrimSpace(s[m[2]:m[3]]), end: m[1]}
	if m[4] >= 0 {
		dl.country = strings.TrimSpace(s[m[4]:m[5]])
	}
	if m[6] >= 0 {
		mon := monthNames[strings.ToLower(strings.TrimSuffix(s[m[6]:m[7]], "."))]
		d, _ := strconv.Atoi(s[m[8]:m[9]])
		if t, ok := mkDay(-1, mon, d, ref); ok {
			dl.day = t
		}
	}
	return dl, true
}

// namedDate reports whether a date is part of a name ("the August 17 Communique"): a capitalised word follows it.
func namedDate(s string, end int) bool {
	rest := strings.TrimLeft(s[end:], " ")
	return len(rest) > 0 && rest[0] >= 'A' && rest[0] <= 'Z' && end < len(s) && s[end] == ' '
}
