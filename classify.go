package tamledger

import (
	"strings"
	"unicode"
)

// CalendarRule classifies a meeting into a service when one of its words or
// phrases appears in the meeting's summary (or, when the summary matches no
// rule, its description): whole words, punctuation ignored, so "cut-over"
// matches "Cut over" and "RI" does not match "Rights". Case is ignored,
// except that a word written in capitals in the rule ("WAR", "RI", "IAM")
// matches only in capitals, so that "war room" is no Well-Architected Review.
type CalendarRule struct {
	Service string   `json:"service"`
	Match   []string `json:"match"`
}

// DefaultCalendarRules are the rules of every calendar import, tried in
// this order after the organisation's own calendarRules
// (docs/calendar.md). A meeting no rule matches is a strategy-call.
var DefaultCalendarRules = []CalendarRule{
	{Service: "well-architected-review", Match: []string{"well-architected", "WAR", "WAFR"}},
	{Service: "cost-review", Match: []string{"cost", "costs", "savings", "savings plan", "savings plans", "RI", "RIs",
		"reserved instance", "reserved instances", "rightsizing", "right-sizing", "rightsize", "right-size"}},
	{Service: "business-review", Match: []string{"EBR", "QBR", "business review"}},
	{Service: "security-review", Match: []string{"security", "IAM", "threat model", "threat modelling", "threat modeling"}},
	{Service: "iem", Match: []string{"IEM", "Countdown", "launch readiness", "cut-over", "cutover"}},
	{Service: "specialist-deep-dive", Match: []string{"deep dive", "deep-dive", "deepdive", "specialist", "immersion day"}},
}

// DefaultService is the service of a meeting that no rule matches.
const DefaultService = "strategy-call"

// Classification is how a meeting was classified: the service, and the
// rule's word or phrase that decided it ("" when none did) and where it
// was found ("summary" or "description"; "organization" tells that the
// organisation's own rule matched).
type Classification struct {
	Service string
	Match   string
	In      string
	Own     bool // one of the organisation's calendarRules
}

// Classify classifies a meeting by its summary, then its description: the
// organisation's calendarRules first, then DefaultCalendarRules, in order;
// the first rule with a match wins.
func (o *Organization) Classify(summary, description string) Classification {
	return o.Classifier().Classify(summary, description)
}

// NamedWorkloads returns the ids of the organisation's workloads whose id
// or name appears in the text (whole words, as rules match), in the
// organisation's order.
func (o *Organization) NamedWorkloads(text ...string) []string {
	return o.Classifier().NamedWorkloads(text...)
}

// Classifier is an organisation's rules and workload names, split into
// words once, for classifying many meetings.
type Classifier struct {
	rules     []phraseRule
	workloads []workloadNames
}

type phraseRule struct {
	service, match string
	words          []string
	own            bool
}

type workloadNames struct {
	id        string
	id2, name []string
}

// Classifier prepares the organisation's rules (nil: the defaults only).
func (o *Organization) Classifier() *Classifier {
	c := &Classifier{}
	var own []CalendarRule
	if o != nil {
		own = o.CalendarRules
		for _, w := range o.Workloads {
			c.workloads = append(c.workloads, workloadNames{id: w.ID, id2: phraseWords(w.ID), name: phraseWords(w.Name)})
		}
	}
	for i, rules := range [][]CalendarRule{own, DefaultCalendarRules} {
		for _, r := range rules {
			for _, m := range r.Match {
				if words := phraseWords(m); len(words) > 0 {
					c.rules = append(c.rules, phraseRule{service: r.Service, match: m, words: words, own: i == 0})
				}
			}
		}
	}
	return c
}

// Classify is Organization.Classify with the prepared rules.
func (c *Classifier) Classify(summary, description string) Classification {
	for _, part := range []struct{ name, text string }{{"summary", summary}, {"description", description}} {
		words := phraseWords(part.text)
		if len(words) == 0 {
			continue
		}
		for _, r := range c.rules {
			if containsPhrase(words, r.words) {
				return Classification{Service: r.service, Match: r.match, In: part.name, Own: r.own}
			}
		}
	}
	return Classification{Service: DefaultService}
}

// NamedWorkloads is Organization.NamedWorkloads with the prepared names.
func (c *Classifier) NamedWorkloads(text ...string) []string {
	if len(c.workloads) == 0 {
		return nil
	}
	var words []string
	for _, t := range text {
		words = append(append(words, phraseWords(t)...), "") // "" keeps parts apart
	}
	var ids []string
	for _, w := range c.workloads {
		if containsPhrase(words, w.id2) || containsPhrase(words, w.name) {
			ids = append(ids, w.id)
		}
	}
	return ids
}

// phraseWords splits s into words of letters and digits.
func phraseWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// sameWord reports whether a word of a text is a rule's word: ignoring
// case, unless the rule's word is in capitals (an acronym of two letters or
// more).
func sameWord(text, rule string) bool {
	if acronym(rule) {
		return text == rule
	}
	return strings.EqualFold(text, rule)
}

func acronym(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// containsPhrase reports whether phrase (words) appears in words, word by
// word in a row.
func containsPhrase(words, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(words); i++ {
		if !sameWord(words[i], phrase[0]) {
			continue
		}
		j := 1
		for j < len(phrase) && sameWord(words[i+j], phrase[j]) {
			j++
		}
		if j == len(phrase) {
			return true
		}
	}
	return false
}

// AWSSide reports whether an e-mail address belongs to the AWS side of the
// account team: one of the team's e-mails (tam, backupTam, accountManager,
// solutionsArchitect, specialists) or in one of accountTeam.domains (or a
// subdomain of one). Case is ignored.
func (o *Organization) AWSSide(email string) bool {
	email = strings.ToLower(strings.TrimSpace(email))
	if o == nil || o.AccountTeam == nil || email == "" {
		return false
	}
	t := o.AccountTeam
	var people []string
	if t.TAM != nil {
		people = append(people, t.TAM.Email)
	}
	for _, p := range []*Person{t.BackupTAM, t.AccountManager, t.SolutionsArch} {
		if p != nil {
			people = append(people, p.Email)
		}
	}
	for _, p := range t.Specialists {
		people = append(people, p.Email)
	}
	for _, p := range people {
		if p != "" && strings.EqualFold(strings.TrimSpace(p), email) {
			return true
		}
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	domain := email[at+1:]
	for _, d := range t.Domains {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if d != "" && (domain == d || strings.HasSuffix(domain, "."+d)) {
			return true
		}
	}
	return false
}
