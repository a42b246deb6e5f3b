package ics

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

// Options say which occurrences Read returns and how to date them.
type Options struct {
	// Loc is the organisation's time zone: a meeting's date is its start's
	// date there, and times without a zone (floating) are read in it. nil
	// is UTC.
	Loc *time.Location
	// From and To bound the meetings' dates, both included. To is required
	// (the import's as-of date: no meeting after it is read); From may be
	// zero (no lower bound).
	From, To tamledger.Date
	// MaxBytes refuses a larger input (0: document.DefaultMaxBytes; -1:
	// none).
	MaxBytes int64
}

// MaxOccurrences bounds the occurrences of one series up to Options.To.
const MaxOccurrences = 20000

// maxErrors stops reading a file after this many problems.
const maxErrors = 100

// Person is an organizer or attendee: the CN parameter and the e-mail of
// the calendar address (lower case).
type Person struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Meeting is one occurrence of an event.
type Meeting struct {
	UID string `json:"uid"`
	// Instance tells the occurrences of a series apart: "" for an event
	// that does not recur, else the date of the occurrence as the series
	// first scheduled it (RECURRENCE-ID for an overridden one), YYYYMMDD in
	// Options.Loc, or YYYYMMDDTHHMMSSZ (UTC) for a series with two
	// occurrences on one day.
	Instance    string         `json:"instance,omitempty"`
	Date        tamledger.Date `json:"date"`
	Start       time.Time      `json:"start"` // UTC; for an all-day event, midnight of Date in Options.Loc
	AllDay      bool           `json:"allDay,omitempty"`
	Summary     string         `json:"summary,omitempty"`
	Description string         `json:"description,omitempty"`
	Organizer   *Person        `json:"organizer,omitempty"`
	// Attendees are those of ATTENDEE, without rooms and resources
	// (CUTYPE=ROOM or RESOURCE) and without those who declined.
	Attendees []Person `json:"attendees,omitempty"`
	// Cancelled: the event (STATUS:CANCELLED, or a METHOD:CANCEL
	// calendar), this occurrence (an override with STATUS:CANCELLED) or an
	// EXDATE of the series cancelled it.
	Cancelled bool `json:"cancelled,omitempty"`
	Line      int  `json:"line"` // BEGIN:VEVENT of the event or override it comes from
}

// Result is what a file holds within the window.
type Result struct {
	Meetings []Meeting // by date, start, UID and instance
	// UIDs are the UIDs of every event of the file, whatever their dates.
	UIDs map[string]bool
	// Later counts the events after Options.To (a series that goes on
	// counts once); Earlier those before Options.From.
	Later, Earlier int
	// Frequent counts the series that recur more often than daily
	// (FREQ=HOURLY, MINUTELY, SECONDLY): not meetings, left out.
	Frequent int
}

// Read reads an iCalendar file. Bad input is a document.ErrorList with
// every problem found (FILE:LINE:COL), at most 100; a reader's own error
// is returned as is.
func Read(name string, r io.Reader, opt Options) (*Result, error) {
	if opt.Loc == nil {
		opt.Loc = time.UTC
	}
	if opt.To.IsZero() {
		return nil, errors.New("ics: Options.To is required")
	}
	limit := opt.MaxBytes
	if limit == 0 {
		limit = document.DefaultMaxBytes
	}
	var lr *io.LimitedReader
	if limit > 0 {
		lr = &io.LimitedReader{R: r, N: limit + 1}
		r = lr
	}
	rd := &reader{name: name, opt: opt, zones: map[string]zone{}, vtz: map[string]*component{}, out: &Result{UIDs: map[string]bool{}}}
	cals := parse(name, r, &rd.errs)
	if lr != nil && lr.N <= 0 {
		return nil, document.ErrorList{{Pos: document.Pos{File: name}, Msg: fmt.Sprintf("the input is larger than %d bytes (raise the limit with --max-bytes)", limit)}}
	}
	for _, cal := range cals {
		rd.calendar(cal)
	}
	if len(rd.errs) > 0 {
		rd.errs.Sort()
		if len(rd.errs) > maxErrors {
			rd.errs = append(rd.errs[:maxErrors], document.Error{Msg: fmt.Sprintf("stopped after %d errors", maxErrors)})
		}
		return nil, rd.errs
	}
	slices.SortFunc(rd.out.Meetings, func(a, b Meeting) int {
		return cmp.Or(a.Date.Compare(b.Date), a.Start.Compare(b.Start), cmp.Compare(a.UID, b.UID), cmp.Compare(a.Instance, b.Instance))
	})
	return rd.out, nil
}

type reader struct {
	name  string
	opt   Options
	errs  document.ErrorList
	zones map[string]zone       // resolved TZIDs
	vtz   map[string]*component // VTIMEZONEs of the calendar being read
	out   *Result
}

func (rd *reader) fail(line int, format string, args ...any) {
	rd.errs = append(rd.errs, document.Error{Pos: document.Pos{File: rd.name, Line: line, Col: 1}, Msg: fmt.Sprintf(format, args...)})
}

// event is one VEVENT, read.
type event struct {
	c         *component
	uid       string
	seq       int
	start     time.Time // wall clock (UTC labels)
	z         zone      // nil for a date (all-day)
	allDay    bool
	recurID   time.Time // instant (all-day: the date at midnight UTC)
	recurDay  bool
	hasRecur  bool
	cancelled bool
	master    *component // of an override: its series' VEVENT, when in the file
}

// calendar reads one VCALENDAR.
func (rd *reader) calendar(cal *component) {
	clear(rd.vtz)
	clear(rd.zones)
	for _, c := range cal.children {
		if c.name == "VTIMEZONE" {
			if p := c.first("TZID"); p != nil {
				rd.vtz[strings.TrimSpace(p.value)] = c
			} else {
				rd.fail(c.line, "VTIMEZONE without TZID")
			}
		}
	}
	cancelAll := false
	if p := cal.first("METHOD"); p != nil && strings.EqualFold(strings.TrimSpace(p.value), "CANCEL") {
		cancelAll = true
	}
	masters := map[string]*event{}
	overrides := map[string][]*event{}
	var order []string
	for _, c := range cal.children {
		if c.name != "VEVENT" {
			continue
		}
		ev := rd.event(c)
		if ev == nil {
			continue
		}
		ev.cancelled = ev.cancelled || cancelAll
		if masters[ev.uid] == nil && overrides[ev.uid] == nil {
			order = append(order, ev.uid)
		}
		rd.out.UIDs[ev.uid] = true
		if ev.hasRecur {
			overrides[ev.uid] = append(overrides[ev.uid], ev)
			continue
		}
		// The same event twice (two calendars of one file, or a copy):
		// the later SEQUENCE wins, then the later in the file.
		if prev := masters[ev.uid]; prev == nil || ev.seq >= prev.seq {
			masters[ev.uid] = ev
		}
	}
	for _, uid := range order {
		rd.series(uid, masters[uid], overrides[uid])
	}
}

// event reads the properties of a VEVENT that the import needs.
func (rd *reader) event(c *component) *event {
	ev := &event{c: c}
	n := len(rd.errs)
	if uid := c.first("UID"); uid != nil && strings.TrimSpace(uid.value) != "" {
		ev.uid = strings.TrimSpace(uid.value)
	} else {
		// No UID (old exporters): the event is known by its start and
		// summary, so a re-import of the same file finds it again.
		key := "no-uid"
		for _, name := range []string{"DTSTART", "SUMMARY"} {
			if p := c.first(name); p != nil {
				key += "\x00" + p.param("TZID") + "\x00" + p.value
			}
		}
		ev.uid = key
	}
	if p := c.first("SEQUENCE"); p != nil {
		ev.seq, _ = strconv.Atoi(strings.TrimSpace(p.value))
	}
	if p := c.first("STATUS"); p != nil && strings.EqualFold(strings.TrimSpace(p.value), "CANCELLED") {
		ev.cancelled = true
	}
	ds := c.first("DTSTART")
	if ds == nil {
		rd.fail(c.line, "VEVENT without DTSTART (want the meeting's start, such as DTSTART;TZID=Europe/London:20260105T090000)")
	} else if v, ok := rd.values(ds); ok && len(v) > 0 {
		ev.start, ev.z, ev.allDay = v[0].wall, v[0].z, v[0].z == nil
	}
	if p := c.first("RECURRENCE-ID"); p != nil {
		if v, ok := rd.values(p); ok && len(v) > 0 {
			ev.hasRecur = true
			ev.recurID, ev.recurDay = v[0].instant(rd.opt.Loc), v[0].z == nil
		}
	}
	if len(rd.errs) > n {
		return nil
	}
	return ev
}

// value is one date or date-time of a property: its wall clock and zone
// (nil for a date).
type value struct {
	wall time.Time
	z    zone
}

// instant is the value's instant; a date is its midnight in loc.
func (v value) instant(loc *time.Location) time.Time {
	if v.z == nil {
		return locZone{loc}.instant(v.wall)
	}
	return v.z.instant(v.wall)
}

// values reads the dates or date-times of a property (comma-separated),
// with its TZID.
func (rd *reader) values(p *prop) ([]value, bool) {
	vt := strings.ToUpper(p.param("VALUE"))
	tzid := p.param("TZID")
	var out []value
	for _, s := range strings.Split(strings.TrimSpace(p.value), ",") {
		s = strings.TrimSpace(s)
		if vt == "PERIOD" || strings.Contains(s, "/") {
			s, _, _ = strings.Cut(s, "/") // a period's start
		}
		switch {
		case len(s) == 8:
			t, err := time.Parse("20060102", s)
			if err != nil {
				rd.fail(p.line, "%s: bad date %q (want YYYYMMDD, a real calendar day)", p.name, s)
				return nil, false
			}
			out = append(out, value{wall: t})
		case len(s) == 15 || (len(s) == 16 && (s[15] == 'Z' || s[15] == 'z')):
			t, err := time.Parse("20060102T150405", s[:15])
			if err != nil {
				rd.fail(p.line, "%s: bad date-time %q (want YYYYMMDDTHHMMSS, with Z for UTC)", p.name, s)
				return nil, false
			}
			var z zone = locZone{rd.opt.Loc} // floating: the organisation's time
			switch {
			case len(s) == 16:
				z = utcZone{}
			case tzid != "":
				var ok bool
				if z, ok = rd.zone(tzid, p.line); !ok {
					return nil, false
				}
			}
			out = append(out, value{wall: t, z: z})
		default:
			rd.fail(p.line, "%s: bad value %q (want a date YYYYMMDD or a date-time YYYYMMDDTHHMMSS[Z])", p.name, clip(s))
			return nil, false
		}
	}
	return out, true
}

// zone resolves a TZID: an IANA or Windows name, else the file's
// VTIMEZONE of that id.
func (rd *reader) zone(tzid string, line int) (zone, bool) {
	if z, ok := rd.zones[tzid]; ok {
		return z, z != nil
	}
	if loc, ok := ianaZone(tzid); ok {
		z := locZone{loc}
		rd.zones[tzid] = z
		return z, true
	}
	if c := rd.vtz[strings.TrimSpace(tzid)]; c != nil {
		if z := rd.vtimezone(c); z != nil {
			rd.zones[tzid] = z
			return z, true
		}
		rd.zones[tzid] = nil
		return nil, false
	}
	rd.zones[tzid] = nil
	rd.fail(line, "unknown time zone TZID=%q (want an IANA name such as Europe/London, a Windows name such as \"W. Europe Standard Time\", or a VTIMEZONE with this TZID in the file)", tzid)
	return nil, false
}

// vtimezone reads a VTIMEZONE's observances.
func (rd *reader) vtimezone(c *component) *vtimezone {
	z := &vtimezone{}
	n := len(rd.errs)
	for _, o := range c.children {
		if o.name != "STANDARD" && o.name != "DAYLIGHT" {
			continue
		}
		var ob observance
		ds := o.first("DTSTART")
		if ds == nil {
			rd.fail(o.line, "%s without DTSTART in VTIMEZONE", o.name)
			continue
		}
		t, err := time.Parse("20060102T150405", strings.TrimSpace(ds.value))
		if err != nil {
			if t, err = time.Parse("20060102", strings.TrimSpace(ds.value)); err != nil {
				rd.fail(ds.line, "DTSTART: bad date-time %q in VTIMEZONE (want YYYYMMDDTHHMMSS)", clip(ds.value))
				continue
			}
		}
		ob.start = t
		for _, f := range []struct {
			name string
			d    *time.Duration
		}{{"TZOFFSETFROM", &ob.from}, {"TZOFFSETTO", &ob.to}} {
			p := o.first(f.name)
			if p == nil {
				rd.fail(o.line, "%s without %s in VTIMEZONE", o.name, f.name)
				continue
			}
			d, ok := parseOffset(p.value)
			if !ok {
				rd.fail(p.line, "%s: bad UTC offset %q (want +HHMM or -HHMM)", f.name, clip(p.value))
			}
			*f.d = d
		}
		if p := o.first("RRULE"); p != nil {
			if ro, ok := rd.rrule(p); ok {
				ro.Dtstart = ob.start
				if ro.Dtstart.Year() < 1900 {
					// Outlook starts its rules in 1601; rrule-go looks back
					// at most 292 years (a time.Duration) from a date.
					ro.Dtstart = ro.Dtstart.AddDate(1900-ro.Dtstart.Year(), 0, 0)
				}
				if !ro.Until.IsZero() && strings.HasSuffix(strings.ToUpper(p.value), "Z") {
					ro.Until = ro.Until.Add(ob.from)
				}
				r, err := rrule.NewRRule(*ro)
				switch {
				case err != nil:
					rd.fail(p.line, "RRULE: %v", err)
				case ro.Freq != rrule.YEARLY && ro.Freq != rrule.MONTHLY:
					// A zone changes its offset a few times a year; a rule
					// of every day or second would be expanded for nothing.
					rd.fail(p.line, "RRULE in VTIMEZONE: %q changes the offset more often than monthly (want FREQ=YEARLY, as time zones do)", clip(p.value))
				default:
					ob.rule = r
				}
			}
		}
		for _, p := range o.all("RDATE") {
			for _, s := range strings.Split(p.value, ",") {
				if t, err := time.Parse("20060102T150405", strings.TrimSpace(s)); err == nil {
					ob.rdates = append(ob.rdates, t)
				}
			}
		}
		z.obs = append(z.obs, ob)
	}
	if len(rd.errs) > n {
		return nil
	}
	if len(z.obs) == 0 {
		rd.fail(c.line, "VTIMEZONE without STANDARD or DAYLIGHT (want the zone's offsets)")
		return nil
	}
	return z
}

// rrule reads an RRULE's value; X- parts are ignored.
func (rd *reader) rrule(p *prop) (*rrule.ROption, bool) {
	var parts []string
	for part := range strings.SplitSeq(strings.ToUpper(strings.TrimSpace(p.value)), ";") {
		part = strings.TrimSpace(part)
		if part == "" || strings.HasPrefix(part, "X-") || part == "RSCALE=GREGORIAN" || strings.HasPrefix(part, "SKIP=") {
			continue
		}
		parts = append(parts, part)
	}
	ro, err := rrule.StrToROptionInLocation(strings.Join(parts, ";"), time.UTC)
	if err != nil {
		rd.fail(p.line, "RRULE: %q: %v (want a recurrence rule of RFC 5545, such as FREQ=WEEKLY;BYDAY=MO)", clip(p.value), err)
		return nil, false
	}
	if ro.Interval < 0 || ro.Count < 0 {
		rd.fail(p.line, "RRULE: %q: INTERVAL and COUNT must be positive", clip(p.value))
		return nil, false
	}
	return ro, true
}

// occurrence is one start of a series, keyed by its original instant.
type occurrence struct {
	orig      time.Time // the original start's instant (all-day: midnight in Loc)
	day       bool      // an all-day occurrence
	ev        *event    // the event whose data it has (master or override)
	start     value     // its start
	cancelled bool
}

// series turns the master and overrides of one UID into meetings.
func (rd *reader) series(uid string, master *event, overrides []*event) {
	if master != nil {
		for _, ov := range overrides {
			ov.master = master.c
		}
	}
	var occ []occurrence
	single := false // an event that does not recur: no instance in its id
	if master != nil {
		rrules := master.c.all("RRULE")
		rdates := master.c.all("RDATE")
		single = len(rrules) == 0 && len(rdates) == 0 && len(overrides) == 0
		first := value{master.start, master.z}
		occ = append(occ, occurrence{orig: first.instant(rd.opt.Loc), day: master.allDay, ev: master, start: first, cancelled: master.cancelled})
		if len(rrules) > 0 {
			more, ok := rd.expand(master, rrules[0])
			if !ok {
				return
			}
			occ = append(occ, more...)
		}
		for _, p := range rdates {
			vs, ok := rd.values(p)
			if !ok {
				return
			}
			for _, v := range vs {
				if v.z == nil && !master.allDay {
					v = value{time.Date(v.wall.Year(), v.wall.Month(), v.wall.Day(), master.start.Hour(), master.start.Minute(), master.start.Second(), 0, time.UTC), master.z}
				}
				occ = append(occ, occurrence{orig: v.instant(rd.opt.Loc), day: v.z == nil, ev: master, start: v, cancelled: master.cancelled})
			}
		}
		occ = dedupe(occ)
		// EXDATE: cancelled occurrences.
		ex := map[time.Time]bool{}
		exDays := map[tamledger.Date]bool{}
		for _, p := range master.c.all("EXDATE") {
			vs, ok := rd.values(p)
			if !ok {
				return
			}
			for _, v := range vs {
				if v.z == nil {
					exDays[tamledger.DateOf(v.wall)] = true
				} else {
					ex[v.instant(rd.opt.Loc)] = true
				}
			}
		}
		for i := range occ {
			o := &occ[i]
			if ex[o.orig] || (len(exDays) > 0 && exDays[rd.origDay(*o)]) {
				o.cancelled = true
			}
		}
	}
	// Overrides replace the occurrence of their RECURRENCE-ID.
	byOrig := map[time.Time]int{}
	for i, o := range occ {
		byOrig[o.orig] = i
	}
	for _, ov := range overrides {
		o := occurrence{orig: ov.recurID, day: ov.recurDay, ev: ov, start: value{ov.start, ov.z}, cancelled: ov.cancelled}
		if master != nil && master.cancelled {
			o.cancelled = true
		}
		if i, ok := byOrig[o.orig]; ok {
			if occ[i].cancelled && occ[i].ev == master {
				o.cancelled = true // an EXDATE wins over an override of the same occurrence
			}
			if occ[i].ev != master && ov.seq < occ[i].ev.seq {
				continue // an older copy of the override
			}
			occ[i] = o
			continue
		}
		byOrig[o.orig] = len(occ)
		occ = append(occ, o)
	}
	if single {
		rd.emit(uid, "", occ[0])
		return
	}
	// Instance keys: the original date, or the original instant when two
	// occurrences share a date.
	count := map[tamledger.Date]int{}
	for _, o := range occ {
		count[rd.origDay(o)]++
	}
	for _, o := range occ {
		d := rd.origDay(o)
		key := fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
		if count[d] > 1 && !o.day {
			key = o.orig.UTC().Format("20060102T150405Z")
		}
		rd.emit(uid, key, o)
	}
}

// origDay is the date of an occurrence's original start in Loc.
func (rd *reader) origDay(o occurrence) tamledger.Date {
	if o.day {
		return tamledger.DateOf(o.orig.In(rd.opt.Loc))
	}
	return tamledger.DateIn(o.orig, rd.opt.Loc)
}

func dedupe(occ []occurrence) []occurrence {
	seen := map[time.Time]bool{}
	out := occ[:0]
	for _, o := range occ {
		if !seen[o.orig] {
			seen[o.orig] = true
			out = append(out, o)
		}
	}
	return out
}

// expand lists the occurrences of a master's RRULE after DTSTART, up to
// Options.To (one more, to know that the series goes on).
func (rd *reader) expand(master *event, p *prop) ([]occurrence, bool) {
	ro, ok := rd.rrule(p)
	if !ok {
		return nil, false
	}
	switch ro.Freq {
	case rrule.HOURLY, rrule.MINUTELY, rrule.SECONDLY:
		rd.out.Frequent++
		return nil, true
	}
	ro.Dtstart = master.start
	if !ro.Until.IsZero() {
		u := strings.ToUpper(p.value)
		if i := strings.Index(u, "UNTIL="); i >= 0 {
			v, _, _ := strings.Cut(u[i+6:], ";")
			if strings.HasSuffix(v, "Z") && master.z != nil {
				ro.Until = master.z.wall(ro.Until) // UNTIL in UTC, the series in its zone
			} else if len(v) == 8 && !master.allDay {
				ro.Until = ro.Until.Add(24*time.Hour - time.Second) // a date: the whole day
			}
		}
	}
	r, err := rrule.NewRRule(*ro)
	if err != nil {
		rd.fail(p.line, "RRULE: %q: %v", clip(p.value), err)
		return nil, false
	}
	next := r.Iterator()
	var out []occurrence
	for {
		w, ok := next()
		if !ok {
			break
		}
		v := value{w, master.z}
		o := occurrence{orig: v.instant(rd.opt.Loc), day: master.allDay, ev: master, start: v, cancelled: master.cancelled}
		if w.Equal(master.start) {
			continue // DTSTART is the first occurrence already
		}
		out = append(out, o)
		if rd.origDay(o).After(rd.opt.To) {
			break // one after the window: the series goes on
		}
		if len(out) > MaxOccurrences {
			rd.fail(p.line, "RRULE: the series has more than %d occurrences up to %s (read fewer with --from)", MaxOccurrences, rd.opt.To)
			return nil, false
		}
	}
	return out, true
}

// emit adds an occurrence to the result when its date is in the window.
func (rd *reader) emit(uid, instance string, o occurrence) {
	ev := o.ev
	var start time.Time
	var date tamledger.Date
	if o.start.z == nil {
		date = tamledger.DateOf(o.start.wall)
		start = locZone{rd.opt.Loc}.instant(o.start.wall)
	} else {
		start = o.start.z.instant(o.start.wall)
		date = tamledger.DateIn(start, rd.opt.Loc)
	}
	switch {
	case date.After(rd.opt.To):
		if !o.cancelled {
			rd.out.Later++
		}
		return
	case !rd.opt.From.IsZero() && date.Before(rd.opt.From):
		if !o.cancelled {
			rd.out.Earlier++
		}
		return
	}
	m := Meeting{UID: uid, Instance: instance, Date: date, Start: start, AllDay: o.start.z == nil,
		Cancelled: o.cancelled, Line: ev.c.line}
	m.Summary = rd.text(ev, "SUMMARY")
	m.Description = rd.text(ev, "DESCRIPTION")
	if p := rd.prop(ev, "ORGANIZER"); p != nil {
		m.Organizer = person(p)
	}
	atts := ev.c.all("ATTENDEE")
	if len(atts) == 0 && ev.hasRecur {
		if master := rd.masterOf(ev); master != nil {
			atts = master.all("ATTENDEE")
		}
	}
	for _, p := range atts {
		switch strings.ToUpper(p.param("CUTYPE")) {
		case "ROOM", "RESOURCE":
			continue
		}
		if strings.EqualFold(p.param("PARTSTAT"), "DECLINED") {
			continue
		}
		if a := person(p); a.Name != "" || a.Email != "" {
			m.Attendees = append(m.Attendees, *a)
		}
	}
	rd.out.Meetings = append(rd.out.Meetings, m)
}

// masterOf finds the master VEVENT of an override (for properties an
// override leaves out).
func (rd *reader) masterOf(ev *event) *component { return ev.master }

func (rd *reader) prop(ev *event, name string) *prop {
	if p := ev.c.first(name); p != nil {
		return p
	}
	if ev.hasRecur && ev.master != nil {
		return ev.master.first(name)
	}
	return nil
}

func (rd *reader) text(ev *event, name string) string {
	if p := rd.prop(ev, name); p != nil {
		return strings.TrimSpace(p.value)
	}
	return ""
}

func person(p *prop) *Person {
	v := strings.TrimSpace(p.value)
	email := ""
	if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
		email = strings.ToLower(strings.TrimSpace(v[7:]))
	} else if e := p.param("EMAIL"); e != "" {
		email = strings.ToLower(strings.TrimSpace(e))
	} else if strings.Contains(v, "@") && !strings.Contains(v, ":") {
		email = strings.ToLower(v)
	}
	return &Person{Name: strings.TrimSpace(p.param("CN")), Email: email}
}
