// Package ics reads iCalendar files (RFC 5545) as Google Calendar,
// Outlook/Exchange and Apple Calendar export them into the meetings they
// hold, one per occurrence: time zones (VTIMEZONE and TZID, IANA and
// Windows names), all-day events, recurring series (RRULE, RDATE, EXDATE)
// with their overridden occurrences (RECURRENCE-ID), and cancellations.
//
// Content lines are parsed by github.com/arran4/golang-ical (names,
// parameters, quoting, escaped text) and series expanded by
// github.com/teambition/rrule-go; this package unfolds the lines itself to
// keep each one's line number, so that every problem is reported as
// FILE:LINE:COL (a document.ErrorList), and interprets the components.
package ics

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	ical "github.com/arran4/golang-ical"

	"github.com/tamledger/tamledger/document"
)

// prop is one content line: a property with its parameters and value
// (text unescaped), and the line it starts on.
type prop struct {
	name   string // upper case
	params map[string][]string
	value  string
	line   int
}

func (p *prop) param(name string) string {
	for k, v := range p.params {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// component is BEGIN:NAME ... END:NAME.
type component struct {
	name     string // upper case
	line     int    // of its BEGIN
	props    []*prop
	children []*component
}

func (c *component) first(name string) *prop {
	for _, p := range c.props {
		if p.name == name {
			return p
		}
	}
	return nil
}

func (c *component) all(name string) []*prop {
	var out []*prop
	for _, p := range c.props {
		if p.name == name {
			out = append(out, p)
		}
	}
	return out
}

// maxDepth bounds the nesting of components (a calendar holds events that
// hold alarms: 3 is the usual depth).
const maxDepth = 16

// parse reads the calendars of a file (usually one VCALENDAR; several one
// after another are read too) into their components.
func parse(name string, r io.Reader, errs *document.ErrorList) []*component {
	fail := func(line int, format string, args ...any) {
		*errs = append(*errs, document.Error{Pos: document.Pos{File: name, Line: line, Col: 1}, Msg: fmt.Sprintf(format, args...)})
	}
	var cals []*component
	var stack []*component
	lines := unfold(r)
	for cl := range lines.each {
		if len(*errs) >= maxErrors {
			break
		}
		text := cl.text
		if cl.line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if strings.TrimSpace(text) == "" {
			continue // blank lines: not RFC 5545, but harmless
		}
		if !utf8.ValidString(text) {
			fail(cl.line, "the line is not valid UTF-8 (save the file as UTF-8)")
			continue
		}
		bp, err := ical.ParseProperty(ical.ContentLine(text))
		if err != nil || bp == nil {
			why := "want NAME:VALUE or NAME;PARAM=VALUE:VALUE"
			if err != nil {
				why = err.Error()
			}
			fail(cl.line, "not an iCalendar content line %q (%s)", clip(text), why)
			continue
		}
		p := &prop{name: strings.ToUpper(bp.IANAToken), params: bp.ICalParameters, value: bp.Value, line: cl.line}
		switch p.name {
		case "BEGIN":
			c := &component{name: strings.ToUpper(strings.TrimSpace(p.value)), line: cl.line}
			switch {
			case len(stack) == 0 && c.name != "VCALENDAR":
				fail(cl.line, "BEGIN:%s outside a calendar (want BEGIN:VCALENDAR first)", c.name)
				continue
			case len(stack) >= maxDepth:
				fail(cl.line, "components nested more than %d deep", maxDepth)
				return cals
			case len(stack) == 0:
				cals = append(cals, c)
			default:
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, c)
			}
			stack = append(stack, c)
		case "END":
			n := strings.ToUpper(strings.TrimSpace(p.value))
			if len(stack) == 0 {
				fail(cl.line, "END:%s without a BEGIN:%s", n, n)
				continue
			}
			top := stack[len(stack)-1]
			if top.name != n {
				fail(cl.line, "END:%s where BEGIN:%s at line %d is still open (want END:%s)", n, top.name, top.line, top.name)
				// Close up to a matching BEGIN when there is one.
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i].name == n {
						stack = stack[:i]
						break
					}
				}
				continue
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				fail(cl.line, "%s outside a calendar (want BEGIN:VCALENDAR first)", p.name)
				continue
			}
			top := stack[len(stack)-1]
			top.props = append(top.props, p)
		}
	}
	if lines.err != nil {
		fail(lines.lastLine, "%v", lines.err)
	}
	for i := len(stack) - 1; i >= 0; i-- {
		fail(stack[i].line, "BEGIN:%s is never closed (want END:%s)", stack[i].name, stack[i].name)
	}
	if len(cals) == 0 && len(*errs) == 0 {
		fail(0, "no calendar: the file holds no BEGIN:VCALENDAR (want an iCalendar .ics file)")
	}
	return cals
}

func clip(s string) string {
	if len(s) > 60 {
		i := 60
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		return s[:i] + "…"
	}
	return s
}

// contentLine is an unfolded line and the line it starts on.
type contentLine struct {
	text string
	line int
}

// lineReader unfolds physical lines (CRLF or LF) into content lines: a line
// that starts with a space or a tab continues the one before.
type lineReader struct {
	r        io.Reader
	err      error
	lastLine int
}

func unfold(r io.Reader) *lineReader { return &lineReader{r: r} }

// maxLine bounds one content line (folded lines included).
const maxLine = 1 << 20

func (l *lineReader) each(yield func(contentLine) bool) {
	sc := bufio.NewScanner(l.r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var cur bytes.Buffer
	start, n := 0, 0
	for sc.Scan() {
		n++
		b := bytes.TrimSuffix(sc.Bytes(), []byte{'\r'})
		if len(b) > 0 && (b[0] == ' ' || b[0] == '\t') && start > 0 {
			if cur.Len()+len(b) > maxLine {
				l.err = fmt.Errorf("a content line longer than %d bytes", maxLine)
				l.lastLine = start
				return
			}
			cur.Write(b[1:])
			continue
		}
		if start > 0 {
			if !yield(contentLine{cur.String(), start}) {
				return
			}
		}
		cur.Reset()
		cur.Write(b)
		start = n
	}
	if err := sc.Err(); err != nil {
		l.err = err
		if err == bufio.ErrTooLong {
			l.err = fmt.Errorf("a line longer than %d bytes (is this an iCalendar file?)", maxLine)
		}
		l.lastLine = n + 1
		return
	}
	if start > 0 {
		yield(contentLine{cur.String(), start})
	}
}
