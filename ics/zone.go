package ics

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones resolve on machines without a zoneinfo database

	"github.com/teambition/rrule-go"
)

// zone turns a wall-clock time (a time.Time whose fields are the local
// date and time, labelled UTC) into an instant, and back.
type zone interface {
	instant(wall time.Time) time.Time
	wall(instant time.Time) time.Time
}

// utcZone is a time with Z.
type utcZone struct{}

func (utcZone) instant(w time.Time) time.Time { return w }
func (utcZone) wall(t time.Time) time.Time    { return t.UTC() }

// locZone is an IANA zone.
type locZone struct{ loc *time.Location }

func (z locZone) instant(w time.Time) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, z.loc).UTC()
}

func (z locZone) wall(t time.Time) time.Time { return relabel(t.In(z.loc)) }

// relabel keeps the fields of t and labels them UTC.
func relabel(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// vtimezone is a zone defined by a VTIMEZONE of the file: its STANDARD and
// DAYLIGHT observances, each with its onsets (DTSTART, RRULE, RDATE) and
// the offset it sets.
type vtimezone struct {
	obs []observance
}

type observance struct {
	start    time.Time // wall clock, in the offset before it
	rule     *rrule.RRule
	rdates   []time.Time
	from, to time.Duration

	// onsets are the rule's onsets up to through, in order: a recurring
	// meeting asks the offset of each of its instances, and asking the rule
	// each time (rrule's Before walks from DTSTART) made a daily meeting
	// of 17 years take a second.
	onsets  []time.Time
	through time.Time
}

// horizon is how far past the instant asked the rule's onsets are
// expanded at once.
const horizon = 2 * 366 * 24 * time.Hour

// ruleLatest is the rule's latest onset at or before w.
func (o *observance) ruleLatest(w time.Time) (time.Time, bool) {
	if o.through.IsZero() || w.After(o.through) {
		from, until := o.through, w.Add(horizon)
		if from.IsZero() {
			from = o.rule.GetDTStart().Add(-time.Second)
		}
		for _, t := range o.rule.Between(from, until, true) {
			if len(o.onsets) == 0 || t.After(o.onsets[len(o.onsets)-1]) {
				o.onsets = append(o.onsets, t)
			}
		}
		o.through = until
	}
	i := sort.Search(len(o.onsets), func(i int) bool { return o.onsets[i].After(w) })
	if i == 0 {
		return time.Time{}, false
	}
	return o.onsets[i-1], true
}

// latest is the observance's latest onset at or before w (ok false when
// none).
func (o *observance) latest(w time.Time) (time.Time, bool) {
	var best time.Time
	ok := false
	if !o.start.After(w) {
		best, ok = o.start, true
	}
	if o.rule != nil {
		if t, found := o.ruleLatest(w); found && (!ok || t.After(best)) {
			best, ok = t, true
		}
	}
	for _, r := range o.rdates {
		if !r.After(w) && (!ok || r.After(best)) {
			best, ok = r, true
		}
	}
	return best, ok
}

func (z *vtimezone) offset(w time.Time) time.Duration {
	var best time.Time
	var off time.Duration
	found := false
	for i := range z.obs {
		if t, ok := z.obs[i].latest(w); ok && (!found || t.After(best)) {
			best, off, found = t, z.obs[i].to, true
		}
	}
	if !found {
		// Before every onset: the offset the earliest observance starts from.
		first := -1
		for i := range z.obs {
			if first < 0 || z.obs[i].start.Before(z.obs[first].start) {
				first = i
			}
		}
		if first >= 0 {
			off = z.obs[first].from
		}
	}
	return off
}

func (z *vtimezone) instant(w time.Time) time.Time { return w.Add(-z.offset(w)) }

func (z *vtimezone) wall(t time.Time) time.Time {
	w := t.UTC().Add(z.offset(t.UTC()))
	return t.UTC().Add(z.offset(w))
}

// parseOffset reads a UTC offset: +HHMM, -HHMM, +HHMMSS.
func parseOffset(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 5 && len(s) != 7 {
		return 0, false
	}
	sign := time.Duration(1)
	switch s[0] {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, false
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 0 {
		return 0, false
	}
	h, m, sec := n/100, n%100, 0
	if len(s) == 7 {
		h, m, sec = n/10000, n/100%100, n%100
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, false
	}
	return sign * (time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second), true
}

// ianaZone resolves a TZID by name: an IANA name, an IANA name behind a
// publisher's prefix ("/mozilla.org/20050126_1/Europe/London",
// "/citadel.org/20190914_1/Europe/Paris"), or a Windows zone name as
// Outlook and Exchange write them ("W. Europe Standard Time").
func ianaZone(tzid string) (*time.Location, bool) {
	tzid = strings.Trim(strings.TrimSpace(tzid), `"`)
	if tzid == "" || tzid == "Local" {
		return nil, false
	}
	if name, ok := windowsZones[tzid]; ok {
		tzid = name
	}
	if loc, err := time.LoadLocation(tzid); err == nil {
		return loc, true
	}
	if m := offsetName.FindStringSubmatch(tzid); m != nil {
		// Outlook's display names, "(UTC+01:00) Amsterdam, Berlin, ...":
		// the zone of the cities when known, else the fixed offset.
		rest := strings.NewReplacer("&", "and", " ", "").Replace(strings.ToLower(m[4]))
		if name, ok := displayZones[rest]; ok {
			if loc, err := time.LoadLocation(name); err == nil {
				return loc, true
			}
		}
		h, _ := strconv.Atoi(m[2])
		mins, _ := strconv.Atoi(m[3])
		off := h*3600 + mins*60
		if m[1] == "-" {
			off = -off
		}
		if h <= 14 && mins < 60 {
			return time.FixedZone(tzid, off), true
		}
	}
	if strings.HasPrefix(tzid, "/") {
		parts := strings.Split(tzid, "/")
		for i := 1; i < len(parts); i++ {
			if loc, err := time.LoadLocation(strings.Join(parts[i:], "/")); err == nil && strings.Contains(strings.Join(parts[i:], "/"), "/") {
				return loc, true
			}
		}
	}
	return nil, false
}

// offsetName is a TZID that starts with its offset from UTC: "UTC+01",
// "(GMT+10:00) Canberra, Melbourne, Sydney", "(UTC-05:00) Eastern Time
// (US & Canada)".
var offsetName = regexp.MustCompile(`^\(?\s*(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?(.*)$`)

// displayZones are the zones of the most used Windows display names (the
// text after the offset, lower case, without spaces, "&" as "and").
var displayZones = map[string]string{
	"easterntime(usandcanada)":                         "America/New_York",
	"centraltime(usandcanada)":                         "America/Chicago",
	"mountaintime(usandcanada)":                        "America/Denver",
	"pacifictime(usandcanada)":                         "America/Los_Angeles",
	"dublin,edinburgh,lisbon,london":                   "Europe/London",
	"greenwichmeantime:dublin,edinburgh,lisbon,london": "Europe/London",
	"amsterdam,berlin,bern,rome,stockholm,vienna":      "Europe/Berlin",
	"brussels,copenhagen,madrid,paris":                 "Europe/Paris",
	"belgrade,bratislava,budapest,ljubljana,prague":    "Europe/Budapest",
	"sarajevo,skopje,warsaw,zagreb":                    "Europe/Warsaw",
	"athens,bucharest":                                 "Europe/Bucharest",
	"helsinki,kyiv,riga,sofia,tallinn,vilnius":         "Europe/Kiev",
	"moscow,st.petersburg":                             "Europe/Moscow",
	"chennai,kolkata,mumbai,newdelhi":                  "Asia/Kolkata",
	"beijing,chongqing,hongkong,urumqi":                "Asia/Shanghai",
	"kualalumpur,singapore":                            "Asia/Singapore",
	"osaka,sapporo,tokyo":                              "Asia/Tokyo",
	"canberra,melbourne,sydney":                        "Australia/Sydney",
	"auckland,wellington":                              "Pacific/Auckland",
}

// windowsZones maps the Windows time-zone names that Outlook and Exchange
// write as TZID to IANA zones: the "001" (whole world) entries of the
// Unicode CLDR's windowsZones table.
var windowsZones = map[string]string{
	"Dateline Standard Time":          "Etc/GMT+12",
	"UTC-11":                          "Etc/GMT+11",
	"Aleutian Standard Time":          "America/Adak",
	"Hawaiian Standard Time":          "Pacific/Honolulu",
	"Marquesas Standard Time":         "Pacific/Marquesas",
	"Alaskan Standard Time":           "America/Anchorage",
	"UTC-09":                          "Etc/GMT+9",
	"Pacific Standard Time (Mexico)":  "America/Tijuana",
	"UTC-08":                          "Etc/GMT+8",
	"Pacific Standard Time":           "America/Los_Angeles",
	"US Mountain Standard Time":       "America/Phoenix",
	"Mountain Standard Time (Mexico)": "America/Mazatlan",
	"Mountain Standard Time":          "America/Denver",
	"Yukon Standard Time":             "America/Whitehorse",
	"Central America Standard Time":   "America/Guatemala",
	"Central Standard Time":           "America/Chicago",
	"Easter Island Standard Time":     "Pacific/Easter",
	"Central Standard Time (Mexico)":  "America/Mexico_City",
	"Canada Central Standard Time":    "America/Regina",
	"SA Pacific Standard Time":        "America/Bogota",
	"Eastern Standard Time (Mexico)":  "America/Cancun",
	"Eastern Standard Time":           "America/New_York",
	"Haiti Standard Time":             "America/Port-au-Prince",
	"Cuba Standard Time":              "America/Havana",
	"US Eastern Standard Time":        "America/Indiana/Indianapolis",
	"Turks And Caicos Standard Time":  "America/Grand_Turk",
	"Paraguay Standard Time":          "America/Asuncion",
	"Atlantic Standard Time":          "America/Halifax",
	"Venezuela Standard Time":         "America/Caracas",
	"Central Brazilian Standard Time": "America/Cuiaba",
	"SA Western Standard Time":        "America/La_Paz",
	"Pacific SA Standard Time":        "America/Santiago",
	"Newfoundland Standard Time":      "America/St_Johns",
	"Tocantins Standard Time":         "America/Araguaina",
	"E. South America Standard Time":  "America/Sao_Paulo",
	"SA Eastern Standard Time":        "America/Cayenne",
	"Argentina Standard Time":         "America/Argentina/Buenos_Aires",
	"Greenland Standard Time":         "America/Nuuk",
	"Montevideo Standard Time":        "America/Montevideo",
	"Magallanes Standard Time":        "America/Punta_Arenas",
	"Saint Pierre Standard Time":      "America/Miquelon",
	"Bahia Standard Time":             "America/Bahia",
	"UTC-02":                          "Etc/GMT+2",
	"Mid-Atlantic Standard Time":      "Etc/GMT+2",
	"Azores Standard Time":            "Atlantic/Azores",
	"Cape Verde Standard Time":        "Atlantic/Cape_Verde",
	"UTC":                             "Etc/UTC",
	"GMT Standard Time":               "Europe/London",
	"Greenwich Standard Time":         "Atlantic/Reykjavik",
	"Sao Tome Standard Time":          "Africa/Sao_Tome",
	"Morocco Standard Time":           "Africa/Casablanca",
	"W. Europe Standard Time":         "Europe/Berlin",
	"Central Europe Standard Time":    "Europe/Budapest",
	"Romance Standard Time":           "Europe/Paris",
	"Central European Standard Time":  "Europe/Warsaw",
	"W. Central Africa Standard Time": "Africa/Lagos",
	"Jordan Standard Time":            "Asia/Amman",
	"GTB Standard Time":               "Europe/Bucharest",
	"Middle East Standard Time":       "Asia/Beirut",
	"Egypt Standard Time":             "Africa/Cairo",
	"E. Europe Standard Time":         "Europe/Chisinau",
	"Syria Standard Time":             "Asia/Damascus",
	"West Bank Standard Time":         "Asia/Hebron",
	"South Africa Standard Time":      "Africa/Johannesburg",
	"FLE Standard Time":               "Europe/Kiev",
	"Israel Standard Time":            "Asia/Jerusalem",
	"South Sudan Standard Time":       "Africa/Juba",
	"Kaliningrad Standard Time":       "Europe/Kaliningrad",
	"Sudan Standard Time":             "Africa/Khartoum",
	"Libya Standard Time":             "Africa/Tripoli",
	"Namibia Standard Time":           "Africa/Windhoek",
	"Arabic Standard Time":            "Asia/Baghdad",
	"Turkey Standard Time":            "Europe/Istanbul",
	"Arab Standard Time":              "Asia/Riyadh",
	"Belarus Standard Time":           "Europe/Minsk",
	"Russian Standard Time":           "Europe/Moscow",
	"E. Africa Standard Time":         "Africa/Nairobi",
	"Volgograd Standard Time":         "Europe/Volgograd",
	"Iran Standard Time":              "Asia/Tehran",
	"Arabian Standard Time":           "Asia/Dubai",
	"Astrakhan Standard Time":         "Europe/Astrakhan",
	"Azerbaijan Standard Time":        "Asia/Baku",
	"Russia Time Zone 3":              "Europe/Samara",
	"Mauritius Standard Time":         "Indian/Mauritius",
	"Saratov Standard Time":           "Europe/Saratov",
	"Georgian Standard Time":          "Asia/Tbilisi",
	"Caucasus Standard Time":          "Asia/Yerevan",
	"Afghanistan Standard Time":       "Asia/Kabul",
	"West Asia Standard Time":         "Asia/Tashkent",
	"Ekaterinburg Standard Time":      "Asia/Yekaterinburg",
	"Pakistan Standard Time":          "Asia/Karachi",
	"Qyzylorda Standard Time":         "Asia/Qyzylorda",
	"India Standard Time":             "Asia/Kolkata",
	"Sri Lanka Standard Time":         "Asia/Colombo",
	"Nepal Standard Time":             "Asia/Kathmandu",
	"Central Asia Standard Time":      "Asia/Almaty",
	"Bangladesh Standard Time":        "Asia/Dhaka",
	"Omsk Standard Time":              "Asia/Omsk",
	"Myanmar Standard Time":           "Asia/Yangon",
	"SE Asia Standard Time":           "Asia/Bangkok",
	"Altai Standard Time":             "Asia/Barnaul",
	"W. Mongolia Standard Time":       "Asia/Hovd",
	"North Asia Standard Time":        "Asia/Krasnoyarsk",
	"N. Central Asia Standard Time":   "Asia/Novosibirsk",
	"Tomsk Standard Time":             "Asia/Tomsk",
	"China Standard Time":             "Asia/Shanghai",
	"North Asia East Standard Time":   "Asia/Irkutsk",
	"Singapore Standard Time":         "Asia/Singapore",
	"W. Australia Standard Time":      "Australia/Perth",
	"Taipei Standard Time":            "Asia/Taipei",
	"Ulaanbaatar Standard Time":       "Asia/Ulaanbaatar",
	"Aus Central W. Standard Time":    "Australia/Eucla",
	"Transbaikal Standard Time":       "Asia/Chita",
	"Tokyo Standard Time":             "Asia/Tokyo",
	"North Korea Standard Time":       "Asia/Pyongyang",
	"Korea Standard Time":             "Asia/Seoul",
	"Yakutsk Standard Time":           "Asia/Yakutsk",
	"Cen. Australia Standard Time":    "Australia/Adelaide",
	"AUS Central Standard Time":       "Australia/Darwin",
	"E. Australia Standard Time":      "Australia/Brisbane",
	"AUS Eastern Standard Time":       "Australia/Sydney",
	"West Pacific Standard Time":      "Pacific/Port_Moresby",
	"Tasmania Standard Time":          "Australia/Hobart",
	"Vladivostok Standard Time":       "Asia/Vladivostok",
	"Lord Howe Standard Time":         "Australia/Lord_Howe",
	"Bougainville Standard Time":      "Pacific/Bougainville",
	"Russia Time Zone 10":             "Asia/Srednekolymsk",
	"Magadan Standard Time":           "Asia/Magadan",
	"Norfolk Standard Time":           "Pacific/Norfolk",
	"Sakhalin Standard Time":          "Asia/Sakhalin",
	"Central Pacific Standard Time":   "Pacific/Guadalcanal",
	"Russia Time Zone 11":             "Asia/Kamchatka",
	"New Zealand Standard Time":       "Pacific/Auckland",
	"UTC+12":                          "Etc/GMT-12",
	"Fiji Standard Time":              "Pacific/Fiji",
	"Kamchatka Standard Time":         "Asia/Kamchatka",
	"Chatham Islands Standard Time":   "Pacific/Chatham",
	"UTC+13":                          "Etc/GMT-13",
	"Tonga Standard Time":             "Pacific/Tongatapu",
	"Samoa Standard Time":             "Pacific/Apia",
	"Line Islands Standard Time":      "Pacific/Kiritimati",
}
