package score

import "fmt"

// ComponentTitle is the name of a health component for people ("charter
// adherence", "proactive ratio", "escalation responsiveness").
func ComponentTitle(name string) string { return componentTitle[name] }

var componentTitle = map[string]string{
	ComponentAdherence:      "charter adherence",
	ComponentProactive:      "proactive ratio",
	ComponentResponsiveness: "escalation responsiveness",
}

// Explain says what the card's health component name was made from, in the
// words the scorecard table prints in its FROM column ("mean of 4
// obligations with an ended period", "38 of 49 engagements initiated by the
// TAM", "3 of 3 cases with the TAM engaged within target (1 pending)"). The
// CLI and the web pages both print it.
func (c *Card) Explain(name string) string {
	switch name {
	case ComponentAdherence:
		n := 0
		for _, ob := range c.Obligations {
			if ob.Adherence != nil {
				n++
			}
		}
		return fmt.Sprintf("mean of %d obligation%s with an ended period", n, plural(n))
	case ComponentProactive:
		return fmt.Sprintf("%d of %d engagement%s initiated by the TAM", c.Counts.TAMInitiated, c.Counts.Engagements, plural(c.Counts.Engagements))
	case ComponentResponsiveness:
		s := fmt.Sprintf("%d of %d case%s with the TAM engaged within target", c.Counts.CasesWithinTarget, c.Counts.Cases, plural(c.Counts.Cases))
		if c.Counts.CasesPending > 0 {
			s += fmt.Sprintf(" (%d pending)", c.Counts.CasesPending)
		}
		return s
	}
	return ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// TermText is, for a charter term MissingTerms names, what to add and why.
func TermText(term string) (what, why string) {
	t := termText[term]
	return t[0], t[1]
}
